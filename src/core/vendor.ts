/**
 * The contract every vendor implements, and the context the suite hands it. Core never imports a vendor.
 */
import type { Hono } from 'hono';
import type { Clock } from './clock.js';
import type { AdminCall, ConsoleSpec } from './console-spec.js';
import type { Db, VendorDb } from './db.js';
import type { Keys } from './keys.js';
import type { Outbound } from './outbound.js';
import type { Rng } from './rng.js';

export type FetchHandler = (req: Request, env?: any) => Response | Promise<Response>;

export type OptionValue = string | number | boolean;

/** What a listener pinned to one tenant adds to the env of each request it passes on. */
export interface ListenerEnv {
  tenant?: string;
}

export interface VendorOption {
  description: string;
  default: OptionValue;
  /** For string options: the accepted values. */
  choices?: readonly string[];
}

export interface VendorContext<Config = Record<string, OptionValue>> {
  name: string;
  handle: VendorDb;
  clock: Clock;
  /** Seeded source for run-time ids; fixtures get their own forked source. */
  rng: Rng;
  config: Config;
  /** Registers in-memory state to clear on reset (rate-limit buckets, caches). */
  onReset(fn: () => void): void;
  log(line: string): void;
  /** Calls to the outside (webhooks): the target allow-list, delivery, and the journal's record of each call. */
  outbound: Outbound;
  /** Signing keys: crypto-random, kept with the data (never in a seeded image), so tokens survive reset and restart. */
  keys: Keys;
  /**
   * Tells core which tenant the current request is for, as soon as the vendor knows it (before it reads the clock for
   * that request): the request journal records it and a per-tenant clock applies from then on.
   */
  setTenant(tenant: string | number | null): void;
  /**
   * Records in the request journal something a client did outside HTTP (MACHHUB's MQTT CONNECT, PUBLISH, SUBSCRIBE).
   * No-op when the journal is off.
   */
  journal(event: ProtocolEvent): void;
}

/** A non-HTTP request for the journal: `method` is the protocol's verb, `path` what it was about. */
export interface ProtocolEvent {
  /** e.g. `mqtt`: the journal's URL is `<protocol>://<vendor><path>`. */
  protocol: string;
  method: string;
  /** Starts with `/`, e.g. `/mqtt` or `/mqtt/Plant1/LineA/Temperature`. */
  path: string;
  tenant: string | null;
  /** Protocol details as headers (never secrets in the clear: they are masked like HTTP headers anyway). */
  headers?: Record<string, string>;
  body?: string | null;
  /** The protocol's own result code (MQTT 5 reason code: 0 = success). */
  status: number;
  error?: string | null;
}

export interface DemoCredential {
  /** One line for the start banner and the README, e.g. `full scope: client_id=… client_secret=…`. */
  label: string;
  value: string;
}

export interface TenantInfo {
  id: string | number;
  name: string;
  [k: string]: unknown;
}

export interface Vendor<Fixtures = unknown, Config = Record<string, OptionValue>> {
  name: string;
  title: string;
  defaultPort: number;
  /** Path appended to the listener URL for the vendor's API base (e.g. `/v1`), shown in the start banner. */
  basePath?: string;
  /**
   * The response header carrying the vendor's own request/correlation id (`X-Request-Id`), shown in the request log;
   * without one, the log line gets an id of ours.
   */
  requestIdHeader?: string;
  /** Vendor-specific settings, each also a CLI flag `--<vendor>-<key>` (kebab-case). */
  options?: Record<string, VendorOption>;
  /** Creates tables. Runs once on an empty database. */
  migrate(db: Db): void;
  /** Checks a fixtures document; throws FixtureError with a one-line message when it is wrong. */
  parseFixtures(raw: unknown): Fixtures;
  /** Fills an empty, migrated database with demo data. Runs once; reset restores its result. */
  seed(ctx: VendorContext<Config>, fixtures: Fixtures, rng: Rng): void;
  /**
   * Starts the vendor on a migrated, seeded database: builds its services once and returns what the suite serves and
   * calls (the API, its control plane, tenants, per-tenant reset, …), each a closure over those services.
   */
  start(ctx: VendorContext<Config>): VendorRuntime;
  /** Demo credentials printed on start. */
  demoCredentials?(fixtures: Fixtures): DemoCredential[];
}

