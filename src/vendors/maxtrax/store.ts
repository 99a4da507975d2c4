/** Every MaxTrax query. Plain objects in and out; no HTTP. Times are suite-clock milliseconds. */
import type { Clock } from '../../core/clock.js';
import type { VendorDb } from '../../core/db.js';
import { canTransition, type Role, type WeldStatus } from './model.js';

export interface TenantRow { id: string; name: string; ready: number; created_at: number }
export interface UserRow {
  id: string; tenant: string; user_name: string; password_hash: string; role: Role; display_name: string; created_at: number;
}
export interface IsoRow {
  id: string; seq: number; tenant: string; iso_number: string; revision: string; line_number: string; area: string;
  test_package: string | null; created_at: number; updated_at: number;
}
export interface WeldRow {
  id: string; seq: number; tenant: string; iso_id: string; weld_number: string; type: string; size: number;
  schedule: string; status: WeldStatus; welder_id: string | null; wps: string | null; created_at: number; updated_at: number;
}
export interface InspectionRow {
  id: string; seq: number; tenant: string; weld_id: string; from_status: WeldStatus; to_status: WeldStatus;
  reason: string | null; inspector_id: string; inspector_name: string; recorded_at: number;
}

export interface WeldFilter { isoId?: string; statuses?: WeldStatus[]; welderId?: string }
export interface Page<T> { rows: T[]; total: number }

export type StatusChange =
  | { ok: true; weld: WeldRow; inspection: InspectionRow }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'transition'; from: WeldStatus };

/** Rows between two seek marks (a deep page skips fewer than this many rows). */
const MARK_STEP = 128;
/** Queries whose marks are kept (oldest dropped first); each costs 8 bytes per MARK_STEP rows. */
const MAX_MARKED_QUERIES = 256;

export class MaxtraxStore {
  /**
   * List totals by query, so paging a large table does not re-count it on every request. Every weld/ISO write goes
   * through this store and clears it; so does reset (see index.ts).
   */
  private readonly totals = new Map<string, number>();
  /**
   * Seek marks by list query: the `seq` of every MARK_STEP-th row in list order, so a deep page starts with an index
   * seek (`seq >= mark`) and skips fewer than MARK_STEP rows instead of walking every row before it (OFFSET does).
   * Built on the first deep page of a query with one pass over its index; cleared with the totals on every write.
   */
  private readonly marks = new Map<string, number[]>();

  constructor(
    private readonly handle: VendorDb,
    private readonly clock: Clock,
  ) {}

  clearCache(): void {
    this.totals.clear();
    this.marks.clear();
  }

  /**
   * One page of `SELECT * FROM <table> WHERE <where> ORDER BY seq`: OFFSET from the nearest seek mark. `table` and
   * `where` are fixed fragments (never client text); every value is in `params`.
   */
  private page<T>(table: 'welds' | 'isos', where: string, params: unknown[], offset: number, limit: number): T[] {
    if (offset < MARK_STEP) {
      return this.handle.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(...params, limit, offset) as T[];
    }
    const key = `${table}\u0000${where}\u0000${JSON.stringify(params)}`;
    let marks = this.marks.get(key);
    if (!marks) {
      marks = [];
      let i = 0;
      for (const seq of this.handle.prepare(`SELECT seq FROM ${table} WHERE ${where} ORDER BY seq`).pluck().iterate(...params) as Iterable<number>) {
        if (i++ % MARK_STEP === 0) marks.push(seq);
      }
      if (this.marks.size >= MAX_MARKED_QUERIES) this.marks.delete(this.marks.keys().next().value!);
      this.marks.set(key, marks);
    }
    const m = Math.floor(offset / MARK_STEP);
    if (m >= marks.length) return [];
    // The remaining skip walks the (covering) index only; then one seek fetches the page's rows.
    return this.handle
      .prepare(
        `SELECT * FROM ${table} WHERE ${where} AND seq >= (SELECT seq FROM ${table} WHERE ${where} AND seq >= ? ORDER BY seq LIMIT 1 OFFSET ?)
         ORDER BY seq LIMIT ?`,
      )
      .all(...params, ...params, marks[m], offset - m * MARK_STEP, limit) as T[];
  }

