/**
 * A typed client for the control plane (`/__admin`) of one vendor listener: the request journal, faults, the
 * clock, resets, the rate limiter, snapshots and sandboxes. Use it against a running server or container
 * (`new AdminClient('http://localhost:4400', { token })`), or in-process from `startFakes()`/`Suite`
 * (`fakes.admin('trakrf')`: no network, no token). Every method rejects with an `AdminClientError` carrying the
 * control plane's status and `{"error"}` message.
 */
import type { ClockState } from './core/clock.js';
import type { Fault, FaultSpec } from './core/faults.js';
import type { JournalEntry, JournalFilter } from './core/journal.js';

export type { ClockState, Fault, FaultSpec, JournalEntry, JournalFilter };

export interface AdminClientOptions {
  /** The admin token (`--admin-token`), sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  /** The fetch to use (default: the global one). */
  fetch?: (req: Request) => Response | Promise<Response>;
}

export interface AdminRoute {
  method: string;
  path: string;
  summary: string;
  href: string | null;
}

export interface AdminState {
  vendor: string;
  version: string;
  clock: ClockState;
  tenants: Array<{ id: string | number; name: string; [k: string]: unknown }>;
  routes: AdminRoute[];
}

export interface RateLimitState {
  enabled: boolean;
  [limit: string]: unknown;
}

export interface WaitOptions {
  /** How many matching requests to wait for (default 1). */
  min?: number;
  /** How long to wait at most, up to 30 000 (default 10 000). */
  timeoutMs?: number;
}

export interface TenantOption {
  /** Move only this tenant's clock (per-tenant clocks). */
  tenant?: string | number;
}

export interface Snapshot {
  name: string;
  [k: string]: unknown;
}

export interface Sandbox {
  tenant: string;
  base_url: string;
  credentials: Record<string, unknown>;
}

export class AdminClientError extends Error {
  override name = 'AdminClientError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

function queryString(q: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function filterQuery(f: JournalFilter = {}): Query {
  return { method: f.method, path: f.path, status: f.status, tenant: f.tenant, direction: f.direction, since: f.since, limit: f.limit };
}

export class AdminClient {
  private readonly base: string;
  private readonly token: string | null;
  private readonly doFetch: (req: Request) => Response | Promise<Response>;

  /** `url`: the vendor listener's base URL (with or without `/__admin`). */
  constructor(url: string, opts: AdminClientOptions = {}) {
    this.base = url.replace(/\/+$/, '').replace(/\/__admin$/, '') + '/__admin';
    this.token = opts.token ?? null;
    this.doFetch = opts.fetch ?? ((req) => fetch(req));
  }

  /** One control-plane call; JSON in and out (`raw` returns the Response as is). */
  async call<T = unknown>(method: string, path: string, body?: unknown, raw = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/vnd.sqlite3';
      payload = body as Uint8Array<ArrayBuffer>;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await this.doFetch(new Request(this.base + path, { method, headers, body: payload }));
    if (!res.ok) {
      const text = await res.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        /* not JSON */
      }
      throw new AdminClientError(res.status, `${method} /__admin${path}: ${res.status} ${message}`);
    }
    return (raw ? res : await res.json()) as T;
  }

  /** Vendor, version, clock, tenants and every control-plane route. */
  state(): Promise<AdminState> {
    return this.call('GET', '');
  }

  /** The control plane's OpenAPI document. */
  openapi(): Promise<Record<string, unknown>> {
    return this.call('GET', '/openapi.json');
  }

  /** Back to the seeded state: everything (journal, faults, clock too), or one tenant. */
  reset(tenant?: string | number): Promise<{ reset: boolean; tenant: string | null; ms: number }> {
    return this.call('POST', '/reset', tenant === undefined ? undefined : { tenant });
  }

  /** Recorded requests, newest first (the `requests` of `journal.list`). */
  async requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return (await this.journal.list(filter)).requests;
  }

