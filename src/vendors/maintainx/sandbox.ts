/**
 * MaintainX sandboxes: a new organization holding a copy of another organization's records (users, assets,
 * locations, parts, work orders and the rest) under new ids, every id reference inside them (`…Id`, `…Ids`, nested
 * `id`) pointing at the copies, and its counters. Fresh credentials: one API key of the copy of the source's first
 * admin. Webhook subscriptions, attachments and delivery history are not copied (a sandbox starts without webhooks).
 */
import { copyRows } from '../../core/db.js';
import { randomString, sha256Hex } from '../../core/secrets.js';
import type { SandboxCreated } from '../../core/vendor.js';
import { KEY_PREFIX } from './auth.js';
import type { Mx } from './http.js';

type Row = { id: number; kind: string; parent_id: number | null; seq: number | null; data: string; created_at: string; updated_at: string; deleted_at: string | null };

/** Rewrites the record ids a document refers to (keys `id`, `…Id`, `…Ids`); other values stay. */
function remap(value: unknown, ids: Map<number, number>, org: [number, number], key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => remap(v, ids, org, key.endsWith('Ids') ? key.slice(0, -1) : ''));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = remap(v, ids, org, k);
    return out;
  }
  if (typeof value === 'number' && (key === 'id' || key.endsWith('Id'))) {
    if (key === 'organizationId') return value === org[0] ? org[1] : value;
    return ids.get(value) ?? value;
  }
  return value;
}

export function createSandbox(mx: Mx, from: string | undefined): SandboxCreated | null {
  const { ctx, store } = mx;
  const db = ctx.handle.db;
  const source = from === undefined ? store.orgs.all()[0] : /^\d{1,12}$/.test(from) ? store.orgs.get(Number(from)) : undefined;
  if (!source) return null;
  const full = db.prepare('SELECT * FROM organizations WHERE id = ?').get(source.id) as Record<string, string | null>;
  const org = store.orgs.create({ name: `${source.name} (sandbox)`, timeZone: full.time_zone ?? undefined, currency: full.currency, dateFormatLocale: full.date_format_locale });

  const rows = db.prepare('SELECT id, kind, parent_id, seq, data, created_at, updated_at, deleted_at FROM records WHERE org_id = ? ORDER BY id').all(source.id) as Row[];
  const base = db.prepare("SELECT MAX(COALESCE((SELECT MAX(id) FROM records), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'records'), 0))").pluck().get() as number;
  const ids = new Map(rows.map((r, i) => [r.id, base + i + 1]));
  const insert = db.prepare('INSERT INTO records (id, kind, org_id, parent_id, seq, data, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const pair: [number, number] = [source.id, org.id];
  for (const r of rows) {
    if (r.kind === 'subscription') continue;
    const data = JSON.stringify(remap(JSON.parse(r.data), ids, pair));
    insert.run(ids.get(r.id), r.kind, org.id, r.parent_id === null ? null : (ids.get(r.parent_id) ?? r.parent_id), r.seq, data, r.created_at, r.updated_at, r.deleted_at);
  }
  copyRows(db, 'counters', 'org_id = @from', { org_id: '@to' }, { from: source.id, to: org.id });

  const users = rows.filter((r) => r.kind === 'user');
  const admin = users.find((u) => (JSON.parse(u.data) as { role?: string }).role === 'ADMIN') ?? users[0];
  const userId = admin ? ids.get(admin.id)! : store.records.insert('user', org.id, { firstName: 'Sandbox', lastName: 'Admin', email: `sandbox-${org.id}@example.invalid`, role: 'ADMIN', authType: 'NORMAL', extraFields: {}, hourlyRate: 0 }).id;
  const key = KEY_PREFIX + randomString(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
  const keyId = store.keys.create(userId, sha256Hex(key), key.slice(0, 8), [org.id], 'sandbox');
  return {
    tenant: String(org.id),
    from: String(source.id),
    credentials: { api_key: key, key_id: keyId, user_id: userId, organization_id: org.id },
  };
}

/** Its API keys go with it (a key of no organization is useless). */
export function deleteSandbox(mx: Mx, tenant: string): void {
  mx.ctx.handle.db
    .prepare('DELETE FROM api_keys WHERE id IN (SELECT key_id FROM api_key_orgs WHERE org_id = @o) AND id NOT IN (SELECT key_id FROM api_key_orgs WHERE org_id <> @o)')
    .run({ o: Number(tenant) });
}
