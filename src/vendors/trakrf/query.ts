/**
 * TrakRF's query-string rules (trakrf.md §4.1, §5.2, §6): pure functions from the raw query to parsed values or
 * field errors. Repeated scalar keys: the first value wins; booleans: every value must be `true`/`false`.
 */
import { CONTROL_EXCEPT_WS, EXTERNAL_KEY_PATTERN, EXTERNAL_KEY_RE } from './body.js';
import { field, type FieldError } from './errors.js';
import type { SortSpec } from './store/index.js';
import { parseRfc3339Ms } from '../../core/time.js';

export type Query = Map<string, string[]>;

export function parseQuery(search: string): Query {
  const out: Query = new Map();
  for (const [k, v] of new URLSearchParams(search)) {
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

const hasControl = (s: string): boolean => CONTROL_EXCEPT_WS.test(s);

/** Go's %q for the strings we quote (close enough: JSON escaping of a Go string literal). */
const goQuote = (s: string): string => JSON.stringify(s);

export type FilterKind = 'external_key' | 'bool' | 'text' | 'id' | 'timestamp';

export interface ListSpec {
  sortFields: readonly string[];
  /** Filters this endpoint accepts, by kind. */
  filters: Record<string, FilterKind>;
  /** Pairs that are mutually exclusive (e.g. parent_id ⊕ parent_external_key). */
  exclusive?: Array<[string, string]>;
  /** Tree endpoints reject `sort` with their own message. */
  noSort?: boolean;
}

export interface ListParams {
  limit: number;
  offset: number;
  sort: SortSpec;
  /** Repeatable filters: every (valid) value. */
  lists: Record<string, string[]>;
  bools: Record<string, boolean>;
  /** Single-valued filters (first value). */
  values: Record<string, string>;
  ids: Record<string, number[]>;
  times: Record<string, Date>;
}

const INT = /^[+-]?\d+$/;

function parseLimit(v: string, errors: FieldError[]): number {
  if (v === '') return 50;
  if (!INT.test(v) || !Number.isSafeInteger(Number(v))) {
    errors.push(field('limit', 'invalid_value', 'limit must be a positive integer'));
    return 50;
  }
  const n = Number(v);
  if (n < 1) errors.push(field('limit', 'too_small', 'limit must be ≥ 1', { min: 1 }));
  else if (n > 200) errors.push(field('limit', 'too_large', 'limit must be ≤ 200', { max: 200 }));
  return n;
}

function parseOffset(v: string, errors: FieldError[]): number {
  if (v === '') return 0;
  if (!INT.test(v) || !Number.isSafeInteger(Number(v))) {
    errors.push(field('offset', 'invalid_value', 'offset must be a non-negative integer'));
    return 0;
  }
  const n = Number(v);
  if (n < 0) errors.push(field('offset', 'too_small', 'offset must be ≥ 0', { min: 0 }));
  return n;
}

export function parseSort(v: string, allowed: readonly string[], errors: FieldError[]): SortSpec {
  const out: SortSpec = [];
  for (const raw of v.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const desc = token.startsWith('-');
    const name = desc ? token.slice(1).trim() : token;
    if (!allowed.includes(name)) {
      errors.push(field('sort', 'invalid_value', `unknown sort field: ${name}`));
      continue;
    }
    // The backend passes every term to ORDER BY; a repeated column cannot change the order its first occurrence
    // set, so only the first is kept (the same rows in the same order, and SQLite's 2,000-term limit is never reached).
    if (!out.some((s) => s.field === name)) out.push({ field: name, desc });
  }
  return out;
}

/** A strict RFC 3339 timestamp (any offset, calendar dates only) as a Date, or null (core `parseRfc3339` is the lax control-plane parser). */
export function parseStrictTimestamp(v: string): Date | null {
  const ms = parseRfc3339Ms(v);
  return ms === null ? null : new Date(ms);
}

/** Parses a list endpoint's query. Returns the params, or every field error found (unknown keys first). */
export function parseListParams(query: Query, spec: ListSpec): { params: ListParams; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const params: ListParams = { limit: 50, offset: 0, sort: [], lists: {}, bools: {}, values: {}, ids: {}, times: {} };
  const known = new Set(['limit', 'offset', ...(spec.noSort ? [] : ['sort']), ...Object.keys(spec.filters)]);
  const keys = [...query.keys()].sort();
  for (const key of keys) {
    if (key === 'sort' && spec.noSort) {
      errors.push(field('sort', 'invalid_value', 'sort parameter not supported on this endpoint'));
    } else if (!known.has(key)) {
      errors.push(field(key, 'unknown_field', `unknown parameter: ${key}`));
    }
  }
  for (const key of keys) {
    if (!known.has(key)) continue;
    const values = query.get(key)!;
    if (values.some(hasControl)) {
      errors.push(field(key, 'invalid_value', `${key} must not contain control characters (NUL, etc.)`));
      continue;
    }
    const first = values[0];
    if (key === 'limit') params.limit = parseLimit(first, errors);
    else if (key === 'offset') params.offset = parseOffset(first, errors);
    else if (key === 'sort') params.sort = parseSort(first, spec.sortFields, errors);
    else {
      switch (spec.filters[key]) {
        case 'external_key': {
          const ok: string[] = [];
          for (const v of values) {
            if (EXTERNAL_KEY_RE.test(v)) ok.push(v);
            else errors.push(field(key, 'invalid_value', `${key} ${goQuote(v)} must match ${EXTERNAL_KEY_PATTERN}`, { pattern: EXTERNAL_KEY_PATTERN }));
          }
          params.lists[key] = ok;
          break;
        }
        case 'id': {
          const ok: number[] = [];
          for (const v of values) {
            const n = Number(v);
            if (/^\d+$/.test(v) && Number.isSafeInteger(n) && n >= 1) ok.push(n);
            else errors.push(field(key, 'invalid_value', `${key} ${goQuote(v)} must be a positive integer`));
          }
          params.ids[key] = ok;
          break;
        }
        case 'bool':
          if (values.every((v) => v === 'true' || v === 'false')) params.bools[key] = first === 'true';
          else errors.push(field(key, 'invalid_value', `${key} must be 'true' or 'false'`));
          break;
        case 'timestamp': {
          const d = parseStrictTimestamp(first);
          if (d) params.times[key] = d;
          else errors.push(field(key, 'invalid_value', `Invalid '${key}' timestamp; expected RFC 3339, e.g. 2026-04-21T00:00:00.000Z`));
          break;
        }
        case 'text':
          params.values[key] = first;
          break;
      }
    }
  }
  for (const [a, b] of spec.exclusive ?? []) {
    if (query.has(a) && query.has(b)) {
      const message = `${a} and ${b} are mutually exclusive; supply exactly one`;
      errors.push(field(a, 'ambiguous_fields', message), field(b, 'ambiguous_fields', message));
    }
  }
  return { params, errors };
}

/** List-endpoint filters (RejectQueryParams names these `invalid_context` on detail/write endpoints). */
const LIST_FILTERS = new Set([
  'asset_external_key',
  'asset_id',
  'external_key',
  'include_deleted',
  'is_active',
  'location_external_key',
  'location_id',
  'parent_external_key',
  'parent_id',
  'q',
]);

/** `RejectQueryParams`: detail GETs, writes and /orgs/me accept no query parameter at all. */
export function rejectQueryParams(query: Query, path: string): FieldError[] {
  const sibling = path.slice(0, path.lastIndexOf('/'));
  const isListSibling = sibling === '/api/v1/assets' || sibling === '/api/v1/locations';
  return [...query.keys()].sort().map((key) => {
    if (key === 'include_deleted') {
      return field(
        key,
        'invalid_context',
        `include_deleted is a list-only filter; soft-deleted records are not retrievable by id (the natural key is freed for reuse on soft-delete). Use ${sibling}?external_key=<key>&include_deleted=true to retrieve soft-deleted rows by natural key.`,
      );
    }
    if (LIST_FILTERS.has(key)) {
      return field(
        key,
        'invalid_context',
        isListSibling
          ? `${key} is a list-endpoint filter and is not allowed on this endpoint; see GET ${sibling} for the supported filter parameters.`
          : `${key} is a list-endpoint filter and is not allowed on this endpoint.`,
      );
    }
    return field(key, 'unknown_field', `unknown parameter: ${key}`);
  });
}

/** Path ids (`parseid.go`): `<name> must be an integer` / `<name> must be ≥ 1`. */
export function parsePathId(name: string, raw: string): { id: number } | { error: FieldError } {
  const big = /^[+-]?\d{1,30}$/.test(raw) ? BigInt(raw) : null;
  if (big === null || big > 9223372036854775807n || big < -9223372036854775808n) {
    return { error: field(name, 'invalid_value', `${name} must be an integer`) };
  }
  if (big < 1n) return { error: field(name, 'too_small', `${name} must be ≥ 1`, { min: 1 }) };
  return { id: Number(big) };
}
