/** Named queries on record files. */
import type { VendorDb } from '../../../core/db.js';

export class FileStore {
  constructor(private readonly h: VendorDb) {}

  put(domainId: string, collection: string, recordId: string, field: string, fileName: string, contentType: string, bytes: Buffer): void {
    this.h
      .prepare('INSERT OR REPLACE INTO files (domain_id, collection, record_id, field, file_name, content_type, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(domainId, collection, recordId, field, fileName, contentType, bytes);
  }

  get(domainId: string, collection: string, recordId: string, field: string, fileName: string): { content_type: string; bytes: Buffer } | undefined {
    return this.h
      .prepare('SELECT content_type, bytes FROM files WHERE domain_id = ? AND collection = ? AND record_id = ? AND field = ? AND file_name = ?')
      .get(domainId, collection, recordId, field, fileName) as any;
  }

  deleteOfRecord(domainId: string, collection: string, recordId: string): void {
    this.h.prepare('DELETE FROM files WHERE domain_id = ? AND collection = ? AND record_id = ?').run(domainId, collection, recordId);
  }
}
