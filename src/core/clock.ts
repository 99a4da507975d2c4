/**
 * The suite clock: real time plus an offset, optionally frozen. Every time-dependent behaviour in the suite reads
 * it (JWT iat/exp and their verification, token expiry, rate-limit buckets, created_at, ULIDs), so a test can
 * advance 15 minutes in a millisecond. One clock is shared by every vendor of a suite.
 */
export interface ClockState {
  now: string;
  offset_seconds: number;
  frozen: boolean;
}

export class Clock {
  /** Offset from real time in milliseconds (when not frozen). */
  private offsetMs = 0;
  /** When frozen, the instant the clock stands at. */
  private frozenAt: number | null = null;

  constructor(private readonly realNow: () => number = Date.now) {}

  /** Milliseconds since the epoch, suite time. */
  nowMs(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Whole seconds since the epoch, suite time (JWT `iat`/`exp` unit). */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  advance(seconds: number): void {
    const ms = Math.round(seconds * 1000);
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Jump to an instant; keeps the frozen/running state. */
  set(instant: Date): void {
    if (this.frozenAt !== null) this.frozenAt = instant.getTime();
    else this.offsetMs = instant.getTime() - this.realNow();
  }

  freeze(on: boolean): void {
    if (on && this.frozenAt === null) this.frozenAt = this.nowMs();
    if (!on && this.frozenAt !== null) {
      this.offsetMs = this.frozenAt - this.realNow();
      this.frozenAt = null;
    }
  }

  /** Back to real time, running. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }

  state(): ClockState {
    const now = this.nowMs();
    return {
      now: new Date(now).toISOString(),
      // `|| 0`: never -0 (a few microseconds behind real time round to it).
      offset_seconds: Math.round((now - this.realNow()) / 1000) || 0,
      frozen: this.frozen,
    };
  }
}
