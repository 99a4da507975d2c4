/** Request ids: monotonic ULIDs on the suite clock with seeded randomness, and seeded UUID v4s. */
import type { Clock } from './clock.js';
import type { Rng } from './rng.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class UlidFactory {
  private lastMs = -1;
  /** The 48-bit time part of lastMs, encoded. */
  private time = '';
  /** The 80-bit random part as 16 base-32 digits. */
  private readonly random = new Uint8Array(16);

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
  ) {}

  next(): string {
    const ms = Math.max(0, this.clock.nowMs());
    const random = this.random;
    if (ms <= this.lastMs) {
      // Monotonic within (or behind) the same millisecond: increment the 80-bit random part.
      let i = random.length - 1;
      while (i >= 0 && random[i] === 31) random[i--] = 0;
      if (i >= 0) random[i]++;
    } else {
      this.lastMs = ms;
      for (let i = 0; i < random.length; i++) random[i] = this.rng.next() & 31;
      let time = '';
      let t = ms;
      for (let i = 0; i < 10; i++) {
        time = CROCKFORD[t % 32] + time;
        t = Math.floor(t / 32);
      }
      this.time = time;
    }
    let id = this.time;
    for (let i = 0; i < random.length; i++) id += CROCKFORD[random[i]];
    return id;
  }
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
