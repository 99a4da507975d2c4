/** Named queries on welds. */
import type { Statements } from './statements.js';
import type { WeldStatus } from '../model.js';
import type { ListIndex, Select } from './lists.js';
import type { Page, WeldRow } from './rows.js';

export interface WeldFilter { isoId?: string; statuses?: readonly WeldStatus[]; welderId?: string }

/** The table's own columns (WeldRow), without the generated `item_json`. */
const WELD_COLUMNS = 'id, seq, tenant, iso_id, weld_number, type, size, schedule, status, welder_id, wps, created_at, updated_at';
const WELD_ROWS: Select = { columns: WELD_COLUMNS, raw: false };
/**
 * A page as SQLite keeps it (schema.ts, `item_json`): its rows' items joined in seq order, and how many rows have none
 * (rendered by weldView instead). One row, whatever the page holds.
 */
const WELD_ITEMS: Select = { columns: 'item_json', outer: "count(*) - count(item_json), group_concat(item_json, ',')", raw: true };

export class WeldStore {
  constructor(
    private readonly sql: Statements,
    private readonly lists: ListIndex,
  ) {}

  list(tenant: string, filter: WeldFilter, offset: number, limit: number): Page<WeldRow> {
    return this.lists.page<WeldRow>({ table: 'welds', tenant, ...filter }, offset, limit, WELD_ROWS);
  }

  /** Walks the list's seek marks one bounded slice further; true once its pages are ready (see ListIndex.seek). */
  seek(tenant: string, filter: WeldFilter): boolean {
    return this.lists.seek({ table: 'welds', tenant, ...filter });
  }

  /**
   * The same page as `list` as its JSON array of items (weldView), from the text SQLite keeps in each row (no object
   * per row: issue 15); `items` is undefined when a row has none (render `list` with weldView).
   */
  listItems(tenant: string, filter: WeldFilter, offset: number, limit: number): { items: string | undefined; total: number } {
    const { rows, total } = this.lists.page<[missing: number, joined: string | null]>({ table: 'welds', tenant, ...filter }, offset, limit, WELD_ITEMS);
    const [missing, joined] = rows[0] ?? [0, null];
    return { items: missing > 0 ? undefined : `[${joined ?? ''}]`, total };
  }

  get(tenant: string, id: string): WeldRow | undefined {
    return this.sql.prepare(`SELECT ${WELD_COLUMNS} FROM welds WHERE tenant = ? AND id = ?`).get(tenant, id) as WeldRow | undefined;
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
      .prepare(`UPDATE welds SET status = ?, updated_at = ? WHERE tenant = ? AND id = ? RETURNING ${WELD_COLUMNS}`)
      .get(to, now, weld.tenant, weld.id) as WeldRow;
    this.lists.statusChanged(updated, weld.status);
    return updated;
  }
}
