/**
 * One running vendor: its database (migrated, seeded, snapshotted), its API app and its control plane, composed
 * into one Hono app that a listener serves (or a test calls with `app.request()`).
 */
import { Hono } from 'hono';
import type { Clock, VendorClock } from './clock.js';
import { checkSchema } from './data-dir.js';
import { VendorDb } from './db.js';
import { loadFixtureFile } from './fixtures.js';
import { Keys } from './keys.js';
import { Outbound } from './outbound.js';
import { Rng } from './rng.js';
import { readSeedImage, seedCacheEnabled, seedCacheKey, writeSeedImage } from './seed-cache.js';
import { coreAdmin, adminErrorHandler } from './admin.js';
import { AdminGuard } from './admin-guard.js';
import type { DemoCredential, FetchHandler, OptionValue, Vendor, VendorContext, VendorRuntime } from './vendor.js';
import { UsageError } from './vendor.js';
import { currentScope, setRequestTenant } from './scope.js';
import { DEFAULT_JOURNAL_MAX_BYTES, DEFAULT_JOURNAL_SIZE, Journal } from './journal.js';
import { Faults } from './faults.js';
import { BrokenConnection, loggedFetch, observedFetch, stoppedByFault } from './observe.js';
import { UlidFactory } from './request-id.js';
import { discoveryRoutes, recordOutbound, recordProtocolEvent, routeIndex, testingAdmin, genericErrorResponse } from './admin-testing.js';
import { Snapshots, snapshotRoutes } from './snapshots.js';
import { Sandboxes, sandboxRoutes } from './sandboxes.js';
import { join } from 'node:path';
import type { AdminCall, ConsoleSpec } from './console-spec.js';

export interface InstanceOptions {
  clock: Clock;
  seed: number;
  dataDir?: string;
  fixturesDir?: string;
  /** Fixtures given directly (programmatic use); wins over fixturesDir. */
  fixtures?: unknown;
  config?: Record<string, OptionValue>;
  log?: (line: string) => void;
  version: string;
  /** Load seeded images from (and save them to) the seed cache (default: on unless VENDOR_FAKES_SEED_CACHE=off). */
  seedCache?: boolean;
  /** Hosts besides loopback that webhooks may be delivered to (`*.example.com` for subdomains, `*` for any). */
  webhookAllowHosts?: readonly string[];
  /** Label of the seeded stream run-time ids are drawn from (default `runtime`; a data dir gives each start its own). */
  runtimeStream?: string;
  /** Derive signing keys from the seed (reproducible tokens that anyone knowing the seed can forge). Default: random. */
  deterministicKeys?: boolean;
  /** Bearer token every /__admin request must present (default: none). */
  adminToken?: string | null;
  /** Host names besides IP literals, localhost and the vendor's own hosts that /__admin answers to. */
  publicHosts?: readonly string[];
  /** Requests the journal keeps (newest first; default 1000; 0 turns it off). */
  journalSize?: number;
  /** Bytes the journal may hold, bodies and headers counted (default 16 MiB); the oldest entries go first. */
  journalMaxBytes?: number;
}

export class VendorInstance {
  readonly ctx: VendorContext;
  /** What the started vendor serves and answers (Vendor.start). */
  readonly runtime: VendorRuntime;
  readonly app: Hono;
  readonly fetch: (req: Request, env?: unknown) => Response | Promise<Response>;
  readonly credentials: DemoCredential[];
  /** Where the seeded state came from: the generators, the seed cache, or an existing --data-dir. */
  readonly seededFrom: 'generator' | 'cache' | 'data-dir' = 'generator';
  private readonly resetHooks: Array<() => void> = [];
  /** The request journal (GET /__admin/requests): `list`, `count`, `get`, `waitFor`, `subscribe`, `clear`. */
  readonly journal: Journal;
  /** Injected faults and latency (POST /__admin/faults): `add`, `list`, `get`, `remove`, `clear`. */
  readonly faults: Faults;
  /** The journal and fault routes, mounted under /__admin. */
  private readonly testing: Hono;
  /** Saved states of this vendor (`/__admin/snapshots`): save, restore, list, delete, file, upload. */
  readonly snapshots: Snapshots;
  /** Sandbox tenants of this vendor (`/__admin/sandboxes`): create, list, delete. */
  readonly sandboxes: Sandboxes;
  /** The clock this vendor reads, with its per-tenant clocks (`advanceTenant`, `setTenant`, `freezeTenant`, …). */
  get tenantClocks(): VendorClock {
    return this.ctx.clock as VendorClock;
  }
  /** Calls this instance's control plane in-process (the web console), with the admin token when one is set. */
  readonly adminCall: AdminCall;
  private consoleSpec?: ConsoleSpec | null;

