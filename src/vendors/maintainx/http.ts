/** Request plumbing shared by the MaintainX routes: auth context, org resolution, bodies, pages. */
import type { Context, Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { IncomingMessage } from 'node:http';
import { headerOf } from '../../core/http.js';
import { nestedDeeperThan, readBytes, readJsonBody } from '../../core/json-body.js';
import type { FetchHandler } from '../../core/vendor.js';
import { authenticate, bearerKey, type Limiter } from './auth.js';
import type { VendorContext } from '../../core/vendor.js';
import { MxError, jsonResponse, payloadTooLarge, renderError, validation } from './errors.js';
import { fieldError, requestValidator } from './openapi.js';
import type { Actor } from './ops/common.js';
import {
  decodeCursor,
  encodeCursor,
  limitParam,
  nextPageUrl,
  one,
  parseParams,
  type Params,
  skipWebhook,
  type Sort,
} from './query.js';
import { sortSpec, type Filter, type Json, type Row, type Store } from './store/index.js';
import type { Webhooks } from './webhooks.js';
import type { BodyMemo } from './memo.js';
import type { OverdueSweep } from './ops/events.js';

export interface MxConfig {
  rateLimit: boolean;
  userLimit: number;
  orgLimit: number;
  windowSeconds: number;
  manualReadingsPerDay: number;
  webhookTimeoutMs: number;
  webhookRetries: number;
  webhookRetryDelayMs: number;
  maxAttachmentBytes: number;
}

export interface Mx {
  ctx: VendorContext<MxConfig>;
  store: Store;
  hooks: Webhooks;
  /** Encoded bodies of the hot reads, exact until the next write or time boundary. */
  memo: BodyMemo;
  /** The per-user and per-organization rate-limit windows. */
  limiter: Limiter;
  /** WORK_ORDER_OVERDUE on the suite clock. */
  overdue: OverdueSweep;
  /** Timers to stop when the instance closes. */
  timers: Array<ReturnType<typeof setInterval>>;
}

/** What the pipeline knows about one request; Hono hands it to every handler as `c.env`. */
export interface RequestState {
  /** The Node request on a real listener (@hono/node-server); absent in-process. */
  incoming?: IncomingMessage;
  outgoing?: unknown;
  /** The authenticated caller (zeros on the routes without auth: /v1/versions, a work-permit signature). */
  userId: number;
  keyOrgIds: number[];
  /** Organizations this request acts on (one, except list endpoints with x-organization-ids). */
  orgIds: number[];
  /** The rate-limit headers of this request, once counted. */
  rate?: Record<string, string>;
  params?: Params;
}

export type Env = { Bindings: RequestState };

export type C = Context<Env>;

/** The single organization a request acts on. */
export const orgOf = (c: C): number => c.env.orgIds[0];

/** The acting user and organization of a request, as operations take them. */
export const actorOf = (c: C): Actor => ({ orgId: orgOf(c), userId: c.env.userId, skipWebhook: skipWebhook(params(c)) });

/**
 * The acting user and organization for the routes that read the query only when they emit a webhook event:
 * `skipWebhook` is parsed on first read, so a malformed query string fails only then, as on those routes before.
 */
export const lazyActorOf = (c: C): Actor => ({
  orgId: orgOf(c),
  userId: c.env.userId,
  get skipWebhook() {
    return skipWebhook(params(c));
  },
});

export function params(c: C): Params {
  let p = c.env.params;
  if (!p) {
    const url = c.req.url;
    const q = url.indexOf('?');
    p = parseParams(q < 0 ? '' : url.slice(q + 1));
    c.env.params = p;
  }
  return p;
}

/** `scheme://host` of the request (file URLs point there). */
export const originOf = (c: C): string => new URL(c.req.url).origin;

/** A path id: integers only (anything else is a 400 "Error with query"). */
export function pathId(c: C, name = 'id'): number {
  const v = c.req.param(name) ?? '';
  if (!/^\d{1,15}$/.test(v)) throw new MxError(400, { error: `${name} must be integer` });
  return Number(v);
}

export const JSON_LIMIT = 1024 * 1024;
const MAX_DEPTH = 32;
const decoder = new TextDecoder();

/** The JSON body, checked against the operation's official request schema (`key` = "PATCH /workorders/{id}"). */
export async function body<T = Json>(c: C, key: string): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type.trim())) {
    throw validation([{ error: 'Content-Type must be application/json', fieldPath: null, fieldValue: type || null }]);
  }
  const read = await readJsonBody(c.req.raw, { limit: JSON_LIMIT });
  if (!read.ok) {
    if (read.failure.kind === 'too_large') throw new MxError(413, { error: `Request body must not exceed ${JSON_LIMIT} bytes` });
    throw validation([{ error: 'Request body is not valid JSON', fieldPath: null, fieldValue: null }]);
  }
  const value = read.value;
  // Checked once the body parsed (a body both invalid and deep is "not valid JSON").
  if (nestedDeeperThan(decoder.decode(read.bytes), MAX_DEPTH)) {
    throw validation([{ error: `Request body is nested deeper than ${MAX_DEPTH} levels`, fieldPath: null, fieldValue: null }]);
  }
  const validate = requestValidator(key);
  if (validate && !validate(value)) throw validation([fieldError(validate.errors![0], value)]);
  if (!validate && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw validation([{ error: 'should be object', fieldPath: null, fieldValue: null }]);
  }
  return value as T;
}

