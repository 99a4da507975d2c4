/** MaintainX (CMMS) fake: https://api.getmaintainx.com/v1 → http://127.0.0.1:4300/v1. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { replaceRows } from '../../core/db.js';
import { clientClosedResponse, clientGone } from '../../core/http.js';
import type { Vendor, VendorContext } from '../../core/vendor.js';
import { adminRoutes } from './admin.js';
import { maintainxConsole } from './console.js';
import { authMiddleware, rateLimiter } from './auth.js';
import { MxError, faultResponse, internal, notImplemented, payloadTooLarge } from './errors.js';
import { STATUS_CODES } from 'node:http';
import { JSON_LIMIT, type Env, type Mx, type MxConfig } from './http.js';
import { operations } from './openapi.js';
import { QueryError } from './query.js';
import { miscRoutes } from './routes/misc.js';
import { resourceRoutes } from './routes/resources.js';
import { workOrderRoutes, workOrderView } from './routes/workorders.js';
import { meterTriggerRoutes } from './routes/metertriggers.js';
import { workRequestRoutes } from './routes/workrequests.js';
import { purchaseOrderRoutes } from './routes/purchaseorders.js';
import { procedureRoutes } from './routes/procedures.js';
import { rcaRoutes } from './routes/rca.js';
import { partTransferRoutes } from './routes/parttransfers.js';
import { maintenancePlanRoutes } from './routes/maintenanceplans.js';
import { migrate, ORG_TABLES } from './schema.js';
import { parseFixtures, seed, type Fixtures } from './seed.js';
import { Store } from './store.js';
import { Webhooks } from './webhooks.js';
import { createSandbox, deleteSandbox } from './sandbox.js';
import { OverdueSweep } from './ops/events.js';
import { archiveSubscription } from './ops/subscriptions.js';

const contexts = new WeakMap<VendorContext<any>, Mx>();

function mxOf(ctx: VendorContext<any>): Mx {
  let mx = contexts.get(ctx);
  if (!mx) {
    const created: Mx = { ctx: ctx as VendorContext<MxConfig>, store: new Store(ctx), hooks: new Webhooks(() => created), timers: [] };
    ctx.onReset(() => created.hooks.onReset());
    contexts.set(ctx, created);
    mx = created;
  }
  return mx;
}

/** The webhook dispatcher of a running instance (tests wait on `idle()`). */
export function webhooksOf(ctx: VendorContext<any>): Webhooks {
  return mxOf(ctx).hooks;
}

/** The rate-limit windows of a running instance (tests of the memory bound). */
export function limiterOf(ctx: VendorContext<any>): { readonly size: number } {
  return mxOf(ctx).limiter ?? { size: 0 };
}

