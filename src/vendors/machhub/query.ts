/**
 * The list-query grammar of `GET /machhub/:table/all|count` (reference §5), as a pure parser:
 *   filter[<field>][<op>][<type>]=<value>        ANDed
 *   filter_or[<i>][<field>][<op>][<type>]=<v>     one OR group, ANDed with the rest
 *   filter[<arr>.<sub>][ARRAY_WHERE_<op>][<type>]=<v>   some element of arr has sub <op> v
 *   sort=[<field>][asc|desc]  limit=<n>  offset=<n>  expand=a,b  fields=a,b.c
 * Errors name the parameter; the route answers them with 400 plain text.
 */

export type Scalar = string | number | boolean | null;
export type OpName =
  | 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'
  | 'anyeq' | 'alleq' | 'fuzzy' | 'nfuzzy' | 'anyfuzzy' | 'allfuzzy'
  | 'contains' | 'containsnot' | 'containsall' | 'containsany' | 'containsnone'
  | 'in' | 'nin' | 'allinside' | 'anyinside' | 'noneinside' | 'match';

export const LIST_OPS: ReadonlySet<OpName> = new Set(['containsall', 'containsany', 'containsnone', 'in', 'nin', 'allinside', 'anyinside', 'noneinside']);

/** Raw SurrealDB operators the SDK emits, plus the named aliases of the docs' REST pages. */
const SYMBOL_OPS: Record<string, OpName> = {
  '=': 'eq', '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte',
  '?=': 'anyeq', '*=': 'alleq', '~': 'fuzzy', '!~': 'nfuzzy', '?~': 'anyfuzzy', '*~': 'allfuzzy',
  '@@': 'match', '@0@': 'match', '@1@': 'match', '@2@': 'match', '@3@': 'match',
  eq: 'eq', ne: 'ne', lt: 'lt', lte: 'lte', gt: 'gt', gte: 'gte', in: 'in', nin: 'nin', contains: 'contains',
};
const KEYWORD_OPS: Record<string, OpName> = {
  CONTAINS: 'contains', CONTAINSNOT: 'containsnot', CONTAINSALL: 'containsall', CONTAINSANY: 'containsany',
  CONTAINSNONE: 'containsnone', INSIDE: 'in', IN: 'in', 'NOT IN': 'nin', NOTINSIDE: 'nin',
  ALLINSIDE: 'allinside', ANYINSIDE: 'anyinside', NONEINSIDE: 'noneinside',
};
/** `BasicOperator` of the SDK: the only ones `filterInArray` accepts. */
const ARRAY_WHERE_OPS: ReadonlySet<OpName> = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'in']);

export const TYPE_TOKENS = ['string', 'number', 'boolean', 'object', 'bigint'] as const;
export type TypeToken = (typeof TYPE_TOKENS)[number];

export interface Condition {
  /** Path of the field (or, with arrayWhere, of the array). */
  path: string[];
  op: OpName;
  /** For ARRAY_WHERE_<op>: the path inside each element. */
  sub?: string[];
  value: Scalar | Scalar[];
  param: string;
}

export interface ListQuery {
  and: Condition[];
  or: Condition[];
  sort?: { path: string[]; dir: 'asc' | 'desc' };
  limit?: number;
  offset: number;
  expand: string[];
  fields: string[][];
}

export class QueryError extends Error {
  constructor(
    readonly param: string,
    reason: string,
  ) {
    super(`invalid query parameter ${param}: ${reason}`);
  }
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
/** Ours: CONTAINSALL/ANY/NONE compile to one SQL term (about five bound values) per value; SQLite binds at most 32766. */
export const MAX_TERM_VALUES = 2000;
const TERM_PER_VALUE_OPS: ReadonlySet<OpName> = new Set(['containsall', 'containsany', 'containsnone']);
const MAX_CONDITIONS = 50;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export function parsePath(raw: string, param: string): string[] {
  const segs = raw.split('.');
  if (segs.length > 8 || !segs.every((s) => SEGMENT.test(s))) {
    throw new QueryError(param, `field "${raw}" must be dot-separated names of letters, digits, _ or -`);
  }
  if (segs.some((s) => FORBIDDEN_SEGMENTS.has(s))) throw new QueryError(param, `field "${raw}" is not allowed`);
  return segs;
}

export function parseOp(raw: string, param: string): { op: OpName; arrayWhere: boolean } {
  let token = raw;
  let arrayWhere = false;
  if (token.startsWith('ARRAY_WHERE_')) {
    arrayWhere = true;
    token = token.slice('ARRAY_WHERE_'.length);
  }
  const op = SYMBOL_OPS[token] ?? KEYWORD_OPS[token.toUpperCase()];
  if (!op || !Object.hasOwn(SYMBOL_OPS, token) && !Object.hasOwn(KEYWORD_OPS, token.toUpperCase())) {
    throw new QueryError(param, `unsupported operator "${raw}"`);
  }
  if (arrayWhere && !ARRAY_WHERE_OPS.has(op)) throw new QueryError(param, `operator "${token}" is not allowed in ARRAY_WHERE_`);
  return { op, arrayWhere };
}

/** `Date.prototype.toString()` form, e.g. `Thu Jan 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)`. */
const DATE_TO_STRING = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}( \(.*\))?$/;

