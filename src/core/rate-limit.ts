/**
 * Rate limiters on the suite clock. State is in memory (like the vendors' in-process limiters) and is cleared on
 * reset.
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

/** Token bucket per key: `capacity` burst, refilled continuously at `refillPerSecond`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly idleMs = 3_600_000,
  ) {}

  private refill(key: string): { tokens: number; at: number } {
    const now = this.clock.nowMs();
    let b = this.buckets.get(key);
    if (!b || now - b.at > this.idleMs) {
      b = { tokens: this.capacity, at: now };
      this.buckets.set(key, b);
    } else if (now > b.at) {
      b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.refillPerSecond);
      b.at = now;
    }
    return b;
  }

  private result(b: { tokens: number; at: number }, allowed: boolean): BucketResult {
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
    const b = this.refill(key);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return this.result(b, true);
    }
    return this.result(b, false);
  }

  /** The state of a bucket without consuming from it. */
  peek(key: string): BucketResult {
    return this.result(this.refill(key), true);
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

/** Fixed-window counter per key: at most `limit` requests per `windowSeconds`. */
export class FixedWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  private window(key: string): { start: number; count: number } {
    const now = this.clock.nowMs();
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowSeconds * 1000 || now < w.start) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  private result(w: { start: number; count: number }, allowed: boolean): WindowResult {
    const endMs = w.start + this.windowSeconds * 1000;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetAt: Math.ceil(endMs / 1000),
      retryAfter: Math.max(1, Math.ceil((endMs - this.clock.nowMs()) / 1000)),
    };
  }

  take(key: string): WindowResult {
    const w = this.window(key);
    if (w.count >= this.limit) return this.result(w, false);
    w.count++;
    return this.result(w, true);
  }

  peek(key: string): WindowResult {
    return this.result(this.window(key), true);
  }

  clear(): void {
    this.windows.clear();
  }
}
