/**
 * MaxTrax sandboxes: a new tenant (its own host name) holding a copy of another tenant's ISOs, welds and inspection
 * history under new ids, and a copy of each of its users with a fresh password (same user names and roles). Refresh
 * tokens are not copied.
 */
import { hashGeneratedPassword } from '../../core/passwords.js';
import { randomString } from '../../core/secrets.js';
import type { Rng } from '../../core/rng.js';
import type { SandboxCreated } from '../../core/vendor.js';
import type { MaxtraxServices } from './http.js';

export function createSandbox(s: MaxtraxServices, rng: Rng, from: string | undefined): SandboxCreated | null {
  const { store, config } = s;
  const source = from === undefined ? store.tenants.get(config.defaultTenant) ?? store.tenants.all()[0] : store.tenants.get(from);
  if (!source) return null;
  let id: string;
  do id = `sandbox-${rng.hex(4)}`;
  while (store.tenants.get(id));
  store.tenants.create(id, `${source.name} (sandbox)`, s.clock.nowMs());
  store.tenants.setReady(id, source.ready === 1);

  const credentials = store.users.ofTenant(source.id).map((u) => {
    const password = randomString(20);
    const copy = store.users.create({ id: rng.uuid(), tenant: id, userName: u.user_name, passwordHash: hashGeneratedPassword(password), role: u.role, displayName: u.display_name, createdAt: u.created_at });
    return { old: u.id, id: copy.id, userName: u.user_name, password, role: u.role };
  });
  const rows = store.tenants.dataIds(source.id);
  store.tenants.copyData(source.id, id, [...credentials.map((c) => [c.old, c.id] as const), ...rows.map((r) => [r, rng.uuid()] as const)]);
  store.clearCache();
  const host = `${id}.${s.domains[0] ?? 'maxtrax.localhost'}`;
  // The listener's scheme and port with the tenant's host (in-process, without a listener: http and no port).
  const baseUrl = (origin: string) => {
    const u = origin ? new URL(origin) : null;
    return `${u?.protocol ?? 'http:'}//${host}${u?.port ? `:${u.port}` : ''}`;
  };
  return {
    tenant: id,
    from: source.id,
    credentials: { host, users: credentials.map(({ userName, password, role }) => ({ userName, password, role })) },
    ...(config.forwardedHost ? { headers: { 'X-Forwarded-Host': host } } : {}),
    baseUrl,
  };
}
