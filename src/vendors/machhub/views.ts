/** MACHHUB rows → wire shapes: record ids as {Table, ID}, users, groups, processes. */
import type { ProcessRow, Store, UserRow } from './store.js';

/** `table:key` → `{Table, ID}` (SurrealDB's RecordID as the SDK reads it). */
export function rid(s: string): { Table: string; ID: string } {
  const i = s.indexOf(':');
  return i < 0 ? { Table: '', ID: s } : { Table: s.slice(0, i), ID: s.slice(i + 1) };
}

/** A user as `/auth/user` answers it: group ids in the given domain only. */
export function userJson(store: Store, u: UserRow, domainId: string) {
  return {
    id: rid(u.id),
    firstName: u.first_name,
    lastName: u.last_name,
    username: u.username,
    email: u.email,
    number: u.number,
    createdDt: u.created_dt,
    userImage: u.user_image,
    group_ids: store.userGroupIds(u.id, domainId),
  };
}

/** A group with its features (each naming the domain) and members. */
export function groupJson(store: Store, g: { id: string; name: string }, domainId: string) {
  return {
    id: rid(g.id),
    name: g.name,
    features: store.groupFeatures(g.id).map((f) => ({ name: f.name, action: f.action, domain: domainId, scope: f.scope })),
    user_ids: store.groupUserIds(g.id).map(rid),
  };
}

export function processJson(p: ProcessRow, domainName: string) {
  const data = JSON.parse(p.data) as Record<string, unknown>;
  return { id: rid(p.id), domain_id: p.domain_id, name: `${domainName}.${p.name}`, ...data, createdDt: p.created_dt, updated_dt: p.updated_dt };
}
