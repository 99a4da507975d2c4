/** TrakRF (RFID asset tracking): the public REST API as trakrf.md describes its runtime behaviour. */
import { Hono } from 'hono';
import { UlidFactory } from '../../core/request-id.js';
import { UsageError, type FetchHandler, type Vendor, type VendorContext } from '../../core/vendor.js';
import { adminRoutes } from './admin.js';
import { trakrfConsole } from './console.js';
import { TrakrfAuth, requireScopes } from './auth.js';
import { parseFixtures, type TrakrfFixtures } from './fixtures.js';
import { RouteTable, faultResponse, noQueryParams, onError, pipeline, type Chains, type TrakrfEnv } from './http.js';
import { STATUS_CODES } from 'node:http';
import { metaRoutes } from './routes/meta.js';
import { readRoutes } from './routes/read.js';
import { assetRoutes } from './routes/assets.js';
import { locationRoutes } from './routes/locations.js';
import { trackingRoutes } from './routes/tracking.js';
import { RETIRED, requireMergePatch, subscriptionRequired, writeContentType } from './routes/common.js';
import { OrgMemo } from './memo.js';
import { notFound } from './errors.js';
import { migrate } from './schema.js';
import { seed } from './seed.js';
import { scopesFor } from './spec.js';
import { TrakrfStore } from './store/index.js';
import { createSandbox } from './sandbox.js';
import { TrakrfWebhooks } from './webhooks.js';

export interface TrakrfConfig {
  maxActiveKeys: number;
  rateLimit: boolean;
  webhookRetryDelays: string;
  webhookTimeoutMs: number;
  historyRetentionDays: number;
  [k: string]: string | number | boolean;
}

/** The emulated API: its fetch, and the route table it serves (tests compare it with openapi/trakrf.json). */
export interface TrakrfApi {
  fetch: FetchHandler;
  table: RouteTable;
}

export const trakrf: Vendor<TrakrfFixtures, TrakrfConfig> = {
  name: 'trakrf',
  requestIdHeader: 'X-Request-Id',
  title: 'TrakRF',
  defaultPort: 4400,
  options: {
    maxActiveKeys: { description: 'soft cap of active API keys per org when minting', default: 10 },
    rateLimit: { description: 'per-key token bucket (burst 120, 60/min); false for load tests', default: true },
    webhookRetryDelays: { description: 'asset.moved retry ladder in ms, each ±20% jitter (the vendor: 1 s, then 5 s)', default: '1000,5000' },
    historyRetentionDays: { description: 'scan history older than this (suite clock) is gone from history and the report (the backend: 365)', default: 365 },
    webhookTimeoutMs: { description: 'asset.moved delivery timeout in ms (the vendor: 5 s)', default: 5000 },
  },
  migrate,
  parseFixtures,
  seed,

  start(ctx) {
    const days = Number(ctx.config.historyRetentionDays);
    if (!(days > 0 && days <= 36_500)) throw new UsageError('--trakrf-history-retention-days must be a number of days above 0 and at most 36500');
    const store = new TrakrfStore(ctx.handle, ctx.clock, Math.round(days * 86_400_000));
    ctx.onReset(() => store.clearCache());
    const auth = new TrakrfAuth(ctx, store, ctx.keys.secret('jwt'));
    const webhooks = new TrakrfWebhooks(ctx, store);
    // Request ids (X-Request-Id): one monotonic source, shared by the API and injected faults.
    const ulid = new UlidFactory(ctx.clock, ctx.rng.fork('request-id'));
    return {
      api: api(ctx, store, auth, ulid),
      admin: adminRoutes(ctx, store, auth, webhooks),
      errorResponse: (status, req) => faultResponse(req, status, STATUS_CODES[status] ?? 'Error', ulid.next(), ctx.clock.nowSeconds()),
      console: (admin) => trakrfConsole(ctx, admin),
      tenants: () => store.orgs.all().map((o) => ({ id: o.id, name: o.name, subscription_active: o.subscription_active === 1 })),
      resetTenant(tenant, seeded) {
        if (!/^\d+$/.test(tenant)) return false;
        const id = Number(tenant);
        if (!store.orgs.resetFromSeeded(id, seeded)) return false;
        webhooks.resetOrg(id);
        return true;
      },
      createSandbox: (from) => createSandbox(ctx, store, from),
    };
  },

  demoCredentials(fixtures) {
    return fixtures.orgs.flatMap((o) =>
      o.api_keys.map((k) => ({
        label: `${k.label} (org ${o.id}, ${k.scopes.join(' ')}${k.revoked ? ', revoked' : ''}${k.expires_at !== null ? ', expires ' + new Date(k.expires_at).toISOString() : ''})`,
        value: `client_id=${k.client_id} client_secret=${k.client_secret}`,
      })),
    );
  },
};

/** The emulated API: the route table behind the sync-first pipeline. */
function api(ctx: VendorContext, store: TrakrfStore, auth: TrakrfAuth, ulid: UlidFactory): TrakrfApi {
  const app = new Hono<TrakrfEnv>();
  app.onError((err, c) => onError(err, c, ctx.log));
  const table = new RouteTable(app);
  app.notFound((c) => {
    const r = table.unmatched(c);
    return r instanceof Response ? r : onError(r, c, ctx.log);
  });
  const chains: Chains = {
    read: (operationId) => [auth.authenticate, auth.rateLimit, requireScopes(scopesFor(operationId))],
    write: (operationId) => [
      auth.authenticate,
      subscriptionRequired((orgId) => store.orgs.get(orgId)?.subscription_active === 1),
      auth.rateLimit,
      writeContentType,
      requireScopes(scopesFor(operationId)),
      requireMergePatch,
      noQueryParams,
    ],
    apiKey: [auth.authenticate, auth.rateLimit],
  };
  for (const [path, detail] of Object.entries(RETIRED)) {
    app.all(path, () => {
      throw notFound(detail);
    });
  }
  const pages = new OrgMemo(store);
  const counts = new OrgMemo(store);
  ctx.onReset(() => {
    pages.clear();
    counts.clear();
  });
  const services = { ctx, store, auth, table, chains, pages, counts };
  metaRoutes(app, services, '1.0.0', ctx.clock.nowMs());
  readRoutes(services);
  assetRoutes(services);
  locationRoutes(services);
  trackingRoutes(services);
  return { fetch: pipeline(app, () => ulid.next(), () => ctx.clock.nowSeconds()), table };
}
