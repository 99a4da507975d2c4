/**
 * The TrakRF request pipeline (trakrf.md §2): request id → CORS/OPTIONS → default rate-limit headers on /api/v1* →
 * routing (404/405 before auth) → per-route chains. Errors render as the TrakRF envelope.
 *
 * Each route is one Hono handler that runs its chain itself, synchronously until a step has to wait (a body read,
 * a first signature check). A cached list page is therefore answered without a promise, like a bare Hono route:
 * Hono's middleware composition would add an async step per layer to the hottest requests.
 */
import { clientClosedResponse, clientGone, headerOf } from '../../core/http.js';
import { readBytes } from '../../core/json-body.js';
import type { Context, Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { IncomingMessage } from 'node:http';
import type { BucketResult } from '../../core/rate-limit.js';
import type { FetchHandler } from '../../core/vendor.js';
import {
  TrakrfError,
  JSON_CT,
  faultError,
  internalError,
  jsonBody,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  renderError,
  validationError,
} from './errors.js';
import { parseQuery, rejectQueryParams, type Query } from './query.js';
import type { VendorContext } from '../../core/vendor.js';
import type { TrakrfAuth } from './auth.js';
import type { OrgMemo } from './memo.js';
import type { AuthInfo } from './ops/auth.js';
import type { TrakrfStore } from './store/index.js';


/** What the pipeline knows about one request; Hono hands it to every handler as `c.env`. */
export interface RequestState {
  /** The Node request on a real listener (@hono/node-server); absent in-process. */
  incoming?: IncomingMessage;
  requestId: string;
  /** The per-key bucket after this request took its token. */
  rate?: BucketResult;
  nowSeconds: () => number;
}

export type TrakrfEnv = {
  Bindings: RequestState;
  Variables: {
    auth: AuthInfo;
    query: Query;
  };
};
export type C = Context<TrakrfEnv>;

/** A step of a route's chain (one of trakrf.md §2's middlewares): throws the error, or returns — a promise only when it has to wait. */
export type Step = (c: C) => void | Promise<void>;
export type RouteHandler = (c: C) => Response | Promise<Response>;

export interface Chains {
  /** EitherAuth → RateLimit → RequireScope (public reads). */
  read(operationId: string): Step[];
  /**
   * EitherAuth → SubscriptionRequired (402) → RateLimit → ContentType (415) → RequireScope (403) →
   * [RequireMergePatchCT (415) on PATCH] → RejectQueryParams (400) (trakrf.md §2).
   */
  write(operationId: string): Step[];
  /** `APIKeyAuth` → RateLimit (→ handler checks). */
  apiKey: Step[];
}

/** What each route file is given, built once by `start` (index.ts). */
export interface Services {
  ctx: VendorContext;
  store: TrakrfStore;
  auth: TrakrfAuth;
  table: RouteTable;
  chains: Chains;
  /** Encoded list pages (routes/common.ts listPage). */
  pages: OrgMemo;
  /** List totals (ops: a total holds for every page of a list). */
  counts: OrgMemo;
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Request-ID',
  'Access-Control-Max-Age': '3600',
};

const isApiV1 = (path: string): boolean => path === '/api/v1' || path.startsWith('/api/v1/');

/** Responses built with every standard header already in place (the pipeline leaves them alone). */
const complete = new WeakSet<Response>();

/** X-Request-Id, CORS and, on /api/v1*, the rate-limit headers of this request (trakrf.md §5.3, §5.4, §9). */
function standardHeaders(s: RequestState, path: string): Record<string, string> {
  const headers: Record<string, string> = { 'X-Request-Id': s.requestId, ...CORS_HEADERS };
  if (isApiV1(path)) {
    const rate = s.rate;
    headers['X-RateLimit-Limit'] = String(rate?.limit ?? 120);
    headers['X-RateLimit-Remaining'] = String(rate?.remaining ?? 120);
    headers['X-RateLimit-Reset'] = String(rate?.resetAt ?? s.nowSeconds());
    headers['RateLimit-Policy'] = '60;w=60';
  }
  return headers;
}

/**
 * A response with the standard headers set at construction: cheaper than adding them afterwards, which makes the
 * server build a Headers object and validate each header again.
 */
export function respond(c: C, body: string | Uint8Array<ArrayBuffer> | null, status: number, headers?: Record<string, string>): Response {
  const all = standardHeaders(c.env, c.req.path);
  if (headers) for (const k in headers) all[k] = headers[k];
  const res = new Response(body, { status, headers: all });
  complete.add(res);
  return res;
}

export const JSON_HEADERS: Record<string, string> = { 'Content-Type': JSON_CT };

export function json(c: C, value: unknown, status = 200, headers?: Record<string, string>): Response {
  return respond(c, jsonBody(value), status, headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS);
}

/** The pipeline around the routed app: the request id, OPTIONS, the standard headers of every response. */
export function pipeline(app: Hono<TrakrfEnv>, nextRequestId: () => string, nowSeconds: () => number): FetchHandler {
  return (req, env?: { incoming?: IncomingMessage }) => {
    const state: RequestState = { incoming: env?.incoming, requestId: headerOf(req, env, 'x-request-id') || nextRequestId(), nowSeconds };
    if (req.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { ...CORS_HEADERS, 'X-Request-Id': state.requestId } });
    }
    const finish = (res: Response): Response => {
      if (!complete.has(res)) {
        const h = res.headers;
        for (const [k, v] of Object.entries(standardHeaders(state, getPath(req)))) h.set(k, v);
      }
      return res;
    };
    const res = app.fetch(req, state);
    return res instanceof Promise ? res.then(finish) : finish(res);
  };
}

