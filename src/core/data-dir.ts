/**
 * What a `--data-dir` keeps besides the vendors' databases: the seed it was seeded with and how many times it has
 * been opened (`vendor-fakes.json`), and the lock that lets one process at a time serve it (`vendor-fakes.lock`).
 *
 * - The lock is an exclusive SQLite lock (a POSIX advisory lock held by the open connection) for the life of the
 *   process: the kernel drops it when the process ends, however it ends, so a lock left by `kill -9` never blocks a
 *   restart and a reused PID (PID 1 in every container start) cannot be mistaken for the holder.
 * - Each open draws run-time ids from its own stream (`runtime` on the first start, `runtime#N` after N earlier
 *   starts), so ids drawn after a restart never repeat ids stored before it, while the seeded data and the first
 *   run stay reproducible per seed.
 * - A seed given for a data dir seeded with another one is refused rather than silently ignored.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { schemaOf } from './db.js';
import { UsageError } from './vendor.js';

const META = 'vendor-fakes.json';
const LOCK = 'vendor-fakes.lock';
/** The holder's pid, for the refusal message only (the lock itself decides). */
const HOLDER = 'vendor-fakes.pid';

interface Meta {
  seed: number;
  starts: number;
}

export class DataDir {
  private constructor(
    readonly dir: string,
    private lock: Database.Database | null,
    /** The seed in effect: the stored one, else the one given. */
    readonly seed: number,
    /** Earlier starts on this data dir. */
    readonly previousStarts: number,
  ) {}

  /**
   * Locks `dir` for this process and reads what earlier starts recorded. Throws a UsageError with one line when another process
   * holds it, or when `seed` is given and the data were seeded with another.
   */
  static open(dir: string, seed: number | undefined, defaultSeed: number): DataDir {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = acquire(dir);
    try {
      const stored = readMeta(dir);
      if (stored && seed !== undefined && seed !== stored.seed) {
        throw new UsageError(
          `${dir} holds data seeded with --seed ${stored.seed}; start with --seed ${stored.seed} (or without --seed), or use another --data-dir`,
        );
      }
      return new DataDir(dir, lock, stored?.seed ?? seed ?? defaultSeed, stored?.starts ?? 0);
    } catch (err) {
      lock.close();
      throw err;
    }
  }

  /** Records this start (and the seed); call once the vendors are open, before serving. */
  recordStart(): void {
    writeDurably(join(this.dir, META), `${JSON.stringify({ seed: this.seed, starts: this.previousStarts + 1 } satisfies Meta)}\n`);
  }

  /** The label of this start's run-time random stream (see the file comment). */
  get runtimeStream(): string {
    return this.previousStarts === 0 ? 'runtime' : `runtime#${this.previousStarts}`;
  }

  /** Releases the lock. */
  close(): void {
    if (!this.lock) return;
    rmSync(join(this.dir, HOLDER), { force: true });
    this.lock.close();
    this.lock = null;
  }
}

function acquire(dir: string): Database.Database {
  // Created owner-only like every other file of the data dir.
  closeSync(openSync(join(dir, LOCK), 'a', 0o600));
  chmodSync(join(dir, LOCK), 0o600);
  const db = new Database(join(dir, LOCK), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    let holder = '';
    try {
      const pid = readFileSync(join(dir, HOLDER), 'utf8').trim();
      if (/^\d+$/.test(pid)) holder = ` (pid ${pid})`;
    } catch {
      // No pid file yet: the holder is still starting.
    }
    throw new UsageError(`${dir} is in use by another vendor-fakes process${holder}; stop it or use another --data-dir`);
  }
  writeFileSync(join(dir, HOLDER), `${process.pid}\n`, { mode: 0o600 });
  return db;
}

function readMeta(dir: string): Meta | null {
  let text: string;
  try {
    text = readFileSync(join(dir, META), 'utf8');
  } catch {
    return null;
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    meta = null;
  }
  const m = meta as Partial<Meta> | null;
  if (!m || !Number.isInteger(m.seed) || !Number.isInteger(m.starts) || m.seed! < 0 || m.starts! < 0) {
    throw new UsageError(`${join(dir, META)} is not a vendor-fakes data-dir record; restore it or use another --data-dir`);
  }
  return m as Meta;
}

/** Writes file atomically (temp file, fsync, rename), so a crash leaves the old or the new content. */
function writeDurably(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Refuses a vendor database written by a build with another schema: every table, index, view and trigger this build's
 * `migrate` creates must be in `db` with the same definition (what a vendor adds at run time, such as MACHHUB's
 * collection tables, is extra and fine). A data dir is reused as it is (there are no migrations), so an older schema
 * would fail request by request; one line at start says what to do instead.
 */
export function checkSchema(vendor: string, db: Database.Database, migrate: (db: Database.Database) => void, dir: string): void {
  const found = db.prepare('SELECT sql FROM sqlite_master WHERE type = ? AND name = ?').pluck();
  // Tables first: a rebuilt table also loses its indexes, and the table is the news.
  const objects = schemaOf(migrate).sort((a, b) => Number(b.type === 'table') - Number(a.type === 'table'));
  const differs = objects.find((o) => found.get(o.type, o.name) !== o.sql);
  if (differs) {
    throw new UsageError(
      `${vendor}: ${dir} was written by another version of vendor-fakes (its ${differs.type} ${differs.name} is not this version's); delete the folder, or use another --data-dir, to start from the seeded state`,
    );
  }
}
