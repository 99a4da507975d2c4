/** Request ids: monotonic ULIDs on the suite clock with seeded randomness, and seeded UUID v4s. */
import type { Clock } from './clock.js';
import type { Rng } from './rng.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class UlidFactory {
  private lastMs = -1;
  private lastRandom: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
  ) {}

  next(): string {
    const ms = Math.max(0, this.clock.nowMs());
    if (ms <= this.lastMs) {
      // Monotonic within (or behind) the same millisecond: increment the 80-bit random part.
      let i = this.lastRandom.length - 1;
      while (i >= 0 && this.lastRandom[i] === 31) this.lastRandom[i--] = 0;
      if (i >= 0) this.lastRandom[i]++;
    } else {
      this.lastMs = ms;
      this.lastRandom = Array.from({ length: 16 }, () => this.rng.next() & 31);
    }
    let time = '';
    let t = this.lastMs;
    for (let i = 0; i < 10; i++) {
      time = CROCKFORD[t % 32] + time;
      t = Math.floor(t / 32);
    }
    return time + this.lastRandom.map((d) => CROCKFORD[d]).join('');
  }
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
