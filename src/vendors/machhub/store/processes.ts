/** Named queries on processes. */
import type { VendorDb } from '../../../core/db.js';
import { type ProcessRow } from './rows.js';

export class ProcessStore {
  constructor(private readonly h: VendorDb) {}

  ofDomain(domainId: string): ProcessRow[] {
    return this.h.prepare('SELECT * FROM processes WHERE domain_id = ? ORDER BY created_dt, id').all(domainId) as ProcessRow[];
  }

  byId(id: string): ProcessRow | undefined {
    return this.h.prepare('SELECT * FROM processes WHERE id = ?').get(id) as ProcessRow | undefined;
  }

  byName(domainId: string, name: string): ProcessRow | undefined {
    return this.h.prepare('SELECT * FROM processes WHERE domain_id = ? AND name = ?').get(domainId, name) as ProcessRow | undefined;
  }

  insert(p: ProcessRow): void {
    this.h.prepare('INSERT INTO processes (id, domain_id, name, handler, data, created_dt, updated_dt) VALUES (?, ?, ?, ?, ?, ?, ?)').run(p.id, p.domain_id, p.name, p.handler, p.data, p.created_dt, p.updated_dt);
  }

  updateData(id: string, data: string, now: string): void {
    this.h.prepare('UPDATE processes SET data = ?, updated_dt = ? WHERE id = ?').run(data, now, id);
  }
}
