/**
 * Totals and seek marks of list queries (`SELECT … WHERE <filter> ORDER BY seq`), kept exact across writes.
 *
 * A deep page starts from a seek mark instead of walking every row before it (OFFSET does): a mark is the `seq` of a
 * row and the number of list rows before it. A list's first read walks its index to the end (which also gives its
 * total), a bounded slice per `seek` call. Bounds, whatever the data or the page (MARK_LIMITS): two marks are at most
 * 2 × the list's step rows apart (a page skips fewer rows than that), a list keeps at most `maxMarks` marks (past
 * that, every other one is dropped and its step doubles), and all lists together at most `budget` marks (least
 * recently used lists dropped first). A status change moves a weld in or out of status-filtered lists: their marks and totals are
 * adjusted (±1 after the weld's seq) instead of dropped, so paging stays cheap while inspectors write. Bulk inserts and
 * resets clear everything.
 */
import type { Statements } from './statements.js';
import type { WeldStatus } from '../model.js';
import type { Page, WeldRow } from './rows.js';

export interface ListQuery {
  table: 'welds' | 'isos';
  tenant: string;
  isoId?: string;
  welderId?: string;
  statuses?: readonly WeldStatus[];
}

/**
 * What a page's rows are: fixed SQL (never client text) over the list's table, as objects or (raw) arrays. With
 * `outer`, the page is one row: `outer` (aggregates) over the page's rows, which it reads in seq order.
 */
export interface Select {
  columns: string;
  raw: boolean;
  outer?: string;
}

const ALL_COLUMNS: Select = { columns: '*', raw: false };

export interface MarkLimits {
  /** Rows between two seek marks of a new list. */
  step: number;
  /** Marks of one list (past it, every other one goes and the step doubles). */
  maxMarks: number;
  /** Marks of all lists together (least recently used lists dropped first). */
  budget: number;
  /** Index rows one `seek` call walks at most (or one step, when a very large list's step is longer). */
  slice: number;
}

/**
 * 2,048 marks cover 262,144 rows at step 128 (a larger list thins to step 256, …); 65,536 marks of two numbers are
 * about 1 MiB; a slice of 16,384 index rows is about a millisecond, so a large list's first page takes several turns.
 */
export const MARK_LIMITS: MarkLimits = { step: 128, maxMarks: 2048, budget: 65_536, slice: 16_384 };
/** Lists whose totals and marks are kept (least recently used dropped first). */
const MAX_LISTS = 1024;

interface Entry {
  query: ListQuery;
  table: ListQuery['table'];
  /** Fixed SQL fragments (never client text); every value is in `params`. */
  where: string;
  params: unknown[];
  /** The index the page and mark walks use, named so the plan does not depend on planner statistics. */
  index: string;
  /** Rows in the list: known once a walk reached its end, then kept exact. */
  total: number | undefined;
  /**
   * Marks: a row's seq, and how many list rows have a smaller seq (exact, whether that row is still in the list or
   * not). Mark 0 is (−∞, 0); the walk goes on from the last one, `step` rows at a time.
   */
  seqs: number[];
  ranks: number[];
  step: number;
  /** The page SQL of each Select used: the same string each time, so the statement lookup does not hash it again. */
  pageSql: Map<Select, string>;
}

export class ListIndex {
  private readonly entries = new Map<string, Entry>();
  private marks = 0;

  constructor(
    private readonly sql: Statements,
    private readonly limits: MarkLimits = MARK_LIMITS,
  ) {}

  clear(): void {
    this.entries.clear();
    this.marks = 0;
  }

  /** Marks kept over all lists (tests check the bound). */
  markCount(): number {
    return this.marks;
  }

  /** A copy of one list's marks, when kept (tests check their bounds and exactness). */
  inspect(query: ListQuery): { seqs: number[]; ranks: number[]; step: number; total: number | undefined } | undefined {
    const e = this.entries.get(this.key(query));
    return e && { seqs: [...e.seqs], ranks: [...e.ranks], step: e.step, total: e.total };
  }

