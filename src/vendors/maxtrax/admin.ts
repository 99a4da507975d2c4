/**
 * MaxTrax control-plane routes (mounted under /__admin; answer on any Host): tenants, users, bulk data.
 * Errors are the control plane's `{"error": "..."}`.
 */
import { Hono } from 'hono';
import { rateLimitRoutes } from '../../core/admin-testing.js';
import { AdminError, adminBody, onlyKeys } from '../../core/admin.js';
import { hashPassword } from '../../core/passwords.js';
import type { Rng } from '../../core/rng.js';
import { tenantOrigin } from './auth.js';
import { generateTenantData } from './generate.js';
import type { MaxtraxServices } from './http.js';
import { ROLES, isRole } from './model.js';
import type { MaxtraxStore } from './store/index.js';
import { isTenantLabel } from './tenancy.js';

/** A tenant as GET /__admin and the tenant routes show it. */
export function tenantInfo(store: MaxtraxStore, id: string) {
  const t = store.tenants.get(id)!;
  return { id: t.id, name: t.name, origin: tenantOrigin(t.id), ready: t.ready === 1, ...store.tenants.counts(t.id) };
}

function str(body: Record<string, unknown>, key: string, max = 320): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new AdminError(400, `${key} must be a non-empty string`);
  if (v.length > max) throw new AdminError(400, `${key} must be at most ${max} characters`);
  return v;
}

function int(body: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = body[key];
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    throw new AdminError(400, `${key} must be an integer from ${min} to ${max}`);
  }
  return v as number;
}

export function maxtraxAdmin(s: MaxtraxServices, rng: Rng): Hono {
  const { store, config, throttle } = s;
  const app = new Hono();
  // The only limiter MaxTrax has: failed sign-ins per user name.
  app.route(
    '/',
    rateLimitRoutes({
      state: () => ({ enabled: throttle.enabled, failed_sign_ins_per_minute: config.loginAttemptsPerMinute }),
      setEnabled: (enabled) => throttle.set(enabled),
    }),
  );

  app.post('/tenants', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['name']);
    const name = str(body, 'name', 63);
    if (!isTenantLabel(name)) {
      throw new AdminError(400, 'name must be one DNS label: lowercase letters, digits and inner hyphens, at most 63 characters');
    }
    if (store.tenants.get(name)) throw new AdminError(409, `tenant already exists: ${name}`);
    store.tenants.create(name, name, s.clock.nowMs());
    return c.json(tenantInfo(store, name), 201);
  });

  app.patch('/tenants/:id', async (c) => {
    const id = c.req.param('id');
    const body = await adminBody(c);
    onlyKeys(body, ['ready']);
    if (typeof body.ready !== 'boolean') throw new AdminError(400, 'ready must be true or false');
    if (!store.tenants.setReady(id, body.ready)) throw new AdminError(404, `unknown tenant: ${id}`);
    return c.json(tenantInfo(store, id));
  });

  app.post('/users', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['tenant', 'userName', 'password', 'role', 'displayName']);
    const tenant = str(body, 'tenant', 63);
    const userName = str(body, 'userName');
    const password = str(body, 'password', 1024);
    if (!isRole(body.role)) throw new AdminError(400, `role must be one of: ${ROLES.join(', ')}`);
    const displayName = body.displayName === undefined ? userName : str(body, 'displayName', 200);
    if (!store.tenants.get(tenant)) throw new AdminError(404, `unknown tenant: ${tenant}`);
    if (store.users.byName(tenant, userName)) throw new AdminError(409, `user already exists in ${tenant}: ${userName}`);
    const passwordHash = await hashPassword(password);
    // Checked again: another request may have created the user while scrypt ran.
    if (store.users.byName(tenant, userName)) throw new AdminError(409, `user already exists in ${tenant}: ${userName}`);
    const u = store.users.create({ id: rng.uuid(), tenant, userName, passwordHash, role: body.role, displayName, createdAt: s.clock.nowMs() });
    return c.json({ id: u.id, tenant: u.tenant, userName: u.user_name, role: u.role, displayName: u.display_name }, 201);
  });

  /** Bulk demo data for one tenant in one transaction (benchmarks, large-list tests). */
  app.post('/generate', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['tenant', 'isos', 'weldsPerIso']);
    const tenant = str(body, 'tenant', 63);
    const isos = int(body, 'isos', 1, 10_000);
    const weldsPerIso = int(body, 'weldsPerIso', 1, 1_000);
    if (isos * weldsPerIso > 1_000_000) throw new AdminError(400, 'isos × weldsPerIso must be at most 1000000');
    if (!store.tenants.get(tenant)) throw new AdminError(404, `unknown tenant: ${tenant}`);
    const started = performance.now();
    const made = store.transaction(() => generateTenantData(store, rng, { tenant, isos, weldsPerIso, now: s.clock.nowMs() }));
    return c.json({ tenant, ...made, ms: Math.round(performance.now() - started) }, 201);
  });

  return app;
}
