/**
 * One SQLite database per vendor instance: in-memory by default, or a file in WAL mode under `--data-dir`.
 * Reset is instant: right after seeding the database is serialized, and reset swaps in a fresh copy of that image;
 * the data generator never runs again. Because reset replaces the connection, stores read `handle.db` (or use
 * `handle.prepare`, which caches statements per connection) on every call and never keep a Database of their own.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;
export type Statement = Database.Statement;

export class VendorDb {
  private current: Db;
  private seeded: Buffer | null = null;
  private statements = new Map<string, Statement>();

  /** @param file path of the database file, or null for in-memory. */
  constructor(private readonly file: string | null) {
    this.current = VendorDb.open(file ?? ':memory:');
  }

  /** Opens `<dir>/<name>.db` (creating the folder), or an in-memory database when dir is undefined. */
  static forVendor(name: string, dataDir?: string): VendorDb {
    if (!dataDir) return new VendorDb(null);
    mkdirSync(dataDir, { recursive: true });
    return new VendorDb(join(dataDir, `${name}.db`));
  }

  private static open(source: string | Buffer): Db {
    const db = new Database(source);
    if (typeof source === 'string' && source !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    return db;
  }

  get db(): Db {
    return this.current;
  }

  get persistent(): boolean {
    return this.file !== null;
  }

  /** A prepared statement for the current connection, cached by SQL text. */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.current.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs fn in one IMMEDIATE transaction (so concurrent writers through other connections serialize too). */
  transaction<T>(fn: () => T): T {
    return this.current.transaction(fn).immediate();
  }

  /** Path of the seeded image kept beside a file database, so reset works after a restart too. */
  private get seedFile(): string | null {
    return this.file ? `${this.file}.seeded` : null;
  }

  /** True when a file database already holds a seeded image from an earlier run. */
  restoreSeededImage(): boolean {
    const seedFile = this.seedFile;
    if (!seedFile || !existsSync(seedFile)) return false;
    this.seeded = readFileSync(seedFile);
    return true;
  }

  /** Keeps the current state as the seeded image that reset returns to. */
  snapshot(): void {
    this.seeded = this.current.serialize();
    if (this.seedFile) writeFileSync(this.seedFile, this.seeded);
  }

  /** A read-only copy of the seeded state (for per-tenant reset); the caller closes it. */
  openSeeded(): Db {
    if (!this.seeded) throw new Error('no seeded snapshot');
    return new Database(this.seeded, { readonly: true });
  }

  /** Back to the seeded state, all tenants. */
  reset(): void {
    if (!this.seeded) throw new Error('no seeded snapshot');
    this.statements.clear();
    this.current.close();
    if (this.file) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(this.file + suffix, { force: true });
      writeFileSync(this.file, this.seeded);
      this.current = VendorDb.open(this.file);
    } else {
      this.current = VendorDb.open(this.seeded);
    }
  }

  close(): void {
    this.statements.clear();
    this.current.close();
  }
}

/**
 * Replaces the rows of `table` selected by `where` in `target` with those selected the same way in `source`
 * (per-tenant reset). `table` must be a trusted identifier; `where` is SQL with bound `params`.
 */
export function replaceRows(target: Db, source: Db, table: string, where: string, params: unknown[] = []): void {
  const quoted = `"${table.replaceAll('"', '""')}"`;
  target.prepare(`DELETE FROM ${quoted} WHERE ${where}`).run(...params);
  const exists = source
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(table);
  if (!exists) return;
  const rows = source.prepare(`SELECT * FROM ${quoted} WHERE ${where}`).all(...params) as Record<string, unknown>[];
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const insert = target.prepare(
    `INSERT INTO ${quoted} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  for (const row of rows) insert.run(...cols.map((c) => row[c]));
}
