/** Users and their direct messages: invite, edit, remove from the organization, message. */
import { forbidden, notFound, validation } from '../errors.js';
import type { Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import type { Json, Row } from '../store/index.js';
import { slashCommand } from './events.js';
import { pick, write, type Actor } from './common.js';

export const USER_FIELDS = ['firstName', 'lastName', 'role', 'customRole', 'email', 'phoneNumber', 'externalData', 'extraFields', 'authType', 'hourlyRate'];

/** The role of the key's user (looked up in the key's organizations; MEMBER when unknown). */
export function callerRole(mx: Mx, userId: number, keyOrgIds: number[]): string {
  return (mx.store.records.get('user', userId, keyOrgIds)?.data.role as string) ?? 'MEMBER';
}

/** POST /users is for admins only (checked before the body is read). */
export function checkCanInvite(mx: Mx, userId: number, keyOrgIds: number[]): void {
  if (callerRole(mx, userId, keyOrgIds) !== 'ADMIN') throw forbidden('You do not have permission to create this user.');
}

/** POST /users → the new user (USER_INVITED). */
export function createUser(mx: Mx, actor: Actor, b: Json): Row {
  if (typeof b.email === 'string' && mx.store.records.find('user', actor.orgId, { eq: '$.email', value: b.email }).length) {
    throw validation([{ error: 'email is already used', fieldPath: 'email', fieldValue: b.email }]);
  }
  return write(mx, () => {
    const r = mx.store.records.insert('user', actor.orgId, pick({ role: 'MEMBER', authType: 'NORMAL', extraFields: {} }, b, USER_FIELDS));
    mx.hooks.emit(r.orgId, 'USER_INVITED', { actorId: actor.userId, targetUserId: r.id, role: r.data.role, creationMethod: 'API' });
    return r;
  });
}

/** PATCH /users/{id}: a user edits themself, an admin anyone (USER_ROLE_CHANGED when the role changes). */
export function updateUser(mx: Mx, actor: Actor, keyOrgIds: number[], r: Row, b: Json): Row {
  if (r.id !== actor.userId && callerRole(mx, actor.userId, keyOrgIds) !== 'ADMIN') throw forbidden("User doesn't have the right permissions");
  if (r.data.authType === 'SAML' && b.authType === 'NORMAL') throw forbidden('You do not have permission to edit the Auth Type from SAML to NORMAL.');
  return write(mx, () => {
    const updated = mx.store.records.update(r, pick({ ...r.data }, b, USER_FIELDS));
    if (updated.data.role !== r.data.role) mx.hooks.emit(r.orgId, 'USER_ROLE_CHANGED', { actorId: actor.userId, targetUserId: r.id, oldRole: r.data.role, newRole: updated.data.role });
    return updated;
  });
}

/** DELETE /users/{id}: admins remove a user from the organization (USER_REMOVED); the row stays. */
export function removeUser(mx: Mx, actor: Actor, keyOrgIds: number[], r: Row): void {
  if (callerRole(mx, actor.userId, keyOrgIds) !== 'ADMIN') throw forbidden("User doesn't have the right permissions");
  if (r.data.removedFromOrganization) throw notFound(notFoundMessage('DELETE /users/{id}'));
  write(mx, () => {
    mx.store.records.update(r, { ...r.data, removedFromOrganization: true });
    mx.hooks.emit(r.orgId, 'USER_REMOVED', { actorId: actor.userId, targetUserId: r.id });
  });
}

/** POST /users/{id}/messages: a message in the direct conversation of the caller and the user (made on first use). */
export function messageUser(mx: Mx, actor: Actor, r: Row, content: unknown): Row {
  const me = actor.userId;
  const pair = [Math.min(me, r.id), Math.max(me, r.id)];
  return write(mx, () => {
    const conv =
      mx.store.records.find('conversation', r.orgId, { eq: '$.type', value: 'DM' }, { eq: '$.pair', value: JSON.stringify(pair) })[0] ??
      mx.store.records.insert('conversation', r.orgId, { type: 'DM', pair: JSON.stringify(pair), memberIds: pair });
    const m = mx.store.records.insert('message', r.orgId, { authorId: me, content }, { parentId: conv.id });
    const name = (conv.data.name as string) ?? `${r.data.firstName ?? ''} ${r.data.lastName ?? ''}`.trim();
    slashCommand(mx, r.orgId, me, m.id, String(content), { id: conv.id, type: 'CONVERSATION', name }, actor.skipWebhook);
    return conv;
  });
}

/** POST /conversations/{id}/messages → the new message. */
export function postMessage(mx: Mx, actor: Actor, conv: Row, content: unknown): Row {
  return write(mx, () => {
    mx.store.records.update(conv, conv.data);
    const m = mx.store.records.insert('message', conv.orgId, { authorId: actor.userId, content }, { parentId: conv.id });
    slashCommand(mx, conv.orgId, actor.userId, m.id, String(content), { id: conv.id, type: 'CONVERSATION', name: (conv.data.name as string) ?? 'Direct message' }, actor.skipWebhook);
    return m;
  });
}
