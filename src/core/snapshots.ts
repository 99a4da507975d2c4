/**
 * Snapshots of one vendor's whole state (issue 13 §3): its SQLite database serialized into one image, kept in
 * memory or, with `--data-dir`, as `<data-dir>/snapshots/<vendor>/<name>.sqlite` (0600). Restoring swaps the image
 * in (like reset swaps in the seeded image) and clears the instance's in-memory state (caches, rate-limit buckets).
 *
 * Each image is stamped in its SQLite header: `application_id` names vendor-fakes and the vendor, `user_version` the
 * vendor's schema (a hash of what its `migrate` creates). An uploaded file is checked against both, then opened and
 * checked for damage. Signing keys are not part of a snapshot (they stay with the instance, see keys.ts); neither are
 * the clocks.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AdminError, adminBody, adminErrorHandler, onlyKeys } from './admin.js';
import type { Clock } from './clock.js';
import { asRollbackImage, schemaOf, type Db, type VendorDb } from './db.js';

export interface SnapshotInfo {
  name: string;
  vendor: string;
  bytes: number;
  /** Suite time when it was saved or uploaded. */
  created_at: string;
}

export interface SnapshotsOptions {
  vendor: string;
  handle: VendorDb;
  /** Stamps created_at (the suite clock). */
  clock: Clock;
  /** The vendor's migrate: what it creates is the schema version a snapshot must match. */
  migrate(db: Db): void;
  /** Folder the snapshots persist in (`<data-dir>/snapshots/<vendor>`), or null to keep them in memory. */
  dir: string | null;
  /** Runs after the state was replaced by `image` (clear in-memory state; continue ids on a fresh stream). */
  afterReplace(digest: string): void;
  /** Largest accepted upload in bytes (default 256 MiB). */
  maxBytes?: number;
  /** Most snapshots kept per vendor (default 100). */
  maxCount?: number;
}

/** The high 16 bits of every vendor-fakes application_id: "VF". */
const MARK = 0x5646_0000;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const SNAPSHOT_CONTENT_TYPE = 'application/vnd.sqlite3';
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

interface Stored {
  info: SnapshotInfo;
  /** In memory only (no folder). */
  image?: Buffer;
  /** SHA-256 of the image, the label of the id stream used after restoring it. */
  digest: string;
}

const digestOf = (image: Buffer): string => createHash('sha256').update(image).digest('hex');

/** The application_id stamped into every snapshot of `vendor`. */
export function applicationId(vendor: string): number {
  return (MARK | createHash('sha256').update(`vendor-fakes/${vendor}`).digest().readUInt16BE(0)) | 0;
}

export class Snapshots {
  private readonly stored = new Map<string, Stored>();
  private schema: number | null = null;
  readonly maxBytes: number;
  private readonly maxCount: number;

  constructor(private readonly opts: SnapshotsOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxCount = opts.maxCount ?? 100;
    if (opts.dir && existsSync(opts.dir)) this.importDir(opts.dir, false);
  }

  /** The vendor's schema version: a hash of the tables and indexes its migrate creates (computed once, on demand). */
  get schemaVersion(): number {
    this.schema ??= createHash('sha256').update(JSON.stringify(schemaOf(this.opts.migrate))).digest().readInt32BE(0) & 0x7fff_ffff;
    return this.schema;
  }

  static validName(name: string): boolean {
    return NAME.test(name);
  }

  private checkName(name: unknown): string {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new AdminError(400, 'name must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
    }
    return name;
  }

  list(): SnapshotInfo[] {
    return [...this.stored.values()].map((s) => s.info).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): SnapshotInfo | undefined {
    return this.stored.get(name)?.info;
  }

  /** The current state, stamped with this vendor and schema. */
  current(): Buffer {
    const image = this.opts.handle.image();
    image.writeInt32BE(this.schemaVersion, 60);
    image.writeInt32BE(applicationId(this.opts.vendor), 68);
    return image;
  }

  /** Saves the current state as `name` (replacing a snapshot of that name). */
  save(name: string): SnapshotInfo & { replaced: boolean } {
    this.checkName(name);
    return this.keep(name, this.current());
  }

