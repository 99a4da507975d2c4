/**
 * One SQLite database per vendor instance: in-memory by default, or a file in WAL mode under `--data-dir`.
 * Reset is instant: right after seeding the database is serialized, and reset swaps in a fresh copy of that image;
 * the data generator never runs again. Because reset replaces the connection, stores read `handle.db` (or use
 * `handle.prepare`, which caches statements per connection) on every call and never keep a Database of their own.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

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
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, `${name}.db`);
    // A database without its seeded image never finished seeding (the image is written last): start over.
    if (!existsSync(`${file}.seeded`)) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    // SQLite gives its -wal and -shm files the mode of the database file.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    return new VendorDb(file);
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

  /**
   * `sqlite3_total_changes()` of the current connection: rows written since it opened. Unchanged means nothing was
   * written, which makes it a cheap validity check for in-memory caches of query results (clear them on reset).
   */
  totalChanges(): number {
    return this.prepare('SELECT total_changes() AS total_changes').pluck().get() as number;
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

  /** Starts an in-memory database from a seeded image (the seed cache). */
  loadSeededImage(image: Buffer): void {
    this.statements.clear();
    this.current.close();
    this.current = VendorDb.open(image);
    this.seeded = image;
  }

  seededImage(): Buffer | null {
    return this.seeded;
  }

  /** Keeps the current state as the seeded image that reset returns to. */
  snapshot(): void {
    this.seeded = this.current.serialize();
    if (this.seedFile) writePrivate(this.seedFile, this.seeded);
  }

  private seededTemp: string | null = null;

  /** A file holding the seeded image, so it can be ATTACHed (the `.seeded` file, or a temp file for memory DBs). */
  private seededPath(): string {
    if (!this.seeded) throw new Error('no seeded snapshot');
    if (this.seedFile) return this.seedFile;
    if (!this.seededTemp) {
      this.seededTemp = join(tmpdir(), `vendor-fakes-${process.pid}-${randomBytes(6).toString('hex')}.seeded.db`);
      writePrivate(this.seededTemp, this.seeded);
    }
    return this.seededTemp;
  }

  /**
   * Runs fn with the seeded image attached as schema `seeded` (per-tenant reset copies rows from it
   * with INSERT … SELECT). fn runs inside one transaction.
   */
  withSeeded<T>(fn: (schema: string) => T): T {
    const path = this.seededPath();
    this.current.prepare('ATTACH DATABASE ? AS seeded').run(path);
    try {
      return this.transaction(() => fn('seeded'));
    } finally {
      this.current.exec('DETACH DATABASE seeded');
    }
  }

  /** Back to the seeded state, all tenants. */
  reset(): void {
    if (!this.seeded) throw new Error('no seeded snapshot');
    this.replace(this.seeded);
  }

  /** The whole current state as a SQLite image in rollback-journal form (openable in memory too). */
  image(): Buffer {
    return asRollbackImage(this.current.serialize());
  }

  /** Replaces the whole state with a SQLite image (a snapshot); the seeded image stays what reset returns to. */
  replace(image: Buffer): void {
    this.statements.clear();
    this.current.close();
    if (this.file) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(this.file + suffix, { force: true });
      writePrivate(this.file, image);
      this.current = VendorDb.open(this.file);
    } else {
      this.current = VendorDb.open(image);
    }
  }

  close(): void {
    this.statements.clear();
    this.current.close();
    if (this.seededTemp) rmSync(this.seededTemp, { force: true });
    this.seededTemp = null;
  }
}

/**
 * The image with its header's file-format bytes set to rollback-journal mode: an image of a WAL database cannot be
 * opened in memory (a file database is switched back to WAL when opened).
 */
export function asRollbackImage(image: Buffer): Buffer {
  if (image.length >= 100 && (image[18] === 2 || image[19] === 2)) {
    image[18] = 1;
    image[19] = 1;
  }
  return image;
}

/** Writes a file only its owner can read (data files are 0600). */
function writePrivate(path: string, data: Buffer): void {
  writeFileSync(path, data, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Per-tenant reset: replaces the rows of `table` selected by `where` with those the seeded image (attached as
 * `schema`, see VendorDb.withSeeded) holds for the same condition. `table` must be a trusted identifier; `where`
 * is SQL with bound `params`. A table the seeded image lacks (created later, e.g. a dynamic collection) is emptied.
 */
export function replaceRows(db: Db, schema: string, table: string, where: string, params: unknown[] = []): void {
  const quoted = `"${table.replaceAll('"', '""')}"`;
  db.prepare(`DELETE FROM main.${quoted} WHERE ${where}`).run(...params);
  const exists = db.prepare(`SELECT 1 FROM "${schema}".sqlite_master WHERE type = 'table' AND name = ?`).get(table);
  if (exists) db.prepare(`INSERT INTO main.${quoted} SELECT * FROM "${schema}".${quoted} WHERE ${where}`).run(...params);
}
