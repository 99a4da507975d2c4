/** Named queries on welds. */
import type { Statements } from './statements.js';
import type { WeldStatus } from '../model.js';
import type { ListIndex, Select } from './lists.js';
import type { Page, WeldJsonRow, WeldRow } from './rows.js';

export interface WeldFilter { isoId?: string; statuses?: readonly WeldStatus[]; welderId?: string }

/**
 * A list row as SQLite renders it (WeldJsonRow). json_object writes text as JSON.stringify does (same escapes, no
 * others); a number only when it is an integer, or a multiple of 1/64 below 2^20 (few digits, so both write the same
 * shortest decimal); any row outside that (another storage type, a size like 0.1 or 1e300) is null, for weldView.
 * Keys in weldView's order.
 */
const FAITHFUL = `typeof(id) = 'text' AND typeof(iso_id) = 'text' AND typeof(weld_number) = 'text' AND typeof(type) = 'text'
  AND typeof(schedule) = 'text' AND typeof(status) = 'text' AND typeof(welder_id) IN ('text', 'null') AND typeof(wps) IN ('text', 'null')
  AND typeof(size) IN ('integer', 'real') AND abs(size) < 1048576 AND size * 64 = CAST(size * 64 AS INTEGER)`;
const WELD_JSON: Select = {
  columns: `CASE WHEN ${FAITHFUL} THEN json_object('id', id, 'isoId', iso_id, 'weldNumber', weld_number, 'type', type,
    'size', CASE WHEN size = CAST(size AS INTEGER) THEN CAST(size AS INTEGER) ELSE size END, 'schedule', schedule, 'status', status,
    'welderId', welder_id, 'wps', wps) END, created_at, updated_at`,
  raw: true,
};

export class WeldStore {
  constructor(
    private readonly sql: Statements,
    private readonly lists: ListIndex,
  ) {}

  list(tenant: string, filter: WeldFilter, offset: number, limit: number): Page<WeldRow> {
    return this.lists.page<WeldRow>({ table: 'welds', tenant, ...filter }, offset, limit);
  }

  /** Walks the list's seek marks one bounded slice further; true once its pages are ready (see ListIndex.seek). */
  seek(tenant: string, filter: WeldFilter): boolean {
    return this.lists.seek({ table: 'welds', tenant, ...filter });
  }

  /** The same page as `list`, each row rendered by SQLite but for its times (no object per row: issue 15). */
  listJson(tenant: string, filter: WeldFilter, offset: number, limit: number): Page<WeldJsonRow> {
    return this.lists.page<WeldJsonRow>({ table: 'welds', tenant, ...filter }, offset, limit, WELD_JSON);
  }

  get(tenant: string, id: string): WeldRow | undefined {
    return this.sql.prepare('SELECT * FROM welds WHERE tenant = ? AND id = ?').get(tenant, id) as WeldRow | undefined;
  }

  countsByIso(tenant: string, isoId: string): Record<WeldStatus, number> {
    const rows = this.sql
      .prepare('SELECT status, COUNT(*) AS n FROM welds WHERE tenant = ? AND iso_id = ? GROUP BY status')
      .all(tenant, isoId) as Array<{ status: WeldStatus; n: number }>;
    const out = { PENDING: 0, ACCEPTED: 0, REJECTED: 0, REPAIR: 0, VOIDED: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  insert(row: Omit<WeldRow, 'seq'>): void {
    this.lists.clear();
    this.sql
      .prepare(
        `INSERT INTO welds (id, seq, tenant, iso_id, weld_number, type, size, schedule, status, welder_id, wps, created_at, updated_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM welds), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, row.tenant, row.iso_id, row.weld_number, row.type, row.size, row.schedule, row.status, row.welder_id, row.wps,
        row.created_at, row.updated_at);
  }

  /** Sets a weld's status (the caller checked the transition in the same transaction); lists follow it. */
  setStatus(weld: WeldRow, to: WeldStatus, now: number): WeldRow {
    const updated = this.sql
      .prepare('UPDATE welds SET status = ?, updated_at = ? WHERE tenant = ? AND id = ? RETURNING *')
      .get(to, now, weld.tenant, weld.id) as WeldRow;
    this.lists.statusChanged(updated, weld.status);
    return updated;
  }
}