  constructor(
    readonly vendor: Vendor<any, any>,
    opts: InstanceOptions,
  ) {
    const rawFixtures = opts.fixtures ?? loadFixtureFile(vendor.name, opts.fixturesDir);
    const fixtures = vendor.parseFixtures(rawFixtures);
    const config = resolveConfig(vendor, opts.config ?? {});
    const cacheKey =
      !opts.dataDir && (opts.seedCache ?? seedCacheEnabled()) ? seedCacheKey([vendor.name, opts.version, opts.seed, rawFixtures, config]) : null;
    const cached = cacheKey ? readSeedImage(vendor.name, cacheKey) : null;
    // A cached image is opened directly (no empty database first).
    const handle = cached ? VendorDb.fromSeededImage(cached) : VendorDb.forVendor(vendor.name, opts.dataDir);
    const rng = new Rng(opts.seed);
    const ctx: VendorContext = {
      name: vendor.name,
      handle,
      clock: opts.clock.forVendor(),
      rng: rng.fork(opts.runtimeStream ?? 'runtime'),
      config,
      onReset: (fn) => this.resetHooks.push(fn),
      // Lines a vendor logs about a request an injected fault stopped (its "unexpected error") are noise.
      log: opts.log ? (line) => void (stoppedByFault(currentScope()) || opts.log!(line)) : () => {},
      outbound: new Outbound(vendor.name, opts.clock, opts.webhookAllowHosts),
      setTenant: setRequestTenant,
      journal: (e) => recordProtocolEvent(this.journal, vendor.name, opts.clock.nowMs(), e),
      keys: new Keys({ vendor: vendor.name, dataDir: opts.dataDir, deterministicSeed: opts.deterministicKeys ? opts.seed : undefined }),
    };
    this.ctx = ctx;
    this.journal = new Journal(vendor.name, opts.journalSize ?? DEFAULT_JOURNAL_SIZE, opts.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES);
    this.faults = new Faults(() => rng.fork('faults'), () => opts.clock.now());
    ctx.outbound.onRecord((r) => recordOutbound(this.journal, r));
    if (cached) {
      this.seededFrom = 'cache';
    } else if (handle.restoreSeededImage()) {
      checkSchema(vendor.name, handle.db, (db) => vendor.migrate(db), opts.dataDir!);
      this.seededFrom = 'data-dir';
    } else {
      handle.transaction(() => {
        vendor.migrate(handle.db);
        vendor.seed(ctx, fixtures, rng.fork('fixtures'));
      });
      handle.snapshot();
      if (cacheKey) writeSeedImage(vendor.name, cacheKey, handle.seededImage()!);
    }
    this.credentials = vendor.demoCredentials?.(fixtures) ?? [];
    this.snapshots = new Snapshots({
      vendor: vendor.name,
      handle,
      clock: opts.clock,
      migrate: (db) => vendor.migrate(db),
      dir: opts.dataDir ? join(opts.dataDir, 'snapshots', vendor.name) : null,
      afterReplace: (digest) => {
        ctx.rng.switchTo(`snapshot:${digest}`);
        for (const fn of this.resetHooks) fn();
      },
    });

    const runtime = vendor.start(ctx);
    this.runtime = runtime;
    this.sandboxes = new Sandboxes({ vendor, runtime, ctx, clock: opts.clock, resetTenant: (tenant) => this.reset(tenant) });
    const api = runtime.api;
    const admin = coreAdmin({
      vendor: vendor.name,
      version: opts.version,
      clock: ctx.clock,
      tenants: () => runtime.tenants?.() ?? [],
      reset: (tenant) => this.reset(tenant),
      routes: (origin) => routeIndex(control, origin),
    });
    const control = new Hono().basePath('/__admin');
    const guard = new AdminGuard({ token: opts.adminToken, publicHosts: opts.publicHosts, isOwnHost: runtime.isOwnHost });
    control.use(async (c, next) => guard.check(c.req.raw) ?? next());
    control.route('/', admin);
    this.testing = testingAdmin({ journal: this.journal, faults: this.faults });
    control.route('/', this.testing);
    control.route('/', snapshotRoutes(this.snapshots));
    control.route('/', discoveryRoutes());
    control.route('/', sandboxRoutes(this.sandboxes));
    if (runtime.admin) control.route('/', runtime.admin);
    control.notFound((c) => c.json({ error: `Unknown admin route: ${c.req.method} ${c.req.path}` }, 404));
    control.onError(adminErrorHandler);
    this.adminCall = async (method, path, body) => {
      const headers: Record<string, string> = {};
      if (opts.adminToken) headers.authorization = `Bearer ${opts.adminToken}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await control.fetch(new Request(`http://localhost/__admin${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        parsed = { error: text };
      }
      return { status: res.status, body: parsed };
    };

