/** Users, groups and permissions of a domain: each write one transaction, checked inside it. */
import { err } from '../errors.js';
import type { Services } from '../http.js';
import { type Feature, newKey, type UserRow } from '../store/index.js';

export interface NewUser {
  username: string;
  /** `scrypt$…`, hashed before the transaction. */
  passwordHash: string;
  firstName: string;
  lastName: string;
  email: string;
  number: string;
  userImage: string | null;
}

/** A new user, member of the domain's `member` group (or of the domain alone when it has none). */
export function createUser({ ctx, store, nowIso }: Services, domainId: string, u: NewUser): UserRow {
  return ctx.handle.transaction(() => {
    // Checked again: another request may have taken the name while the password was hashed.
    if (store.users.byName(u.username)) throw err.conflict('username already exists');
    const user = store.users.create({ id: `users:${newKey(ctx.rng)}`, ...u }, nowIso());
    const member = store.groups.byName(domainId, 'member');
    if (member) store.groups.addUser(member.id, user.id, domainId);
    else store.users.addToDomain(user.id, domainId);
    return user;
  });
}

export function createGroup({ ctx, store, nowIso }: Services, domainId: string, name: string, features: Feature[]): string {
  return ctx.handle.transaction(() => {
    if (store.groups.byName(domainId, name)) throw err.conflict('group already exists');
    const gid = store.groups.create(domainId, name, nowIso(), ctx.rng);
    features.forEach((f) => store.groups.addFeature(gid, domainId, f));
    return gid;
  });
}

export function addPermissions({ ctx, store }: Services, groupId: string, domainId: string, features: Feature[]): void {
  ctx.handle.transaction(() => features.forEach((f) => store.groups.addFeature(groupId, domainId, f)));
}

/** The user joins the group and, with it, the group's domain. */
export function addUserToGroup({ ctx, store }: Services, groupId: string, userId: string, domainId: string): void {
  ctx.handle.transaction(() => store.groups.addUser(groupId, userId, domainId));
}
