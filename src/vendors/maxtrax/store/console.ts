/**
 * Named queries behind the web console's tables (console.ts): a tenant's users, and its ISOs → welds → inspections
 * a page at a time, each row with the counts the console links on.
 */
import type { VendorDb } from '../../../core/db.js';
import { sqlPage, type PageRequest } from '../../../core/console-spec.js';

type Row = Record<string, any>;

export class ConsoleQueries {
  constructor(private readonly h: VendorDb) {}

  users(tenant: string): Row[] {
    return this.h.db.prepare('SELECT id, user_name, display_name, role, created_at FROM users WHERE tenant = ? ORDER BY user_name').all(tenant) as Row[];
  }

  isoNumber(id: string): string | undefined {
    return (this.h.db.prepare('SELECT iso_number FROM isos WHERE id = ?').get(id) as { iso_number: string } | undefined)?.iso_number;
  }

  isos(tenant: string, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(
      this.h.db,
      `SELECT i.id, i.iso_number, i.revision, i.line_number, i.area, i.test_package, (SELECT count(*) FROM welds w WHERE w.tenant = i.tenant AND w.iso_id = i.id) AS welds
       FROM isos i WHERE i.tenant = ? ORDER BY i.seq`,
      'SELECT count(*) AS n FROM isos WHERE tenant = ?',
      [tenant],
      req,
    );
  }

  /** Welds of the tenant, of one ISO when given. */
  welds(tenant: string, isoId: string | null, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(
      this.h.db,
      `SELECT w.id, w.weld_number, w.type, w.size, w.schedule, w.status, w.wps, i.iso_number, w.iso_id, u.display_name AS welder,
         (SELECT count(*) FROM inspections x WHERE x.tenant = w.tenant AND x.weld_id = w.id) AS inspections
       FROM welds w LEFT JOIN isos i ON i.id = w.iso_id LEFT JOIN users u ON u.id = w.welder_id
       WHERE w.tenant = ? AND (? IS NULL OR w.iso_id = ?) ORDER BY w.seq`,
      'SELECT count(*) AS n FROM welds w WHERE w.tenant = ? AND (? IS NULL OR w.iso_id = ?)',
      [tenant, isoId, isoId],
      req,
    );
  }

  /** Inspections of the tenant, newest first, of one weld when given. */
  inspections(tenant: string, weldId: string | null, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(
      this.h.db,
      `SELECT x.recorded_at, x.from_status, x.to_status, x.reason, x.inspector_name, x.weld_id, w.weld_number
       FROM inspections x LEFT JOIN welds w ON w.id = x.weld_id
       WHERE x.tenant = ? AND (? IS NULL OR x.weld_id = ?) ORDER BY x.seq DESC`,
      'SELECT count(*) AS n FROM inspections x WHERE x.tenant = ? AND (? IS NULL OR x.weld_id = ?)',
      [tenant, weldId, weldId],
      req,
    );
  }
}
