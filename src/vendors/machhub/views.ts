/** MACHHUB rows → wire shapes: record ids as {Table, ID}, users, groups, processes, records (expand, fields). */
import type { ListQuery } from './query.js';
import type { ProcessRow, RecordID, Store, UserRow } from './store/index.js';

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
    group_ids: store.users.groupIdsOf(u.id, domainId),
  };
}

/** A group with its features (each naming the domain) and members. */
export function groupJson(store: Store, g: { id: string; name: string }, domainId: string) {
  return {
    id: rid(g.id),
    name: g.name,
    features: store.groups.features(g.id).map((f) => ({ name: f.name, action: f.action, domain: domainId, scope: f.scope })),
    user_ids: store.groups.userIds(g.id).map(rid),
  };
}

export function processJson(p: ProcessRow, domainName: string) {
  const data = JSON.parse(p.data) as Record<string, unknown>;
  return { id: rid(p.id), domain_id: p.domain_id, name: `${domainName}.${p.name}`, ...data, createdDt: p.created_dt, updated_dt: p.updated_dt };
}

type Rec = Record<string, unknown>;

/** `fields`: only the listed paths of a record (nested objects rebuilt along them); the whole record when none. */
export function project(rec: Rec, fields: string[][]): Rec {
  if (!fields.length) return rec;
  const out: Rec = {};
  for (const path of fields) {
    let src: unknown = rec;
    for (const seg of path) src = typeof src === 'object' && src !== null && !Array.isArray(src) ? (src as Rec)[seg] : undefined;
    if (src === undefined) continue;
    let dst = out;
    path.slice(0, -1).forEach((seg) => {
      if (typeof dst[seg] !== 'object' || dst[seg] === null) dst[seg] = {};
      dst = dst[seg] as Rec;
    });
    dst[path[path.length - 1]] = src;
  }
  return out;
}

/** A record link as stored: exactly `{Table, ID}`. */
export function isLink(v: unknown): v is RecordID {
  return typeof v === 'object' && v !== null && typeof (v as Rec).Table === 'string' && (typeof (v as Rec).ID === 'string' || typeof (v as Rec).ID === 'number') && Object.keys(v).length === 2;
}

/** The linked record of a link (same domain only), or undefined: then the link stays as it is. */
export type LinkResolver = (link: RecordID) => Rec | undefined;

/** `expand`: links in the named fields (or in arrays there) replaced by the records they point to. */
export function expandLinks(rec: Rec, fields: string[], resolve: LinkResolver): Rec {
  if (!fields.length) return rec;
  const one = (v: unknown): unknown => (isLink(v) ? (resolve(v) ?? v) : v);
  const out = { ...rec };
  for (const f of fields) {
    const v = out[f];
    if (Array.isArray(v)) out[f] = v.map(one);
    else if (v !== undefined) out[f] = one(v);
  }
  return out;
}

/** One stored record (its JSON) as getOne answers it: expanded, then projected. */
export function recordJson(data: string, q: Pick<ListQuery, 'expand' | 'fields'>, resolve: LinkResolver): string {
  return JSON.stringify(project(expandLinks(JSON.parse(data), q.expand, resolve), q.fields));
}

/** A list page: the stored JSON as is when nothing is expanded or projected, else each record as recordJson. */
export function recordsJson(rows: { data: string }[], q: Pick<ListQuery, 'expand' | 'fields'>, resolve: LinkResolver): string {
  if (!q.expand.length && !q.fields.length) return `[${rows.map((r) => r.data).join(',')}]`;
  return `[${rows.map((r) => recordJson(r.data, q, resolve)).join(',')}]`;
}
