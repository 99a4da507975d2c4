/**
 * Named queries on `records`, the one table every API entity lives in (kind + organization + JSON document). Lists
 * seek: one organization's list uses `org_id = ?` and the `(kind, org_id, sort, id)` indexes, and a cursor is
 * `sort ≥ v AND (sort > v OR id > id₀)`.
 */
import type { CursorState } from '../query.js';
import { whereOf, type Filter, type SortSpec } from './filters.js';
import { toRow, type Conn, type Json, type RawRow, type Row } from './rows.js';

export interface ListOptions {
  kind: string;
  orgIds: number[];
  parentId?: number;
  filters?: readonly Filter[];
  sort: SortSpec;
  cursor?: CursorState;
  limit: number;
  /** Rows shared across organizations: also those whose document names one of `orgIds` in this JSON field. */
  alsoOrgField?: string;
}

export class RecordStore {
  constructor(private readonly conn: Conn) {}

  private get h() {
    return this.conn.handle;
  }

  /**
   * The earliest start date after `nowIso` among the live work orders of `orgIds` (null when none): the next instant
   * a work-order list that hides upcoming work orders changes without a write.
   */
  nextStart(orgIds: readonly number[], nowIso: string): string | null {
    const st = this.h.prepare(
      "SELECT MIN(json_extract(data, '$.startDate')) FROM records INDEXED BY records_wo_start WHERE kind = 'workOrder' AND deleted_at IS NULL AND org_id = ? AND json_extract(data, '$.startDate') > ?",
    );
    let next: string | null = null;
    for (const o of orgIds) {
      const v = st.pluck().get(o, nowIso) as unknown;
      if (v !== null && (next === null || String(v) < next)) next = String(v);
    }
    return next;
  }