  private total(sql: string, params: unknown[]): number {
    const key = sql + '\u0000' + JSON.stringify(params);
    let n = this.totals.get(key);
    if (n === undefined) {
      n = (this.handle.prepare(sql).get(...params) as { n: number }).n;
      if (this.totals.size > 10_000) this.totals.clear();
      this.totals.set(key, n);
    }
    return n;
  }

  // ---- tenants -------------------------------------------------------------------------------------------------
  tenant(id: string): TenantRow | undefined {
    return this.handle.prepare('SELECT * FROM tenants WHERE id = ?').get(id) as TenantRow | undefined;
  }

  tenants(): TenantRow[] {
    return this.handle.prepare('SELECT * FROM tenants ORDER BY id').all() as TenantRow[];
  }

  createTenant(id: string, name: string, createdAt = this.clock.nowMs()): TenantRow {
    return this.handle
      .prepare('INSERT INTO tenants (id, name, ready, created_at) VALUES (?, ?, 1, ?) RETURNING *')
      .get(id, name, createdAt) as TenantRow;
  }

  setTenantReady(id: string, ready: boolean): TenantRow | undefined {
    return this.handle.prepare('UPDATE tenants SET ready = ? WHERE id = ? RETURNING *').get(ready ? 1 : 0, id) as
      | TenantRow
      | undefined;
  }

  counts(tenant: string): { users: number; isos: number; welds: number } {
    const one = (sql: string) => (this.handle.prepare(sql).get(tenant) as { n: number }).n;
    return {
      users: one('SELECT COUNT(*) AS n FROM users WHERE tenant = ?'),
      isos: one('SELECT COUNT(*) AS n FROM isos WHERE tenant = ?'),
      welds: one('SELECT COUNT(*) AS n FROM welds WHERE tenant = ?'),
    };
  }

  // ---- users ---------------------------------------------------------------------------------------------------
  userByName(tenant: string, userName: string): UserRow | undefined {
    return this.handle.prepare('SELECT * FROM users WHERE tenant = ? AND user_name = ?').get(tenant, userName) as
      | UserRow
      | undefined;
  }

  userById(tenant: string, id: string): UserRow | undefined {
    return this.handle.prepare('SELECT * FROM users WHERE tenant = ? AND id = ?').get(tenant, id) as UserRow | undefined;
  }

  usersByRole(tenant: string, role: Role): UserRow[] {
    return this.handle.prepare('SELECT * FROM users WHERE tenant = ? AND role = ? ORDER BY created_at, id').all(tenant, role) as UserRow[];
  }

  createUser(input: {
    id: string; tenant: string; userName: string; passwordHash: string; role: Role; displayName: string; createdAt?: number;
  }): UserRow {
    return this.handle
      .prepare(
        `INSERT INTO users (id, tenant, user_name, password_hash, role, display_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(input.id, input.tenant, input.userName, input.passwordHash, input.role, input.displayName,
        input.createdAt ?? this.clock.nowMs()) as UserRow;
  }

  // ---- ISOs ----------------------------------------------------------------------------------------------------
  listIsos(tenant: string, offset: number, limit: number): Page<IsoRow> {
    const total = this.total('SELECT COUNT(*) AS n FROM isos WHERE tenant = ?', [tenant]);
    const rows = this.page<IsoRow>('isos', 'tenant = ?', [tenant], offset, limit);
    return { rows, total };
  }

  iso(tenant: string, id: string): IsoRow | undefined {
    return this.handle.prepare('SELECT * FROM isos WHERE tenant = ? AND id = ?').get(tenant, id) as IsoRow | undefined;
  }

  weldCountsByIso(tenant: string, isoId: string): Record<WeldStatus, number> {
    const rows = this.handle
      .prepare('SELECT status, COUNT(*) AS n FROM welds WHERE tenant = ? AND iso_id = ? GROUP BY status')
      .all(tenant, isoId) as Array<{ status: WeldStatus; n: number }>;
    const out = { PENDING: 0, ACCEPTED: 0, REJECTED: 0, REPAIR: 0, VOIDED: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  insertIso(row: Omit<IsoRow, 'seq'>): void {
    this.clearCache();
    this.handle
      .prepare(
        `INSERT INTO isos (id, seq, tenant, iso_number, revision, line_number, area, test_package, created_at, updated_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM isos), ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, row.tenant, row.iso_number, row.revision, row.line_number, row.area, row.test_package, row.created_at, row.updated_at);
  }

