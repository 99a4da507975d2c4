/**
 * Rate limiters on the suite clock. State is in memory (like the vendors' in-process limiters) and is cleared on
 * reset. When the clock moves back before a key's last use, that key starts afresh (as after a restart), so a
 * backwards move never leaves a limiter stuck. Keys whose state no longer matters (a full bucket, an ended window)
 * are dropped by a sweep that runs whenever the map has doubled since the last one, so crafted keys (one per invalid
 * token) cannot grow memory beyond what the limit's own time span holds.
 */
import type { Clock } from './clock.js';

export interface BucketResult {
  allowed: boolean;
  /** Burst ceiling. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Unix seconds at which the bucket is full again (now when full). */
  resetAt: number;
  /** Whole seconds until a request would be allowed (≥ 1 when refused, 0 when allowed). */
  retryAfter: number;
}

/** Smallest map size at which a sweep runs. */
const SWEEP_FLOOR = 1024;

/** A per-key map that drops entries `stale(entry, now)` once it has doubled in size since its last sweep. */
class SweptMap<V> extends Map<string, V> {
  private sweepAt = SWEEP_FLOOR;

  constructor(private readonly stale: (value: V, now: number) => boolean) {
    super();
  }

  put(key: string, value: V, now: number): void {
    this.set(key, value);
    if (this.size < this.sweepAt) return;
    for (const [k, v] of this) if (this.stale(v, now)) this.delete(k);
    this.sweepAt = Math.max(SWEEP_FLOOR, this.size * 2);
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token bucket per key: `capacity` burst, refilled continuously at `refillPerSecond`. */
export class TokenBuckets {
  private readonly buckets: SweptMap<Bucket>;

  constructor(
    private readonly clock: Clock,
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly idleMs = 3_600_000,
  ) {
    this.buckets = new SweptMap((b, now) => this.fresh(b, now) || this.full(b, now));
  }

  /** True when b carries no state: idle too long, or last used after `now` (the clock moved back). */
  private fresh(b: Bucket, now: number): boolean {
    return now < b.at || now - b.at > this.idleMs;
  }

  private full(b: Bucket, now: number): boolean {
    return b.tokens + ((now - b.at) / 1000) * this.refillPerSecond >= this.capacity;
  }

  /** The bucket of key brought up to `now`; a new full one (not stored) when the key has no state. */
  private refill(key: string, now: number): Bucket {
    const b = this.buckets.get(key);
    if (!b || this.fresh(b, now)) return { tokens: this.capacity, at: now };
    if (now > b.at) {
      b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.refillPerSecond);
      b.at = now;
    }
    return b;
  }

  private result(b: Bucket, allowed: boolean): BucketResult {
    const missing = this.capacity - b.tokens;
    const retryAfter = allowed ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / this.refillPerSecond));
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.max(0, Math.floor(b.tokens)),
      resetAt: Math.ceil((b.at + (missing / this.refillPerSecond) * 1000) / 1000),
      retryAfter,
    };
  }

  take(key: string, cost = 1): BucketResult {
    const now = this.clock.nowMs();
    const b = this.refill(key, now);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      if (this.buckets.get(key) !== b) this.buckets.put(key, b, now);
      return this.result(b, true);
    }
    return this.result(b, false);
  }

  /** The state of a bucket without consuming from it. */
  peek(key: string): BucketResult {
    return this.result(this.refill(key, this.clock.nowMs()), true);
  }

  /** Keys held in memory (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }

  clear(): void {
    this.buckets.clear();
  }
}

export interface WindowResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the current window ends. */
  resetAt: number;
  /** Whole seconds until the window ends (≥ 1). */
  retryAfter: number;
}

interface Window {
  start: number;
  count: number;
}

/** Fixed-window counter per key: at most `limit` requests per `windowSeconds`. */
export class FixedWindows {
  private readonly windows: SweptMap<Window>;

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {
    this.windows = new SweptMap((w, now) => this.ended(w, now));
  }

  /** True when w no longer counts: its window is over, or it starts after `now` (the clock moved back). */
  private ended(w: Window, now: number): boolean {
    return now >= w.start + this.windowSeconds * 1000 || now < w.start;
  }

  private window(key: string, now: number): Window {
    const w = this.windows.get(key);
    return !w || this.ended(w, now) ? { start: now, count: 0 } : w;
  }

  private result(w: Window, allowed: boolean, now: number): WindowResult {
    const endMs = w.start + this.windowSeconds * 1000;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetAt: Math.ceil(endMs / 1000),
      retryAfter: Math.max(1, Math.ceil((endMs - now) / 1000)),
    };
  }

  take(key: string): WindowResult {
    const now = this.clock.nowMs();
    const w = this.window(key, now);
    if (w.count >= this.limit) return this.result(w, false, now);
    w.count++;
    if (this.windows.get(key) !== w) this.windows.put(key, w, now);
    return this.result(w, true, now);
  }

  peek(key: string): WindowResult {
    const now = this.clock.nowMs();
    return this.result(this.window(key, now), true, now);
  }

  /** Keys held in memory (for tests of the bound). */
  get size(): number {
    return this.windows.size;
  }

  clear(): void {
    this.windows.clear();
  }
}
