/**
 * The seed cache lives in the user's cache folder (0700, files 0600) and every image is checked against the
 * digest written beside it: a tampered image is discarded and the real seeded data served.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Suite } from '../../src/suite.js';

let root: string;
const saved = { dir: process.env.VENDOR_FAKES_SEED_CACHE_DIR, xdg: process.env.XDG_CACHE_HOME };
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vf-sec-cache-'));
  delete process.env.VENDOR_FAKES_SEED_CACHE_DIR;
  process.env.XDG_CACHE_HOME = root;
});
afterEach(() => {
  if (saved.dir === undefined) delete process.env.VENDOR_FAKES_SEED_CACHE_DIR;
  else process.env.VENDOR_FAKES_SEED_CACHE_DIR = saved.dir;
  if (saved.xdg === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = saved.xdg;
  rmSync(root, { recursive: true, force: true });
});

const orgNames = (s: Suite) => (s.instance('trakrf').ctx.handle.db.prepare('SELECT name FROM orgs ORDER BY id').pluck().all() as string[]);
const start = () => new Suite({ vendors: ['trakrf'], seed: 11, seedCache: true });

describe('seed cache', () => {
  it('is $XDG_CACHE_HOME/vendor-fakes (0700) with images and digests 0600', () => {
    start().close();
    const dir = join(root, 'vendor-fakes');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^trakrf-[0-9a-f]{32}\.sqlite$/);
    expect(files[1]).toBe(`${files[0]}.sha256`);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, files[1]), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });

  it('a row planted in a cached image → the next start discards the image, serves the real seeded data and re-caches', () => {
    const first = start();
    const real = orgNames(first);
    first.close();
    const dir = join(root, 'vendor-fakes');
    const image = join(dir, readdirSync(dir).find((f) => f.endsWith('.sqlite'))!);
    // Plant an org the way an attacker with write access to a shared cache folder would.
    const db = new Database(readFileSync(image));
    db.prepare("INSERT INTO orgs (id, name, subscription_active, created_at) VALUES (99, 'Planted', 1, 0)").run();
    writeFileSync(image, db.serialize());
    db.close();

    const second = start();
    expect(second.instance('trakrf').seededFrom).toBe('generator');
    expect(orgNames(second)).toEqual(real);
    expect(orgNames(second)).not.toContain('Planted');
    second.close();
    const third = start();
    expect(third.instance('trakrf').seededFrom).toBe('cache');
    expect(orgNames(third)).toEqual(real);
    third.close();
  });

  it('an image without its digest is discarded too', () => {
    start().close();
    const dir = join(root, 'vendor-fakes');
    rmSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.sha256'))!));
    const s = start();
    expect(s.instance('trakrf').seededFrom).toBe('generator');
    s.close();
  });

  it('a cache folder of ours left world-readable is tightened to 0700', () => {
    const dir = join(root, 'vendor-fakes');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    start().close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('signing keys are never in a cached image', () => {
    const s = start();
    const secret = s.instance('trakrf').ctx.keys.secret('jwt');
    s.close();
    const dir = join(root, 'vendor-fakes');
    const image = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.sqlite'))!));
    expect(image.includes(secret)).toBe(false);
    expect(image.includes(Buffer.from(secret.toString('hex')))).toBe(false);
    expect(image.includes(Buffer.from('jwt_secret'))).toBe(false);
  });
});
