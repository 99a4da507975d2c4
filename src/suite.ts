/**
 * The suite: one shared clock, one instance per vendor, one listener per vendor (own port), and the control plane
 * on every listener.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Hono } from 'hono';
import { Clock } from './core/clock.js';
import { DataDir } from './core/data-dir.js';
import { VendorInstance } from './core/instance.js';
import type { FetchHandler, ListenerEnv, OptionValue, Vendor } from './core/vendor.js';
import { UsageError } from './core/vendor.js';
import { vendors as registry } from './vendors/index.js';
import { randomHex } from './core/secrets.js';
import { hostName } from './core/admin-guard.js';
import { AdminClient } from './admin-client.js';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const DEFAULT_SEED = 42;

export interface SuiteOptions {
  /** Vendor names (default: all). */
  vendors?: readonly string[];
  seed?: number;
  /** Keep one SQLite file per vendor here (WAL). Default: in memory. */
  dataDir?: string;
  /** Folder with `<vendor>.json` fixture files (missing ones fall back to the built-in fixtures). */
  fixturesDir?: string;
  /** Fixture documents given directly, per vendor. */
  fixtures?: Record<string, unknown>;
  /** Vendor options, per vendor (see each vendor's `options`). */
  config?: Record<string, Record<string, OptionValue>>;
  /** Share a clock (default: a new one on real time). */
  clock?: Clock;
  /** One line per request and start-up messages; default: silent. */
  log?: (line: string) => void;
  /** Reuse seeded images across processes (default: on unless VENDOR_FAKES_SEED_CACHE=off). */
  seedCache?: boolean;
  /** Hosts besides loopback that webhooks may be delivered to (`*.example.com` for subdomains, `*` for any). */
  webhookAllowHosts?: readonly string[];
  /** Derive signing keys from the seed: reproducible tokens, forgeable by anyone who knows the seed. Default: random. */
  deterministicKeys?: boolean;
  /** Bearer token every /__admin request must present (default: none). */
  adminToken?: string;
  /** Host names besides IP literals, localhost and vendor hosts that /__admin answers to (`*.example.com` allowed). */
  publicHosts?: readonly string[];
  /** Requests each vendor's journal keeps (GET /__admin/requests; default 1000; 0 turns it off). */
  journalSize?: number;
  /** Bytes each vendor's journal may hold, bodies and headers counted (default 16 MiB); the oldest entries go first. */
  journalMaxBytes?: number;
  /**
   * Start from exported snapshots (`--import DIR`): `DIR/<vendor>.sqlite` becomes the vendor's state and
   * `DIR/<vendor>/<name>.sqlite` its saved snapshots (the layout `exportSnapshots` writes).
   */
  importDir?: string;
}

export function vendorByName(name: string): Vendor<any, any> {
  const v = registry.find((x) => x.name === name);
  if (!v) throw new UsageError(`unknown vendor: ${name} (known: ${registry.map((x) => x.name).join(', ')})`);
  return v;
}

export class Suite {
  readonly clock: Clock;
  readonly instances = new Map<string, VendorInstance>();
  /** The seed in effect (with a data dir: the one its data were seeded with). */
  readonly seed: number;
  private readonly dataDir: DataDir | null;
  private readonly adminToken: string | null;

  constructor(opts: SuiteOptions = {}) {
    this.clock = opts.clock ?? new Clock();
    this.adminToken = opts.adminToken ?? null;
    const names = opts.vendors ?? registry.map((v) => v.name);
    this.dataDir = opts.dataDir ? DataDir.open(opts.dataDir, opts.seed, DEFAULT_SEED) : null;
    this.seed = this.dataDir?.seed ?? opts.seed ?? DEFAULT_SEED;
    try {
      this.open(names, opts);
      if (opts.importDir) this.importSnapshots(opts.importDir);
      this.dataDir?.recordStart();
    } catch (err) {
      this.close();
      throw err;
    }
  }

  private open(names: readonly string[], opts: SuiteOptions): void {
    for (const name of names) {
      const vendor = vendorByName(name);
      this.instances.set(
        name,
        new VendorInstance(vendor, {
          clock: this.clock,
          seed: this.seed,
          runtimeStream: this.dataDir?.runtimeStream,
          dataDir: opts.dataDir,
          fixturesDir: opts.fixturesDir,
          fixtures: opts.fixtures?.[name],
          config: opts.config?.[name],
          log: opts.log,
          version: VERSION,
          seedCache: opts.seedCache,
          webhookAllowHosts: opts.webhookAllowHosts,
          deterministicKeys: opts.deterministicKeys,
          adminToken: opts.adminToken,
          publicHosts: opts.publicHosts,
          journalSize: opts.journalSize,
          journalMaxBytes: opts.journalMaxBytes,
        }),
      );
    }
  }

  instance(name: string): VendorInstance {
    const i = this.instances.get(name);
    if (!i) throw new Error(`vendor not in this suite: ${name}`);
    return i;
  }

