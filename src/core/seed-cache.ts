/**
 * A cache of seeded database images, so that starting the fakes (and every `new Suite()` in a test run) loads the
 * seeded state in a millisecond instead of running the data generators again. Seeding is deterministic, so an image
 * is keyed by everything it depends on: vendor, version, seed, fixtures, options and a fingerprint of the code that
 * generated it. Only in-memory instances use it (`--data-dir` keeps its own seeded image). Best effort: any
 * file-system failure just means the generators run. Off with VENDOR_FAKES_SEED_CACHE=off; the folder is
 * VENDOR_FAKES_SEED_CACHE_DIR, else `<tmpdir>/vendor-fakes-seed-cache`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDir = (): string => process.env.VENDOR_FAKES_SEED_CACHE_DIR || join(tmpdir(), 'vendor-fakes-seed-cache');
const KEEP_PER_VENDOR = 8;

export const seedCacheEnabled = (): boolean => !/^(off|0|false|no)$/i.test(process.env.VENDOR_FAKES_SEED_CACHE ?? '');

let fingerprint: string | undefined;

/** A hash of every source file of the running code (src/ under tsx, dist/ when built). */
function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|json|sql)$/.test(name)) hash.update(path.slice(root.length)).update('\0').update(readFileSync(path));
    }
  };
  walk(root);
  return (fingerprint = hash.digest('hex'));
}

export function seedCacheKey(parts: unknown[]): string {
  return createHash('sha256').update(codeFingerprint()).update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function readSeedImage(vendor: string, key: string): Buffer | null {
  try {
    return readFileSync(join(cacheDir(), `${vendor}-${key}.sqlite`));
  } catch {
    return null;
  }
}

export function writeSeedImage(vendor: string, key: string, image: Buffer): void {
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${vendor}-${key}.sqlite`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, image);
    renameSync(tmp, file);
    // Keep the newest few images per vendor (older code versions, other seeds).
    const mine = readdirSync(dir)
      .filter((f) => f.startsWith(`${vendor}-`) && f.endsWith('.sqlite'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of mine.slice(KEEP_PER_VENDOR)) rmSync(join(dir, f), { force: true });
  } catch {
    // A read-only or full disk only costs speed.
  }
}
