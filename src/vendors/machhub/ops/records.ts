/**
 * Collection record writes: each one transaction, checked inside it, files stored with the record; after the commit,
 * the memoized counts of the collection are moved by the one record (Records.afterWrite).
 */
import { err } from '../errors.js';
import type { Services } from '../http.js';
import { tableName } from '../store/records.js';

type Rec = Record<string, unknown>;
export interface RecordFile {
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}
interface Target {
  domainId: string;
  domain: string;
  collection: string;
  key: string;
}

function putFiles({ store }: Services, t: Target, files: RecordFile[]): void {
  for (const f of files) store.files.put(t.domainId, t.collection, t.key, f.field, f.name, f.type, f.bytes);
}

/** Creates the collection on first write; an existing key is 409. */
export function createRecord(s: Services, t: Target, rec: Rec, files: RecordFile[], now: string): void {
  const table = tableName(t.domain, t.collection);
  const text = JSON.stringify(rec);
  s.ctx.handle.transaction(() => {
    s.records.ensure(t.domainId, t.domain, t.collection, now, s.ctx.config.maxCollections);
    if (s.records.get(table, t.key)) throw err.recordExists(`${table}:${t.key}`);
    s.records.insert(table, t.key, text);
    putFiles(s, t, files);
  });
  s.records.afterWrite(table, undefined, text);
}

/** Merges `patch` into the stored record (a new `updated_dt`); the merged record, or 404. */
export function updateRecord(s: Services, t: Target, patch: Rec, files: RecordFile[]): Rec {
  const table = tableName(t.domain, t.collection);
  const { before, after, next } = s.ctx.handle.transaction(() => {
    const row = s.records.get(table, t.key);
    if (!row) throw err.recordNotFound();
    const { updated_dt: _old, ...base } = JSON.parse(row.data) as Rec;
    const next: Rec = { ...base, ...patch, updated_dt: s.nowIso() };
    const text = JSON.stringify(next);
    s.records.update(table, t.key, text);
    putFiles(s, t, files);
    return { before: row.data, after: text, next };
  });
  s.records.afterWrite(table, before, after);
  return next;
}

/** Deletes the record and its files; 404 when there is none. */
export function deleteRecord(s: Services, t: Target): void {
  const table = tableName(t.domain, t.collection);
  const before = s.ctx.handle.transaction(() => {
    const row = s.records.get(table, t.key);
    if (!row || !s.records.delete(table, t.key)) return undefined;
    s.store.files.deleteOfRecord(t.domainId, t.collection, t.key);
    return row.data;
  });
  if (before === undefined) throw err.recordNotFound();
  s.records.afterWrite(table, before, undefined);
}
