/**
 * Query-string parsing for list endpoints (pure; queryProblem turns a refusal into the 400 problem). Convention
 * (inferred; the docs say nothing): 1-based `page` and `pageSize`; filters `isoId`, `status` (one status or a
 * comma-separated list) and `welderId`. Unknown parameters, repeated parameters and out-of-range values are refused,
 * never ignored.
 */
import { problems, type Problem } from './errors.js';
import { WELD_STATUSES, type WeldStatus } from './model.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; kind: 'unknown'; names: string[] } | { ok: false; kind: 'invalid'; detail: string };

export interface Paging { page: number; pageSize: number; offset: number }
export interface WeldQuery extends Paging { isoId?: string; statuses?: WeldStatus[]; welderId?: string }

export const ISO_QUERY = ['page', 'pageSize'] as const;
export const WELD_QUERY = ['page', 'pageSize', 'isoId', 'status', 'welderId'] as const;

const POSITIVE_INT = /^[1-9][0-9]{0,8}$/;

/** Parses the raw pairs of a query string, refusing unknown and repeated names. */
export function checkNames(pairs: Array<[string, string]>, allowed: readonly string[]): Parsed<Map<string, string>> {
  const unknown = [...new Set(pairs.map(([k]) => k).filter((k) => !allowed.includes(k)))];
  if (unknown.length) return { ok: false, kind: 'unknown', names: unknown };
  const out = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (out.has(k)) return { ok: false, kind: 'invalid', detail: `Query parameter ${k} is given more than once.` };
    out.set(k, v);
  }
  return { ok: true, value: out };
}

export function parsePaging(q: Map<string, string>, defaultPageSize: number, maxPageSize: number): Parsed<Paging> {
  let page = 1;
  let pageSize = defaultPageSize;
  const p = q.get('page');
  if (p !== undefined) {
    if (!POSITIVE_INT.test(p)) return { ok: false, kind: 'invalid', detail: 'page must be a positive integer.' };
    page = Number(p);
  }
  const s = q.get('pageSize');
  if (s !== undefined) {
    if (!POSITIVE_INT.test(s) || Number(s) > maxPageSize) {
      return { ok: false, kind: 'invalid', detail: `pageSize must be an integer from 1 to ${maxPageSize}.` };
    }
    pageSize = Number(s);
  }
  return { ok: true, value: { page, pageSize, offset: (page - 1) * pageSize } };
}

export function parseWeldQuery(pairs: Array<[string, string]>, defaultPageSize: number, maxPageSize: number): Parsed<WeldQuery> {
  const names = checkNames(pairs, WELD_QUERY);
  if (!names.ok) return names;
  const q = names.value;
  const paging = parsePaging(q, defaultPageSize, maxPageSize);
  if (!paging.ok) return paging;
  const out: WeldQuery = { ...paging.value };
  for (const key of ['isoId', 'welderId'] as const) {
    const v = q.get(key);
    if (v === undefined) continue;
    if (v === '' || v.length > 100) return { ok: false, kind: 'invalid', detail: `${key} must be a non-empty id.` };
    out[key] = v;
  }
  const status = q.get('status');
  if (status !== undefined) {
    const parts = status.split(',').map((s) => s.trim());
    const bad = parts.filter((s) => !(WELD_STATUSES as readonly string[]).includes(s));
    if (bad.length) {
      return {
        ok: false,
        kind: 'invalid',
        detail: `status must be one or more of ${WELD_STATUSES.join(', ')} (comma-separated); got ${JSON.stringify(status)}.`,
      };
    }
    out.statuses = [...new Set(parts)] as WeldStatus[];
  }
  return { ok: true, value: out };
}

export function parseIsoQuery(pairs: Array<[string, string]>, defaultPageSize: number, maxPageSize: number): Parsed<Paging> {
  const names = checkNames(pairs, ISO_QUERY);
  if (!names.ok) return names;
  return parsePaging(names.value, defaultPageSize, maxPageSize);
}

/** The 400 problem of a refused query string. */
export function queryProblem(q: Extract<Parsed<unknown>, { ok: false }>, allowed: readonly string[]): Problem {
  return q.kind === 'unknown' ? problems.unknownQuery(q.names, allowed) : problems.invalidQuery(q.detail);
}
