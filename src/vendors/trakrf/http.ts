/**
 * The TrakRF request pipeline (trakrf.md §2): request id → CORS/OPTIONS → default rate-limit headers on /api/v1* →
 * routing (404/405 before auth) → per-route chains. Errors render as the TrakRF envelope.
 */
import { requestHeader } from '../../core/http.js';
import type { Context, Handler, Hono, MiddlewareHandler } from 'hono';
import type { BucketResult } from '../../core/rate-limit.js';
import {
  TrakrfError,
  JSON_CT,
  envelope,
  internalError,
  jsonBody,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  unsupportedMediaType,
  validationError,
} from './errors.js';
import { parseQuery, rejectQueryParams, type Query } from './query.js';

export interface AuthInfo {
  clientId: string;
  orgId: number;
  scopes: string[];
}

export type TrakrfEnv = {
  Variables: {
    requestId: string;
    rate: BucketResult | undefined;
    auth: AuthInfo;
    query: Query;
    nowSeconds: () => number;
  };
};
export type C = Context<TrakrfEnv>;

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Request-ID',
  'Access-Control-Max-Age': '3600',
};

export const isApiV1 = (path: string): boolean => path === '/api/v1' || path.startsWith('/api/v1/');

/** Responses built with every standard header already in place (the pipeline leaves them alone). */
const complete = new WeakSet<Response>();

/** X-Request-Id, CORS and, on /api/v1*, the rate-limit headers of this request (trakrf.md §5.3, §5.4, §9). */
function standardHeaders(c: C): Record<string, string> {
  const headers: Record<string, string> = { 'X-Request-Id': c.get('requestId'), ...CORS_HEADERS };
  if (isApiV1(c.req.path)) {
    const rate = c.get('rate');
    headers['X-RateLimit-Limit'] = String(rate?.limit ?? 120);
    headers['X-RateLimit-Remaining'] = String(rate?.remaining ?? 120);
    headers['X-RateLimit-Reset'] = String(rate?.resetAt ?? c.get('nowSeconds')());
    headers['RateLimit-Policy'] = '60;w=60';
  }
  return headers;
}

/**
 * A response with the standard headers set at construction: cheaper than adding them afterwards, which makes the
 * server build a Headers object and validate each header again.
 */
export function respond(c: C, body: string | null, status: number, headers: Record<string, string> = {}): Response {
  const res = new Response(body, { status, headers: { ...standardHeaders(c), ...headers } });
  complete.add(res);
  return res;
}

export function json(c: C, value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return respond(c, jsonBody(value), status, { 'Content-Type': JSON_CT, ...headers });
}

export function pipeline(
  nextRequestId: () => string,
  nowSeconds: () => number,
  log?: (line: string) => void,
): MiddlewareHandler<TrakrfEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestHeader(c, 'x-request-id') || nextRequestId();
    c.set('requestId', requestId);
    c.set('nowSeconds', nowSeconds);
    if (c.req.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { ...CORS_HEADERS, 'X-Request-Id': requestId } });
    }
    await next();
    if (!complete.has(c.res)) {
      const h = c.res.headers;
      for (const [k, v] of Object.entries(standardHeaders(c))) h.set(k, v);
    }
    log?.(`trakrf ${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms ${requestId}`);
  };
}

export function renderError(err: Error, c: C, log: (line: string) => void): Response {
  let e: TrakrfError;
  if (err instanceof TrakrfError) e = err;
  else {
    log(`trakrf: unexpected error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    e = internalError();
  }
  return respond(c, envelope(e, c.req.path, c.get('requestId') ?? ''), e.status, { 'Content-Type': JSON_CT, ...e.headers });
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

  /** Registers a route under its OpenAPI path (`{param}` → Hono `:param`). */
  on(method: string, path: string, operationId: string | undefined, ...handlers: Array<MiddlewareHandler<TrakrfEnv> | Handler<TrakrfEnv>>): void {
    this.defs.push({ method, path, operationId });
    this.patterns.push({ re: new RegExp('^' + path.replace(/\{[^}]+\}/g, '[^/]+') + '$'), method });
    const honoPath = path.replace(/\{([^}]+)\}/g, ':$1');
    this.app.on(method, honoPath, ...(handlers as [Handler<TrakrfEnv>]));
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
  const declared = Number(requestHeader(c, 'content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw payloadTooLarge(MAX_BODY_BYTES);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The parsed query string of this request (memoized). */
export function query(c: C): Query {
  let q = c.get('query');
  if (!q) {
    const url = c.req.url;
    const i = url.indexOf('?');
    q = parseQuery(i < 0 ? '' : url.slice(i + 1));
    c.set('query', q);
  }
  return q;
}

/** `RejectQueryParams()` as middleware. */
export const noQueryParams: MiddlewareHandler<TrakrfEnv> = async (c, next) => {
  const q = query(c);
  if (q.size > 0) throw validationError(rejectQueryParams(q, c.req.path));
  await next();
};

/** `ContentType` middleware for POST: exactly `application/json` or `application/json; charset=utf-8`. */
export const requireJson: MiddlewareHandler<TrakrfEnv> = async (c, next) => {
  const ct = requestHeader(c, 'content-type');
  if (ct !== 'application/json' && ct !== 'application/json; charset=utf-8') {
    throw unsupportedMediaType('Content-Type must be application/json');
  }
  await next();
};
