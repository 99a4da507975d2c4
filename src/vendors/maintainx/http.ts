/** Request plumbing shared by the MaintainX routes: auth context, org resolution, bodies, pages. */
import type { Context } from 'hono';
import type { VendorContext } from '../../core/vendor.js';
import { MxError, validation } from './errors.js';
import { fieldError, requestValidator } from './openapi.js';
import {
  decodeCursor,
  encodeCursor,
  limitParam,
  nextPageUrl,
  one,
  parseParams,
  type Params,
  type Sort,
} from './query.js';
import type { Json, Row, SortSpec, Store } from './store.js';
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
  /** Meter triggers, evaluated on each new reading (set when the routes are built). */
  triggers?: { onReading(c: C, meter: Row, value: number, prev: number | null, skip: boolean): void };
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

/** Builds a `SortSpec` for a sort name: `id`, a row column, or a JSON field of the document. */
export function sortSpec(sort: Sort): SortSpec {
  const col: Record<string, { sql: string; value(r: Row): string | number | null }> = {
    id: { sql: 'id', value: (r) => r.id },
    createdAt: { sql: 'created_at', value: (r) => r.createdAt },
    updatedAt: { sql: 'updated_at', value: (r) => r.updatedAt },
    // Work-order dates live in the document; missing dates sort first ('').
    dueDate: { sql: `COALESCE(json_extract(data, '$.dueDate'), '')`, value: (r) => (r.data.dueDate as string) ?? '' },
    startedAt: { sql: `COALESCE(json_extract(data, '$.startedAt'), '')`, value: (r) => (r.data.startedAt as string) ?? '' },
    completedAt: { sql: `COALESCE(json_extract(data, '$.completedAt'), '')`, value: (r) => (r.data.completedAt as string) ?? '' },
    endedAt: { sql: `COALESCE(json_extract(data, '$.endedAt'), '')`, value: (r) => (r.data.endedAt as string) ?? '' },
  };
  const c = col[sort.field];
  return { name: sort.field, sql: c.sql, value: c.value, desc: sort.desc };
}

export interface PageInput {
  kind: string;
  listKey: string;
  orgIds: number[];
  parentId?: number;
  where?: string[];
  params?: unknown[];
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
    where: input.where,
    params: input.params,
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

