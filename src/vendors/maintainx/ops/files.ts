/** Files of a record (attachments, thumbnail, procedure-field files): each change one transaction. */
import { randomHex } from '../../../core/secrets.js';
import type { Mx } from '../http.js';
import type { Row } from '../store/index.js';
import { write } from './common.js';

/**
 * Stores `bytes` as `filename` in `slot` of `row` (replacing the slot's file, or the attachment of that name); the
 * row's updatedAt moves. Returns the file's key (its address under /__admin/files/).
 */
export function putFile(mx: Mx, row: Row, f: { slot: string; filename: string; mime: string; bytes: Buffer }): string {
  const fileKey = `${row.orgId}/${row.kind}/${row.id}/${randomHex(8)}/${encodeURIComponent(f.filename)}`;
  write(mx, () => {
    mx.store.files.put({ orgId: row.orgId, recordId: row.id, slot: f.slot, filename: f.filename, mime: f.mime, bytes: f.bytes, fileKey });
    mx.store.records.update(row, row.data);
  });
  return fileKey;
}

/**
 * Removes the file `filename` of `slot` (or, without a name, every file of the slot); false when there was none.
 * With `touch`, the row's updatedAt moves when a file went.
 */
export function removeFile(mx: Mx, row: Row, slot: string, filename: string | null, touch: boolean): boolean {
  return write(mx, () => {
    const removed = filename === null ? mx.store.files.deleteSlot(row.id, slot) : mx.store.files.delete(row.id, slot, filename);
    if (removed && touch) mx.store.records.update(row, row.data);
    return removed;
  });
}