  readonly journal = {
    list: (filter: JournalFilter = {}): Promise<{ requests: JournalEntry[]; total: number }> =>
      this.call('GET', `/requests${queryString(filterQuery(filter))}`),
    count: async (filter: JournalFilter = {}): Promise<number> =>
      (await this.call<{ count: number }>('GET', `/requests/count${queryString(filterQuery(filter))}`)).count,
    get: (id: string): Promise<JournalEntry> => this.call('GET', `/requests/${encodeURIComponent(id)}`),
    clear: async (): Promise<void> => void (await this.call('DELETE', '/requests')),
    /** Waits (long poll) until at least `min` requests match, or the timeout; returns the matches then. */
    wait: (filter: JournalFilter = {}, opts: WaitOptions = {}): Promise<{ requests: JournalEntry[]; total: number }> =>
      this.call('GET', `/requests${queryString({ ...filterQuery(filter), wait_ms: opts.timeoutMs ?? 10_000, min: opts.min ?? 1 })}`),
  };

  readonly faults = {
    add: (spec: FaultSpec): Promise<Fault> => this.call('POST', '/faults', spec),
    list: async (): Promise<Fault[]> => (await this.call<{ faults: Fault[] }>('GET', '/faults')).faults,
    get: (id: string): Promise<Fault> => this.call('GET', `/faults/${encodeURIComponent(id)}`),
    remove: async (id: string): Promise<void> => void (await this.call('DELETE', `/faults/${encodeURIComponent(id)}`)),
    clear: async (): Promise<void> => void (await this.call('DELETE', '/faults')),
  };

  readonly clock = {
    get: (): Promise<ClockState> => this.call('GET', '/clock'),
    advance: (seconds: number, opts: TenantOption = {}): Promise<ClockState> => this.call('POST', '/clock', { advance_seconds: seconds, ...tenantOf(opts) }),
    set: (to: Date | string, opts: TenantOption = {}): Promise<ClockState> =>
      this.call('POST', '/clock', { set: typeof to === 'string' ? to : to.toISOString(), ...tenantOf(opts) }),
    freeze: (frozen = true, opts: TenantOption = {}): Promise<ClockState> => this.call('POST', '/clock', { freeze: frozen, ...tenantOf(opts) }),
    real: (opts: TenantOption = {}): Promise<ClockState> => this.call('POST', '/clock', { real: true, ...tenantOf(opts) }),
  };

  readonly rateLimit = {
    get: (): Promise<RateLimitState> => this.call('GET', '/rate-limit'),
    set: (enabled: boolean): Promise<RateLimitState> => this.call('POST', '/rate-limit', { enabled }),
  };

  readonly snapshots = {
    save: (name: string): Promise<Snapshot> => this.call('POST', '/snapshots', { name }),
    restore: (name: string): Promise<unknown> => this.call('POST', `/snapshots/${encodeURIComponent(name)}/restore`),
    list: async (): Promise<Snapshot[]> => {
      const r = await this.call<{ snapshots: Snapshot[] } | Snapshot[]>('GET', '/snapshots');
      return Array.isArray(r) ? r : r.snapshots;
    },
    delete: async (name: string): Promise<void> => void (await this.call('DELETE', `/snapshots/${encodeURIComponent(name)}`)),
    /** The snapshot as a SQLite file. */
    download: async (name: string): Promise<Uint8Array> =>
      new Uint8Array(await (await this.call<Response>('GET', `/snapshots/${encodeURIComponent(name)}/file`, undefined, true)).arrayBuffer()),
    /** Uploads a SQLite file as snapshot `name` (checked: SQLite, this vendor, this schema version). */
    upload: (name: string, file: Uint8Array): Promise<unknown> => this.call('PUT', `/snapshots/${encodeURIComponent(name)}/file`, file),
  };

  /** A new sandbox tenant with a copy of `from`'s demo data (default: the first demo tenant) and fresh credentials. */
  sandbox(opts: { from?: string | number } = {}): Promise<Sandbox> {
    return this.call('POST', '/sandboxes', opts.from === undefined ? {} : { from: opts.from });
  }

  readonly sandboxes = {
    create: (opts: { from?: string | number } = {}): Promise<Sandbox> => this.sandbox(opts),
    delete: async (tenant: string | number): Promise<void> => void (await this.call('DELETE', `/sandboxes/${encodeURIComponent(String(tenant))}`)),
  };
}

function tenantOf(opts: TenantOption): { tenant?: string | number } {
  return opts.tenant === undefined ? {} : { tenant: opts.tenant };
}
