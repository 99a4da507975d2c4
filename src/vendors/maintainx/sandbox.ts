/**
 * MaintainX sandboxes: a new organization holding a copy of another organization's records (users, assets,
 * locations, parts, work orders and the rest) under new ids, every id reference inside them (`…Id`, `…Ids`, nested
 * `id`) pointing at the copies, and its counters. Fresh credentials: one API key of the copy of the source's first
 * admin. Webhook subscriptions, attachments and delivery history are not copied (a sandbox starts without webhooks).
 */
import { randomString, sha256Hex } from '../../core/secrets.js';
import type { SandboxCreated } from '../../core/vendor.js';
import { KEY_PREFIX } from './auth.js';
import type { Mx } from './http.js';

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
  const { store } = mx;
  const source = from === undefined ? store.orgs.all()[0] : /^\d{1,12}$/.test(from) ? store.orgs.get(Number(from)) : undefined;
  if (!source) return null;
  const org = store.orgs.create({ name: `${source.name} (sandbox)`, timeZone: source.timeZone, currency: source.currency, dateFormatLocale: source.dateFormatLocale });
  const pair: [number, number] = [source.id, org.id];
  const { rows, ids } = store.orgs.copyRecords(source.id, org.id, (r, ids) => (r.kind === 'subscription' ? null : JSON.stringify(remap(JSON.parse(r.data), ids, pair))));

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
  mx.store.keys.deleteOnlyOf(Number(tenant));
}
