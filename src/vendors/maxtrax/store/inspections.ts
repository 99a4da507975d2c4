/** Named queries on inspections (a weld's audit trail). */
import type { Statements } from './statements.js';
import type { InspectionRow } from './rows.js';

export class InspectionStore {
  constructor(private readonly sql: Statements) {}

  forWeld(tenant: string, weldId: string): InspectionRow[] {
    return this.sql
      .prepare('SELECT * FROM inspections WHERE tenant = ? AND weld_id = ? ORDER BY seq')
      .all(tenant, weldId) as InspectionRow[];
  }

  insert(row: Omit<InspectionRow, 'seq'>): InspectionRow {
    return this.sql
      .prepare(
        `INSERT INTO inspections (id, seq, tenant, weld_id, from_status, to_status, reason, inspector_id, inspector_name, recorded_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM inspections), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(row.id, row.tenant, row.weld_id, row.from_status, row.to_status, row.reason, row.inspector_id, row.inspector_name,
        row.recorded_at) as InspectionRow;
  }
}
