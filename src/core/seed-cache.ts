/**
 * A cache of seeded database images, so that starting the fakes (and every `new Suite()` in a test run) loads the
 * seeded state in a millisecond instead of running the data generators again. Seeding is deterministic, so an image
 * is keyed by everything it depends on: vendor, version, seed, fixtures, options and a fingerprint of the code that
 * generated it. Only in-memory instances use it (`--data-dir` keeps its own seeded image). Images hold no signing
 * keys (those live with each instance, see keys.ts).
 *
 * The folder is VENDOR_FAKES_SEED_CACHE_DIR, else `$XDG_CACHE_HOME/vendor-fakes`, else `~/.cache/vendor-fakes`:
 * created 0700 (a folder of ours with looser modes is tightened; one owned by another user is not used), files
 * 0600. Each image has its SHA-256 written beside it (`<image>.sha256`); an image that does not match its digest,
 * or has none, is deleted and generated again. Best effort: any file-system failure just means the generators run.
 * Off with VENDOR_FAKES_SEED_CACHE=off.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function cacheDir(): string {
  if (process.env.VENDOR_FAKES_SEED_CACHE_DIR) return process.env.VENDOR_FAKES_SEED_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'vendor-fakes');
}
const KEEP_PER_VENDOR = 8;

export const seedCacheEnabled = (): boolean => !/^(off|0|false|no)$/i.test(process.env.VENDOR_FAKES_SEED_CACHE ?? '');

/** The cache folder, created 0700 if need be; null when it cannot be used safely (owned by someone else). */
function privateDir(create: boolean): string | null {
  const dir = cacheDir();
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) return null;
  if (st.mode & 0o077) chmodSync(dir, 0o700);
  return dir;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let fingerprint: string | undefined;
const CODE = /(?<!\.d)\.(ts|js|mjs|json|sql)$/;

/**
 * A hash of every source file of the running code (src/ under tsx, dist/ when built): names, sizes and modification
 * times, so that start-up stats the files instead of reading them (a rebuild changes the times). Only code is
 * statted (not declaration files or source maps: half of dist/, and they change nothing the seed does).
 */
function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (CODE.test(entry.name)) {
        const st = statSync(path);
        hash.update(`${path.slice(root.length)}\0${st.size}\0${st.mtimeMs}\0`);
      }
    }
  };
  walk(root);
  return (fingerprint = hash.digest('hex'));
}
export function seedCacheKey(parts: unknown[]): string {
  return createHash('sha256').update(codeFingerprint()).update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function readSeedImage(vendor: string, key: string): Buffer | null {
  let file: string | null = null;
  try {
    const dir = privateDir(false);
    if (!dir) return null;
    file = join(dir, `${vendor}-${key}.sqlite`);
    const image = readFileSync(file);
    const digest = readFileSync(`${file}.sha256`, 'utf8').trim();
    if (digest === sha256(image)) return image;
  } catch {
    // Missing (or unreadable): fall through.
  }
  if (file) for (const f of [file, `${file}.sha256`]) rmSync(f, { force: true });
  return null;
}

export function writeSeedImage(vendor: string, key: string, image: Buffer): void {
  try {
    const dir = privateDir(true);
    if (!dir) return;
    const file = join(dir, `${vendor}-${key}.sqlite`);
    // The digest goes first: a reader that finds the new image with an older digest discards both.
    for (const [path, data] of [[`${file}.sha256`, sha256(image) + '\n'], [file, image]] as const) {
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, path);
    }
    // Keep the newest few images per vendor (older code versions, other seeds).
    const mine = readdirSync(dir)
      .filter((f) => f.startsWith(`${vendor}-`) && f.endsWith('.sqlite'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of mine.slice(KEEP_PER_VENDOR)) for (const g of [f, `${f}.sha256`]) rmSync(join(dir, g), { force: true });
  } catch {
    // A read-only or full disk only costs speed.
  }
}
