/**
 * One SQLite database per vendor instance: in-memory by default, or a file in WAL mode under `--data-dir`.
 * Reset is instant: right after seeding the database is serialized, and reset swaps in a fresh copy of that image;
 * the data generator never runs again. An in-memory database keeps the image in memory; a file database keeps it
 * only as the `.seeded` file beside it (reset copies that file), so its process holds no second copy of the data.
 * Because reset replaces the connection, stores read `handle.db` (or use `handle.prepare`, which caches statements
 * per connection) on every call and never keep a Database of their own.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export type Db = Database.Database;

/**
 * SQLite's page cache per file-backed connection, in KiB (better-sqlite3's build default is 16 MB). A --data-dir's
 * pages also sit in the OS page cache, which RSS does not count; every vendor of a suite keeps its own cache, so a
 * smaller one keeps a suite with large tables in less resident memory for a few more page reads. In-memory databases
 * hold every page whatever this says.
 */
const FILE_CACHE_KIB = 4096;
export type Statement = Database.Statement;

/** Prepared statements kept per connection (LRU); the vendors' fixed SQL texts number well under a hundred each. */
export const STATEMENT_CACHE_SIZE = 500;
/** A cache hit refreshes a statement's recency only when this many statements were inserted or moved since its own. */
const REFRESH_AFTER = STATEMENT_CACHE_SIZE / 2;

export class VendorDb {
  private current: Db;
  /** The seeded image of an in-memory database (a file database has its `.seeded` file instead). */
  private seeded: Buffer | null = null;
  /** A file database whose `.seeded` file is written. */
  private seedFileReady = false;
  /** Map order is recency order (oldest first); `tick` counts insertions and moves (see prepare). */
  private statements = new Map<string, { stmt: Statement; tick: number }>();
  private tick = 0;

  /** @param file path of the database file, or null for in-memory. */
  constructor(private readonly file: string | null, image?: Buffer) {
    this.current = VendorDb.open(image ?? file ?? ':memory:');
  }

  /** An in-memory database started from a seeded image (the seed cache), which reset returns to. */
  static fromSeededImage(image: Buffer): VendorDb {
    const handle = new VendorDb(null, image);
    handle.seeded = image;
    return handle;
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
    if (typeof source === 'string' && source !== ':memory:') {
      db.pragma('journal_mode = WAL');
      db.pragma(`cache_size = -${FILE_CACHE_KIB}`);
    }
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
    // Its own statement, plucked once per connection (pluck is a call into the native addon): memo checks run it on
    // every request.
    this.totalChangesStmt ??= this.current.prepare('SELECT total_changes() AS total_changes').pluck();
    return this.totalChangesStmt.get() as number;
  }

  private totalChangesStmt: Statement | null = null;

  /**
   * A prepared statement for the current connection, cached by SQL text: the STATEMENT_CACHE_SIZE most recently used
   * (least recently used first out), so SQL built from request input cannot grow the process without bound.
   *
   * A hit moves the statement to the recent end only once REFRESH_AFTER statements were inserted or moved after it
   * (it is in the older half then): every statement still stays for at least REFRESH_AFTER insertions after its last
   * use, and the hot statements of every request cost one Map lookup instead of a delete and a set.
   */
  prepare(sql: string): Statement {
    const hit = this.statements.get(sql);
    if (hit) {
      if (this.tick - hit.tick >= REFRESH_AFTER) {
        this.statements.delete(sql);
        hit.tick = ++this.tick;
        this.statements.set(sql, hit);
      }
      return hit.stmt;
    }
    const stmt = this.current.prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(sql, { stmt, tick: ++this.tick });
    return stmt;
  }

  /** How many statements are cached now (tests). */
  get cachedStatements(): number {
    return this.statements.size;
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
    this.seedFileReady = seedFile !== null && existsSync(seedFile);
    return this.seedFileReady;
  }

  /** The seeded image (read from the `.seeded` file for a file database), or null before seeding. */
  seededImage(): Buffer | null {
    return this.seedFileReady ? readFileSync(this.seedFile!) : this.seeded;
  }

  private get hasSeeded(): boolean {
    return this.seeded !== null || this.seedFileReady;
  }

  /** Keeps the current state as the seeded image that reset returns to. */
  snapshot(): void {
    const image = this.current.serialize();
    if (this.seedFile) {
      writePrivate(this.seedFile, image);
      this.seedFileReady = true;
    } else {
      this.seeded = image;
    }
  }

  private seededTemp: string | null = null;