function coerceOne(raw: string, type: TypeToken, param: string): Scalar {
  switch (type) {
    case 'string':
      return raw;
    case 'number':
    case 'bigint': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n)) throw new QueryError(param, `"${raw}" is not a number`);
      return n;
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new QueryError(param, `"${raw}" is not a boolean (true or false)`);
    case 'object': {
      if (raw === 'null') return null;
      if (DATE_TO_STRING.test(raw)) {
        const d = new Date(raw.replace(/ \(.*\)$/, ''));
        if (Number.isNaN(d.getTime())) throw new QueryError(param, `"${raw}" is not a valid date`);
        return d.toISOString();
      }
      return raw;
    }
  }
}

export function coerceValue(raw: string, type: string, op: OpName, param: string): Scalar | Scalar[] {
  if (!(TYPE_TOKENS as readonly string[]).includes(type)) {
    throw new QueryError(param, `unsupported type "${type}" (use string, number, boolean or object)`);
  }
  const t = type as TypeToken;
  if (LIST_OPS.has(op)) {
    // No count limit (the vendor has none; the request-size limit decides). IN-style operators bind the whole list
    // as one parameter; the CONTAINS* operators (one SQL term per value) are bounded by MAX_TERM_VALUES.
    const parts = raw.split(',');
    if (parts.length > MAX_TERM_VALUES && TERM_PER_VALUE_OPS.has(op)) throw new QueryError(param, `at most ${MAX_TERM_VALUES} values for ${op.toUpperCase()}`);
    return parts.map((p) => coerceOne(p, t, param));
  }
  return coerceOne(raw, t, param);
}

const FILTER = /^filter\[([^[\]]*)\]\[([^[\]]*)\]\[([^[\]]*)\]$/;
const FILTER_OR = /^filter_or\[(\d{1,4})\]\[([^[\]]*)\]\[([^[\]]*)\]\[([^[\]]*)\]$/;
const SORT = /^\[([^[\]]+)\](?:\[(asc|desc)\])?$/;
const UINT = /^\d{1,9}$/;

function condition(param: string, field: string, opRaw: string, type: string, value: string): Condition {
  const { op, arrayWhere } = parseOp(opRaw, param);
  const path = parsePath(field, param);
  const v = coerceValue(value, type, op, param);
  if (arrayWhere) {
    if (path.length < 2) throw new QueryError(param, `ARRAY_WHERE_ needs a field of the form <array>.<field>`);
    return { path: path.slice(0, 1), sub: path.slice(1), op, value: v, param };
  }
  return { path, op, value: v, param };
}

/** Ours: at most this many `expand` / `fields` entries (split stops reading past it). */
const MAX_FIELDS = 100;
function fieldList(value: string, param: string): string[] {
  const parts = value.split(',', MAX_FIELDS + 1);
  if (parts.length > MAX_FIELDS) throw new QueryError(param, `at most ${MAX_FIELDS} fields`);
  return parts;
}

/** Parses form-decoded query pairs. Unknown parameters are rejected (naming them). */
export function parseListQuery(pairs: Iterable<[string, string]>): ListQuery {
  const q: ListQuery = { and: [], or: [], offset: 0, expand: [], fields: [] };
  const andByKey = new Map<string, Condition>();
  const orByIndex = new Map<number, Condition>();
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    let m: RegExpExecArray | null;
    if ((m = FILTER.exec(key))) {
      andByKey.set(key, condition(key, m[1], m[2], m[3], value));
    } else if ((m = FILTER_OR.exec(key))) {
      orByIndex.set(Number(m[1]), condition(key, m[2], m[3], m[4], value));
    } else if (key === 'sort' || key === 'limit' || key === 'offset' || key === 'expand' || key === 'fields') {
      // Like Fiber's c.Query: the first occurrence wins.
      if (seen.has(key)) continue;
      seen.add(key);
      if (key === 'sort') {
        const s = SORT.exec(value);
        if (!s) throw new QueryError('sort', `expected [field][asc|desc], got "${value}"`);
        q.sort = { path: parsePath(s[1], 'sort'), dir: (s[2] as 'asc' | 'desc' | undefined) ?? 'asc' };
      } else if (key === 'limit' || key === 'offset') {
        if (!UINT.test(value)) throw new QueryError(key, `"${value}" is not a non-negative integer`);
        if (key === 'limit') q.limit = Number(value);
        else q.offset = Number(value);
      } else if (key === 'expand') {
        q.expand = value === '' ? [] : fieldList(value, 'expand').map((f) => parsePath(f, 'expand').join('.'));
        if (q.expand.some((f) => f.includes('.'))) throw new QueryError('expand', 'only top-level fields can be expanded');
      } else {
        q.fields = value === '' ? [] : fieldList(value, 'fields').map((f) => parsePath(f, 'fields'));
      }
    } else {
      throw new QueryError(key, 'unsupported query parameter');
    }
    if (andByKey.size + orByIndex.size > MAX_CONDITIONS) throw new QueryError(key, `at most ${MAX_CONDITIONS} filters`);
  }
  q.and = [...andByKey.values()];
  q.or = [...orByIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  return q;
}

/** The PATCH twins: the same option map as a JSON object with native values (arrays comma-joined). */
export function parseListQueryBody(body: Record<string, unknown>): ListQuery {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) pairs.push([k, v.map((x) => String(x)).join(',')]);
    else if (v !== null && typeof v === 'object') throw new QueryError(k, 'value must be a string, number, boolean or array');
    else pairs.push([k, String(v)]);
  }
  return parseListQuery(pairs);
}
