/**
 * MaxTrax (weld traceability): per-tenant origins, cookie + bearer auth with rotating refresh tokens, ISOs, welds
 * and the inspector workflow. Sources: ../shared/vendors/maxtrax.md; choices where they are silent are in
 * docs/fidelity.md ("inferred").
 */
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { replaceRows } from '../../core/db.js';
import { clientClosedResponse, clientGone } from '../../core/http.js';
import { fx } from '../../core/fixtures.js';
import { hashPasswordSync } from '../../core/passwords.js';
import type { ListenerEnv, Vendor, VendorContext } from '../../core/vendor.js';
import { FixtureError } from '../../core/vendor.js';
import { MaxtraxAuth } from './auth.js';
import { maxtraxAdmin, tenantInfo } from './admin.js';
import { maxtraxConsole } from './console.js';
import { OPTIONS, type MaxtraxConfig } from './config.js';
import { Problem, problems, statusProblem } from './errors.js';
import { STATUS_CODES } from 'node:http';
import { generateTenantData } from './generate.js';
import { problemResponse, renderProblem, type Deps, type Env } from './http.js';
import { isRole, type Role } from './model.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { isoRoutes } from './routes/isos.js';
import { weldRoutes } from './routes/welds.js';
import { TENANT_TABLES, migrate } from './schema.js';
import { MaxtraxStore } from './store.js';
import { createSandbox } from './sandbox.js';
import { firstForwardedHost, isTenantLabel, parseDomains, parseTenantPorts, tenantFromHost } from './tenancy.js';

export interface MaxtraxFixtures {
  asOf: number;
  tenants: Array<{
    name: string;
    isos: number;
    weldsPerIso: number;
    users: Array<{ userName: string; password: string; role: Role; displayName: string }>;
  }>;
}

/** Served paths and their methods (405 with Allow for the others). */
export const ROUTES: Array<[string, string[]]> = [
  ['/health/live', ['GET', 'HEAD']],
  ['/health/ready', ['GET', 'HEAD']],
  ['/auth/login', ['POST']],
  ['/auth/refresh', ['POST']],
  ['/auth/logout', ['POST']],
  ['/isos', ['GET', 'HEAD']],
  ['/isos/:id', ['GET', 'HEAD']],
  ['/welds', ['GET', 'HEAD']],
  ['/welds/:id', ['GET', 'HEAD']],
  ['/welds/:id/status', ['PATCH']],
];

function parseFixtures(raw: unknown): MaxtraxFixtures {
  const root = fx.object(raw, 'maxtrax');
  const asOf = Date.parse(fx.string(root.asOf, 'maxtrax.asOf'));
  if (Number.isNaN(asOf)) throw new FixtureError('maxtrax.asOf must be an RFC 3339 timestamp');
  const seen = new Set<string>();
  const tenants = fx.array(root.tenants, 'maxtrax.tenants').map((t, i) => {
    const p = `maxtrax.tenants[${i}]`;
    const o = fx.object(t, p);
    const name = fx.string(o.name, `${p}.name`);
    if (!isTenantLabel(name)) throw new FixtureError(`${p}.name must be one lowercase DNS label`);
    if (seen.has(name)) throw new FixtureError(`${p}.name is a duplicate: ${name}`);
    seen.add(name);
    const users = fx.array(o.users, `${p}.users`).map((u, j) => {
      const q = `${p}.users[${j}]`;
      const uo = fx.object(u, q);
      const role = fx.string(uo.role, `${q}.role`);
      if (!isRole(role)) throw new FixtureError(`${q}.role must be inspector, ndt_technician, welder or admin`);
      return {
        userName: fx.string(uo.userName, `${q}.userName`),
        password: fx.string(uo.password, `${q}.password`),
        role,
        displayName: fx.string(uo.displayName, `${q}.displayName`),
      };
    });
    return { name, users, isos: fx.int(o.isos, `${p}.isos`), weldsPerIso: fx.int(o.weldsPerIso, `${p}.weldsPerIso`) };
  });
  return { asOf, tenants };
}

/** One store per running instance, shared by the API, the control plane and reset. */
const stores = new WeakMap<object, MaxtraxStore>();
function storeFor(ctx: VendorContext<any>): MaxtraxStore {
  let store = stores.get(ctx);
  if (!store) {
    const made = new MaxtraxStore(ctx.handle, ctx.clock);
    ctx.onReset(() => made.clearCache());
    stores.set(ctx, made);
    store = made;
  }
  return store;
}

