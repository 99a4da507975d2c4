/** Named queries on welds. */
import type { Statements } from './statements.js';
import type { WeldStatus } from '../model.js';
import type { ListIndex } from './lists.js';
import type { Page, WeldRow } from './rows.js';

export interface WeldFilter { isoId?: string; statuses?: readonly WeldStatus[]; welderId?: string }

export class WeldStore {
  constructor(
    private readonly sql: Statements,
    private readonly lists: ListIndex,
  ) {}

  list(tenant: string, filter: WeldFilter, offset: number, limit: number): Page<WeldRow> {
    return this.lists.page<WeldRow>({ table: 'welds', tenant, ...filter }, offset, limit);
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