  /** A file holding the seeded image, so it can be ATTACHed (the `.seeded` file, or a temp file for memory DBs). */
  private seededPath(): string {
    if (!this.hasSeeded) throw new Error('no seeded snapshot');
    if (this.seedFile) return this.seedFile;
    if (!this.seededTemp) {
      this.seededTemp = join(tmpdir(), `vendor-fakes-${process.pid}-${randomBytes(6).toString('hex')}.seeded.db`);
      writePrivate(this.seededTemp, this.seeded!);
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
    if (!this.hasSeeded) throw new Error('no seeded snapshot');
    if (this.seeded) this.replace(this.seeded);
    else this.replaceFile((file) => copyFileSync(this.seedFile!, file));
  }

  /** The whole current state as a SQLite image in rollback-journal form (openable in memory too). */
  image(): Buffer {
    return asRollbackImage(this.current.serialize());
  }

  /** Replaces the whole state with a SQLite image (a snapshot); the seeded image stays what reset returns to. */
  replace(image: Buffer): void {
    if (this.file) return this.replaceFile((file) => writeFileSync(file, image, { mode: 0o600 }));
    this.statements.clear();
    this.totalChangesStmt = null;
    this.current.close();
    this.current = VendorDb.open(image);
  }

  /** Closes the file database, removes it with its -wal and -shm files, lets `write` create it anew, reopens it. */
  private replaceFile(write: (file: string) => void): void {
    const file = this.file!;
    this.statements.clear();
    this.totalChangesStmt = null;
    this.current.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    write(file);
    chmodSync(file, 0o600);
    this.current = VendorDb.open(file);
  }

  close(): void {
    this.statements.clear();
    this.totalChangesStmt = null;
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
  const quoted = quoteIdent(table);
  db.prepare(`DELETE FROM main.${quoted} WHERE ${where}`).run(...params);
  const exists = db.prepare(`SELECT 1 FROM "${schema}".sqlite_master WHERE type = 'table' AND name = ?`).get(table);
  if (!exists) return;
  const cols = storedColumns(db, table).map(quoteIdent).join(', ');
  db.prepare(`INSERT INTO main.${quoted} (${cols}) SELECT ${cols} FROM "${schema}".${quoted} WHERE ${where}`).run(...params);
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A table's columns for an INSERT, in order: generated columns (which SQLite computes and no INSERT may name) left out. */
function storedColumns(db: Db, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(table) as string[];
}

/**
 * Copies the rows of `table` selected by `where` into the same table (sandbox tenants): `set` gives the SQL
 * expression of each column that changes (the new tenant, a remapped id); every other column is copied as it is.
 * `table` and the expressions are trusted SQL; values come in as named `params` (`@org`). Returns the rows copied.
 */
export function copyRows(db: Db, table: string, where: string, set: Record<string, string>, params: Record<string, unknown> = {}): number {
  const quoted = quoteIdent(table);
  const columns = storedColumns(db, table);
  const select = columns.map((c) => set[c] ?? quoteIdent(c)).join(', ');
  const sql = `INSERT INTO ${quoted} (${columns.map(quoteIdent).join(', ')}) SELECT ${select} FROM ${quoted} WHERE ${where}`;
  return db.prepare(sql).run(params).changes;
}

/**
 * Runs fn with a temporary old → new id map (`temp.vf_idmap`); `mapped(column)` is the SQL expression of a column's
 * new id (NULL stays NULL; an id outside the map becomes NULL, so map every id the copied rows refer to).
 */
export function withIdMap<T>(db: Db, pairs: ReadonlyArray<readonly [unknown, unknown]>, fn: (mapped: (column: string) => string) => T): T {
  // The key's type must be the ids' (an untyped key is compared with numeric affinity: no index, a scan per row).
  const type = typeof pairs[0]?.[0] === 'number' ? 'INTEGER' : 'TEXT';
  db.exec(`DROP TABLE IF EXISTS temp.vf_idmap; CREATE TEMP TABLE vf_idmap (old ${type} PRIMARY KEY, new NOT NULL) WITHOUT ROWID`);
  try {
    const insert = db.prepare('INSERT INTO temp.vf_idmap (old, new) VALUES (?, ?)');
    for (const [o, n] of pairs) insert.run(o, n);
    return fn((column) => `(SELECT new FROM temp.vf_idmap WHERE old = "${column}")`);
  } finally {
    db.exec('DROP TABLE IF EXISTS temp.vf_idmap');
  }
}

/**
 * Per-tenant reset without rewriting unchanged rows: deletes the rows of `table` selected by `where` that are missing
 * from, or differ from, the seeded image (attached as `schema`), then copies back the seeded rows that are missing.
 * Same result as replaceRows, but the cost follows the rows that changed. Falls back to replaceRows for a table
 * without a primary key or absent from the image. `where` names columns unqualified.
 */
export function syncRows(db: Db, schema: string, table: string, where: string, params: unknown[] = []): void {
  const cols = db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as Array<{ name: string; pk: number }>;
  const key = cols.filter((c) => c.pk > 0);
  const exists = db.prepare(`SELECT 1 FROM "${schema}".sqlite_master WHERE type = 'table' AND name = ?`).get(table);
  if (key.length === 0 || !exists) return replaceRows(db, schema, table, where, params);
  const q = quoteIdent;
  const t = q(table);
  const keyEq = key.map((c) => `s.${q(c.name)} = m.${q(c.name)}`).join(' AND ');
  const same = cols.map((c) => `s.${q(c.name)} IS m.${q(c.name)}`).join(' AND ');
  db.prepare(`DELETE FROM main.${t} AS m WHERE ${where} AND NOT EXISTS (SELECT 1 FROM "${schema}".${t} AS s WHERE ${keyEq} AND ${same})`).run(
    ...params,
  );
  // pragma_table_info leaves generated columns out: `cols` is what an INSERT may name.
  const stored = cols.map((c) => q(c.name)).join(', ');
  db.prepare(`INSERT INTO main.${t} (${stored}) SELECT ${stored} FROM "${schema}".${t} AS s WHERE ${where} AND NOT EXISTS (SELECT 1 FROM main.${t} AS m WHERE ${keyEq})`).run(
    ...params,
  );
}

export interface SchemaObject {
  type: string;
  name: string;
  sql: string;
}

/** The tables, indexes, views and triggers `migrate` creates, as SQLite keeps them (on a scratch in-memory database). */
export function schemaOf(migrate: (db: Db) => void): SchemaObject[] {
  const probe = new Database(':memory:');
  try {
    migrate(probe);
    return probe.prepare('SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name').all() as SchemaObject[];
  } finally {
    probe.close();
  }
}