    // The control plane answers before any vendor middleware (auth, CORS, tenancy by Host) sees the request.
    // A listener calls `fetch` directly (one routing pass per request); `app` wraps it for in-process app.request().
    // Each API request runs in its own scope (the tenant the vendor resolves, an injected fault).
    const observed = observedFetch(api, {
      nowMs: () => opts.clock.nowMs(),
      journal: this.journal,
      faults: this.faults,
      errorResponse: (status, req) => runtime.errorResponse?.(status, req) ?? genericErrorResponse(status),
    });
    let apiFetch = observed;
    let controlFetch: FetchHandler = (req, env) => control.fetch(req, env);
    if (opts.log) {
      // The vendor's own request id when it sends one, else one of ours; the control plane has none (`-`).
      const header = vendor.requestIdHeader;
      const ids = header ? null : new UlidFactory(ctx.clock, rng.fork('request-log'));
      apiFetch = loggedFetch(vendor.name, observed, opts.log, (res) => (header ? res.headers.get(header) ?? '-' : ids!.next()));
      controlFetch = loggedFetch(vendor.name, controlFetch, opts.log, () => '-');
    }
    this.fetch = (req, env) => (isAdminPath(req.url) ? controlFetch(req, env) : apiFetch(req, env));
    const root = new Hono();
    root.all('*', (c) => this.fetch(c.req.raw, c.env));
    // In-process there is no socket to break: an injected connection fault rejects app.request() like fetch would.
    root.onError((err, c) => {
      if (err instanceof BrokenConnection) throw err;
      console.error(err);
      return c.text('Internal Server Error', 500);
    });
    this.app = root;
  }

  /**
   * Back to the seeded state: every tenant, or only `tenant`. False when the tenant is unknown. A full reset also
   * returns the (shared) suite clock to real time, running.
   */
  reset(tenant?: string): boolean {
    if (tenant === undefined) {
      this.ctx.handle.reset();
      this.ctx.clock.reset();
      this.faults.clear(true);
      this.journal.clear();
    } else {
      const resetTenant = this.runtime.resetTenant;
      if (!resetTenant) return false;
      const removed = (schema: string) => (this.sandboxes.beforeReset(tenant), resetTenant(tenant, schema));
      if (!this.ctx.handle.withSeeded(removed)) return false;
      this.tenantClocks.resetTenant(tenant);
    }
    for (const fn of this.resetHooks) fn();
    return true;
  }

  /** Method and path (under /__admin) of each journal and fault route, for the OpenAPI check. */
  testingRoutes(): Array<{ method: string; path: string }> {
    return [...this.testing.routes, ...discoveryRoutes().routes]
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: `/__admin${r.path}` }));
  }

  /** The vendor's web-console description, or null when it has none. */
  console(): ConsoleSpec | null {
    if (this.consoleSpec === undefined) this.consoleSpec = this.runtime.console?.(this.adminCall) ?? null;
    return this.consoleSpec;
  }

  close(): void {
    this.journal.releaseWaiters();
    void this.runtime.close?.();
    this.ctx.handle.close();
  }
}

/** True for /__admin and /__admin/… (read from the URL without parsing it). */
function isAdminPath(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || !url.startsWith('/__admin', start)) return false;
  const next = url.charAt(start + 8);
  return next === '' || next === '/' || next === '?' || next === '#';
}

function resolveConfig(vendor: Vendor<any, any>, given: Record<string, OptionValue>): Record<string, OptionValue> {
  const options = vendor.options ?? {};
  const out: Record<string, OptionValue> = {};
  for (const [key, opt] of Object.entries(options)) out[key] = opt.default;
  for (const [key, value] of Object.entries(given)) {
    const opt = options[key];
    if (!opt) throw new UsageError(`unknown ${vendor.name} option: ${key}`);
    out[key] = coerceOption(vendor.name, key, opt.default, value, opt.choices);
  }
  return out;
}

export function coerceOption(
  vendor: string,
  key: string,
  def: OptionValue,
  value: OptionValue,
  choices?: readonly string[],
): OptionValue {
  const label = `--${vendor}-${key.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase())}`;
  if (typeof def === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new UsageError(`${label} must be a number`);
    return n;
  }
  if (typeof def === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '') return true;
    if (value === 'false') return false;
    throw new UsageError(`${label} must be true or false`);
  }
  const s = String(value);
  if (choices && !choices.includes(s)) throw new UsageError(`${label} must be one of: ${choices.join(', ')}`);
  return s;
}
