/**
 * The suite clock: real time plus an offset, optionally frozen. Every time-dependent behaviour in the suite reads
 * it (JWT iat/exp and their verification, token expiry, rate-limit buckets, created_at, ULIDs), so a test can
 * advance 15 minutes in a millisecond. One clock is shared by every vendor of a suite.
 */
import { currentScope } from './scope.js';

export interface ClockState {
  now: string;
  offset_seconds: number;
  frozen: boolean;
}

/** The state of one tenant's clock (`GET /__admin/clock?tenant=`); `own` is false while it follows the suite clock. */
export interface TenantClockState extends ClockState {
  tenant: string;
  own: boolean;
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

  /** True when some tenant has a clock of its own (see VendorClock); the suite clock itself never has. */
  get hasTenantClocks(): boolean {
    return false;
  }

  /** The clock one vendor reads: this clock, except while serving a request of a tenant with a clock of its own. */
  forVendor(): VendorClock {
    return new VendorClock(this, this.realNow);
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

/** A tenant's own clock: an offset from the suite clock, or a frozen instant. */
interface TenantTime {
  offsetMs: number;
  frozenAt: number | null;
}

/**
 * One vendor's view of the suite clock, with per-tenant clocks: while a request of tenant T is served (the tenant the
 * vendor reported with `ctx.setTenant`, read from the request scope), and T has a clock of its own, "now" is T's
 * time. A tenant clock moves with the suite clock (it is an offset from it) until it is frozen. Without any tenant
 * clock, reading it costs one map-size check over the suite clock. Moving it without a tenant moves the suite clock.
 */
export class VendorClock extends Clock {
  private readonly tenants = new Map<string, TenantTime>();

  constructor(
    readonly suite: Clock,
    private readonly real: () => number,
  ) {
    super(real);
  }

  override nowMs(): number {
    const now = this.suite.nowMs();
    if (this.tenants.size === 0) return now;
    const tenant = currentScope()?.tenant;
    const own = tenant == null ? undefined : this.tenants.get(tenant);
    return own === undefined ? now : (own.frozenAt ?? now + own.offsetMs);
  }

  override get frozen(): boolean {
    return this.suite.frozen;
  }

  override advance(seconds: number): void {
    this.suite.advance(seconds);
  }

  override set(instant: Date): void {
    this.suite.set(instant);
  }

  override freeze(on: boolean): void {
    this.suite.freeze(on);
  }

  /** The suite clock back to real time, and every tenant clock of this vendor gone. */
  override reset(): void {
    this.suite.reset();
    this.tenants.clear();
  }

  override state(): ClockState {
    return this.suite.state();
  }

  override get hasTenantClocks(): boolean {
    return this.tenants.size > 0;
  }

  /** Tenants with a clock of their own. */
  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  /** `tenant`'s time in ms (the suite time when it has no clock of its own), wherever it is read from. */
  tenantNowMs(tenant: string): number {
    const own = this.tenants.get(tenant);
    return own === undefined ? this.suite.nowMs() : (own.frozenAt ?? this.suite.nowMs() + own.offsetMs);
  }

  private own(tenant: string): TenantTime {
    let own = this.tenants.get(tenant);
    if (!own) this.tenants.set(tenant, (own = { offsetMs: 0, frozenAt: null }));
    return own;
  }

  advanceTenant(tenant: string, seconds: number): void {
    const own = this.own(tenant);
    const ms = Math.round(seconds * 1000);
    if (own.frozenAt !== null) own.frozenAt += ms;
    else own.offsetMs += ms;
  }

  /** Jumps `tenant` to an instant; keeps its frozen/running state. */
  setTenant(tenant: string, instant: Date): void {
    const own = this.own(tenant);
    if (own.frozenAt !== null) own.frozenAt = instant.getTime();
    else own.offsetMs = instant.getTime() - this.suite.nowMs();
  }

  freezeTenant(tenant: string, on: boolean): void {
    const own = this.own(tenant);
    if (on && own.frozenAt === null) own.frozenAt = this.suite.nowMs() + own.offsetMs;
    if (!on && own.frozenAt !== null) {
      own.offsetMs = own.frozenAt - this.suite.nowMs();
      own.frozenAt = null;
    }
  }

  /** `tenant` follows the suite clock again. */
  resetTenant(tenant: string): void {
    this.tenants.delete(tenant);
  }

  tenantState(tenant: string): TenantClockState {
    const own = this.tenants.get(tenant);
    const now = this.tenantNowMs(tenant);
    return {
      tenant,
      own: own !== undefined,
      now: new Date(now).toISOString(),
      offset_seconds: Math.round((now - this.real()) / 1000) || 0,
      frozen: own === undefined ? this.suite.frozen : own.frozenAt !== null,
    };
  }
}
