/**
 * MaxTrax (weld traceability): per-tenant origins, cookie + bearer auth with rotating refresh tokens, ISOs, welds
 * and the inspector workflow. Sources: ../shared/vendors/maxtrax.md; choices where they are silent are in
 * docs/fidelity.md ("inferred"). This file is wiring only: the Vendor object and the API app.
 */
import { Hono } from 'hono';
import { STATUS_CODES } from 'node:http';
import { clientClosedResponse, clientGone } from '../../core/http.js';
import type { Vendor, VendorContext } from '../../core/vendor.js';
import { maxtraxAdmin, tenantInfo } from './admin.js';
import { MaxtraxAuth } from './auth.js';
import { OPTIONS, type MaxtraxConfig } from './config.js';
import { maxtraxConsole } from './console.js';
import { Problem, problemResponse, problems, statusProblem } from './errors.js';
import { demoCredentials, parseFixtures, type MaxtraxFixtures } from './fixtures.js';
import { Gate, isProtected, type C, type Env, type MaxtraxServices } from './http.js';
import { LoginThrottle } from './ops/sessions.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { isoRoutes } from './routes/isos.js';
import { weldRoutes } from './routes/welds.js';
import { createSandbox } from './sandbox.js';
import { migrate } from './schema.js';
import { seed } from './seed.js';
import { MaxtraxStore } from './store/index.js';
import { parseDomains, parseTenantPorts, tenantFromHost } from './tenancy.js';

export type { MaxtraxFixtures } from './fixtures.js';

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
const ROUTE_PATTERNS = ROUTES.map(([path, methods]) => ({ re: new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`), methods }));

export const maxtrax: Vendor<MaxtraxFixtures, MaxtraxConfig> = {
  name: 'maxtrax',
  title: 'MaxTrax',
  defaultPort: 4100,
  options: OPTIONS,
  migrate,
  parseFixtures,
  seed,
  demoCredentials,

  start(ctx) {
    const config = ctx.config;
    const store = new MaxtraxStore(ctx.handle);
    const throttle = new LoginThrottle(ctx.clock, config.loginAttemptsPerMinute);
    ctx.onReset(() => {
      store.clearCache();
      throttle.reset();
    });
    const base = {
      store,
      auth: new MaxtraxAuth(ctx.handle, ctx.clock, config, ctx.keys.secret('jwt')),
      throttle,
      config,
      clock: ctx.clock,
      domains: parseDomains(config.tenantDomains),
      newId: () => ctx.rng.uuid(),
      setTenant: (tenant: string) => ctx.setTenant(tenant),
    };
    const services: MaxtraxServices = { ...base, gate: new Gate(base) };
    return {
      isOwnHost: (host) => tenantFromHost(host, services.domains).kind === 'tenant',
      api: api(ctx, services),
      errorResponse: (status, req) => problemResponse(statusProblem(status, STATUS_CODES[status] ?? 'Error'), new URL(req.url).pathname),
      listeners: () => parseTenantPorts(config.tenantPorts),
      admin: maxtraxAdmin(services, ctx.rng),
      console: (admin) => maxtraxConsole(ctx as unknown as VendorContext, admin),
      tenants: () => store.tenants.all().map((t) => tenantInfo(store, t.id)),
      resetTenant(tenant, seeded) {
        const known = store.tenants.resetFromSeeded(tenant, seeded);
        if (known) store.clearCache();
        return known;
      },
      createSandbox: (from) => createSandbox(services, ctx.rng, from),
    };
  },
};

/** The emulated API: one synchronous handler per route (see http.ts), 404/405 after tenancy and authentication. */
function api(ctx: VendorContext<MaxtraxConfig>, s: MaxtraxServices): Hono<Env> {
  const app = new Hono<Env>();
  app.onError((err, c) => {
    if (err instanceof Problem) return problemResponse(err, c.req.path);
    if (clientGone(err, c.req.raw)) return clientClosedResponse();
    ctx.log(`maxtrax: unexpected error on ${c.req.method} ${c.req.path}: ${(err as Error).stack ?? err}`);
    return problemResponse(problems.internal(), c.req.path);
  });
  // Unmatched requests: the tenant first, a caller under /isos and /welds, then 405 with Allow for a served path.
  const unmatched = (c: C): Response => {
    const path = c.req.path;
    const known = ROUTE_PATTERNS.find((r) => r.re.test(path));
    if (known) throw problems.methodNotAllowed(c.req.method, known.methods);
    throw problems.routeNotFound(c.req.method, path);
  };
  app.notFound((c) => {
    const gate = s.gate;
    if (!isProtected(c.req.path)) {
      gate.tenant(c);
      return unmatched(c);
    }
    const waiting = gate.caller(c);
    return waiting ? waiting.then(() => unmatched(c)) : unmatched(c);
  });
  app.route('/', healthRoutes(s));
  app.route('/', authRoutes(s));
  app.route('/', isoRoutes(s));
  app.route('/', weldRoutes(s));
  return app;
}
