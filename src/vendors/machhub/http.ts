/** MACHHUB over HTTP: the Hono env, the services every route module gets, request helpers, and the API app. */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { clientClosedResponse, clientGone } from '../../core/http.js';
import { readJsonBody } from '../../core/json-body.js';
import type { JwtSigner } from '../../core/jwt.js';
import type { VendorContext } from '../../core/vendor.js';
import type { MachhubConfig, Principal } from './auth.js';
import { featuresAllow, resolveDomain, resolvePrincipal } from './auth.js';
import { err, MachhubError } from './errors.js';
import type { Realtime } from './mqtt.js';
import { QueryError } from './query.js';
import type { Records } from './records.js';
import { authRoutes } from './routes/auth.js';
import { dataRoutes, httpTriggerRoutes } from './routes/data.js';
import { designerRoutes } from './routes/designer.js';
import { fileRoutes, recordRoutes } from './routes/records.js';
import type { Store } from './store.js';

export interface Vars {
  domainId: string;
  domainName: string;
  principal: Principal;
}
export type Env = { Variables: Vars };
export type Ctx = Context<Env>;

/** Built once per instance (start): what every route module and the control plane work with. */
export interface Services {
  ctx: VendorContext<MachhubConfig>;
  store: Store;
  records: Records;
  signer: JwtSigner;
  realtime: Realtime;
  nowIso(): string;
}

/**
 * PermissionCheck. In `lax` mode (the real default: "several per-route permission checks are disabled") every
 * caller passes; in `strict` mode a credential is required, API keys have full access within their own domain,
 * users need the feature/action in the active domain (or the reserved `superuser` group). Denial is 401.
 */
export function requirePermission(env: Services, c: Ctx, feature: string, action: 'read' | 'read-write'): void {
  if (env.ctx.config.auth !== 'strict') return;
  const p = c.get('principal');
  if (p.kind === 'apikey') return;
  if (p.kind !== 'user') throw err.unauthorized();
  const domainId = c.get('domainId');
  if (env.store.isSuperuser(p.user.id, domainId)) return;
  if (!featuresAllow(env.store.userFeatures(p.user.id, domainId), feature, action)) throw err.unauthorized();
}

/** Reads a JSON object body (up to maxBodyBytes, past it 413); anything else is 400 `Invalid request body`. */
export async function jsonObject(env: Services, c: Ctx): Promise<Record<string, unknown>> {
  const r = await readJsonBody(c.req.raw, { limit: env.ctx.config.maxBodyBytes, object: true });
  if (r.ok) return r.value as Record<string, unknown>;
  throw r.failure.kind === 'too_large' ? err.tooLarge() : err.invalidBody();
}

export function str(body: Record<string, unknown>, key: string, { required = true, allowEmpty = false } = {}): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw err.badRequest(`${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw err.badRequest(`${key} must be a string`);
  if (!allowEmpty && v === '' && required) throw err.badRequest(`${key} is required`);
  return v;
}

export function rid(s: string): { Table: string; ID: string } {
  const i = s.indexOf(':');
  return i < 0 ? { Table: '', ID: s } : { Table: s.slice(0, i), ID: s.slice(i + 1) };
}

/** The API app: `/auth/*`, `/machhub/*` and the HTTP triggers, behind the vendor's request steps. */
export function apiApp(env: Services): Hono {
  const { ctx, store, signer } = env;
  const correlation = ctx.rng.fork('correlation-ids');

  const api = new Hono<Env>();
  // fasthttp reads the request line and all headers into one buffer (4096 bytes by default); past it, Fiber's
  // server error handler answers 431 before any middleware runs (so no App-CorrelationID).
  api.use('*', async (c, next) => {
    if (requestHeadBytes(c.req.raw) > ctx.config.maxHeaderBytes) {
      return c.body('Request Header Fields Too Large', 431, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    await next();
  });
  // WithCorrelation: every response, errors included, carries App-CorrelationID.
  api.use('*', async (c, next) => {
    await next();
    c.res.headers.set('App-CorrelationID', correlation.uuid());
  });
  api.use('*', bodyLimit({ maxSize: ctx.config.maxBodyBytes, onError: () => { throw err.tooLarge(); } }));
  api.use('*', async (c, next) => {
    const d = resolveDomain(c.req.header('domain'), store);
    c.set('domainId', d.id);
    ctx.setTenant(d.id);
    c.set('domainName', d.name);
    c.set('principal', await resolvePrincipal(c, signer, store, d.id, ctx.clock.nowMs()));
    await next();
  });

  const auth = authRoutes(env);
  api.route('/auth', auth);
  api.route('/machhub/auth', auth);
  const mh = new Hono<Env>();
  // Fiber serves `/machhub/` and `/machhub` alike (non-strict routing).
  api.get('/machhub/', (c) => mh.fetch(new Request(new URL('/', c.req.url), c.req.raw), c.env));
  // In this order: the fixed routes before the collection routes' `/:table` patterns.
  for (const routes of [dataRoutes, fileRoutes, designerRoutes, recordRoutes]) mh.route('/', routes(env));
  api.route('/machhub', mh);
  api.route('/', httpTriggerRoutes(env));

  api.notFound((c) => {
    throw err.noRoute(c.req.method, c.req.path);
  });
  api.onError((e, c) => {
    // Fiber's spelling of the plain-text content type.
    const text = (body: string, status: MachhubError['status']) => c.body(body, status, { 'Content-Type': 'text/plain; charset=utf-8' });
    if (e instanceof MachhubError) return text(e.message, e.status);
    if (e instanceof QueryError) return text(e.message, 400);
    if (clientGone(e, c.req.raw)) return clientClosedResponse();
    ctx.log(`machhub: internal error: ${(e as Error).stack ?? e}`);
    return text('Internal Server Error', 500);
  });
  return api as unknown as Hono;
}

/** Bytes of `METHOD /path?query HTTP/1.1\r\n` plus every `Name: value\r\n` and the closing `\r\n`. */
export function requestHeadBytes(req: Request): number {
  const url = req.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  let n = Buffer.byteLength(req.method) + 1 + (pathStart < 0 ? 1 : Buffer.byteLength(url) - pathStart) + 11;
  req.headers.forEach((value, name) => {
    n += name.length + 2 + Buffer.byteLength(value) + 2;
  });
  return n + 2;
}
