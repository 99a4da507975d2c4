/**
 * The row copies per-tenant reset is built on (core/db.ts replaceRows, syncRows) work on a table with a STORED
 * generated column (MaxTrax welds.item_json): SQLite computes the column again, and no copy names it.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { replaceRows, syncRows } from '../../src/core/db.js';

function withSeeded(): Database.Database {
  const db = new Database(':memory:');
  const ddl = `(id TEXT PRIMARY KEY, tenant TEXT NOT NULL, n INTEGER NOT NULL, label TEXT GENERATED ALWAYS AS (tenant || ':' || n) STORED)`;
  db.exec(`ATTACH ':memory:' AS seeded; CREATE TABLE main.items ${ddl}; CREATE TABLE seeded.items ${ddl};
    INSERT INTO seeded.items (id, tenant, n) VALUES ('a', 't1', 1), ('b', 't1', 2), ('c', 't2', 3);
    INSERT INTO main.items (id, tenant, n) VALUES ('a', 't1', 10), ('x', 't1', 5), ('c', 't2', 30);`);
  return db;
}
/** Tenant t1 back to its seeded rows (labels computed again), t2 untouched. */
const T1_SEEDED = [
  { id: 'a', tenant: 't1', n: 1, label: 't1:1' },
  { id: 'b', tenant: 't1', n: 2, label: 't1:2' },
  { id: 'c', tenant: 't2', n: 30, label: 't2:30' },
];
const rows = (db: Database.Database) => db.prepare('SELECT id, tenant, n, label FROM main.items ORDER BY id').all();

describe('replaceRows and syncRows on a table with a generated column', () => {
  it('replaceRows puts back the seeded rows of one tenant, the generated column computed again', () => {
    const db = withSeeded();
    replaceRows(db, 'seeded', 'items', 'tenant = ?', ['t1']);
    expect(rows(db)).toEqual(T1_SEEDED);
  });

  it('syncRows leaves equal rows, replaces changed ones, drops extra ones and adds missing ones', () => {
    const db = withSeeded();
    syncRows(db, 'seeded', 'items', 'tenant = ?', ['t1']);
    expect(rows(db)).toEqual(T1_SEEDED);
  });
});