/** A started vendor: what the suite serves and calls for one instance. */
export interface VendorRuntime {
  /** The emulated API: a Hono app, or anything with a Fetch-style `fetch` (a listener passes Node's request as env). */
  api: { fetch: FetchHandler };
  /** Vendor-specific control-plane routes, mounted under /__admin (mint credentials, inject data). */
  admin?: Hono<any, any, any>;
  /** Tenants for GET /__admin. */
  tenants?(): TenantInfo[];
  /**
   * Restores one tenant's rows from the seeded image, leaving other tenants alone. The image is attached to the
   * live connection as schema `seeded` (use `replaceRows(ctx.handle.db, seeded, table, where, params)`); this
   * runs inside one transaction. Returns false when the tenant is unknown in both the live and the seeded data.
   */
  resetTenant?(tenant: string, seeded: string): boolean;
  /**
   * True when `host` (lower-case, without port) is one of the vendor's own host names besides IP literals and
   * localhost (e.g. MaxTrax tenant hosts), so the control plane accepts it in the `Host` header.
   */
  isOwnHost?(host: string): boolean;
  /**
   * Extra listeners, each serving this instance with one tenant pinned (MaxTrax `tenantPorts`). The listener passes
   * `{ ...nodeEnv, tenant }` as the fetch env (ListenerEnv); throws UsageError on a bad option.
   */
  listeners?(): Array<{ tenant: string; port: number }>;
  /**
   * The vendor's own error response for `status` (its body shape, its headers: request/correlation id, a 429's
   * rate-limit headers and Retry-After), for injected faults (POST /__admin/faults with a status and no body).
   */
  errorResponse?(status: number, req: Request): Response;
  /**
   * What the web console shows for this vendor (credentials, users, data browser, injections); `admin` calls this
   * vendor's own control plane in-process, so the console reuses its validation.
   */
  console?(admin: AdminCall): ConsoleSpec;
  /**
   * Creates a sandbox tenant (`POST /__admin/sandboxes`): a new tenant holding a copy of tenant `from`'s current data
   * (undefined: the first demo tenant) under new ids, with fresh credentials of every kind the vendor has, minted
   * from crypto randomness and stored hashed. Runs inside one transaction. Returns null when `from` is unknown.
   */
  createSandbox?(from: string | undefined): SandboxCreated | null;
  /**
   * Extra clean-up when a sandbox is deleted, inside the transaction that then removes its rows with `resetTenant`
   * (a sandbox has no seeded rows, so a per-tenant reset removes it): e.g. users that belong to no tenant.
   */
  deleteSandbox?(tenant: string): void;
  /**
   * Called once the vendor's main listener is bound (not for tenant listeners): the vendor may serve more on the same
   * HTTP server (e.g. WebSocket upgrades, MACHHUB's MQTT at /mqtt) or open its own extra sockets. May be async.
   */
  attach?(server: import('node:http').Server): void | Promise<void>;
  /** Releases what the vendor holds outside the database (brokers, sockets, timers) when the instance closes. */
  close?(): void | Promise<void>;
}

/** What a vendor returns for a new sandbox; shown to the client once. */
export interface SandboxCreated {
  tenant: string;
  /** The tenant it was copied from. */
  from: string;
  /** Every credential of the new tenant, in the clear (only their hashes are stored). */
  credentials: Record<string, unknown>;
  /** Headers a client sends to reach the tenant (MACHHUB `Domain`, MaxTrax `Host`). */
  headers?: Record<string, string>;
  /** The tenant's API base URL, given the listener's origin (default: the origin plus the vendor's basePath). */
  baseUrl?(origin: string): string;
}

/** A bad fixtures document (`fixtures/<vendor>.json` or programmatic fixtures); the message is one line. */
export class FixtureError extends Error {
  override name = 'FixtureError';
}

/** A bad command-line flag, environment variable, config-file setting or option value; the message is one line. */
export class UsageError extends Error {
  override name = 'UsageError';
}