/** Hono's error hook: a TrakRF error as is, a client that went away as 499, anything else as a logged 500. */
export function onError(err: Error, c: C, log: (line: string) => void): Response {
  if (!(err instanceof TrakrfError) && clientGone(err, c.req.raw)) return clientClosedResponse();
  let e: TrakrfError;
  if (err instanceof TrakrfError) e = err;
  else {
    log(`trakrf: unexpected error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    e = internalError();
  }
  const res = renderError(e, c.req.path, c.env.requestId, standardHeaders(c.env, c.req.path));
  complete.add(res);
  return res;
}

/** Runs a route's steps, then its handler; synchronous until a step returns a promise. */
function run(steps: readonly Step[], handler: RouteHandler, c: C, from = 0): Response | Promise<Response> {
  for (let i = from; i < steps.length; i++) {
    const waiting = steps[i](c);
    if (waiting) return waiting.then(() => run(steps, handler, c, i + 1));
  }
  return handler(c);
}

// ---- routing table: 404/405 with Allow, before auth (trakrf.md §5.5) ----------------------------------------

const CANONICAL = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export interface RouteDef {
  method: string;
  /** OpenAPI form, e.g. /api/v1/assets/{asset_id} */
  path: string;
  operationId?: string;
}

export class RouteTable {
  readonly defs: RouteDef[] = [];
  private readonly patterns: Array<{ re: RegExp; method: string }> = [];

  constructor(private readonly app: Hono<TrakrfEnv>) {}

  /** Registers a route under its OpenAPI path (`{param}` → Hono `:param`): its chain's steps, then its handler. */
  on(method: string, path: string, operationId: string | undefined, steps: readonly Step[], handler: RouteHandler): void {
    this.defs.push({ method, path, operationId });
    this.patterns.push({ re: new RegExp('^' + path.replace(/\{[^}]+\}/g, '[^/]+') + '$'), method });
    const honoPath = path.replace(/\{([^}]+)\}/g, ':$1');
    this.app.on(method, honoPath, steps.length ? (c) => run(steps, handler, c) : handler);
  }

  allowFor(path: string): string | null {
    const methods = new Set(this.patterns.filter((p) => p.re.test(path)).map((p) => p.method));
    if (methods.size === 0) return null;
    if (methods.has('GET')) methods.add('HEAD');
    return CANONICAL.filter((m) => methods.has(m)).join(', ');
  }

  /** What an unmatched request gets: 405 with Allow for a known path, else 404 (both before auth). */
  unmatched(c: C): TrakrfError | Response {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/')) {
      const allow = this.allowFor(path);
      return allow ? methodNotAllowed(allow) : notFound(`Unknown API route: ${path}`);
    }
    return new Response('404 page not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}

// ---- request helpers ---------------------------------------------------------------------------------------

export const MAX_BODY_BYTES = 1 << 20;

/** Reads the body, refusing more than 1 MiB with 413 (without buffering the excess). */
export async function readBody(c: C): Promise<Uint8Array> {
  const bytes = await readBytes(c.req.raw, MAX_BODY_BYTES);
  if (!(bytes instanceof Uint8Array)) throw payloadTooLarge(bytes.limit);
  return bytes;
}

/** The query string of this request as sent, without the `?` ('' when there is none). */
export function rawQuery(c: C): string {
  const url = c.req.url;
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i + 1);
}

/** The parsed query string of this request (memoized). */
export function query(c: C): Query {
  let q = c.get('query');
  if (!q) {
    q = parseQuery(rawQuery(c));
    c.set('query', q);
  }
  return q;
}

/** `RejectQueryParams()`. */
export const noQueryParams: Step = (c) => {
  const q = query(c);
  if (q.size > 0) throw validationError(rejectQueryParams(q, c.req.path));
};

/**
 * An injected fault's answer (POST /__admin/faults with a status): the envelope and the headers of every TrakRF
 * answer; a 429 has no tokens left and Retry-After (the bucket refills a token a second).
 */
export function faultResponse(req: Request, status: number, reason: string, requestId: string, nowSeconds: number): Response {
  const path = getPath(req);
  const rate = status === 429 ? { allowed: false, limit: 120, remaining: 0, resetAt: nowSeconds + 1, retryAfter: 1 } : undefined;
  const headers = standardHeaders({ requestId: req.headers.get('x-request-id') || requestId, rate, nowSeconds: () => nowSeconds }, path);
  return renderError(faultError(status, reason), path, headers['X-Request-Id'], headers);
}
