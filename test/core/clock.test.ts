import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.js';

describe('Clock', () => {
  it('advances, freezes and sets on top of a real time source', () => {
    let real = 1_000_000;
    const clock = new Clock(() => real);
    expect(clock.nowMs()).toBe(1_000_000);
    clock.advance(900);
    expect(clock.nowMs()).toBe(1_900_000);
    clock.freeze(true);
    real += 5_000;
    expect(clock.nowMs()).toBe(1_900_000);
    clock.advance(1);
    expect(clock.nowMs()).toBe(1_901_000);
    clock.freeze(false);
    real += 2_000;
    expect(clock.nowMs()).toBe(1_903_000);
    clock.set(new Date('2030-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(clock.state()).toEqual({ now: '2030-01-01T00:00:00.000Z', offset_seconds: expect.any(Number), frozen: false });
  });
});
