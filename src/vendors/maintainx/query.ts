/**
 * MaintainX query grammar (pure): repeated-key arrays (`statuses=OPEN&statuses=DONE`), literal bracketed date
 * filters (`updatedAt[gte]=…`), `limit` 1–200, `sort` with a `-` prefix, and the opaque cursor.
 * Every parser throws QueryError with the message the fake returns in `{"error": …}` (400).
 */
export class QueryError extends Error {}

export type Params = Map<string, string[]>;

/** Query string → repeated values per key (keys are decoded, so `updatedAt%5Bgte%5D` is `updatedAt[gte]`). */
export function parseParams(search: string): Params {
  const out: Params = new Map();
  const qs = search.startsWith('?') ? search.slice(1) : search;
  if (!qs) return out;
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new QueryError('Malformed query string');
  }
}

/** The single value of a scalar parameter; repeated scalars are an error. */
export function one(p: Params, name: string): string | undefined {
  const v = p.get(name);
  if (!v) return undefined;
  if (v.length > 1) throw new QueryError(`${name} must be a single value`);
  return v[0];
}

const INT = /^-?\d{1,15}$/;

export function intParam(p: Params, name: string): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (!INT.test(v)) throw new QueryError(`${name} must be integer`);
  return Number(v);
}

export function intList(p: Params, name: string): number[] | undefined {
  const v = p.get(name);
  if (!v) return undefined;
  return v.map((x) => {
    if (!INT.test(x)) throw new QueryError(`${name} must be an array of integers`);
    return Number(x);
  });
}

export function stringList(p: Params, name: string): string[] | undefined {
  return p.get(name);
}

export function enumList<T extends string>(p: Params, name: string, allowed: readonly T[]): T[] | undefined {
  const v = p.get(name);
  if (!v) return undefined;
  for (const x of v) {
    if (!allowed.includes(x as T)) {
      throw new QueryError(`${name} must be equal to one of the allowed values: ${allowed.join(', ')}`);
    }
  }
  // Canonical (deduplicated, in allowed order): repeating a value never makes a new query.
  return allowed.filter((a) => v.includes(a));
}

export function boolParam(p: Params, name: string): boolean | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new QueryError(`${name} must be boolean`);
}

/** `skipWebhook=true|1|yes` (spec wording); anything else means false. */
export function skipWebhook(p: Params): boolean {
  const v = p.get('skipWebhook');
  return !!v && v.some((x) => x === 'true' || x === '1' || x === 'yes');
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An ISO 8601 date-time → canonical `YYYY-MM-DDTHH:mm:ss.sssZ` (the form rows store). */
export function toIso(value: string): string | null {
  if (!DATE_TIME.test(value)) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  if (d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return null;
  return d.toISOString();
}

export function dateParam(p: Params, name: string): string | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  const iso = toIso(v);
  if (!iso) throw new QueryError(`${name} must match format "date-time"`);
  return iso;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 200;

export function limitParam(p: Params): number {
  const v = one(p, 'limit');
  if (v === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,6}$/.test(v)) throw new QueryError('limit must be integer');
  const n = Number(v);
  if (n < 1) throw new QueryError('limit must be >= 1');
  if (n > MAX_LIMIT) throw new QueryError(`limit must be <= ${MAX_LIMIT}`);
  return n;
}

export interface Sort {
  field: string;
  desc: boolean;
}

export function sortParam(p: Params, allowed: readonly string[], fallback: Sort): Sort {
  const v = one(p, 'sort');
  if (v === undefined) return fallback;
  const desc = v.startsWith('-');
  const field = desc ? v.slice(1) : v;
  if (!allowed.includes(field)) {
    throw new QueryError(`sort must be equal to one of the allowed values: ${allowed.flatMap((f) => [f, '-' + f]).join(', ')}`);
  }
  return { field, desc };
}

export function expandParam(p: Params, allowed: readonly string[]): Set<string> {
  const v = p.get('expand');
  if (!v) return new Set();
  for (const x of v) {
    if (!allowed.includes(x)) throw new QueryError(`expand must be equal to one of the allowed values: ${allowed.join(', ')}`);
  }
  return new Set(v);
}

/** Position after the last row of a page: the sort it was made for, the row's sort value and id. */
export interface CursorState {
  sort: string;
  value: string | number | null;
  id: number;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify([c.sort, c.value, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, sort: string): CursorState {
  if (raw.length === 0 || raw.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw new QueryError('Invalid cursor');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new QueryError('Invalid cursor');
  }
  if (
    !Array.isArray(v) ||
    v.length !== 3 ||
    typeof v[0] !== 'string' ||
    !(typeof v[1] === 'string' || typeof v[1] === 'number' || v[1] === null) ||
    !Number.isSafeInteger(v[2])
  ) {
    throw new QueryError('Invalid cursor');
  }
  if (v[0] !== sort) throw new QueryError('Cursor does not match the sort of this query');
  return { sort: v[0], value: v[1], id: v[2] };
}

/** `nextPageUrl`: the request's path and query with `cursor` replaced (inferred format). */
export function nextPageUrl(pathname: string, search: string, cursor: string): string {
  const qs = (search.startsWith('?') ? search.slice(1) : search)
    .split('&')
    .filter((part) => part && decodeSafe(part.split('=')[0]) !== 'cursor');
  qs.push(`cursor=${encodeURIComponent(cursor)}`);
  return `${pathname}?${qs.join('&')}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