export interface PageInput {
  kind: string;
  listKey: string;
  orgIds: number[];
  parentId?: number;
  filters?: Filter[];
  sort?: Sort;
  alsoOrgField?: string;
  present(row: Row): Json;
}

/** A list page in the vendor envelope `{<listKey>: […], nextCursor, nextPageUrl}`. */
export function page(c: C, mx: Mx, input: PageInput): Json {
  const p = params(c);
  const limit = limitParam(p);
  const sort = sortSpec(input.sort ?? { field: 'id', desc: false });
  const sortName = `${sort.name}${sort.desc ? ':desc' : ''}`;
  const rawCursor = one(p, 'cursor');
  const cursor = rawCursor !== undefined ? decodeCursor(rawCursor, sortName) : undefined;
  const { rows, more } = mx.store.records.list({
    kind: input.kind,
    orgIds: input.orgIds,
    parentId: input.parentId,
    filters: input.filters,
    sort,
    cursor,
    limit,
    alsoOrgField: input.alsoOrgField,
  });
  const items = rows.map((r) => input.present(r));
  let next: string | null = null;
  if (more) {
    const last = rows[rows.length - 1];
    next = encodeCursor({ sort: sortName, value: sort.value(last), id: last.id });
  }
  const url = new URL(c.req.url);
  return {
    [input.listKey]: items,
    nextCursor: next,
    nextPageUrl: next ? nextPageUrl(url.pathname, url.search, next) : null,
  };
}


/** Responses built with every header already in place (the pipeline leaves them alone). */
const complete = new WeakSet<Response>();

/**
 * A 200 JSON body with the request's rate-limit headers set at construction (cheaper than adding them afterwards,
 * which makes the server build a Headers object): the same names, values and order on the wire.
 */
export function respondJson(c: C, body: Uint8Array<ArrayBuffer>): Response {
  const rate = c.env.rate;
  const headers: Record<string, string> = rate
    ? {
        'content-type': 'application/json',
        'x-rate-limit-limit': rate['X-Rate-Limit-Limit'],
        'x-rate-limit-remaining': rate['X-Rate-Limit-Remaining'],
        'x-rate-limit-reset': rate['X-Rate-Limit-Reset'],
      }
    : { 'Content-Type': 'application/json' };
  const res = new Response(body, { status: 200, headers });
  complete.add(res);
  return res;
}

/**
 * The MaintainX request pipeline around the routed app: the overdue sweep, authentication and rate limits, the body
 * size limit, then the route; every /v1 answer carries the caller's rate-limit headers. It runs synchronously until
 * something has to wait (a request body), so a memoized read is answered without a promise.
 */
export function pipeline(app: Hono<Env>, mx: Mx): FetchHandler {
  const { limiter, overdue } = mx;
  const maxBody = Math.max(mx.ctx.config.maxAttachmentBytes as number, JSON_LIMIT);
  const fail = (err: unknown, req: Request, path: string) =>
    renderError(err instanceof Error ? err : new Error(String(err)), req, req.method, path, mx.ctx.log);
  return (req, env) => {
    const path = getPath(req);
    const state: RequestState = { incoming: env?.incoming, outgoing: env?.outgoing, userId: 0, keyOrgIds: [], orgIds: [] };
    if (path !== '/v1' && !path.startsWith('/v1/')) return app.fetch(req, state);
    const header = (name: string) => headerOf(req, env, name);
    let rate: Record<string, string> | undefined;
    try {
      overdue.run();
      // Work permits are signed through their external link, without an API key (spec: `security: []`).
      if (req.method === 'POST' && SIGN.test(path)) return app.fetch(req, state);
      if (path !== '/v1/versions') {
        const auth = authenticate(mx, limiter, req.method, path, header);
        state.userId = auth.caller.userId;
        state.keyOrgIds = auth.caller.keyOrgIds;
        state.orgIds = auth.caller.orgIds;
        state.rate = rate = auth.rate;
      }
    } catch (err) {
      return fail(err, req, path);
    }
    const finish = (res: Response): Response => {
      // /v1/versions needs no key and is not counted; it still reports the caller's window.
      const headers = rate ?? limiter.peek(((k) => (k ? `u:${k.userId}` : 'anon:none'))(bearerKey(mx, header)));
      if (!complete.has(res)) for (const k in headers) res.headers.set(k, headers[k]);
      return res;
    };
    // Streams are cut at the limit before they are buffered (the handlers check the exact limits again).
    const tooLarge = () =>
      finish(/\/(attachments|thumbnail)\//.test(path) ? jsonResponse(payloadTooLarge().body, 413) : jsonResponse({ error: `Request body must not exceed ${JSON_LIMIT} bytes` }, 413));
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.body) {
      const length = header('content-length');
      if (length !== undefined && header('transfer-encoding') === undefined) {
        if (parseInt(length || '0', 10) > maxBody) return tooLarge();
      } else {
        return readBytes(req, maxBody).then((bytes) => {
          if (!(bytes instanceof Uint8Array)) return tooLarge();
          const res = app.fetch(new Request(req, { body: bytes as Uint8Array<ArrayBuffer> }), state);
          return res instanceof Promise ? res.then(finish) : finish(res);
        });
      }
    }
    const res = app.fetch(req, state);
    return res instanceof Promise ? res.then(finish) : finish(res);
  };
}

const SIGN = /^\/v1\/workPermits\/[^/]+\/sign$/;