  // ---- welds ---------------------------------------------------------------------------------------------------
  listWelds(tenant: string, filter: WeldFilter, offset: number, limit: number): Page<WeldRow> {
    // Only fixed fragments are concatenated; every value is bound.
    let where = 'tenant = ?';
    const params: unknown[] = [tenant];
    if (filter.isoId !== undefined) {
      where += ' AND iso_id = ?';
      params.push(filter.isoId);
    }
    if (filter.welderId !== undefined) {
      where += ' AND welder_id = ?';
      params.push(filter.welderId);
    }
    if (filter.statuses?.length) {
      where += ` AND status IN (${filter.statuses.map(() => '?').join(', ')})`;
      params.push(...filter.statuses);
    }
    const total = this.total(`SELECT COUNT(*) AS n FROM welds WHERE ${where}`, params);
    const rows = this.page<WeldRow>('welds', where, params, offset, limit);
    return { rows, total };
  }

  weld(tenant: string, id: string): WeldRow | undefined {
    return this.handle.prepare('SELECT * FROM welds WHERE tenant = ? AND id = ?').get(tenant, id) as WeldRow | undefined;
  }

  inspections(tenant: string, weldId: string): InspectionRow[] {
    return this.handle
      .prepare('SELECT * FROM inspections WHERE tenant = ? AND weld_id = ? ORDER BY seq')
      .all(tenant, weldId) as InspectionRow[];
  }

  insertWeld(row: Omit<WeldRow, 'seq'>): void {
    this.clearCache();
    this.handle
      .prepare(
        `INSERT INTO welds (id, seq, tenant, iso_id, weld_number, type, size, schedule, status, welder_id, wps, created_at, updated_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM welds), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, row.tenant, row.iso_id, row.weld_number, row.type, row.size, row.schedule, row.status, row.welder_id, row.wps,
        row.created_at, row.updated_at);
  }

  insertInspection(row: Omit<InspectionRow, 'seq'>): InspectionRow {
    return this.handle
      .prepare(
        `INSERT INTO inspections (id, seq, tenant, weld_id, from_status, to_status, reason, inspector_id, inspector_name, recorded_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM inspections), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(row.id, row.tenant, row.weld_id, row.from_status, row.to_status, row.reason, row.inspector_id, row.inspector_name,
        row.recorded_at) as InspectionRow;
  }

  /** Check-and-set in one transaction: the transition is validated against the status read inside it. */
  changeStatus(
    tenant: string,
    weldId: string,
    to: WeldStatus,
    reason: string | null,
    inspector: { id: string; name: string },
    newId: () => string,
  ): StatusChange {
    return this.handle.transaction((): StatusChange => {
      const weld = this.weld(tenant, weldId);
      if (!weld) return { ok: false, reason: 'not-found' };
      if (!canTransition(weld.status, to)) return { ok: false, reason: 'transition', from: weld.status };
      const now = this.clock.nowMs();
      // A status change moves a weld in and out of status-filtered lists only.
      for (const cache of [this.totals, this.marks]) for (const key of cache.keys()) if (key.includes('status IN')) cache.delete(key);
      const updated = this.handle
        .prepare('UPDATE welds SET status = ?, updated_at = ? WHERE tenant = ? AND id = ? RETURNING *')
        .get(to, now, tenant, weldId) as WeldRow;
      const inspection = this.insertInspection({
        id: newId(), tenant, weld_id: weldId, from_status: weld.status, to_status: to, reason,
        inspector_id: inspector.id, inspector_name: inspector.name, recorded_at: now,
      });
      return { ok: true, weld: updated, inspection };
    });
  }
}
