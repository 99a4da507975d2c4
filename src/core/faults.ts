/**
 * Injected faults and latency: rules matched against each API request of one vendor (glob path, optional method
 * and tenant). The first live rule in creation order that matches and fires applies; `after` skips its first
 * matches, `times` retires it after that many hits, `probability` draws from a seeded source (a fork of the
 * instance's, restarted on full reset), so the same seed and the same requests give the same outcomes.
 *
 * Tenant rules are decided when the vendor resolves the tenant (`setTenant`, after authentication), rules without
 * a tenant when the request arrives; a rule without a tenant that applies wins.
 */
import { AdminError } from './admin.js';
import { globMatcher } from './glob.js';
import { Rng } from './rng.js';

export type FaultError = 'connection_reset' | 'empty_reply' | 'hang';
const ERRORS: readonly FaultError[] = ['connection_reset', 'empty_reply', 'hang'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const MAX_FAULTS = 1000;
/** Longest delay (and hang) a fault may ask for: 10 minutes. */
export const MAX_DELAY_MS = 600_000;

/** What a client sends (POST /__admin/faults). */
export interface FaultSpec {
  path: string;
  method?: string | null;
  tenant?: string | number | null;
  status?: number | null;
  body?: unknown;
  headers?: Record<string, string> | null;
  error?: FaultError | null;
  delay_ms?: number;
  jitter_ms?: number;
  times?: number | null;
  after?: number;
  probability?: number;
}

/** A fault as listed (GET /__admin/faults). */
export interface Fault {
  id: string;
  method: string | null;
  path: string;
  tenant: string | null;
  status: number | null;
  body: unknown;
  headers: Record<string, string>;
  error: FaultError | null;
  delay_ms: number;
  jitter_ms: number;
  times: number | null;
  after: number;
  probability: number;
  /** Requests that matched (method, path, tenant). */
  matches: number;
  /** Requests it applied to. */
  hits: number;
  created: string;
}

export interface FaultRule {
  fault: Fault;
  matchPath: (path: string) => boolean;
}

const FIELDS = ['method', 'path', 'tenant', 'status', 'body', 'headers', 'error', 'delay_ms', 'jitter_ms', 'times', 'after', 'probability'];

const bad = (message: string) => new AdminError(400, message);

function intField(body: Record<string, unknown>, key: string, min: number, max: number, def: number): number {
  const v = body[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(`${key} must be an integer from ${min} to ${max}`);
  return v;
}

/** Checks a fault spec; throws a 400 AdminError naming what is wrong. */
export function parseFaultSpec(body: Record<string, unknown>): Omit<Fault, 'id' | 'matches' | 'hits' | 'created'> {
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw bad(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (fields: ${FIELDS.join(', ')})`);
  const path = body.path;
  if (typeof path !== 'string' || !path.startsWith('/') && path !== '*' || path.length > 1000) {
    throw bad('path is required: a path starting with / (or *), where * matches any characters, e.g. /api/v1/assets*');
  }
  let method: string | null = null;
  if (body.method !== undefined && body.method !== null) {
    if (typeof body.method !== 'string' || !METHODS.includes(body.method.toUpperCase())) throw bad(`method must be one of ${METHODS.join(', ')}`);
    method = body.method.toUpperCase();
  }
  let tenant: string | null = null;
  if (body.tenant !== undefined && body.tenant !== null) {
    if ((typeof body.tenant !== 'string' && typeof body.tenant !== 'number') || String(body.tenant) === '') throw bad('tenant must be a string or a number');
    tenant = String(body.tenant);
  }
  const status = body.status === undefined || body.status === null ? null : intField(body, 'status', 200, 599, 0);
  let error: FaultError | null = null;
  if (body.error !== undefined && body.error !== null) {
    if (!ERRORS.includes(body.error as FaultError)) throw bad(`error must be one of ${ERRORS.join(', ')}`);
    error = body.error as FaultError;
  }
  if (error && status !== null) throw bad('send either status or error, not both');
  let headers: Record<string, string> = {};
  if (body.headers !== undefined && body.headers !== null) {
    const h = body.headers;
    if (typeof h !== 'object' || Array.isArray(h) || !Object.values(h).every((v) => typeof v === 'string')) {
      throw bad('headers must be an object of strings');
    }
    for (const [k, v] of Object.entries(h as Record<string, string>)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n\0]/.test(v)) throw bad(`headers: not a valid header: ${k.slice(0, 100)}`);
    }
    headers = h as Record<string, string>;
  }
  const fBody = body.body === undefined ? null : body.body;
  if (fBody !== null && status === null) throw bad('body needs a status');
  if (Object.keys(headers).length && status === null) throw bad('headers need a status');
  const delay_ms = intField(body, 'delay_ms', 0, MAX_DELAY_MS, 0);
  const jitter_ms = intField(body, 'jitter_ms', 0, MAX_DELAY_MS, 0);
  const times = body.times === undefined || body.times === null ? null : intField(body, 'times', 1, 2 ** 31, 1);
  const after = intField(body, 'after', 0, 2 ** 31, 0);
  let probability = 1;
  if (body.probability !== undefined && body.probability !== null) {
    const p = body.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw bad('probability must be a number from 0 to 1');
    probability = p;
  }
  if (status === null && error === null && delay_ms === 0 && jitter_ms === 0) {
    throw bad('a fault needs an effect: status, error, or delay_ms/jitter_ms');
  }
  return { method, path, tenant, status, body: fBody, headers, error, delay_ms, jitter_ms, times, after, probability };
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private rng: Rng;

  constructor(
    private readonly seedRng: () => Rng,
    private readonly now: () => Date,
  ) {
    this.rng = seedRng();
  }

  /** Faults defined (live or spent). Zero means requests skip all matching work. */
  get size(): number {
    return this.rules.length;
  }

  /** Adds a fault (throws a 400 AdminError for a bad spec). */
  add(spec: FaultSpec | Record<string, unknown>): Fault {
    const parsed = parseFaultSpec(spec as Record<string, unknown>);
    if (this.rules.length >= MAX_FAULTS) throw new AdminError(409, `at most ${MAX_FAULTS} faults at a time; delete some first`);
    const fault: Fault = { id: `f${this.nextId++}`, ...parsed, matches: 0, hits: 0, created: this.now().toISOString() };
    this.rules.push({ fault, matchPath: globMatcher(parsed.path) });
    return { ...fault };
  }

  list(): Fault[] {
    return this.rules.map((r) => ({ ...r.fault }));
  }

  get(id: string): Fault | null {
    const r = this.rules.find((x) => x.fault.id === id);
    return r ? { ...r.fault } : null;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.fault.id !== id);
    return this.rules.length !== before;
  }

  /** Deletes every fault; `restart` also restarts the seeded source (full reset). */
  clear(restart = false): void {
    this.rules = [];
    if (restart) {
      this.rng = this.seedRng();
      this.nextId = 1;
    }
  }

  /**
   * The fault for a request as it arrives (rules without a tenant), or null; `pending` receives the tenant rules
   * that match method and path, to decide once the tenant is known.
   */
  arrive(method: string, path: string): { fault: Fault | null; pending: FaultRule[] } {
    const pending: FaultRule[] = [];
    for (const rule of this.rules) {
      const f = rule.fault;
      if (f.times !== null && f.hits >= f.times) continue;
      if (f.method !== null && f.method !== method && !(f.method === 'GET' && method === 'HEAD')) continue;
      if (!rule.matchPath(path)) continue;
      if (f.tenant !== null) {
        pending.push(rule);
        continue;
      }
      if (this.fires(f)) return { fault: f, pending: [] };
    }
    return { fault: null, pending };
  }

  /** The first of `pending` that applies to `tenant` and fires, or null. */
  forTenant(pending: readonly FaultRule[], tenant: string): Fault | null {
    for (const rule of pending) {
      const f = rule.fault;
      if (f.tenant !== tenant || (f.times !== null && f.hits >= f.times)) continue;
      if (this.fires(f)) return f;
    }
    return null;
  }

  /** Counts a match; true when the fault applies to this one (past `after`, drawn by `probability`), counting the hit. */
  private fires(f: Fault): boolean {
    f.matches++;
    if (f.matches <= f.after) return false;
    if (f.probability < 1 && !(this.rng.float() < f.probability)) return false;
    f.hits++;
    return true;
  }

  /** The delay of one application: delay_ms plus a uniform draw from [0, jitter_ms]. */
  delayOf(f: Fault): number {
    return f.delay_ms + (f.jitter_ms > 0 ? Math.floor(this.rng.float() * (f.jitter_ms + 1)) : 0);
  }
}

