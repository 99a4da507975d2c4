/** Bounded memory (issue 11 #8): the statement cache is an LRU, and dead refresh-token chains are pruned on request. */
import { describe, expect, it } from 'vitest';
import { STATEMENT_CACHE_SIZE, VendorDb } from '../../src/core/db.js';
import { TokenChains } from '../../src/core/token-chains.js';
import { frozen } from './helpers.js';

describe('VendorDb statement cache', () => {
  it(`keeps the ${STATEMENT_CACHE_SIZE} most recently used statements`, () => {
    const handle = new VendorDb(null);
    const sql = (i: number) => `SELECT ${i} AS n`;
    const first = handle.prepare(sql(0));
    for (let i = 1; i < STATEMENT_CACHE_SIZE + 100; i++) {
      handle.prepare(sql(i));
      // statement 0 stays the most recently used one
      if (i % 10 === 0) expect(handle.prepare(sql(0))).toBe(first);
    }
    expect(handle.cachedStatements).toBe(STATEMENT_CACHE_SIZE);
    expect(handle.prepare(sql(0))).toBe(first);
    // the oldest unused ones were dropped: preparing one again gives a new statement that still works
    const again = handle.prepare(sql(1));
    expect(again.get()).toEqual({ n: 1 });
    expect(handle.cachedStatements).toBe(STATEMENT_CACHE_SIZE);
    handle.close();
  });
});

describe('TokenChains pruning', () => {
  const setup = (pruneEvery?: number) => {
    const clock = frozen();
    const handle = new VendorDb(null);
    TokenChains.migrate(handle.db);
    const rows = () => handle.prepare('SELECT COUNT(*) FROM refresh_tokens').pluck().get() as number;
    return { clock, handle, rows, chains: new TokenChains(handle, clock, 60, { pruneEvery }) };
  };

  it('drops chains whose head is revoked or expired; live chains keep every row so replays are still caught', () => {
    const { clock, rows, chains } = setup();
    // a live chain rotated 3 times (3 used rows + head)
    let live = chains.issue({ subject: 'a' }).token;
    const used: string[] = [];
    for (let i = 0; i < 3; i++) {
      used.push(live);
      const r = chains.rotate(live);
      if (!r.ok) throw new Error('rotate');
      live = r.token;
    }
    // a replayed chain (head revoked by the replay)
    const replayed = chains.issue({ subject: 'b' }).token;
    const r = chains.rotate(replayed);
    expect(r.ok && chains.rotate(replayed).ok).toBe(false);
    // a chain whose head expires
    clock.advance(-30);
    const old = chains.issue({ subject: 'c' }).token;
    clock.advance(30);
    // a chain revoked by logout
    chains.revoke(chains.issue({ subject: 'd' }).token);
    expect(rows()).toBe(4 + 2 + 1 + 1);
    clock.advance(31);
    expect(chains.prune()).toBe(2 + 1 + 1);
    expect(rows()).toBe(4);
    expect(chains.find(old)).toBeUndefined();
    // replaying an old token of the live chain is still detected and kills the head
    expect(chains.rotate(used[0])).toMatchObject({ ok: false, reason: 'replayed' });
    expect(chains.rotate(live)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(chains.prune()).toBe(4);
    expect(rows()).toBe(0);
  });

  it('pruneEvery runs it every N issued tokens; without it nothing is pruned', () => {
    const a = setup(10);
    const b = setup();
    for (const s of [a, b]) {
      for (let i = 0; i < 25; i++) s.chains.revoke(s.chains.issue({ subject: `k${i}` }).token);
    }
    // the 10th and 20th issues pruned the dead chains before them
    expect(a.rows()).toBe(25 - 19);
    expect(b.rows()).toBe(25);
  });
});
