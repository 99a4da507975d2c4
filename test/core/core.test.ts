import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Clock } from '../../src/core/clock.js';
import { Rng } from '../../src/core/rng.js';
import { VendorDb } from '../../src/core/db.js';
import { TokenChains } from '../../src/core/token-chains.js';
import { TokenBuckets, FixedWindows } from '../../src/core/rate-limit.js';
import { UlidFactory, ULID_PATTERN } from '../../src/core/request-id.js';
import { randomString, secretMatches, sha256Hex } from '../../src/core/secrets.js';
import { JwtSigner } from '../../src/core/jwt.js';
import { feistel52 } from '../../src/vendors/trakrf/ids.js';
import { Suite } from '../../src/suite.js';
import { frozen } from './helpers.js';


describe('Rng', () => {
  it('is deterministic per seed and forks independent streams', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(new Rng(7).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Rng(7).fork('x').next()).not.toBe(new Rng(7).fork('y').next());
  });
  it('int() stays in range', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
      const v = new Rng(seed).int(min, min + span);
      return v >= min && v <= min + span;
    }));
  });
});

describe('secrets', () => {
  it('hashes with SHA-256 and compares in constant time', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(secretMatches('abc', sha256Hex('abc'))).toBe(true);
    expect(secretMatches('abd', sha256Hex('abc'))).toBe(false);
    expect(secretMatches('abc', 'zz')).toBe(false);
    expect(randomString(12)).toMatch(/^[a-z0-9]{12}$/);
  });
});

describe('TokenChains', () => {
  const setup = () => {
    const clock = frozen();
    const handle = new VendorDb(null);
    TokenChains.migrate(handle.db);
    return { clock, handle, chains: new TokenChains(handle, clock, 60) };
  };
  it('rotates single-use; replay revokes the replayed token and every successor', () => {
    const { chains } = setup();
    const t0 = chains.issue({ subject: 's', tenant: 't', data: { a: 1 } });
    const r1 = chains.rotate(t0.token);
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    expect(JSON.parse(r1.record.data)).toEqual({ a: 1 });
    const r2 = chains.rotate(r1.token);
    expect(r2.ok).toBe(true);
    expect(chains.rotate(t0.token)).toMatchObject({ ok: false, reason: 'replayed' });
    if (!r2.ok) return;
    expect(chains.rotate(r2.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });
  it('expires on the clock; accept() can refuse; revokeSubject and revoke', () => {
    const { chains, clock } = setup();
    const a = chains.issue({ subject: 'x' });
    clock.advance(60);
    expect(chains.rotate(a.token)).toMatchObject({ ok: false, reason: 'expired' });
    const b = chains.issue({ subject: 'x' });
    expect(chains.rotate(b.token, () => false)).toMatchObject({ ok: false, reason: 'rejected' });
    expect(chains.revokeSubject('x')).toBeGreaterThan(0);
    expect(chains.rotate(b.token)).toMatchObject({ ok: false, reason: 'revoked' });
    const c = chains.issue({ subject: 'y' });
    expect(chains.revoke(c.token)).toBe(true);
    expect(chains.revoke('nope')).toBe(false);
    expect(chains.rotate('nope')).toMatchObject({ ok: false, reason: 'unknown' });
  });
  it('stores only hashes', () => {
    const { chains, handle } = setup();
    const { token } = chains.issue({ subject: 's' });
    expect(JSON.stringify(handle.db.prepare('SELECT * FROM refresh_tokens').all())).not.toContain(token);
  });
});

describe('rate limiters', () => {
  it('token bucket: burst, refill per second, retryAfter, reset', () => {
    const clock = frozen();
    const b = new TokenBuckets(clock, 3, 1);
    expect([b.take('k'), b.take('k'), b.take('k')].map((r) => r.remaining)).toEqual([2, 1, 0]);
    const refused = b.take('k');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfter: 1 });
    expect(refused.resetAt).toBe(clock.nowSeconds() + 3);
    clock.advance(1);
    expect(b.take('k').allowed).toBe(true);
    expect(b.take('other').remaining).toBe(2);
  });
  it('fixed window: limit per window, resets at the window end', () => {
    const clock = frozen();
    const w = new FixedWindows(clock, 2, 60);
    expect(w.take('u').remaining).toBe(1);
    expect(w.take('u').remaining).toBe(0);
    expect(w.take('u')).toMatchObject({ allowed: false, retryAfter: 60 });
    clock.advance(60);
    expect(w.take('u').allowed).toBe(true);
  });
});

