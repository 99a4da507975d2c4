/**
 * Conditions and sorts on `records` rows, compiled to SQL here only (values are always bound, never spliced): routes
 * and operations describe what they want, the store owns the SQL.
 */
import type { Row } from './rows.js';

/** A sortable expression: SQL over the `records` row (trusted, from allow-lists) and how to read it from a Row. */
export interface SortSpec {
  name: string;
  sql: string;
  value(row: Row): string | number | null;
  desc: boolean;
}

/** The sorts lists offer: `id`, a row column, or a date of the document (missing dates sort first). */
const SORTS: Record<string, { sql: string; value(r: Row): string | number | null }> = {
  id: { sql: 'id', value: (r) => r.id },
  createdAt: { sql: 'created_at', value: (r) => r.createdAt },
  updatedAt: { sql: 'updated_at', value: (r) => r.updatedAt },
  ...Object.fromEntries(
    ['dueDate', 'startedAt', 'completedAt', 'endedAt'].map((f) => [f, { sql: `COALESCE(json_extract(data, '$.${f}'), '')`, value: (r: Row) => (r.data[f] as string) ?? '' }]),
  ),
};

export function sortSpec(sort: { field: string; desc: boolean }): SortSpec {
  const c = SORTS[sort.field];
  if (!c) throw new Error(`no sort named ${sort.field}`);
  return { name: sort.field, sql: c.sql, value: c.value, desc: sort.desc };
}

/** A column of `records`, or a path into its JSON document (`$.assetId`, `$.procedure.title`). */
export type Field = 'id' | 'parent_id' | 'created_at' | 'updated_at' | `$.${string}`;

/** A condition on `records` rows. */
export type Filter =
  | { eq: Field; value: unknown }
  | { in: Field; values: readonly unknown[] }
  /** Not one of `values` (rows without the field match). */
  | { notIn: Field; values: readonly unknown[] }
  /** A JSON array field with an element in `values` (or, with `key`, an element whose `key` is in `values`). */
  | { has: `$.${string}`; values: readonly unknown[]; key?: string }
  | { hasNot: `$.${string}`; values: readonly unknown[]; key?: string }
  /** A JSON object field with one of `values` as a key. */
  | { hasKey: `$.${string}`; values: readonly string[] }
  /** Case-insensitive substring. */
  | { contains: Field; text: string }
  | { isNull: Field }
  | { notNull: Field }
  /** Field is true / not true (missing counts as false). */
  | { isTrue: Field }
  | { notTrue: Field }
  | { cmp: Field; op: '>=' | '<=' | '>' | '<'; value: unknown }
  | { anyOf: readonly Filter[] }
  | { allOf: readonly Filter[] };

const COLUMNS = new Set(['id', 'parent_id', 'created_at', 'updated_at']);
const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function fieldSql(f: Field): string {
  if (COLUMNS.has(f)) return f;
  if (!PATH.test(f)) throw new Error(`not a field: ${f}`);
  return `json_extract(data, '${f}')`;
}

function pathOf(p: string): string {
  if (!PATH.test(p)) throw new Error(`not a path: ${p}`);
  return p;
}

/** SQL text and bound values of a filter list (joined with AND). */
function compileFilters(filters: readonly Filter[], out: { sql: string[]; args: unknown[] }): void {
  for (const f of filters) out.sql.push(compile(f, out.args));
}

function compile(f: Filter, args: unknown[]): string {
  if ('eq' in f) {
    args.push(f.value);
    return `${fieldSql(f.eq)} = ?`;
  }
  if ('in' in f) {
    args.push(JSON.stringify(f.values));
    return `${fieldSql(f.in)} IN (SELECT value FROM json_each(?))`;
  }
  if ('notIn' in f) {
    args.push(JSON.stringify(f.values));
    const x = fieldSql(f.notIn);
    return `(${x} IS NULL OR ${x} NOT IN (SELECT value FROM json_each(?)))`;
  }
  if ('has' in f || 'hasNot' in f) {
    const path = pathOf('has' in f ? f.has : f.hasNot);
    const el = f.key ? `json_extract(e.value, '${pathOf(`$.${f.key}`)}')` : 'e.value';
    args.push(JSON.stringify(f.values));
    return `${'has' in f ? '' : 'NOT '}EXISTS (SELECT 1 FROM json_each(data, '${path}') AS e WHERE ${el} IN (SELECT value FROM json_each(?)))`;
  }
  if ('hasKey' in f) {
    args.push(JSON.stringify(f.values));
    return `EXISTS (SELECT 1 FROM json_each(data, '${pathOf(f.hasKey)}') AS e WHERE e.key IN (SELECT value FROM json_each(?)))`;
  }
  if ('contains' in f) {
    args.push(f.text);
    return `instr(lower(${fieldSql(f.contains)}), lower(?)) > 0`;
  }
  if ('isNull' in f) return `${fieldSql(f.isNull)} IS NULL`;
  if ('notNull' in f) return `${fieldSql(f.notNull)} IS NOT NULL`;
  if ('isTrue' in f) return `COALESCE(${fieldSql(f.isTrue)}, 0) = 1`;
  if ('notTrue' in f) return `COALESCE(${fieldSql(f.notTrue)}, 0) = 0`;
  if ('cmp' in f) {
    if (!['>=', '<=', '>', '<'].includes(f.op)) throw new Error(`not an operator: ${f.op}`);
    args.push(f.value);
    return `${fieldSql(f.cmp)} ${f.op} ?`;
  }
  const [list, join, none] = 'anyOf' in f ? [f.anyOf, ' OR ', '0'] : [f.allOf, ' AND ', '1'];
  if (list.length === 0) return none;
  return `(${list.map((x) => `(${compile(x, args)})`).join(join)})`;
}

/** One SQL condition for a filter list (`1` when empty) and its bound values. */
export function whereOf(filters: readonly Filter[] | undefined): { sql: string; args: unknown[] } {
  const out = { sql: [] as string[], args: [] as unknown[] };
  compileFilters(filters ?? [], out);
  return { sql: out.sql.length ? out.sql.map((w) => `(${w})`).join(' AND ') : '1', args: out.args };
}