function buildApp(ctx: VendorContext<MaxtraxConfig>, store: MaxtraxStore): Hono {
  const config = ctx.config;
  const domains = parseDomains(config.tenantDomains);
  const deps: Deps = { store, auth: new MaxtraxAuth(ctx.handle, ctx.clock, config, ctx.keys.secret('jwt')), config, newId: () => ctx.rng.uuid() };
  const app = new Hono<Env>();

  app.onError((err, c) => {
    if (err instanceof Problem) return renderProblem(c, err);
    if (clientGone(err, c.req.raw)) return clientClosedResponse();
    ctx.log(`maxtrax: unexpected error on ${c.req.method} ${c.req.path}: ${(err as Error).stack ?? err}`);
    return renderProblem(c, problems.internal());
  });
  app.notFound((c) => renderProblem(c, problems.routeNotFound(c.req.method, c.req.path)));

  app.use('*', async (c, next) => {
    // A listener pinned to a tenant (tenantPorts) and X-Forwarded-Host are ours, not the vendor's: they let clients
    // that cannot set Host (Node's fetch) reach a tenant.
    const pinned = (c.env as ListenerEnv | undefined)?.tenant;
    const forwarded = config.forwardedHost ? firstForwardedHost(c.req.header('x-forwarded-host')) : undefined;
    const host = forwarded ?? c.req.header('host') ?? new URL(c.req.url).host;
    const parsed = tenantFromHost(host, domains);
    const id = pinned ?? (parsed.kind === 'tenant' ? parsed.tenant : parsed.kind === 'default' ? config.defaultTenant : null);
    const tenant = id === null ? undefined : store.tenant(id);
    if (!tenant) {
      c.res = renderProblem(c, problems.tenantNotFound(host));
    } else {
      c.set('tenant', tenant);
      ctx.setTenant(tenant.id);
      await next();
    }
  });

  const authenticated = createMiddleware<Env>(async (c, next) => {
    c.set('principal', await deps.auth.authenticate(c, c.get('tenant').id));
    await next();
  });
  app.use('/isos', authenticated);
  app.use('/isos/*', authenticated);
  app.use('/welds', authenticated);
  app.use('/welds/*', authenticated);

  app.route('/', healthRoutes());
  app.route('/', authRoutes(deps, ctx.clock, ctx.onReset));
  app.route('/', isoRoutes(deps));
  app.route('/', weldRoutes(deps));

  for (const [path, methods] of ROUTES) {
    app.all(path, (c) => {
      throw problems.methodNotAllowed(c.req.method, methods);
    });
  }
  return app as unknown as Hono;
}

export const maxtrax: Vendor<MaxtraxFixtures, MaxtraxConfig> = {
  name: 'maxtrax',
  title: 'MaxTrax',
  defaultPort: 4100,
  options: OPTIONS,
  migrate,
  parseFixtures,

  seed(ctx, fixtures, rng) {
    const store = new MaxtraxStore(ctx.handle, ctx.clock);
    for (const t of fixtures.tenants) {
      store.createTenant(t.name, t.name, fixtures.asOf - 90 * 86_400_000);
      for (const { password, ...u } of t.users) {
        // The salt comes from the seeded source like all seeded data (the image is cached and reproducible).
        const passwordHash = hashPasswordSync(password, Buffer.from(rng.bytes(16)));
        store.createUser({ id: rng.uuid(), tenant: t.name, ...u, passwordHash, createdAt: fixtures.asOf - 80 * 86_400_000 });
      }
      generateTenantData(store, rng.fork(`data:${t.name}`), { tenant: t.name, isos: t.isos, weldsPerIso: t.weldsPerIso, now: fixtures.asOf });
    }
  },

  start(ctx) {
    const store = storeFor(ctx);
    const domains = parseDomains(ctx.config.tenantDomains);
    return {
      isOwnHost: (host) => tenantFromHost(host, domains).kind === 'tenant',
      api: buildApp(ctx, store),
      errorResponse: (status, req) => problemResponse(statusProblem(status, STATUS_CODES[status] ?? 'Error'), new URL(req.url).pathname),
      listeners: () => parseTenantPorts(ctx.config.tenantPorts),
      admin: maxtraxAdmin(ctx as unknown as VendorContext, store),
      console: (admin) => maxtraxConsole(ctx as unknown as VendorContext, admin),
      tenants: () => store.tenants().map((t) => tenantInfo(store, t.id)),
      resetTenant(tenant, seeded) {
        const db = ctx.handle.db;
        const live = db.prepare('SELECT 1 FROM tenants WHERE id = ?').get(tenant);
        const before = db.prepare(`SELECT 1 FROM "${seeded}".tenants WHERE id = ?`).get(tenant);
        if (!live && !before) return false;
        for (const { table, column } of TENANT_TABLES) db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(tenant);
        for (const { table, column } of [...TENANT_TABLES].reverse()) replaceRows(db, seeded, table, `${column} = ?`, [tenant]);
        store.clearCache();
        return true;
      },
      createSandbox: (from) => createSandbox(ctx, store, from),
    };
  },

  demoCredentials(fixtures) {
    return fixtures.tenants.flatMap((t) =>
      t.users.map((u) => ({
        label: `${t.name} ${u.role}`,
        value: `userName=${u.userName} password=${u.password} (Host: ${t.name}.maxtrax.localhost)`,
      })),
    );
  },
};
