/** Named queries on declared collection schemas (designer). */
import type { VendorDb } from '../../../core/db.js';
import { type SchemaField } from './rows.js';

export class SchemaStore {
  constructor(private readonly h: VendorDb) {}

  ofDomain(domainId: string): { name: string; description: string; fields: SchemaField[] }[] {
    return (this.h.prepare('SELECT name, description, fields FROM collection_schemas WHERE domain_id = ? ORDER BY name').all(domainId) as { name: string; description: string; fields: string }[]).map((r) => ({
      name: r.name,
      description: r.description,
      fields: JSON.parse(r.fields),
    }));
  }

  put(domainId: string, name: string, description: string, fieldsJson: string): void {
    this.h.prepare('INSERT INTO collection_schemas (domain_id, name, description, fields) VALUES (?, ?, ?, ?) ON CONFLICT (domain_id, name) DO UPDATE SET description = excluded.description, fields = excluded.fields').run(domainId, name, description, fieldsJson);
  }
}