  /**
   * Walks at most `slice` index rows (or one step) of the list; true once its pages need no more walking (its total is known
   * and every page starts fewer than 2 × step rows after a mark). Callers that must not block call this, yielding
   * between calls, before `page`.
   */
  seek(query: ListQuery): boolean {
    const e = this.entry(query);
    if (!this.ready(e)) this.walk(e, this.limits.slice);
    return this.ready(e);
  }

  /** The rows of one page; `select` names what each row is (every column by default, as objects). */
  page<T>(query: ListQuery, offset: number, limit: number, select: Select = ALL_COLUMNS): Page<T> {
    const e = this.entry(query);
    // Without a seek first, the walk is as long as the list needs.
    while (!this.ready(e)) this.walk(e, this.limits.slice);
    const { params } = e;
    const total = e.total!;
    if (offset >= total) return { rows: [], total };
    const i = lastAtMost(e.ranks, offset);
    // The page is the rows from the one `offset` to the one `offset + limit - 1` (or the end), both found by a skip
    // from the mark. Bounds instead of a LIMIT: with `LIMIT ?` SQLite takes a third longer over the weld JSON select.
    const rows = this.sql
      .prepare(this.pageSql(e, select))
      .raw(select.raw)
      .all(...params, ...params, e.seqs[i], offset - e.ranks[i], ...params, e.seqs[i], offset - e.ranks[i] + limit - 1) as T[];
    return { rows, total };
  }

  private pageSql(e: Entry, select: Select): string {
    let sql = e.pageSql.get(select);
    if (sql === undefined) {
      const { table, index, where } = e;
      const skip = `SELECT seq FROM ${table} INDEXED BY ${index} WHERE ${where} AND seq >= ? ORDER BY seq LIMIT 1 OFFSET ?`;
      sql = `SELECT ${select.columns} FROM ${table} INDEXED BY ${index} WHERE ${where} AND seq BETWEEN (${skip}) AND coalesce((${skip}), ${Number.MAX_SAFE_INTEGER}) ORDER BY seq`;
      // SQLite does not flatten an ordered subquery into an aggregate: the aggregate reads its rows in that order
      // (an aggregate's own ORDER BY would sort them again: a quarter more time for a weld page). The tests pin the order.
      if (select.outer) sql = `SELECT ${select.outer} FROM (${sql})`;
      e.pageSql.set(select, sql);
    }
    return sql;
  }

  /** A weld's status changed from `from` to its current one: every list it entered or left shifts by one after it. */
  statusChanged(weld: WeldRow, from: WeldStatus): void {
    for (const e of this.entries.values()) {
      const q = e.query;
      if (q.table !== 'welds' || !q.statuses || q.tenant !== weld.tenant) continue;
      if ((q.isoId !== undefined && q.isoId !== weld.iso_id) || (q.welderId !== undefined && q.welderId !== weld.welder_id)) continue;
      const before = q.statuses.includes(from);
      const after = q.statuses.includes(weld.status);
      if (before !== after) this.shift(e, weld.seq, after ? 1 : -1);
    }
  }

  private shift(e: Entry, seq: number, d: 1 | -1): void {
    if (e.total !== undefined) e.total += d;
    // Marks after the weld count one row more or less before them; the gap holding it grows or shrinks by one.
    const i = lastAtMost(e.seqs, seq);
    for (let j = i + 1; j < e.seqs.length; j++) e.ranks[j] += d;
    // A gap that grew past two steps is walked again (rows entering a list between two marks); `ready` sees the tail.
    if (d === 1 && i + 1 < e.seqs.length && e.ranks[i + 1] - e.ranks[i] > 2 * e.step) this.truncate(e, i + 1);
  }

  /** The total is known and the rows after the last mark are at most two steps. */
  private ready(e: Entry): boolean {
    return e.total !== undefined && e.total - e.ranks[e.ranks.length - 1] <= 2 * e.step;
  }