  nextSeq(orgId: number, name: string): number {
    this.conn.writing();
    const r = this.h
      .prepare(
        `INSERT INTO counters (org_id, name, value) VALUES (?, ?, 1)
         ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(orgId, name) as { value: number };
    return r.value;
  }

  insert(kind: string, orgId: number, data: Json, opts: { parentId?: number | null; seq?: number | null; at?: string } = {}): Row {
    this.conn.writing();
    const at = opts.at ?? this.conn.nowIso();
    const r = this.h
      .prepare(
        `INSERT INTO records (kind, org_id, parent_id, seq, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(kind, orgId, opts.parentId ?? null, opts.seq ?? null, JSON.stringify(data), at, at) as RawRow;
    return toRow(r);
  }

  /** Sets a row's creation and update time (the seed stamps demo rows from the fixtures' epoch). */
  stamp(id: number, at: string): void {
    this.h.prepare('UPDATE records SET created_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
  }

  /** Sets one field of a row's document (`$.name`) to a JSON value; the other fields and their order stay. */
  setField(id: number, path: string, value: unknown): void {
    this.h.prepare('UPDATE records SET data = json_set(data, ?, json(?)) WHERE id = ?').run(path, JSON.stringify(value), id);
  }

  /** A live (not deleted) row of `kind` in one of `orgIds`. */
  get(kind: string, id: number, orgIds: number[]): Row | null {
    const r = this.h
      .prepare(
        `SELECT * FROM records WHERE id = ? AND kind = ? AND deleted_at IS NULL AND org_id IN (SELECT value FROM json_each(?))`,
      )
      .get(id, kind, JSON.stringify(orgIds)) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  /** A live row of `kind` in any organization (for capability links such as a work permit's external link). */
  getAnyOrg(kind: string, id: number): Row | null {
    const r = this.h.prepare('SELECT * FROM records WHERE id = ? AND kind = ? AND deleted_at IS NULL').get(id, kind) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  /** A live row of `kind` owned by one of `orgIds` or naming one of them in `field` (cross-organization rows). */
  getShared(kind: string, id: number, orgIds: number[], field: string): Row | null {
    const r = this.h
      .prepare(
        `SELECT * FROM records WHERE id = ? AND kind = ? AND deleted_at IS NULL AND (org_id IN (SELECT value FROM json_each(?)) OR json_extract(data, '$.${field}') IN (SELECT value FROM json_each(?)))`,
      )
      .get(id, kind, JSON.stringify(orgIds), JSON.stringify(orgIds)) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  getBySeq(kind: string, seq: number, orgIds: number[]): Row | null {
    const r = this.h
      .prepare(
        `SELECT * FROM records WHERE seq = ? AND kind = ? AND deleted_at IS NULL AND org_id IN (SELECT value FROM json_each(?)) ORDER BY org_id LIMIT 1`,
      )
      .get(seq, kind, JSON.stringify(orgIds)) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  getChild(kind: string, id: number, parentId: number): Row | null {
    const r = this.h
      .prepare(`SELECT * FROM records WHERE id = ? AND kind = ? AND parent_id = ? AND deleted_at IS NULL`)
      .get(id, kind, parentId) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  /** Replaces the data; bumps updatedAt unless `touch` is false. */
  update(row: Row, data: Json, touch = true, now?: string): Row {
    this.conn.writing();
    const at = touch ? (now ?? this.conn.nowIso()) : row.updatedAt;
    const r = this.h
      .prepare('UPDATE records SET data = ?, updated_at = ? WHERE id = ? RETURNING *')
      .get(JSON.stringify(data), at, row.id) as RawRow;
    return toRow(r);
  }

  softDelete(row: Row): void {
    this.conn.writing();
    const at = this.conn.nowIso();
    this.h.prepare('UPDATE records SET deleted_at = ?, updated_at = ? WHERE id = ?').run(at, at, row.id);
  }

  /** Live rows of `kind` in one organization matching `filters`, by id. */
  find(kind: string, orgId: number, ...filters: Filter[]): Row[] {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT * FROM records WHERE kind = ? AND org_id = ? AND deleted_at IS NULL AND ${w.sql} ORDER BY id`)
        .all(kind, orgId, ...w.args) as RawRow[]
    ).map(toRow);
  }

  /** Open work orders (not done, canceled or skipped) of every organization whose due date is in (from, to]. */
  dueBetween(from: string, to: string): Row[] {
    return (
      this.h
        .prepare(
          `SELECT * FROM records INDEXED BY records_wo_due WHERE kind = 'workOrder' AND deleted_at IS NULL AND json_extract(data, '$.dueDate') > ? AND json_extract(data, '$.dueDate') <= ? AND json_extract(data, '$.status') NOT IN ('DONE', 'CANCELED', 'SKIPPED') ORDER BY id`,
        )
        .all(from, to) as RawRow[]
    ).map(toRow);
  }

  /** Live rows of `kind` under one parent (comments of a work order, readings of a meter…), oldest first. */
  children(kind: string, parentId: number, ...filters: Filter[]): Row[] {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT * FROM records INDEXED BY records_kind_parent WHERE kind = ? AND parent_id = ? AND deleted_at IS NULL AND ${w.sql} ORDER BY id`)
        .all(kind, parentId, ...w.args) as RawRow[]
    ).map(toRow);
  }

  countChildren(kind: string, parentId: number, ...filters: Filter[]): number {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT COUNT(*) AS n FROM records INDEXED BY records_kind_parent WHERE kind = ? AND parent_id = ? AND deleted_at IS NULL AND ${w.sql}`)
        .get(kind, parentId, ...w.args) as { n: number }
    ).n;
  }

  count(kind: string, orgId: number, ...filters: Filter[]): number {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT COUNT(*) AS n FROM records WHERE kind = ? AND org_id = ? AND deleted_at IS NULL AND ${w.sql}`)
        .get(kind, orgId, ...w.args) as { n: number }
    ).n;
  }

  /** One page in (sort, id) keyset order: stable while rows are inserted or changed elsewhere. */
  list(o: ListOptions): { rows: Row[]; more: boolean } {
    // The kind is written into the SQL (a name from code) so the per-kind sort indexes apply.
    if (!/^[A-Za-z]+$/.test(o.kind)) throw new Error(`not a kind: ${o.kind}`);
    const where = [`kind = '${o.kind}'`, 'deleted_at IS NULL'];
    const params: unknown[] = [];
    if (o.alsoOrgField) {
      // Trusted field name (from code, never from a request).
      where.push(`(org_id IN (SELECT value FROM json_each(?)) OR json_extract(data, '$.${o.alsoOrgField}') IN (SELECT value FROM json_each(?)))`);
      params.push(JSON.stringify(o.orgIds), JSON.stringify(o.orgIds));
    } else if (o.orgIds.length === 1) {
      // One organization: the (kind, org_id, sort, id) indexes serve the order and the cursor seek.
      where.push('org_id = ?');
      params.push(o.orgIds[0]);
    } else {
      where.push('org_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(o.orgIds));
    }
    if (o.parentId !== undefined) {
      where.push('parent_id = ?');
      params.push(o.parentId);
    }
    if (o.filters?.length) {
      const w = whereOf(o.filters);
      where.push(w.sql);
      params.push(...w.args);
    }
    const cmp = o.sort.desc ? '<' : '>';
    if (o.cursor) {
      if (o.sort.name === 'id') {
        where.push(`id ${cmp} ?`);
        params.push(o.cursor.id);
      } else {
        // Seeks to the cursor's sort value (an index range), then skips its ties up to the cursor's id.
        where.push(`${o.sort.sql} ${cmp}= ? AND (${o.sort.sql} ${cmp} ? OR id ${cmp} ?)`);
        params.push(o.cursor.value, o.cursor.value, o.cursor.id);
      }
    }
    const dir = o.sort.desc ? 'DESC' : 'ASC';
    const order = o.sort.name === 'id' ? `id ${dir}` : `${o.sort.sql} ${dir}, id ${dir}`;
    const index = o.parentId !== undefined ? ' INDEXED BY records_kind_parent' : '';
    const rows = (
      this.h
        .prepare(`SELECT * FROM records${index} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`)
        .all(...params, o.limit + 1) as RawRow[]
    ).map(toRow);
    const more = rows.length > o.limit;
    if (more) rows.pop();
    return { rows, more };
  }
}
