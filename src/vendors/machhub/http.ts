/** MACHHUB over HTTP: the Hono env, the services every route module gets, request helpers, and the API app. */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import { clientClosedResponse, clientGone, headerOf } from '../../core/http.js';
import { readBytes, readJsonBody } from '../../core/json-body.js';
import type { JwtSigner } from '../../core/jwt.js';
import type { FetchHandler, VendorContext } from '../../core/vendor.js';
import type { MachhubConfig, Principal } from './auth.js';
import { featuresAllow, resolveDomain, resolvePrincipal } from './auth.js';
import { err, MachhubError } from './errors.js';
import { type PageMemo, Settled } from './memo.js';
import type { Realtime } from './mqtt.js';
import { QueryError } from './query.js';
import type { Probe, Records } from './store/records.js';
import { authRoutes } from './routes/auth.js';
import { dataRoutes, httpTriggerRoutes } from './routes/data.js';
import { designerRoutes } from './routes/designer.js';
import { fileRoutes, recordRoutes } from './routes/records.js';
import type { Store } from './store/index.js';

export type Env = { Bindings: RequestState };
export type Ctx = Context<Env>;

/** Built once per instance (start): what every route module and the control plane work with. */
export interface Services {
  ctx: VendorContext<MachhubConfig>;
  store: Store;
  records: Records;
  signer: JwtSigner;
  realtime: Realtime;
  /** Encoded collection reads (routes/records.ts). */
  pages: PageMemo;
  nowIso(): string;
}

/**
 * PermissionCheck. In `lax` mode (the real default: "several per-route permission checks are disabled") every
 * caller passes; in `strict` mode a credential is required, API keys have full access within their own domain,
 * users need the feature/action in the active domain (or the reserved `superuser` group). Denial is 401.
 */
export function requirePermission(env: Services, c: Pick<Ctx, 'env'>, feature: string, action: 'read' | 'read-write'): void {
  if (env.ctx.config.auth !== 'strict') return;
  const p = c.env.principal;
  if (p.kind === 'apikey') return;
  if (p.kind !== 'user') throw err.unauthorized();
  const domainId = c.env.domainId;
  if (env.store.groups.isSuperuser(p.user.id, domainId)) return;
  if (!featuresAllow(env.store.groups.userFeatures(p.user.id, domainId), feature, action)) throw err.unauthorized();
}

/** Reads a JSON object body (up to maxBodyBytes, past it 413); anything else is 400 `Invalid request body`. */
export async function jsonObject(env: Services, c: Ctx): Promise<Record<string, unknown>> {
  const r = await readJsonBody(c.req.raw, { limit: env.ctx.config.maxBodyBytes, object: true });
  if (r.ok) return r.value as Record<string, unknown>;
  throw r.failure.kind === 'too_large' ? err.tooLarge() : err.invalidBody();
}

/** The query string of this request as sent, without the `?` ('' when there is none). */
export function rawQuery(c: Ctx): string {
  const url = c.req.url;
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i + 1);
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


/** What the pipeline knows about one request; Hono hands it to every handler as `c.env`. */
export interface RequestState {
  /** The Node request on a real listener (@hono/node-server); absent in-process. */
  incoming?: IncomingMessage;
  /** This answer's App-CorrelationID. */
  correlationId: string;
  /** The answer built with App-CorrelationID already set (jsonResponse), which the pipeline leaves alone. */
  complete?: Response;
  domainId: string;
  domainName: string;
  principal: Principal;
  /**
   * The connection's state when this request's synchronous steps began (Records.probe), for the lookups and memo
   * checks made before anything is written; cleared once they return (after an await a handler reads afresh).
   */
  probe?: Probe;
}