  private keep(name: string, image: Buffer, createdAt = this.opts.clock.nowMs()): SnapshotInfo & { replaced: boolean } {
    const replaced = this.stored.has(name);
    if (!replaced && this.stored.size >= this.maxCount) {
      throw new AdminError(409, `${this.maxCount} snapshots are kept at most; delete one first (DELETE /__admin/snapshots/{name})`);
    }
    const info: SnapshotInfo = { name, vendor: this.opts.vendor, bytes: image.length, created_at: new Date(createdAt).toISOString() };
    const entry: Stored = { info, digest: digestOf(image) };
    if (this.opts.dir) writeImage(this.opts.dir, name, image, createdAt);
    else entry.image = image;
    this.stored.set(name, entry);
    return { ...info, replaced };
  }

  /** The image of a saved snapshot (the file a client downloads). */
  file(name: string): Buffer {
    const entry = this.entry(name);
    return entry.image ?? readFileSync(join(this.opts.dir!, `${name}.sqlite`));
  }

  private entry(name: string): Stored {
    const entry = NAME.test(name) ? this.stored.get(name) : undefined;
    if (!entry) throw new AdminError(404, `unknown snapshot: ${name}`);
    return entry;
  }

  /** Replaces the whole state with snapshot `name`. Returns how long the swap took. */
  restore(name: string): { name: string; ms: number } {
    const entry = this.entry(name);
    const started = performance.now();
    // Opening an image copies it (better-sqlite3 deserializes into SQLite's own memory): the snapshot stays as saved.
    this.replace(this.file(name), entry.digest);
    return { name, ms: Math.round((performance.now() - started) * 1000) / 1000 };
  }

  /** Starts from an image checked with `check` (an import): the state becomes the image's. */
  replace(image: Buffer, digest = digestOf(image)): void {
    this.opts.handle.replace(image);
    this.opts.afterReplace(digest);
  }

  delete(name: string): boolean {
    if (!NAME.test(name) || !this.stored.delete(name)) return false;
    if (this.opts.dir) rmSync(join(this.opts.dir, `${name}.sqlite`), { force: true });
    return true;
  }

  /** Checks an uploaded file and keeps it as snapshot `name`. */
  upload(name: string, bytes: Buffer): SnapshotInfo & { replaced: boolean } {
    this.checkName(name);
    return this.keep(name, this.check(bytes));
  }

  /**
   * Throws a 400 AdminError saying why `bytes` is not a snapshot of this vendor and schema; returns the image (in
   * rollback-journal form) when it is.
   */
  check(bytes: Buffer): Buffer {
    const vendor = this.opts.vendor;
    if (bytes.length > this.maxBytes) throw new AdminError(400, `the file is larger than ${this.maxBytes} bytes`);
    if (bytes.length < 512 || !bytes.subarray(0, 16).equals(SQLITE_HEADER)) {
      throw new AdminError(400, 'not a SQLite database: the file does not start with the SQLite header ("SQLite format 3")');
    }
    const app = bytes.readInt32BE(68);
    if ((app & 0xffff_0000) !== (MARK | 0)) {
      throw new AdminError(400, `not a vendor-fakes snapshot: a SQLite database without the vendor-fakes application_id (save one with POST /__admin/snapshots)`);
    }
    if (app !== applicationId(vendor)) throw new AdminError(400, `a vendor-fakes snapshot of another vendor, not of ${vendor}`);
    const version = bytes.readInt32BE(60);
    if (version !== this.schemaVersion) {
      throw new AdminError(400, `a ${vendor} snapshot of another schema version (${version}; this server's is ${this.schemaVersion}): save it again with this version`);
    }
    const image = asRollbackImage(Buffer.from(bytes));
    let db: Database.Database | null = null;
    try {
      db = new Database(image);
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new Error(String(result));
    } catch (e) {
      throw new AdminError(400, `the SQLite file is damaged: ${(e as Error).message}`);
    } finally {
      db?.close();
    }
    return image;
  }

