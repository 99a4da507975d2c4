/** MaintainX (CMMS) fake: https://api.getmaintainx.com/v1 → http://127.0.0.1:4300/v1. */
import { Hono } from 'hono';
import type { FetchHandler, Vendor, VendorContext, VendorRuntime } from '../../core/vendor.js';
import { adminRoutes } from './admin.js';
import { maintainxConsole } from './console.js';
import { rateLimiter } from './auth.js';
import { faultResponse, notImplemented, renderError } from './errors.js';
import { STATUS_CODES } from 'node:http';
import { pipeline, type Env, type Mx, type MxConfig } from './http.js';
import { operations } from './openapi.js';
import { miscRoutes } from './routes/misc.js';
import { resourceRoutes } from './routes/resources.js';
import { workOrderRoutes } from './routes/workorders.js';
import { meterTriggerRoutes } from './routes/metertriggers.js';
import { workRequestRoutes } from './routes/workrequests.js';
import { purchaseOrderRoutes } from './routes/purchaseorders.js';
import { procedureRoutes } from './routes/procedures.js';
import { rcaRoutes } from './routes/rca.js';
import { partTransferRoutes } from './routes/parttransfers.js';
import { maintenancePlanRoutes } from './routes/maintenanceplans.js';
import { migrate } from './schema.js';
import { parseFixtures, seed, type Fixtures } from './seed.js';
import { Store } from './store/index.js';
import { BodyMemo } from './memo.js';
import { Webhooks } from './webhooks.js';
import { createSandbox, deleteSandbox } from './sandbox.js';
import { OverdueSweep } from './ops/events.js';
import { archiveSubscription } from './ops/subscriptions.js';

/** What a running instance is made of, built once by `start`. */
function services(ctx: VendorContext<MxConfig>): Mx {
  const store = new Store(ctx);
  const mx = { ctx, store, memo: new BodyMemo(store, ctx.clock, ctx.onReset), timers: [] } as unknown as Mx;
  mx.hooks = new Webhooks(() => mx);
  mx.hooks.archive = (sub) => archiveSubscription(mx, sub);
  mx.limiter = rateLimiter(mx);
  mx.overdue = new OverdueSweep(mx);
  ctx.onReset(() => {
    mx.hooks.onReset();
    mx.overdue.reset();
  });
  // Due dates pass with real time too: a light sweep each second, stopped once the database is gone.
  const timer = setInterval(() => {
    try {
      mx.overdue.run();
    } catch {
      clearInterval(timer);
    }
  }, 1000);
  timer.unref();
  mx.timers.push(timer);
  return mx;
}

/** A MaintainX runtime also carries its services (tests wait on the webhook dispatcher, read the limiter's size). */
export interface MaintainxRuntime extends VendorRuntime {
  services: Mx;
}

/** The services of a running MaintainX instance (`suite.instance('maintainx').runtime`). */
export function servicesOf(runtime: VendorRuntime): Mx {
  const mx = (runtime as Partial<MaintainxRuntime>).services;
  if (!mx) throw new Error('not a MaintainX runtime');
  return mx;
}

/**
 * The operations of the OpenAPI document not built yet, each answering 501. Built only when a /v1 request matches
 * no built route: the document is 1.2 MB of JSON, and parsing it at start-up cost about a tenth of it.
 */
function unbuiltApp(mx: Mx): Hono<Env> {
  const app = new Hono<Env>();
  app.onError((err, c) => renderError(err, c.req.raw, c.req.method, c.req.path, mx.ctx.log));
  app.notFound((c) => c.json({ error: 'Not Found' }, 404));
  for (const op of operations()) {
    if (op.built) continue;
    app.on(op.method, `/v1${op.path.replace(/\{(\w+)\}/g, ':$1')}`, () => {
      throw notImplemented(op.method, op.path);
    });
  }
  return app;
}

function buildApp(mx: Mx): { fetch: FetchHandler; routes: Hono['routes'] } {
  const app = new Hono<Env>();
  let unbuilt: Hono<Env> | null = null;
  const notBuilt = () => (unbuilt ??= unbuiltApp(mx));
  app.onError((err, c) => renderError(err, c.req.raw, c.req.method, c.req.path, mx.ctx.log));
  // A /v1 request that no built route answers goes on to the 501 routes.
  app.notFound((c) => (c.req.path.startsWith('/v1/') ? notBuilt().fetch(c.req.raw, c.env) : c.json({ error: 'Not Found' }, 404)));

  const v1 = new Hono<Env>();
  meterTriggerRoutes(v1, mx);
  workOrderRoutes(v1, mx);
  resourceRoutes(v1, mx);
  workRequestRoutes(v1, mx);
  miscRoutes(v1, mx);
  purchaseOrderRoutes(v1, mx);
  procedureRoutes(v1, mx);
  partTransferRoutes(v1, mx);
  maintenancePlanRoutes(v1, mx);
  rcaRoutes(v1, mx);
  app.route('/v1', v1);
  const fetch = pipeline(app, mx);
  return {
    fetch,
    // `routes`: what the contract test compares with the OpenAPI document (reading it builds the 501 routes).
    get routes() {
      return [...app.routes, ...notBuilt().routes];
    },
  };
}

export const maintainx: Vendor<Fixtures, MxConfig> = {
  name: 'maintainx',
  title: 'MaintainX',
  defaultPort: 4300,
  basePath: '/v1',
  options: {
    rateLimit: { description: 'enforce the request rate limits (off for load tests)', default: true },
    userLimit: { description: 'requests per user per window', default: 100 },
    orgLimit: { description: 'requests per organization per window', default: 500 },
    windowSeconds: { description: 'rate-limit window in seconds', default: 60 },
    manualReadingsPerDay: { description: 'manual meter readings per meter per 24 h', default: 10 },
    webhookTimeoutMs: { description: 'webhook delivery timeout in ms', default: 10_000 },
    webhookRetries: { description: 'webhook retries after a failed delivery', default: 3 },
    webhookRetryDelayMs: { description: 'first webhook retry delay in ms (doubles each retry)', default: 1000 },
    maxAttachmentBytes: { description: 'attachment and thumbnail size limit in bytes', default: 1_048_576 },
  } as any,
  migrate,
  parseFixtures,
  seed: (ctx, fixtures, rng) => seed(ctx, fixtures, rng),
  start(ctx) {
    const mx = services(ctx);
    const runtime: MaintainxRuntime = {
      services: mx,
      api: buildApp(mx),
      admin: adminRoutes(mx),
      console: (admin) => maintainxConsole(ctx as unknown as VendorContext, admin),
      errorResponse: (status) => faultResponse(status, STATUS_CODES[status] ?? 'Error', Number(ctx.config.userLimit), Number(ctx.config.windowSeconds)),
      tenants: () => mx.store.orgs.all().map((o) => ({ id: o.id, name: o.name })),
      resetTenant: (tenant, seeded) => /^\d{1,12}$/.test(tenant) && mx.store.orgs.reset(Number(tenant), seeded),
      createSandbox: (from) => createSandbox(mx, from),
      deleteSandbox: (tenant) => deleteSandbox(mx, tenant),
      close() {
        for (const t of mx.timers.splice(0)) clearInterval(t);
      },
    };
    return runtime;
  },
  demoCredentials: (f) =>
    f.apiKeys.map((k) => ({ label: `${k.label ?? k.user} (organizations ${k.organizations.join(', ')})`, value: `Authorization: Bearer ${k.key}` })),
};
