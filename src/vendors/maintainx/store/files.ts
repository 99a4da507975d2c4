/** Named queries on files: attachments, thumbnails and procedure-field files of a record, bytes kept in SQLite. */
import type { Conn, FileRow } from './rows.js';

export class FileStore {
  constructor(private readonly conn: Conn) {}

  private get h() {
    return this.conn.handle;
  }

  /** Removes every file of a slot (thumbnail, a procedure field); true when one existed. */
  deleteSlot(recordId: number, slot: string): boolean {
    this.conn.writing();
    return this.h.prepare('DELETE FROM files WHERE record_id = ? AND slot = ?').run(recordId, slot).changes > 0;
  }

  put(f: { orgId: number; recordId: number; slot: string; filename: string; mime: string; bytes: Buffer; fileKey: string }): FileRow {
    this.conn.writing();
    if (f.slot !== 'attachment') this.deleteSlot(f.recordId, f.slot);
    else this.h.prepare('DELETE FROM files WHERE record_id = ? AND slot = ? AND filename = ?').run(f.recordId, f.slot, f.filename);
    const r = this.h
      .prepare(
        `INSERT INTO files (org_id, record_id, slot, filename, mime, size, bytes, file_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, record_id, slot, filename, mime, size, file_key, created_at`,
      )
      .get(f.orgId, f.recordId, f.slot, f.filename, f.mime, f.bytes.length, f.bytes, f.fileKey, this.conn.nowIso()) as any;
    return fileOf(r);
  }

  of(recordId: number): FileRow[] {
    return (
      this.h
        .prepare('SELECT id, record_id, slot, filename, mime, size, file_key, created_at FROM files WHERE record_id = ? ORDER BY id')
        .all(recordId) as any[]
    ).map(fileOf);
  }

  bytes(fileKey: string): { mime: string; bytes: Buffer; filename: string } | null {
    const r = this.h.prepare('SELECT mime, bytes, filename FROM files WHERE file_key = ?').get(fileKey) as any;
    return r ? { mime: r.mime, bytes: r.bytes, filename: r.filename } : null;
  }

  delete(recordId: number, slot: string, filename: string): boolean {
    this.conn.writing();
    return this.h.prepare('DELETE FROM files WHERE record_id = ? AND slot = ? AND filename = ?').run(recordId, slot, filename).changes > 0;
  }
}

function fileOf(r: any): FileRow {
  return {
    id: r.id,
    recordId: r.record_id,
    slot: r.slot,
    filename: r.filename,
    mime: r.mime,
    size: r.size,
    fileKey: r.file_key,
    createdAt: r.created_at,
  };
}