  /**
   * Loads every `<name>.sqlite` of `dir` as a saved snapshot (`copy`: into this instance's own storage, checking
   * each; otherwise `dir` is this instance's own folder). Throws a 400 AdminError naming the file that is refused.
   */
  importDir(dir: string, copy = true): string[] {
    const names: string[] = [];
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.sqlite')) continue;
      const name = file.slice(0, -'.sqlite'.length);
      if (!NAME.test(name)) continue;
      const path = join(dir, file);
      if (copy) {
        let image: Buffer;
        try {
          image = this.check(readFileSync(path));
        } catch (e) {
          throw new AdminError(400, `${path}: ${(e as Error).message}`);
        }
        this.keep(name, image, statSync(path).mtimeMs);
      } else {
        const stat = statSync(path);
        this.stored.set(name, {
          info: { name, vendor: this.opts.vendor, bytes: stat.size, created_at: new Date(stat.mtimeMs).toISOString() },
          digest: digestOf(readFileSync(path)),
        });
      }
      names.push(name);
    }
    return names;
  }

  /**
   * `--import DIR`: starts from `DIR/<vendor>.sqlite` when there is one and loads `DIR/<vendor>/*.sqlite` as saved
   * snapshots (each checked like an upload). Throws a 400 AdminError naming the file that is refused.
   */
  importFrom(root: string): { current: boolean; snapshots: string[] } {
    const vendorDir = join(root, this.opts.vendor);
    const snapshots = existsSync(vendorDir) ? this.importDir(vendorDir) : [];
    const file = join(root, `${this.opts.vendor}.sqlite`);
    if (!existsSync(file)) return { current: false, snapshots };
    let image: Buffer;
    try {
      image = this.check(readFileSync(file));
    } catch (e) {
      throw new AdminError(400, `${file}: ${(e as Error).message}`);
    }
    this.replace(image);
    return { current: true, snapshots };
  }

  /** `--export-on-exit DIR`: the current state as `DIR/<vendor>.sqlite`, the saved snapshots in `DIR/<vendor>/`. */
  exportTo(root: string): void {
    writeImage(root, this.opts.vendor, this.current(), this.opts.clock.nowMs());
    this.exportDir(join(root, this.opts.vendor));
  }

  /** Writes every saved snapshot into `dir` as `<name>.sqlite`. */
  exportDir(dir: string): string[] {
    for (const info of this.list()) writeImage(dir, info.name, this.file(info.name), Date.parse(info.created_at));
    return this.list().map((i) => i.name);
  }
}

/** Writes `<dir>/<name>.sqlite` atomically, owner-only, its mtime the suite time it was saved at. */
export function writeImage(dir: string, name: string, image: Buffer, createdAtMs: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${name}.sqlite`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, image, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  const at = new Date(createdAtMs);
  utimesSync(tmp, at, at);
  renameSync(tmp, file);
}

/** The control-plane routes: `/__admin/snapshots…`. */
export function snapshotRoutes(snapshots: Snapshots): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);

  app.get('/snapshots', (c) => c.json({ snapshots: snapshots.list() }));

  app.post('/snapshots', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['name']);
    if (body.name === undefined) throw new AdminError(400, 'name is required');
    const { replaced, ...info } = snapshots.save(body.name as string);
    return c.json(info, replaced ? 200 : 201);
  });

  app.post('/snapshots/:name/restore', (c) => c.json({ restored: true, ...snapshots.restore(c.req.param('name')) }));

  app.delete('/snapshots/:name', (c) => {
    const name = c.req.param('name');
    if (!snapshots.delete(name)) throw new AdminError(404, `unknown snapshot: ${name}`);
    return c.json({ deleted: true, name });
  });

  app.get('/snapshots/:name/file', (c) => {
    const name = c.req.param('name');
    const image = snapshots.file(name);
    const info = snapshots.get(name)!;
    return c.body(new Uint8Array(image), 200, {
      'Content-Type': SNAPSHOT_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${info.vendor}-${name}.sqlite"`,
      'Cache-Control': 'no-store',
    });
  });

  app.put(
    '/snapshots/:name/file',
    bodyLimit({
      maxSize: snapshots.maxBytes,
      onError: (c) => c.json({ error: `the file is larger than ${snapshots.maxBytes} bytes` }, 413),
    }),
    async (c) => {
      // The guard let only application/vnd.sqlite3 or application/octet-stream through.
      const bytes = Buffer.from(await c.req.arrayBuffer());
      const { replaced, ...info } = snapshots.upload(c.req.param('name'), bytes);
      return c.json(info, replaced ? 200 : 201);
    },
  );

  return app;
}
