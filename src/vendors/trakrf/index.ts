/** TrakRF (RFID asset tracking): the public REST API as trakrf.md describes its runtime behaviour. */
import { Hono } from 'hono';
import { replaceRows } from '../../core/db.js';
import { UlidFactory } from '../../core/request-id.js';
import type { Vendor, VendorContext } from '../../core/vendor.js';
import { adminRoutes } from './admin.js';
import { TrakrfAuth, requireScopes } from './auth.js';
import { parseFixtures, type TrakrfFixtures } from './fixtures.js';
import { RouteTable, noQueryParams, pipeline, renderError, type TrakrfEnv } from './http.js';
import { metaRoutes } from './routes/meta.js';
import { readRoutes } from './routes/read.js';
import { assetRoutes } from './routes/assets.js';
import { locationRoutes } from './routes/locations.js';
import { trackingRoutes } from './routes/tracking.js';
import { RETIRED, requireMergePatch, subscriptionRequired, writeContentType, type Chains } from './routes/common.js';
import { notFound } from './errors.js';
import { ORG_TABLES, migrate } from './schema.js';
import { seed } from './seed.js';
import { scopesFor } from './spec.js';
import { TrakrfStore } from './store.js';
import { createSandbox } from './sandbox.js';

export interface TrakrfConfig {
  maxActiveKeys: number;
  rateLimit: boolean;
  [k: string]: string | number | boolean;
}

/** Everything a route file needs. */
export interface TrakrfServices {
  ctx: VendorContext;
  store: TrakrfStore;
  auth: TrakrfAuth;
  table: RouteTable;
  chains: Chains;
}

/** The route table of each running instance (tests check it against openapi/trakrf.json). */
export const routeTables = new WeakMap<VendorContext, RouteTable>();

const services = new WeakMap<VendorContext, { store: TrakrfStore; auth: TrakrfAuth }>();

function servicesFor(ctx: VendorContext): { store: TrakrfStore; auth: TrakrfAuth } {
  let s = services.get(ctx);
  if (!s) {
    const store = new TrakrfStore(ctx);
    const auth = new TrakrfAuth(ctx, store, ctx.keys.secret('jwt'));
    s = { store, auth };
    services.set(ctx, s);
  }
  return s;
}

export const trakrf: Vendor<TrakrfFixtures, TrakrfConfig> = {
  name: 'trakrf',
  title: 'TrakRF',
  defaultPort: 4400,
  options: {
    maxActiveKeys: { description: 'soft cap of active API keys per org when minting', default: 10 },
    rateLimit: { description: 'per-key token bucket (burst 120, 60/min); false for load tests', default: true },
  },
  migrate,
  parseFixtures,
  seed,

  app(ctx) {
    const s = servicesFor(ctx);
    const { store, auth } = s;
    const app = new Hono<TrakrfEnv>();
    const ulid = new UlidFactory(ctx.clock, ctx.rng.fork('request-id'));
    app.onError((err, c) => renderError(err, c, ctx.log));
    const table = new RouteTable(app);
    routeTables.set(ctx, table);
    app.notFound((c) => {
      const r = table.unmatched(c);
      return r instanceof Response ? r : renderError(r, c, ctx.log);
    });
    const chains: Chains = {
      read: (operationId) => [auth.authenticate, auth.rateLimit, requireScopes(scopesFor(operationId))],
      write: (operationId) => [
        auth.authenticate,
        subscriptionRequired((orgId) => store.org(orgId)?.subscription_active === 1),
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
    metaRoutes(app, table, ctx, '1.0.0', ctx.clock.nowMs());
    readRoutes(table, auth, store, chains);
    assetRoutes(table, store, chains, () => ctx.clock.nowMs());
    locationRoutes(table, store, chains, () => ctx.clock.nowMs());
    trackingRoutes(table, store, chains);
    return { fetch: pipeline(app, () => ulid.next(), () => ctx.clock.nowSeconds(), ctx.logging ? ctx.log : undefined) };
  },

  admin(ctx) {
    const { store, auth } = servicesFor(ctx);
    return adminRoutes(ctx, store, auth);
  },

  tenants(ctx) {
    return servicesFor(ctx)
      .store.orgs()
      .map((o) => ({ id: o.id, name: o.name, subscription_active: o.subscription_active === 1 }));
  },

  resetTenant(ctx, tenant, seeded) {
    if (!/^\d+$/.test(tenant)) return false;
    const id = Number(tenant);
    const db = ctx.handle.db;
    const known = (schema: string) => db.prepare(`SELECT 1 FROM "${schema}".orgs WHERE id = ?`).get(id) !== undefined;
    if (!known('main') && !known(seeded)) return false;
    db.pragma('defer_foreign_keys = ON');
    for (const [table, column] of ORG_TABLES) {
      replaceRows(db, seeded, table, `${column} = ?`, [column === 'tenant' ? String(id) : id]);
    }
    return true;
  },

  createSandbox: (ctx, from) => createSandbox(ctx, servicesFor(ctx).store, from),

  demoCredentials(fixtures) {
    return fixtures.orgs.flatMap((o) =>
      o.api_keys.map((k) => ({
        label: `${k.label} (org ${o.id}, ${k.scopes.join(' ')}${k.revoked ? ', revoked' : ''}${k.expires_at !== null ? ', expires ' + new Date(k.expires_at).toISOString() : ''})`,
        value: `client_id=${k.client_id} client_secret=${k.client_secret}`,
      })),
    );
  },
};
