/**
 * The control plane, mounted at /__admin on every vendor listener: state, reset (all tenants or one) and the
 * suite clock. Vendor-specific routes (minting credentials, injecting data) are mounted beside these.
 * Errors are JSON `{"error": "<what is wrong>"}`.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { VendorClock, type Clock } from './clock.js';
import { readJsonBody } from './json-body.js';
import { parseRfc3339 } from './time.js';

export interface AdminTarget {
  vendor: string;
  version: string;
  clock: Clock;
  tenants(): unknown[];
  reset(tenant?: string): boolean;
  /** The control-plane routes for GET /__admin (`routes`), links made from the request's origin. */
  routes?(origin: string): Array<{ method: string; path: string; summary: string; href: string | null }>;
}

export class AdminError extends HTTPException {
  constructor(status: 400 | 404 | 409 | 413, message: string) {
    super(status, { message });
  }
}

/** Largest control-plane request body (bulk injections of 100,000 events fit well inside). */
export const ADMIN_BODY_LIMIT = 32 * 1024 * 1024;

/** Reads a JSON object body, or throws a 400 AdminError saying what is wrong (413 over ADMIN_BODY_LIMIT). */
export async function adminBody(c: Context, { optional = false } = {}): Promise<Record<string, unknown>> {
  const read = await readJsonBody(c.req.raw, { limit: ADMIN_BODY_LIMIT, object: true, blankIsEmpty: true });
  if (read.ok) return read.value as Record<string, unknown>;
  switch (read.failure.kind) {
    case 'too_large':
      throw new AdminError(413, `request body is larger than ${ADMIN_BODY_LIMIT} bytes`);
    case 'syntax':
      throw new AdminError(400, 'request body is not valid JSON');
    case 'empty':
      if (optional) return {};
  }
  throw new AdminError(400, 'request body must be a JSON object');
}

/** Rejects keys other than `allowed`. */
export function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new AdminError(400, `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
}

export function adminErrorHandler(err: Error, c: Context): Response {
  if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
  console.error(`vendor-fakes control plane: ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
  return c.json({ error: 'internal error in the control plane' }, 500);
}

export function coreAdmin(target: AdminTarget): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);

  app.get('/', (c) => {
    const state = { vendor: target.vendor, version: target.version, clock: target.clock.state(), tenants: target.tenants() };
    if (!target.routes) return c.json(state);
    const routes = target.routes(new URL(c.req.url).origin);
    // One line per route for a terminal (curl -H 'Accept: text/plain' …/__admin).
    if (/^text\/plain/i.test(c.req.header('accept') ?? '')) {
      return c.text(routes.map((r) => `${r.method.padEnd(6)} ${r.path.padEnd(34)} ${r.summary}`).join('\n') + '\n');
    }
    return c.json({ ...state, routes });
  });

  app.post('/reset', async (c) => {
    const body = await adminBody(c, { optional: true });
    onlyKeys(body, ['tenant']);
    if (body.tenant !== undefined && (typeof body.tenant !== 'string' && typeof body.tenant !== 'number')) {
      throw new AdminError(400, 'tenant must be a string or a number');
    }
    const tenant = body.tenant === undefined ? undefined : String(body.tenant);
    const started = performance.now();
    if (!target.reset(tenant)) throw new AdminError(404, `unknown tenant: ${tenant}`);
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    return c.json({ reset: true, tenant: tenant ?? null, ms });
  });

  /** The vendor clock a `tenant` field or query parameter addresses, after checking the tenant exists. */
  const tenantClock = (tenant: unknown): { clock: VendorClock; tenant: string } => {
    if (typeof tenant !== 'string' && typeof tenant !== 'number') throw new AdminError(400, 'tenant must be a string or a number');
    const id = String(tenant);
    if (!(target.clock instanceof VendorClock)) throw new AdminError(400, 'this clock has no tenant clocks');
    if (!target.tenants().some((t) => String((t as { id?: unknown }).id) === id)) throw new AdminError(404, `unknown tenant: ${id}`);
    return { clock: target.clock, tenant: id };
  };

  app.get('/clock', (c) => {
    const tenant = c.req.query('tenant');
    if (tenant === undefined) return c.json(target.clock.state());
    const t = tenantClock(tenant);
    return c.json(t.clock.tenantState(t.tenant));
  });

  app.post('/clock', async (c) => {
    const body = await adminBody(c);
    // `tenant` moves that tenant's own clock only (`real` gives it back to the suite clock).
    const t = 'tenant' in body ? tenantClock(body.tenant) : null;
    const keys = Object.keys(body).filter((k) => k !== 'tenant');
    if (keys.length !== 1) {
      throw new AdminError(400, `send exactly one of: advance_seconds, set, freeze, real${t ? ' (besides tenant)' : ''}`);
    }
    const [key] = keys;
    const value = body[key];
    if (key === 'advance_seconds') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new AdminError(400, 'advance_seconds must be a finite number');
      }
      if (t) t.clock.advanceTenant(t.tenant, value);
      else target.clock.advance(value);
    } else if (key === 'set') {
      const d = parseRfc3339(value);
      if (!d) throw new AdminError(400, 'set must be an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z');
      if (t) t.clock.setTenant(t.tenant, d);
      else target.clock.set(d);
    } else if (key === 'freeze') {
      if (typeof value !== 'boolean') throw new AdminError(400, 'freeze must be true or false');
      if (t) t.clock.freezeTenant(t.tenant, value);
      else target.clock.freeze(value);
    } else if (key === 'real') {
      if (value !== true) throw new AdminError(400, 'real must be true (back to real time, running)');
      if (t) t.clock.resetTenant(t.tenant);
      else target.clock.reset();
    } else {
      throw new AdminError(400, `unknown field: ${key}; send exactly one of: advance_seconds, set, freeze, real`);
    }
    return c.json(t ? t.clock.tenantState(t.tenant) : target.clock.state());
  });

  return app;
}
