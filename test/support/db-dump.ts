/** Every row of every table of a vendor database, in rowid order: compare two dumps to prove nothing changed. */
import type { Database } from 'better-sqlite3';

export function dumpTables(db: Database): Record<string, unknown[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}" ORDER BY rowid`).raw().all();
  return out;
}