describe('ULIDs', () => {
  it('are 26 Crockford chars, monotonic within a millisecond, time-prefixed from the suite clock', () => {
    const f = new UlidFactory(frozen(), new Rng(1));
    const ids = Array.from({ length: 100 }, () => f.next());
    for (const id of ids) expect(id).toMatch(ULID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(100);
  });
});

describe('JwtSigner', () => {
  it('verifies on the suite clock and rejects other keys, issuers and audiences', async () => {
    const clock = frozen();
    const s = new JwtSigner({ alg: 'HS256', signingKey: new Uint8Array(32).fill(1), clock });
    const token = await s.sign({ iss: 'me', aud: 'you', sub: 'x' }, 60);
    expect((await s.verify(token, { issuer: 'me', audience: 'you' })).ok).toBe(true);
    expect(await s.verify(token, { issuer: 'other' })).toEqual({ ok: false, reason: 'claim' });
    const other = new JwtSigner({ alg: 'HS256', signingKey: new Uint8Array(32).fill(2), clock });
    expect(await other.verify(token)).toEqual({ ok: false, reason: 'signature' });
    expect(await s.verify('x.y.z')).toEqual({ ok: false, reason: 'malformed' });
    clock.advance(60);
    expect(await s.verify(token, { issuer: 'me', audience: 'you' })).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('TrakRF ids: a keyed Feistel permutation of [0, 2^52)', () => {
  it('is injective and stays below 2^52', () => {
    const keys = [1, 2, 3, 4];
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const v = feistel52(i, keys);
      expect(v).toBeLessThan(2 ** 52);
      seen.add(v);
    }
    expect(seen.size).toBe(5000);
  });
});

describe('seeded demo data', () => {
  it('the same seed gives the same data; another seed gives other data', () => {
    const dump = (seed: number) => {
      const s = new Suite({ vendors: ['trakrf'], seed });
      const db = s.instance('trakrf').ctx.handle.db;
      const out = JSON.stringify([
        db.prepare('SELECT id, external_key, name, description, metadata, created_at FROM assets ORDER BY id').all(),
        db.prepare('SELECT * FROM tags ORDER BY id').all(),
        db.prepare('SELECT count(*) n, sum(observed_at) t FROM scans').get(),
      ]);
      s.close();
      return out;
    };
    expect(dump(42)).toBe(dump(42));
    expect(dump(43)).not.toBe(dump(42));
  });
});

describe('seed cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vf-seed-cache-'));
    process.env.VENDOR_FAKES_SEED_CACHE_DIR = dir;
    return () => {
      delete process.env.VENDOR_FAKES_SEED_CACHE_DIR;
      rmSync(dir, { recursive: true, force: true });
    };
  });
  const dump = (s: Suite) => JSON.stringify(s.instance('trakrf').ctx.handle.db.prepare('SELECT * FROM assets ORDER BY id').all());

  it('a second instance loads the seeded image the first one generated; the data are identical', () => {
    const a = new Suite({ vendors: ['trakrf'], seed: 5 });
    const b = new Suite({ vendors: ['trakrf'], seed: 5 });
    const c = new Suite({ vendors: ['trakrf'], seed: 5, seedCache: false });
    expect(a.instance('trakrf').seededFrom).toBe('generator');
    expect(readdirSync(dir).filter((f) => f.startsWith('trakrf-') && f.endsWith('.sqlite'))).toHaveLength(1);
    expect(b.instance('trakrf').seededFrom).toBe('cache');
    expect(c.instance('trakrf').seededFrom).toBe('generator');
    expect(dump(b)).toBe(dump(a));
    expect(dump(c)).toBe(dump(a));
    // Reset of a cache-loaded instance returns to the same image.
    b.instance('trakrf').ctx.handle.db.prepare('DELETE FROM tags').run();
    b.instance('trakrf').reset();
    expect(dump(b)).toBe(dump(a));
    for (const s of [a, b, c]) s.close();
  });

  it('another seed, other fixtures or other options miss the cache', () => {
    const base = JSON.parse(readFileSync(new URL('../../fixtures/trakrf.json', import.meta.url), 'utf8'));
    const a = new Suite({ vendors: ['trakrf'], seed: 6 });
    const b = new Suite({ vendors: ['trakrf'], seed: 7 });
    const c = new Suite({ vendors: ['trakrf'], seed: 6, fixtures: { trakrf: { ...base, anchor: '2026-09-01T00:00:00.000Z' } } });
    const d = new Suite({ vendors: ['trakrf'], seed: 6, config: { trakrf: { maxActiveKeys: 3 } } });
    for (const s of [b, c, d]) expect(s.instance('trakrf').seededFrom).toBe('generator');
    expect(dump(c)).not.toBe(dump(a));
    for (const s of [a, b, c, d]) s.close();
  });

  it('VENDOR_FAKES_SEED_CACHE=off turns it off', () => {
    process.env.VENDOR_FAKES_SEED_CACHE = 'off';
    try {
      new Suite({ vendors: ['trakrf'], seed: 8 }).close();
      expect(new Suite({ vendors: ['trakrf'], seed: 8 }).instance('trakrf').seededFrom).toBe('generator');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      delete process.env.VENDOR_FAKES_SEED_CACHE;
    }
  });
});