function buildApp(ctx: VendorContext<any>): Hono<any> {
  const mx = mxOf(ctx);
  const app = new Hono<Env>();
  app.onError((err, c) => {
    // Reads answer 400 as {"error"} ("Error with query"); writes document their 400s as {"errors": [...]}.
    const write = c.req.method !== 'GET';
    const asWrite = (message: string) => ({ errors: [{ error: message, fieldPath: null, fieldValue: null }] });
    // Attachment uploads (PUT …/attachments/{filename}) document their 400 as a bare JSON string (official spec).
    if (c.req.method === 'PUT' && /\/attachments\/[^/]+$/.test(c.req.path) && (err instanceof QueryError || (err instanceof MxError && err.status === 400))) {
      const body = err instanceof MxError ? (err.body as { error?: string; errors?: Array<{ error: string }> }) : { error: err.message };
      return c.json(body.error ?? body.errors?.[0]?.error ?? 'Bad arguments.', 400);
    }
    if (err instanceof MxError) {
      const single = err.status === 400 && write && typeof (err.body as { error?: unknown }).error === 'string';
      return c.json(single ? asWrite((err.body as { error: string }).error) : (err.body as object), err.status as 400, err.headers);
    }
    if (err instanceof QueryError) return c.json(write ? asWrite(err.message) : { error: err.message }, 400);
    if (err instanceof HTTPException) return c.json({ error: err.message || 'Bad request' }, err.status);
    if (clientGone(err, c.req.raw)) return clientClosedResponse();
    ctx.log(`maintainx: internal error: ${err.stack ?? err.message}`);
    return c.json(internal().body as object, 500);
  });
  app.notFound((c) => c.json({ error: 'Not Found' }, 404));
  const overdue = new OverdueSweep(mx);
  mx.overdue = overdue;
  ctx.onReset(() => overdue.reset());
  mx.hooks.archive = (sub) => archiveSubscription(mx, sub);
  // Due dates pass with real time too: a light sweep each second, stopped once the database is gone.
  const timer = setInterval(() => {
    try {
      overdue.run();
    } catch {
      clearInterval(timer);
    }
  }, 1000);
  timer.unref();
  mx.timers.push(timer);
  app.use('/v1/*', async (_c, next) => {
    overdue.run();
    await next();
  });
  const limiter = rateLimiter(mx);
  mx.limiter = limiter;
  app.use('/v1/*', authMiddleware(mx, limiter));
  // Streams are cut at the limit before they are buffered (the handlers check the exact limits again).
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: Math.max(ctx.config.maxAttachmentBytes as number, JSON_LIMIT),
      onError: (c) =>
        /\/(attachments|thumbnail)\//.test(c.req.path)
          ? c.json(payloadTooLarge().body as object, 413)
          : c.json({ error: `Request body must not exceed ${JSON_LIMIT} bytes` }, 413),
    }),
  );

  const v1 = new Hono<Env>();
  meterTriggerRoutes(v1, mx);
  workOrderRoutes(v1, mx);
  resourceRoutes(v1, mx);
  workRequestRoutes(v1, mx, (c, row) => workOrderView(mx, c, row));
  miscRoutes(v1, mx);
  purchaseOrderRoutes(v1, mx);
  procedureRoutes(v1, mx);
  partTransferRoutes(v1, mx);
  maintenancePlanRoutes(v1, mx);
  rcaRoutes(v1, mx, (c, row) => workOrderView(mx, c, row));
  for (const op of operations()) {
    if (op.built) continue;
    v1.on(op.method, op.path.replace(/\{(\w+)\}/g, ':$1'), () => {
      throw notImplemented(op.method, op.path);
    });
  }
  app.route('/v1', v1);
  return app;
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
    const mx = mxOf(ctx);
    return {
      api: buildApp(ctx),
      admin: adminRoutes(mx),
      console: (admin) => maintainxConsole(ctx as unknown as VendorContext, admin),
      errorResponse: (status) => faultResponse(status, STATUS_CODES[status] ?? 'Error', Number(ctx.config.userLimit), Number(ctx.config.windowSeconds)),
      tenants: () => mx.store.orgs().map((o) => ({ id: o.id, name: o.name })),
      resetTenant(tenant, seeded) {
        if (!/^\d{1,12}$/.test(tenant)) return false;
        const id = Number(tenant);
        const db = ctx.handle.db;
        const live = db.prepare('SELECT 1 FROM organizations WHERE id = ?').get(id);
        const old = db.prepare(`SELECT * FROM "${seeded}".organizations WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
        if (!live && !old) return false;
        for (const t of ORG_TABLES) replaceRows(db, seeded, t, 'org_id = ?', [id]);
        if (old) {
          db.prepare('UPDATE organizations SET name = ?, time_zone = ?, currency = ?, date_format_locale = ?, image_url = ? WHERE id = ?').run(
            old.name, old.time_zone, old.currency, old.date_format_locale, old.image_url, id,
          );
        } else {
          db.prepare('DELETE FROM api_key_orgs WHERE org_id = ?').run(id);
          db.prepare('DELETE FROM organizations WHERE id = ?').run(id);
        }
        return true;
      },
      createSandbox: (from) => createSandbox(mx, from),
      deleteSandbox: (tenant) => deleteSandbox(mx, tenant),
      close() {
        for (const t of mx.timers.splice(0)) clearInterval(t);
      },
    };
  },
  demoCredentials: (f) =>
    f.apiKeys.map((k) => ({ label: `${k.label ?? k.user} (organizations ${k.organizations.join(', ')})`, value: `Authorization: Bearer ${k.key}` })),
};
