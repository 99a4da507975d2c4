/**
 * Sandbox tenants (issue 13 §4): `POST /__admin/sandboxes` asks the vendor for a new tenant holding a copy of another
 * tenant's data with fresh credentials (Vendor.createSandbox), so parallel test workers share one server without
 * seeing each other's writes. Which tenants are sandboxes is kept in the vendor's own database (table
 * `vendor_fakes_sandboxes`), so it follows the data through snapshots, restarts on a data dir and resets: a full
 * reset returns to the seeded state, which has no sandboxes. A sandbox has no seeded rows, so a per-tenant reset of
 * one removes it, exactly like `DELETE /__admin/sandboxes/{tenant}`.
 */
import { Hono } from 'hono';
import { AdminError, adminBody, adminErrorHandler, onlyKeys } from './admin.js';
import type { Clock } from './clock.js';
import type { SandboxCreated, Vendor, VendorContext, VendorRuntime } from './vendor.js';

export interface SandboxInfo {
  tenant: string;
  from: string;
  created_at: string;
}

export interface NewSandbox extends SandboxInfo {
  base_url: string;
  credentials: Record<string, unknown>;
  headers?: Record<string, string>;
  /** How long creating it took. */
  ms: number;
}

export interface SandboxesOptions {
  vendor: Vendor<any, any>;
  runtime: VendorRuntime;
  ctx: VendorContext<any>;
  /** The suite clock (created_at). */
  clock: Clock;
  /** The instance's per-tenant reset (which calls `beforeReset` inside its transaction). */
  resetTenant(tenant: string): boolean;
}

const TABLE = 'vendor_fakes_sandboxes';

export class Sandboxes {
  constructor(private readonly opts: SandboxesOptions) {}

  get supported(): boolean {
    return this.opts.runtime.createSandbox !== undefined && this.opts.runtime.resetTenant !== undefined;
  }

  private table(): void {
    this.opts.ctx.handle.db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (tenant TEXT PRIMARY KEY, from_tenant TEXT NOT NULL, created_at TEXT NOT NULL)`);
  }

  private exists(): boolean {
    return this.opts.ctx.handle.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${TABLE}'`).get() !== undefined;
  }

  list(): SandboxInfo[] {
    if (!this.exists()) return [];
    return this.opts.ctx.handle
      .prepare(`SELECT tenant, from_tenant AS "from", created_at FROM ${TABLE} ORDER BY created_at, tenant`)
      .all() as SandboxInfo[];
  }

  has(tenant: string): boolean {
    return this.exists() && this.opts.ctx.handle.prepare(`SELECT 1 FROM ${TABLE} WHERE tenant = ?`).get(tenant) !== undefined;
  }

  /**
   * Creates a sandbox copied from `from` (default: the vendor's first demo tenant). `origin` is the listener's
   * origin, for base_url (in-process: none, so base_url is the path). Throws a 404 AdminError for an unknown `from`.
   */
  create(from?: string, origin = ''): NewSandbox {
    const { vendor, ctx } = this.opts;
    if (!this.supported) throw new AdminError(400, `${vendor.name} has no sandboxes`);
    const started = performance.now();
    const createdAt = new Date(this.opts.clock.nowMs()).toISOString();
    const made: SandboxCreated | null = ctx.handle.transaction(() => {
      const created = this.opts.runtime.createSandbox!(from);
      if (!created) return null;
      this.table();
      ctx.handle.prepare(`INSERT INTO ${TABLE} (tenant, from_tenant, created_at) VALUES (?, ?, ?)`).run(created.tenant, created.from, createdAt);
      return created;
    });
    if (!made) throw new AdminError(404, `unknown tenant: ${from}`);
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    return {
      tenant: made.tenant,
      from: made.from,
      created_at: createdAt,
      base_url: made.baseUrl ? made.baseUrl(origin) : origin + (vendor.basePath ?? ''),
      credentials: made.credentials,
      ...(made.headers ? { headers: made.headers } : {}),
      ms,
    };
  }

  /** Deletes a sandbox (not a demo tenant). False when `tenant` is not a sandbox. */
  delete(tenant: string): boolean {
    if (!this.has(tenant)) return false;
    return this.opts.resetTenant(tenant);
  }

  /** Inside the instance's per-tenant reset transaction: a sandbox being reset is removed, with the vendor's clean-up. */
  beforeReset(tenant: string): void {
    if (!this.has(tenant)) return;
    this.opts.runtime.deleteSandbox?.(tenant);
    this.opts.ctx.handle.prepare(`DELETE FROM ${TABLE} WHERE tenant = ?`).run(tenant);
  }
}

/** The control-plane routes: `/__admin/sandboxes…`. */
export function sandboxRoutes(sandboxes: Sandboxes): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);

  app.get('/sandboxes', (c) => c.json({ sandboxes: sandboxes.list() }));

  app.post('/sandboxes', async (c) => {
    const body = await adminBody(c, { optional: true });
    onlyKeys(body, ['from']);
    if (body.from !== undefined && typeof body.from !== 'string' && typeof body.from !== 'number') {
      throw new AdminError(400, 'from must be a tenant id (a string or a number)');
    }
    const created = sandboxes.create(body.from === undefined ? undefined : String(body.from), new URL(c.req.url).origin);
    return c.json(created, 201, { 'Cache-Control': 'no-store' });
  });

  app.delete('/sandboxes/:tenant', (c) => {
    const tenant = c.req.param('tenant');
    if (!sandboxes.delete(tenant)) throw new AdminError(404, `not a sandbox: ${tenant}`);
    return c.json({ deleted: true, tenant });
  });

  return app;
}
