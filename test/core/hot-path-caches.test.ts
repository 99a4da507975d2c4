/**
 * The per-request caches of core: the verified-token checks key made once per options object (still exact when the
 * options differ or change in place), and the statement cache that refreshes recency lazily (still bounded, hot
 * statements kept).
 */
import { describe, expect, it } from 'vitest';
import { JwtSigner, type VerifyOptions } from '../../src/core/jwt.js';
import { STATEMENT_CACHE_SIZE, VendorDb } from '../../src/core/db.js';
import { frozen } from './helpers.js';

describe('JwtSigner checks key per options object', () => {
  const signer = () => new JwtSigner({ alg: 'HS256', signingKey: new Uint8Array(32).fill(3), clock: frozen() });

  it('a token verified with one options object is not taken as verified for other options', async () => {
    const s = signer();
    const token = await s.sign({ iss: 'me', aud: 'you', sub: 'x' }, 60);
    const mine: VerifyOptions = { issuer: 'me', audience: 'you' };
    expect((await s.verify(token, mine)).ok).toBe(true);
    expect(s.verifiedPayload(token, mine)?.sub).toBe('x');
    // An equal object elsewhere shares the cached verification; different values do not.
    expect(s.verifiedPayload(token, { issuer: 'me', audience: 'you' })?.sub).toBe('x');
    expect(s.verifiedPayload(token, { issuer: 'other', audience: 'you' })).toBeUndefined();
    expect(s.verifiedPayload(token, { issuer: 'me' })).toBeUndefined();
    expect(s.verifiedPayload(token)).toBeUndefined();
    expect(await s.verify(token, { issuer: 'other', audience: 'you' })).toEqual({ ok: false, reason: 'claim' });
  });

  it('an options object changed in place gets the checks it holds now', async () => {
    const s = signer();
    const token = await s.sign({ iss: 'me', aud: 'you', sub: 'x' }, 60);
    const opts: VerifyOptions = { issuer: 'me', requiredClaims: ['sub'] };
    expect((await s.verify(token, opts)).ok).toBe(true);
    expect(s.verifiedPayload(token, opts)?.sub).toBe('x');
    opts.issuer = 'other';
    expect(s.verifiedPayload(token, opts)).toBeUndefined();
    expect(await s.verify(token, opts)).toEqual({ ok: false, reason: 'claim' });
    opts.issuer = 'me';
    expect(s.verifiedPayload(token, opts)?.sub).toBe('x');
    // An array changed in place, not replaced.
    opts.requiredClaims!.push('missing_claim');
    expect(s.verifiedPayload(token, opts)).toBeUndefined();
    expect(await s.verify(token, opts)).toEqual({ ok: false, reason: 'claim' });
    const audiences = ['you'];
    const byAudience: VerifyOptions = { audience: audiences };
    expect((await s.verify(token, byAudience)).ok).toBe(true);
    audiences[0] = 'someone else';
    expect(s.verifiedPayload(token, byAudience)).toBeUndefined();
  });
});

describe('VendorDb statement cache with lazy recency', () => {
  it('stays bounded under distinct SQL with hot statements in between, and keeps the hot ones', () => {
    const handle = new VendorDb(null);
    const hot = ['SELECT 1 AS n', 'SELECT 2 AS n', 'SELECT total_changes() AS total_changes'];
    const first = hot.map((sql) => handle.prepare(sql));
    for (let i = 0; i < 5 * STATEMENT_CACHE_SIZE; i++) {
      handle.prepare(`SELECT ${i + 10} AS n`);
      expect(handle.cachedStatements).toBeLessThanOrEqual(STATEMENT_CACHE_SIZE);
      if (i % 50 === 0) hot.forEach((sql, j) => expect(handle.prepare(sql)).toBe(first[j]));
    }
    expect(handle.cachedStatements).toBe(STATEMENT_CACHE_SIZE);
    hot.forEach((sql, j) => expect(handle.prepare(sql)).toBe(first[j]));
    handle.close();
  });

  it('drops a statement unused for a full cache of insertions, and prepares it again when asked', () => {
    const handle = new VendorDb(null);
    const cold = handle.prepare('SELECT 0 AS n');
    for (let i = 1; i <= STATEMENT_CACHE_SIZE; i++) handle.prepare(`SELECT ${i} AS n`);
    const again = handle.prepare('SELECT 0 AS n');
    expect(again).not.toBe(cold);
    expect(again.get()).toEqual({ n: 0 });
    expect(handle.cachedStatements).toBe(STATEMENT_CACHE_SIZE);
    handle.close();
  });

  it('totalChanges reads the current connection, also after the state is replaced', () => {
    const handle = new VendorDb(null);
    handle.db.exec('CREATE TABLE t (v INTEGER)');
    const image = handle.image();
    expect(handle.totalChanges()).toBe(0);
    handle.db.prepare('INSERT INTO t VALUES (1), (2)').run();
    expect(handle.totalChanges()).toBe(2);
    handle.replace(image);
    expect(handle.totalChanges()).toBe(0);
    handle.db.prepare('INSERT INTO t VALUES (3)').run();
    expect(handle.totalChanges()).toBe(1);
    handle.close();
  });
});