  /** The Hono app of one vendor (its API plus /__admin), for in-process `app.request()`. */
  app(name: string): Hono {
    return this.instance(name).app;
  }

  reset(): void {
    for (const i of this.instances.values()) i.reset();
  }

  /** The control-plane client of one vendor, bound in-process (no network; the admin token is added for you). */
  admin(name: string): AdminClient {
    const app = this.app(name);
    return new AdminClient('http://127.0.0.1', { token: this.adminToken, fetch: (req) => app.request(req) });
  }

  /** `--import DIR`: see SuiteOptions.importDir. Throws a one-line UsageError for a file that is refused. */
  importSnapshots(dir: string): void {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--import ${dir}: not a directory`);
    for (const i of this.instances.values()) {
      try {
        i.snapshots.importFrom(dir);
      } catch (e) {
        throw new UsageError(`--import: ${(e as Error).message}`);
      }
    }
  }

  /** `--export-on-exit DIR`: each vendor's current state as `DIR/<vendor>.sqlite`, its saved snapshots in `DIR/<vendor>/`. */
  exportSnapshots(dir: string): void {
    for (const i of this.instances.values()) i.snapshots.exportTo(dir);
  }

  close(): void {
    for (const i of this.instances.values()) i.close();
    this.dataDir?.close();
  }
}

export interface StartOptions extends SuiteOptions {
  /** Port per vendor; 0 (the default here) picks a free port. */
  ports?: Record<string, number>;
  host?: string;
  /** On a non-loopback host without adminToken: leave /__admin open instead of generating a token. */
  adminOpen?: boolean;
  /**
   * `scheme://host` clients use to reach the listeners; each listener's port is appended (in `urls`, `listeners` and
   * `GET /__health`). Default: the bound host, with 127.0.0.1 for 0.0.0.0 and localhost for `::`.
   */
  publicUrl?: string;
  /** Port of the web console (0 picks one); undefined or null: no console. The CLI's default is 4000. */
  consolePort?: number | null;
}

export interface Listener {
  vendor: string;
  /** Set on a listener pinned to one tenant (MaxTrax `tenantPorts`). */
  tenant?: string;
  port: number;
  url: string;
}

export interface RunningFakes {
  /** Base URL per vendor (its main listener). */
  urls: Record<string, string>;
  /** Every listener: one per vendor, then one per pinned tenant. */
  listeners: Listener[];
  suite: Suite;
  clock: Clock;
  app(name: string): Hono;
  /** The control-plane client of one vendor (journal, faults, clock, reset, rate limit, snapshots, sandboxes), in-process. */
  admin(name: string): AdminClient;
  close(): Promise<void>;
  /** The token /__admin requires (given, or generated for a non-loopback host), or null when it is open. */
  adminToken: string | null;
  /** True when adminToken was generated here (print it once). */
  adminTokenGenerated: boolean;
  /** True when listening on a non-loopback host without a token given (the banner warns). */
  exposedWithoutToken: boolean;
  /** URL of the web console, or null when it is off. */
  consoleUrl: string | null;
}

/** Checks a `--public-url`: `http(s)://host` without port, path or query; returns it without a trailing slash. */
export function parsePublicUrl(value: string): string {
  let u: URL | null = null;
  try {
    u = new URL(value);
  } catch {
    /* reported below */
  }
  if (!u || !/^https?:$/.test(u.protocol) || u.port || u.username || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) {
    throw new UsageError(`--public-url must be http(s)://host without port or path (each listener's port is appended), e.g. http://localhost`);
  }
  return `${u.protocol}//${u.host}`;
}

/** True when the URL's path is exactly /__health (read without parsing the URL). */
function isHealthPath(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || !url.startsWith('/__health', start)) return false;
  const next = url.charAt(start + 9);
  return next === '' || next === '?' || next === '#';
}

/** True when the URL's path is exactly /__admin/console (read without parsing the URL). */
function isConsolePath(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || !url.startsWith('/__admin/console', start)) return false;
  const next = url.charAt(start + 16);
  return next === '' || next === '?' || next === '#' || next === '/';
}

