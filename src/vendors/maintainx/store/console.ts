/**
 * Named queries behind the web console (console.ts): organizations, a tenant's users, names of linked records, and
 * one record kind of a tenant a page at a time, optionally narrowed to rows whose `…Id` field equals a value.
 */
import type { VendorDb } from '../../../core/db.js';
import { sqlPage, type PageRequest } from '../../../core/console-spec.js';

export class ConsoleQueries {
  constructor(private readonly h: VendorDb) {}

  orgs(): Array<{ id: number; name: string }> {
    return this.h.db.prepare('SELECT id, name FROM organizations ORDER BY id').all() as Array<{ id: number; name: string }>;
  }

  users(orgId: number): Array<{ id: number; name: string; role: string }> {
    return this.h.db
      .prepare(`SELECT id, json_extract(data, '$.firstName') || ' ' || json_extract(data, '$.lastName') AS name, json_extract(data, '$.role') AS role FROM records WHERE kind = 'user' AND org_id = ? AND deleted_at IS NULL ORDER BY id`)
      .all(orgId) as Array<{ id: number; name: string; role: string }>;
  }

  userName(id: number): string | null {
    return (this.h.db.prepare(`SELECT json_extract(data, '$.firstName') || ' ' || json_extract(data, '$.lastName') AS n FROM records WHERE kind = 'user' AND id = ?`).get(id) as { n: string } | undefined)?.n ?? null;
  }

  name(kind: string, id: unknown): string | null {
    return (this.h.db.prepare(`SELECT json_extract(data, '$.name') AS n FROM records WHERE kind = ? AND id = ?`).get(kind, id) as { n: string } | undefined)?.n ?? null;
  }

  /** Live records of `kind` in `orgId` by id; `equal` pairs are (field name matching /^[a-zA-Z]+Id$/, value). */
  records(kind: string, orgId: number, equal: Array<[string, number]>, req: PageRequest): { rows: Array<{ id: number; data: string }>; total: number } {
    for (const [k] of equal) if (!/^[a-zA-Z]+Id$/.test(k)) throw new Error(`not an id field: ${k}`);
    const where = `kind = ? AND org_id = ? AND deleted_at IS NULL${equal.map(([k]) => ` AND json_extract(data, '$.${k}') = ?`).join('')}`;
    return sqlPage(this.h.db, `SELECT id, json(data) AS data FROM records WHERE ${where} ORDER BY id`, `SELECT count(*) AS n FROM records WHERE ${where}`, [kind, orgId, ...equal.map(([, v]) => v)], req);
  }
}
