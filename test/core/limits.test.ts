/** Core rate limiters after the clock moves back, and the bound on the keys they keep. */
import { describe, expect, it } from 'vitest';
import { FixedWindows, TokenBuckets } from '../../src/core/rate-limit.js';
import { frozen } from './helpers.js';

describe('rate limiters when the clock moves back', () => {
  it('token bucket: a drained key starts afresh after a backwards move (no 429 with Retry-After: 1 forever)', () => {
    const clock = frozen();
    const b = new TokenBuckets(clock, 3, 1);
    for (let i = 0; i < 3; i++) b.take('k');
    expect(b.take('k').allowed).toBe(false);
    clock.advance(-600);
    const r = b.take('k');
    expect(r).toMatchObject({ allowed: true, remaining: 2, retryAfter: 0 });
    expect(r.resetAt).toBe(clock.nowSeconds() + 1);
    expect(b.take('k').allowed).toBe(true);
    expect(b.take('k').allowed).toBe(true);
    expect(b.take('k')).toMatchObject({ allowed: false, retryAfter: 1 });
    // …and forward again refills as usual.
    clock.advance(1);
    expect(b.take('k').allowed).toBe(true);
  });

  it('token bucket: peek after a backwards move reports a full bucket', () => {
    const clock = frozen();
    const b = new TokenBuckets(clock, 2, 1 / 60);
    b.take('k');
    b.take('k');
    expect(b.peek('k').remaining).toBe(0);
    clock.advance(-1);
    expect(b.peek('k').remaining).toBe(2);
  });

  it('fixed window: a full window starts afresh after a backwards move', () => {
    const clock = frozen();
    const w = new FixedWindows(clock, 2, 60);
    w.take('u');
    w.take('u');
    expect(w.take('u').allowed).toBe(false);
    clock.advance(-600);
    expect(w.take('u')).toMatchObject({ allowed: true, remaining: 1, retryAfter: 60 });
  });
});

describe('rate limiters keep bounded state', () => {
  it('token bucket: keys whose bucket is full again are dropped; peek stores nothing', () => {
    const clock = frozen();
    const b = new TokenBuckets(clock, 3, 1);
    for (let i = 0; i < 100; i++) b.peek(`p${i}`);
    expect(b.size).toBe(0);
    for (let i = 0; i < 50_000; i++) {
      b.take(`k${i}`);
      if (i % 1000 === 999) clock.advance(5);
    }
    expect(b.size).toBeLessThanOrEqual(4096);
    // A key still draining is kept through sweeps.
    const k = new TokenBuckets(clock, 3, 1 / 3600);
    k.take('live');
    k.take('live');
    k.take('live');
    for (let i = 0; i < 5000; i++) {
      k.take(`x${i}`);
      clock.advance(0.001);
    }
    expect(k.take('live').allowed).toBe(false);
  });

  it('fixed window: ended windows are dropped', () => {
    const clock = frozen();
    const w = new FixedWindows(clock, 5, 60);
    for (let i = 0; i < 50_000; i++) {
      w.take(`k${i}`);
      if (i % 1000 === 999) clock.advance(61);
    }
    expect(w.size).toBeLessThanOrEqual(4096);
    for (let i = 0; i < 100; i++) w.peek(`p${i}`);
    expect(w.size).toBeLessThanOrEqual(4096);
  });
});