/** Starts the fakes on real ports. Resolves once every listener is ready. */
export async function startFakes(opts: StartOptions = {}): Promise<RunningFakes> {
  const host = opts.host ?? '127.0.0.1';
  const exposedWithoutToken = !opts.adminToken && !isLoopbackHost(host);
  const adminTokenGenerated = exposedWithoutToken && !opts.adminOpen;
  const adminToken = opts.adminToken || (adminTokenGenerated ? randomHex(24) : undefined);
  const suite = new Suite({ ...opts, adminToken });
  const base = opts.publicUrl
    ? parsePublicUrl(opts.publicUrl)
    : `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host}`;
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  const listeners: Array<Listener & { ready: boolean }> = [];
  let phase: 'starting' | 'ready' | 'stopping' = 'starting';
  let consoleUrl: string | null = null;
  let consolePort = 0;
  // GET /__admin/console on every vendor listener: a redirect to the web console (or why there is none). Without
  // --public-url it keeps the host name the client used (a 0.0.0.0 bind is reached by other names than 127.0.0.1).
  const toConsole = (req: Request): Response => {
    if (!consoleUrl) {
      return new Response(JSON.stringify({ error: 'the web console is off (start with --console-port N, without --no-console)' }), { status: 404, headers: { 'content-type': 'application/json' } });
    }
    const name = opts.publicUrl ? null : hostName(req.headers.get('host') ?? '');
    const target = name && /^[a-z0-9.:-]{1,253}$/.test(name) ? `http://${name.includes(':') ? `[${name}]` : name}:${consolePort}` : consoleUrl;
    return new Response(null, { status: 302, headers: { location: `${target}/` } });
  };

  // GET /__health answers on every listener before any vendor or control-plane code: no auth, any Host.
  const health = (req: Request): Response => {
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return new Response(JSON.stringify({ error: `method not allowed: ${req.method} /__health (use GET)` }), { status: 405, headers: { ...headers, allow: 'GET, HEAD' } });
    }
    const body = {
      status: phase,
      version: VERSION,
      vendors: [...suite.instances.keys()],
      listeners: listeners.map(({ vendor, tenant, url, ready }) => ({ vendor, ...(tenant ? { tenant } : {}), url, ready })),
    };
    return new Response(req.method === 'HEAD' ? null : JSON.stringify(body), { status: phase === 'ready' ? 200 : 503, headers });
  };

  try {
    const plan: Array<{ vendor: string; tenant?: string; port: number; fetch: FetchHandler }> = [];
    for (const [name, instance] of suite.instances) {
      plan.push({ vendor: name, port: opts.ports?.[name] ?? 0, fetch: instance.fetch });
      for (const { tenant, port } of instance.runtime.listeners?.() ?? []) {
        plan.push({ vendor: name, tenant, port, fetch: (req, env) => instance.fetch(req, { ...env, tenant } satisfies ListenerEnv) });
      }
    }
    for (const entry of plan) {
      const fetch: FetchHandler = (req, env) => (isHealthPath(req.url) ? health(req) : isConsolePath(req.url) && req.method === 'GET' ? toConsole(req) : entry.fetch(req, env));
      const server = createAdaptorServer({ fetch }) as Server;
      const listener = { vendor: entry.vendor, tenant: entry.tenant, port: entry.port, url: '', ready: false };
      listeners.push(listener);
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) => reject(Object.assign(e, { port: entry.port })));
        server.listen(entry.port, host, () => {
          server.removeAllListeners('error');
          resolve();
        });
      });
      servers.push(server);
      if (!entry.tenant) {
        const instance = suite.instance(entry.vendor);
        await instance.runtime.attach?.(server);
      }
      listener.port = (server.address() as AddressInfo).port;
      listener.url = `${base}:${listener.port}`;
      listener.ready = true;
      if (!entry.tenant) urls[entry.vendor] = listener.url;
    }
    if (opts.consolePort !== undefined && opts.consolePort !== null) {
      // The console's modules load with its first request, not at start-up.
      let app: Promise<{ fetch: FetchHandler }> | undefined;
      const consoleApp = () =>
        (app ??= import('./console/index.js').then(({ createConsole }) => createConsole({ suite, urls, adminToken: adminToken ?? null, publicHosts: opts.publicHosts })));
      const server = createAdaptorServer({ fetch: async (req: Request, env: unknown) => (await consoleApp()).fetch(req, env) }) as Server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) => reject(Object.assign(e, { port: opts.consolePort })));
        server.listen(opts.consolePort!, host, () => {
          server.removeAllListeners('error');
          resolve();
        });
      });
      servers.push(server);
      consolePort = (server.address() as AddressInfo).port;
      consoleUrl = `${base}:${consolePort}`;
    }
  } catch (err) {
    await closeAll(servers);
    suite.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
      throw new UsageError(`cannot listen on ${host}:${(e as { port?: number }).port ?? '?'}: ${e.code === 'EADDRINUSE' ? 'address already in use' : 'permission denied'}`);
    }
    throw err;
  }
  phase = 'ready';
  return {
    urls,
    listeners: listeners.map(({ vendor, tenant, port, url }) => ({ vendor, ...(tenant ? { tenant } : {}), port, url })),
    suite,
    clock: suite.clock,
    app: (name) => suite.app(name),
    admin: (name) => suite.admin(name),
    close: async () => {
      phase = 'stopping';
      // What vendors attached to a listener (upgraded WebSocket connections) first: server.close() waits for them.
      await Promise.all([...suite.instances.values()].map((i) => i.runtime.close?.()));
      await closeAll(servers);
      suite.close();
    },
    adminToken: adminToken ?? null,
    adminTokenGenerated,
    exposedWithoutToken,
    consoleUrl,
  };
}

/** True for a listen address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections?.();
          s.close(() => resolve());
        }),
    ),
  );
}
