/**
 * Totals and seek marks of list queries (`SELECT * … WHERE <filter> ORDER BY seq`), kept exact across writes.
 *
 * A deep page starts from a seek mark instead of walking every row before it (OFFSET does): a mark is the `seq` of a
 * row of the list and the number of list rows before it, one about every MARK_STEP rows, found by walking the list's
 * index only as far as a page asked. A status change moves a weld in or out of status-filtered lists: the marks and
 * totals of those lists are adjusted (±1 after the weld's seq) instead of dropped, so paging stays cheap while
 * inspectors write. Bulk inserts and resets clear everything.
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

/** Rows between two seek marks (a deep page skips fewer than about this many rows). */
const MARK_STEP = 128;
/** Lists whose totals and marks are kept (oldest dropped first); marks cost 16 bytes per MARK_STEP rows. */
const MAX_LISTS = 1024;

interface Entry {
  query: ListQuery;
  table: ListQuery['table'];
  /** Fixed SQL fragments (never client text); every value is in `params`. */
  where: string;
  params: unknown[];
  /** The index the page and mark walks use, named so the plan does not depend on planner statistics. */
  index: string;
  total: number | undefined;
  /** Marked rows: their seq, and how many rows of the list come before each. */
  seqs: number[];
  ranks: number[];
  /** Rows walked so far (the list rows up to and including `lastSeq`); complete once the walk found the end. */
  walked: number;
  lastSeq: number;
  complete: boolean;
}

export class ListIndex {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sql: Statements) {}

  clear(): void {
    this.entries.clear();
  }

  page<T>(query: ListQuery, offset: number, limit: number): Page<T> {
    const e = this.entry(query);
    const { table, index, where, params } = e;
    const total = (e.total ??= (this.sql.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}`).pluck().get(...params) as number));
    if (offset >= total) return { rows: [], total };
    if (offset < MARK_STEP) {
      const rows = this.sql.prepare(`SELECT * FROM ${table} INDEXED BY ${index} WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(...params, limit, offset) as T[];
      return { rows, total };
    }
    this.walk(e, offset);
    let lo = 0;
    let hi = e.ranks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e.ranks[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    // The skip after the mark walks the index only; then one seek fetches the page's rows.
    const rows = this.sql
      .prepare(
        `SELECT * FROM ${table} INDEXED BY ${index} WHERE ${where} AND seq >= (
           SELECT seq FROM ${table} INDEXED BY ${index} WHERE ${where} AND seq >= ? ORDER BY seq LIMIT 1 OFFSET ?)
         ORDER BY seq LIMIT ?`,
      )
      .all(...params, ...params, e.seqs[lo], offset - e.ranks[lo], limit) as T[];
    return { rows, total };
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
    for (let i = 0; i < e.seqs.length; i++) if (e.seqs[i] > seq) e.ranks[i] += d;
    if (seq <= e.lastSeq) e.walked += d;
  }

  /** Extends the marks until they reach `offset` (or the end of the list). */
  private walk(e: Entry, offset: number): void {
    while (!e.complete && e.walked <= offset) {
      const want = offset - e.walked + MARK_STEP;
      const seqs = this.sql
        .prepare(`SELECT seq FROM ${e.table} INDEXED BY ${e.index} WHERE ${e.where} AND seq > ? ORDER BY seq LIMIT ?`)
        .pluck()
        .all(...e.params, e.lastSeq, want) as number[];
      for (const seq of seqs) {
        const n = e.ranks.length;
        if (n === 0 || e.walked - e.ranks[n - 1] >= MARK_STEP) {
          e.seqs.push(seq);
          e.ranks.push(e.walked);
        }
        e.walked++;
        e.lastSeq = seq;
      }
      if (seqs.length < want) e.complete = true;
    }
  }

  private entry(query: ListQuery): Entry {
    const statuses = query.statuses?.length ? [...query.statuses].sort() : undefined;
    const key = [query.table, query.tenant, query.isoId ?? '', query.welderId ?? '', statuses?.join(',') ?? ''].join('\u0000');
    let e = this.entries.get(key);
    if (!e) {
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
      e = { query: { ...query, statuses }, table: query.table, where, params, index, total: undefined, seqs: [], ranks: [], walked: 0, lastSeq: Number.MIN_SAFE_INTEGER, complete: false };
      if (this.entries.size >= MAX_LISTS) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, e);
    }
    return e;
  }
}