/** The API: its `fetch`, and its routes (the OpenAPI sync test compares them with openapi/machhub.json). */
export interface MachhubApi {
  fetch: FetchHandler;
  routes: Hono['routes'];
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * A 200 JSON answer with App-CorrelationID set at construction: cheaper than adding the header afterwards (which
 * makes the server build a Headers object for the response).
 */
export function jsonResponse(c: Pick<Ctx, 'env'>, body: string | Uint8Array<ArrayBuffer>): Response {
  const res = new Response(body, { status: 200, headers: { 'Content-Type': 'application/json', 'App-CorrelationID': c.env.correlationId } });
  // Remembered on the request rather than in a WeakSet (an ephemeron per response cost more than the rest of this).
  c.env.complete = res;
  return res;
}

/**
 * The API: `/auth/*`, `/machhub/*` and the HTTP triggers. The vendor's request steps (431 on a large head,
 * App-CorrelationID, the body limit, the domain, the caller) run in one function around the routed app, without a
 * promise unless a body must be read or a token's signature checked for the first time, so a read whose answer is
 * memoized costs about what a bare Hono route does.
 */
export function apiApp(env: Services): MachhubApi {
  const { ctx, store, signer, records } = env;
  // One probe per request stands in for a statement per lookup (the domain, a Bearer token's user, the memo stamp).
  const domainNames = new Settled((id) => store.domains.nameOf(id));
  const users = new Settled((id) => store.users.byId(id));
  const correlation = ctx.rng.fork('correlation-ids');
  const maxBody = ctx.config.maxBodyBytes;

  const api = new Hono<Env>();
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
  api.onError((e, c) => errorResponse(e, c.req.raw));

  function errorResponse(e: unknown, req: Request): Response {
    // Fiber's spelling of the plain-text content type.
    const text = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': TEXT } });
    if (e instanceof MachhubError) return text(e.message, e.status);
    if (e instanceof QueryError) return text(e.message, 400);
    if (clientGone(e, req)) return clientClosedResponse();
    ctx.log(`machhub: internal error: ${(e as Error).stack ?? e}`);
    return text('Internal Server Error', 500);
  }

  /** WithDomain, then VerifyAuth; then the routed app. */
  function route(req: Request, state: RequestState): Response | Promise<Response> {
    const header = (name: string) => headerOf(req, state, name);
    const at = records.probe();
    const d = resolveDomain(header('domain'), (id) => domainNames.get(id, at));
    state.domainId = d.id;
    ctx.setTenant(d.id);
    state.domainName = d.name;
    const principal = resolvePrincipal(header, signer, store, d.id, ctx.clock.nowMs(), (id) => users.get(id, at));
    if (principal instanceof Promise) {
      return principal.then((p) => {
        state.principal = p;
        return api.fetch(req, state);
      });
    }
    state.principal = principal;
    if (req.method === 'GET') {
      // A memoized collection read answered before routing: the request's routing is known (PageMemo.remember), and
      // the caller's permission is the one check of the routed handler that can answer differently now.
      const body = env.pages.answer(`${d.name}\n${req.url}`, at);
      if (body) {
        const c = { env: state };
        requirePermission(env, c, 'collections', 'read');
        return jsonResponse(c, body);
      }
    }
    state.probe = at;
    try {
      return api.fetch(req, state);
    } finally {
      state.probe = undefined;
    }
  }

  const fetch: FetchHandler = (req, outer?: { incoming?: IncomingMessage }) => {
    // fasthttp reads the request line and all headers into one buffer (4096 bytes by default); past it, Fiber's
    // server error handler answers 431 before any middleware runs (so no App-CorrelationID).
    if (headTooLarge(req, outer?.incoming, ctx.config.maxHeaderBytes)) {
      return new Response('Request Header Fields Too Large', { status: 431, headers: { 'Content-Type': TEXT } });
    }
    // WithCorrelation: every answer, errors included, carries App-CorrelationID.
    const correlationId = correlation.uuid();
    const finish = (res: Response): Response => {
      if (res !== state.complete) res.headers.set('App-CorrelationID', correlationId);
      return res;
    };
    const failed = (e: unknown) => finish(errorResponse(e, req));
    const state = { incoming: outer?.incoming, correlationId, complete: undefined, probe: undefined } as RequestState;
    try {
      const limited = limitBody(req, maxBody);
      const res = limited instanceof Promise ? limited.then((r) => route(r, state)) : route(limited, state);
      return res instanceof Promise ? res.then(finish, failed) : finish(res);
    } catch (e) {
      return failed(e);
    }
  };
  return { fetch, routes: api.routes };
}


/**
 * Hono's bodyLimit as this API used it: a declared Content-Length (without Transfer-Encoding) over `max` is 413
 * without reading; a body of unknown length is read up to `max` (413 past it, core readBytes) and the request rebuilt
 * around it.
 */
function limitBody(req: Request, max: number): Request | Promise<Request> {
  // A GET or HEAD request has no body (the Fetch API refuses one).
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return req;
  const h = req.headers;
  if (h.has('content-length') && !h.has('transfer-encoding')) {
    if (parseInt(h.get('content-length') || '0', 10) > max) throw err.tooLarge();
    return req;
  }
  return readBytes(req, max).then((bytes) => {
    if (!(bytes instanceof Uint8Array)) throw err.tooLarge();
    return new Request(req, { body: bytes as Uint8Array<ArrayBuffer> });
  });
}

/**
 * Whether the request head is larger than `max` bytes (requestHeadBytes). On a real listener a bound from Node's raw
 * head decides first: the request line's path is at most 3× the raw target (percent-encoding), and the Fetch
 * headers never add bytes to the raw ones (they only join repeats and trim), so below `max` the exact count agrees.
 */
function headTooLarge(req: Request, incoming: IncomingMessage | undefined, max: number): boolean {
  if (incoming?.url !== undefined) {
    let n = req.method.length + 1 + 3 * Buffer.byteLength(incoming.url) + 11 + 2;
    const raw = incoming.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) n += raw[i].length + 2 + Buffer.byteLength(raw[i + 1]) + 2;
    if (n <= max) return false;
  }
  return requestHeadBytes(req) > max;
}

/** Bytes of `METHOD /path?query HTTP/1.1\r\n` plus every `Name: value\r\n` and the closing `\r\n`. */
function requestHeadBytes(req: Request): number {
  const url = req.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  let n = Buffer.byteLength(req.method) + 1 + (pathStart < 0 ? 1 : Buffer.byteLength(url) - pathStart) + 11;
  req.headers.forEach((value, name) => {
    n += name.length + 2 + Buffer.byteLength(value) + 2;
  });
  return n + 2;
}