  /** Adds marks (and finds the total at the end of the list), walking about `budget` index rows at most. */
  private walk(e: Entry, budget: number): void {
    const { table, index, where, params } = e;
    const next = this.sql.prepare(`SELECT seq FROM ${table} INDEXED BY ${index} WHERE ${where} AND seq >= ? ORDER BY seq LIMIT 1 OFFSET ?`).pluck();
    for (let walked = 0; walked < budget && !this.ready(e); walked += e.step) {
      const last = e.seqs.length - 1;
      // The row `step` rows after the last mark (rows from its seq on start at its rank).
      const seq = next.get(...params, e.seqs[last], e.step) as number | undefined;
      if (seq === undefined) {
        // At most `step` rows left: the total, once (shifts keep it exact afterwards).
        e.total ??= e.ranks[last] + (this.sql.prepare(`SELECT COUNT(*) FROM ${table} INDEXED BY ${index} WHERE ${where} AND seq >= ?`).pluck().get(...params, e.seqs[last]) as number);
        return;
      }
      e.seqs.push(seq);
      e.ranks.push(e.ranks[last] + e.step);
      this.marks++;
      if (e.seqs.length > this.limits.maxMarks) this.thin(e);
      if (this.marks > this.limits.budget) this.evict(e);
    }
  }

  /** Keeps every other mark (mark 0 included) and doubles the step: gaps stay within 2 × step. */
  private thin(e: Entry): void {
    const kept = Math.ceil(e.seqs.length / 2);
    for (let i = 1; i < kept; i++) {
      e.seqs[i] = e.seqs[2 * i];
      e.ranks[i] = e.ranks[2 * i];
    }
    this.truncate(e, kept);
    e.step *= 2;
  }

  /** Drops the marks from index `from` on (the walk continues from the last one left). */
  private truncate(e: Entry, from: number): void {
    this.marks -= e.seqs.length - from;
    e.seqs.length = from;
    e.ranks.length = from;
  }

  /** Drops least recently used lists until the marks fit the budget (never `keep`, the one being walked). */
  private evict(keep: Entry): void {
    for (const [key, e] of this.entries) {
      if (this.marks <= this.limits.budget) return;
      if (e === keep) continue;
      this.marks -= e.seqs.length - 1;
      this.entries.delete(key);
    }
  }

  private key(query: ListQuery): string {
    const statuses = query.statuses?.length ? [...query.statuses].sort() : undefined;
    return [query.table, query.tenant, query.isoId ?? '', query.welderId ?? '', statuses?.join(',') ?? ''].join('\u0000');
  }

  private entry(query: ListQuery): Entry {
    const statuses = query.statuses?.length ? [...query.statuses].sort() : undefined;
    const key = this.key(query);
    let e = this.entries.get(key);
    if (e) {
      // Most recently used last (eviction takes the first).
      this.entries.delete(key);
      this.entries.set(key, e);
      return e;
    }
    let where = 'tenant = ?';
    const params: unknown[] = [query.tenant];
    let index = query.table === 'isos' ? 'isos_tenant' : 'welds_tenant';
    if (query.isoId !== undefined) {
      where += ' AND iso_id = ?';
      params.push(query.isoId);
      index = 'welds_iso';
    }
    if (query.welderId !== undefined) {
      where += ' AND welder_id = ?';
      params.push(query.welderId);
      if (query.isoId === undefined) index = 'welds_welder';
    }
    if (statuses) {
      where += ` AND status IN (${statuses.map(() => '?').join(', ')})`;
      params.push(...statuses);
    }
    e = { query: { ...query, statuses }, table: query.table, where, params, index, total: undefined, seqs: [Number.MIN_SAFE_INTEGER], ranks: [0], step: this.limits.step, pageSql: new Map() };
    if (this.entries.size >= MAX_LISTS) {
      const [oldKey, old] = this.entries.entries().next().value!;
      this.marks -= old.seqs.length - 1;
      this.entries.delete(oldKey);
    }
    this.entries.set(key, e);
    return e;
  }
}

/** The index of the last element of `xs` (ascending, xs[0] ≤ v) that is at most v. */
function lastAtMost(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
