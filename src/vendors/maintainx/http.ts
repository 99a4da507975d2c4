/** Request plumbing shared by the MaintainX routes: auth context, org resolution, bodies, pages. */
import type { Context } from 'hono';
import type { VendorContext } from '../../core/vendor.js';
import { MxError, validation } from './errors.js';
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
import { sortSpec, type Filter, type Json, type Row, type Store } from './store.js';
import type { Webhooks } from './webhooks.js';

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
  /** The per-user and per-organization rate-limit windows (set when the app is built). */
  limiter?: { readonly size: number };
  /** WORK_ORDER_OVERDUE on the suite clock (set when the app is built). */
  overdue?: { run(): void };
  /** Timers to stop when the instance closes. */
  timers: Array<ReturnType<typeof setInterval>>;
}

export type Env = {
  Variables: {
    userId: number;
    keyOrgIds: number[];
    /** Organizations this request acts on (one, except list endpoints with x-organization-ids). */
    orgIds: number[];
    params: Params;
  };
};

export type C = Context<Env>;

/** The single organization a request acts on. */
export const orgOf = (c: C): number => c.get('orgIds')[0];

/** The acting user and organization of a request, as operations take them. */
export const actorOf = (c: C): Actor => ({ orgId: orgOf(c), userId: c.get('userId'), skipWebhook: skipWebhook(params(c)) });

export function params(c: C): Params {
  let p = c.get('params');
  if (!p) {
    const url = c.req.url;
    const q = url.indexOf('?');
    p = parseParams(q < 0 ? '' : url.slice(q + 1));
    c.set('params', p);
  }
  return p;
}

/** A path id: integers only (anything else is a 400 "Error with query"). */
export function pathId(c: C, name = 'id'): number {
  const v = c.req.param(name) ?? '';
  if (!/^\d{1,15}$/.test(v)) throw new MxError(400, { error: `${name} must be integer` });
  return Number(v);
}

export const JSON_LIMIT = 1024 * 1024;
const MAX_JSON_BYTES = JSON_LIMIT;
const MAX_DEPTH = 32;

function depth(v: unknown, d = 0): number {
  if (d > MAX_DEPTH) return d;
  if (Array.isArray(v)) return v.reduce((m: number, x) => Math.max(m, depth(x, d + 1)), d + 1);
  if (v && typeof v === 'object') return Object.values(v).reduce((m: number, x) => Math.max(m, depth(x, d + 1)), d + 1);
  return d;
}

/** The JSON body, checked against the operation's official request schema (`key` = "PATCH /workorders/{id}"). */
export async function body<T = Json>(c: C, key: string): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type.trim())) {
    throw validation([{ error: 'Content-Type must be application/json', fieldPath: null, fieldValue: type || null }]);
  }
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > MAX_JSON_BYTES) {
    throw new MxError(413, { error: `Request body must not exceed ${MAX_JSON_BYTES} bytes` });
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw validation([{ error: 'Request body is not valid JSON', fieldPath: null, fieldValue: null }]);
  }
  if (depth(value) > MAX_DEPTH) {
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
export async function page(c: C, mx: Mx, input: PageInput): Promise<Json> {
  const p = params(c);
  const limit = limitParam(p);
  const sort = sortSpec(input.sort ?? { field: 'id', desc: false });
  const sortName = `${sort.name}${sort.desc ? ':desc' : ''}`;
  const rawCursor = one(p, 'cursor');
  const cursor = rawCursor !== undefined ? decodeCursor(rawCursor, sortName) : undefined;
  const { rows, more } = mx.store.list({
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

