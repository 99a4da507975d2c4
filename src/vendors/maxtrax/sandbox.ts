/**
 * MaxTrax sandboxes: a new tenant (its own host name) holding a copy of another tenant's ISOs, welds and inspection
 * history under new ids, and a copy of each of its users with a fresh password (same user names and roles). Refresh
 * tokens are not copied.
 */
import { copyRows, withIdMap } from '../../core/db.js';
import { hashGeneratedPassword } from '../../core/passwords.js';
import { randomString } from '../../core/secrets.js';
import type { SandboxCreated, VendorContext } from '../../core/vendor.js';
import type { MaxtraxConfig } from './config.js';
import type { Role } from './model.js';
import type { MaxtraxStore, UserRow } from './store.js';
import { parseDomains } from './tenancy.js';

export function createSandbox(ctx: VendorContext<MaxtraxConfig>, store: MaxtraxStore, from: string | undefined): SandboxCreated | null {
  const db = ctx.handle.db;
  const source = from === undefined ? store.tenant(ctx.config.defaultTenant) ?? store.tenants()[0] : store.tenant(from);
  if (!source) return null;
  let id: string;
  do id = `sandbox-${ctx.rng.hex(4)}`;
  while (store.tenant(id));
  store.createTenant(id, `${source.name} (sandbox)`);
  store.setTenantReady(id, source.ready === 1);

  const users = db.prepare('SELECT * FROM users WHERE tenant = ? ORDER BY created_at, user_name').all(source.id) as UserRow[];
  const credentials = users.map((u) => {
    const password = randomString(20);
    const copy = store.createUser({ id: ctx.rng.uuid(), tenant: id, userName: u.user_name, passwordHash: hashGeneratedPassword(password), role: u.role as Role, displayName: u.display_name, createdAt: u.created_at });
    return { old: u.id, id: copy.id, userName: u.user_name, password, role: u.role };
  });
  const rows = db
    .prepare('SELECT id FROM isos WHERE tenant = @t UNION ALL SELECT id FROM welds WHERE tenant = @t UNION ALL SELECT id FROM inspections WHERE tenant = @t')
    .pluck()
    .all({ t: source.id }) as string[];
  const pairs = [...credentials.map((c) => [c.old, c.id] as const), ...rows.map((r) => [r, ctx.rng.uuid()] as const)];
  const maxSeq = (table: string) => db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM ${table}`).pluck().get() as number;
  withIdMap(db, pairs, (mapped) => {
    const p = { from: source.id, to: id };
    copyRows(db, 'isos', 'tenant = @from', { id: mapped('id'), tenant: '@to', seq: `seq + ${maxSeq('isos')}` }, p);
    copyRows(db, 'welds', 'tenant = @from', { id: mapped('id'), tenant: '@to', seq: `seq + ${maxSeq('welds')}`, iso_id: mapped('iso_id'), welder_id: mapped('welder_id') }, p);
    copyRows(db, 'inspections', 'tenant = @from', { id: mapped('id'), tenant: '@to', seq: `seq + ${maxSeq('inspections')}`, weld_id: mapped('weld_id'), inspector_id: mapped('inspector_id') }, p);
  });
  store.clearCache();
  const host = `${id}.${parseDomains(ctx.config.tenantDomains)[0] ?? 'maxtrax.localhost'}`;
  // The listener's scheme and port with the tenant's host (in-process, without a listener: http and no port).
  const baseUrl = (origin: string) => {
    const u = origin ? new URL(origin) : null;
    return `${u?.protocol ?? 'http:'}//${host}${u?.port ? `:${u.port}` : ''}`;
  };
  return {
    tenant: id,
    from: source.id,
    credentials: { host, users: credentials.map(({ userName, password, role }) => ({ userName, password, role })) },
    ...(ctx.config.forwardedHost ? { headers: { 'X-Forwarded-Host': host } } : {}),
    baseUrl,
  };
}
