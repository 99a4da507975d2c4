/**
 * The suite: one shared clock, one instance per vendor, one listener per vendor (own port), and the control plane
 * on every listener.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { Clock } from './core/clock.js';
import { DataDir } from './core/data-dir.js';
import { VendorInstance } from './core/instance.js';
import type { OptionValue, Vendor } from './core/vendor.js';
import { FixtureError } from './core/vendor.js';
import { vendors as registry } from './vendors/index.js';
import { randomHex } from './core/secrets.js';

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
}

export function vendorByName(name: string): Vendor<any, any> {
  const v = registry.find((x) => x.name === name);
  if (!v) throw new FixtureError(`unknown vendor: ${name} (known: ${registry.map((x) => x.name).join(', ')})`);
  return v;
}

export class Suite {
  readonly clock: Clock;
  readonly instances = new Map<string, VendorInstance>();
  /** The seed in effect (with a data dir: the one its data were seeded with). */
  readonly seed: number;
  private readonly dataDir: DataDir | null;

  constructor(opts: SuiteOptions = {}) {
    this.clock = opts.clock ?? new Clock();
    const names = opts.vendors ?? registry.map((v) => v.name);
    this.dataDir = opts.dataDir ? DataDir.open(opts.dataDir, opts.seed, DEFAULT_SEED) : null;
    this.seed = this.dataDir?.seed ?? opts.seed ?? DEFAULT_SEED;
    try {
      this.open(names, opts);
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
}

export interface RunningFakes {
  urls: Record<string, string>;
  suite: Suite;
  clock: Clock;
  app(name: string): Hono;
  close(): Promise<void>;
  /** The token /__admin requires (given, or generated for a non-loopback host), or null when it is open. */
  adminToken: string | null;
  /** True when adminToken was generated here (print it once). */
  adminTokenGenerated: boolean;
  /** True when listening on a non-loopback host without a token given (the banner warns). */
  exposedWithoutToken: boolean;
}

/** Starts the fakes on real ports. Resolves once every listener is ready. */
export async function startFakes(opts: StartOptions = {}): Promise<RunningFakes> {
  const host = opts.host ?? '127.0.0.1';
  const exposedWithoutToken = !opts.adminToken && !isLoopbackHost(host);
  const adminTokenGenerated = exposedWithoutToken && !opts.adminOpen;
  const adminToken = opts.adminToken || (adminTokenGenerated ? randomHex(24) : undefined);
  const suite = new Suite({ ...opts, adminToken });
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  try {
    for (const [name, instance] of suite.instances) {
      const port = opts.ports?.[name] ?? 0;
      const server = createAdaptorServer({ fetch: instance.fetch }) as Server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.push(server);
      const addr = server.address() as AddressInfo;
      urls[name] = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    }
  } catch (err) {
    await closeAll(servers);
    suite.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
      throw new FixtureError(`cannot listen on ${host}:${(e as { port?: number }).port ?? '?'}: ${e.code === 'EADDRINUSE' ? 'address already in use' : 'permission denied'}`);
    }
    throw err;
  }
  return {
    urls,
    suite,
    clock: suite.clock,
    app: (name) => suite.app(name),
    close: async () => {
      await closeAll(servers);
      suite.close();
    },
    adminToken: adminToken ?? null,
    adminTokenGenerated,
    exposedWithoutToken,
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
