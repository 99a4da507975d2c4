/**
 * The control plane's test instrument: the request journal (/__admin/requests) and injected faults
 * (/__admin/faults), the same on every vendor. Errors are `{"error": "…"}` like the rest of the control plane.
 */
import { Hono, type Context } from 'hono';
import { AdminError, adminBody, adminErrorHandler } from './admin.js';
import { parseRfc3339 } from './time.js';
import type { Faults } from './faults.js';
import { MAX_WAIT_MS, type Journal, type JournalFilter } from './journal.js';
import type { OutboundRecord } from './outbound.js';
import type { ProtocolEvent } from './vendor.js';
import { headOf } from './capture.js';
import { readFileSync } from 'node:fs';

export interface TestingTarget {
  journal: Journal;
  faults: Faults;
}

const FILTER_PARAMS = ['method', 'path', 'status', 'tenant', 'direction', 'since', 'limit', 'wait_ms', 'min'];
export const MAX_LIMIT = 10_000;

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new AdminError(400, `${name} must be an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

/** The journal filter, limit and long-poll settings of a query string; a 400 for anything else. */
export function parseJournalQuery(c: Context): { filter: JournalFilter; waitMs: number; min: number } {
  const url = new URL(c.req.url);
  const filter: JournalFilter = {};
  let waitMs = 0;
  let min = 1;
  let minGiven = false;
  for (const [key, value] of url.searchParams) {
    if (!FILTER_PARAMS.includes(key)) {
      throw new AdminError(400, `unknown query parameter: ${key.slice(0, 100)} (allowed: ${FILTER_PARAMS.join(', ')})`);
    }
    if (value === '') continue;
    switch (key) {
      case 'method':
        if (!/^[A-Za-z]{1,20}$/.test(value)) throw new AdminError(400, 'method must be an HTTP method, e.g. GET');
        filter.method = value.toUpperCase();
        break;
      case 'path':
        if ((!value.startsWith('/') && !value.startsWith('*')) || value.length > 1000) {
          throw new AdminError(400, 'path must start with / (exact) or contain * (glob), e.g. /api/v1/assets*');
        }
        filter.path = value;
        break;
      case 'status':
        if (!/^[1-5](\d\d|xx)$/i.test(value)) throw new AdminError(400, 'status must be a status code (404) or a class (4xx)');
        filter.status = value.toLowerCase();
        break;
      case 'tenant':
        filter.tenant = value.slice(0, 500);
        break;
      case 'direction':
        if (value !== 'inbound' && value !== 'outbound') throw new AdminError(400, 'direction must be inbound or outbound');
        filter.direction = value;
        break;
      case 'since':
        if (!/^\d{1,15}$/.test(value) && !parseRfc3339(value)) {
          throw new AdminError(400, 'since must be an RFC 3339 time (2026-01-01T00:00:00Z) or a request id');
        }
        filter.since = value;
        break;
      case 'limit':
        filter.limit = integer('limit', value, 1, MAX_LIMIT);
        break;
      case 'wait_ms':
        waitMs = integer('wait_ms', value, 0, MAX_WAIT_MS);
        break;
      case 'min':
        min = integer('min', value, 1, MAX_LIMIT);
        minGiven = true;
        break;
    }
  }
  if (minGiven && waitMs === 0) throw new AdminError(400, 'min needs wait_ms (how long to wait for that many requests)');
  return { filter, waitMs, min };
}

/** Open long polls per vendor: beyond this, a wait answers at once. */
const MAX_WAITERS = 256;

async function waited(c: Context, journal: Journal): Promise<{ filter: JournalFilter }> {
  const { filter, waitMs, min } = parseJournalQuery(c);
  if (waitMs > 0 && journal.waiting < MAX_WAITERS) await journal.waitFor(filter, min, waitMs, c.req.raw.signal);
  return { filter };
}

export function testingAdmin(t: TestingTarget): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);
  const { journal, faults } = t;

  app.get('/requests', async (c) => {
    const { filter } = await waited(c, journal);
    return c.json(journal.list(filter));
  });
  app.get('/requests/count', async (c) => {
    const { filter } = await waited(c, journal);
    return c.json({ count: journal.count(filter) });
  });
  app.get('/requests/:id', (c) => {
    const id = c.req.param('id');
    const entry = journal.get(id);
    if (!entry) throw new AdminError(404, `no request ${id.slice(0, 100)} in the journal (it keeps the newest ${journal.capacity})`);
    return c.json(entry);
  });
  app.delete('/requests', (c) => {
    journal.clear();
    return c.json({ cleared: true });
  });

  app.post('/faults', async (c) => c.json(faults.add(await adminBody(c)), 201));
  app.get('/faults', (c) => c.json({ faults: faults.list() }));
  app.get('/faults/:id', (c) => {
    const f = faults.get(c.req.param('id'));
    if (!f) throw new AdminError(404, `no fault ${c.req.param('id').slice(0, 100)}`);
    return c.json(f);
  });
  app.delete('/faults/:id', (c) => {
    if (!faults.remove(c.req.param('id'))) throw new AdminError(404, `no fault ${c.req.param('id').slice(0, 100)}`);
    return c.json({ deleted: c.req.param('id') });
  });
  app.delete('/faults', (c) => {
    faults.clear();
    return c.json({ deleted: true });
  });
  return app;
}

/** A webhook delivery (or other call the fake makes) as a journal entry with `direction: "outbound"`. */
export function recordOutbound(journal: Journal, r: OutboundRecord): void {
  if (!journal.enabled) return;
  journal.record({
    direction: 'outbound',
    timeMs: Date.parse(r.time),
    tenant: r.tenant,
    method: r.method,
    url: r.url,
    requestHeaders: r.requestHeaders,
    requestBody: headOf(r.requestBody),
    status: r.status,
    responseHeaders: r.responseHeaders,
    responseBody: r.status === null ? null : headOf(r.responseBody),
    durationMs: r.durationMs,
    fault: null,
    error: r.error,
  });
}

/** A request a client made outside HTTP (MQTT) as an inbound journal entry: `<protocol>://<vendor><path>`. */
export function recordProtocolEvent(journal: Journal, vendor: string, timeMs: number, e: ProtocolEvent): void {
  if (!journal.enabled) return;
  journal.record({
    direction: 'inbound',
    timeMs,
    tenant: e.tenant,
    method: e.method,
    url: `${e.protocol}://${vendor}${e.path.replace(/[?#%]/g, encodeURIComponent)}`,
    requestHeaders: e.headers ?? {},
    requestBody: e.body == null ? null : headOf(e.body),
    status: e.status,
    responseHeaders: {},
    responseBody: null,
    durationMs: 0,
    fault: null,
    error: e.error ?? null,
  });
}

/** For a vendor without an `errorResponse` hook: `{"error": "<reason>"}`. */
export function genericErrorResponse(status: number): Response {
  return new Response(JSON.stringify({ error: `injected fault: HTTP ${status}` }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A vendor's request limiter as the control plane switches it. */
export interface RateLimitControl {
  /** `enabled` plus the vendor's limits (snake_case). */
  state(): { enabled: boolean } & Record<string, unknown>;
  setEnabled(enabled: boolean): void;
}

/**
 * GET/POST /__admin/rate-limit, the same on every vendor with a limiter: GET shows `{"enabled", …limits}`, POST
 * `{"enabled": false}` switches it off (load tests) or on. Every reset, full or of a tenant, clears the counters
 * and switches the limiter back to its configured setting (the vendor's `rateLimit` option).
 */
export function rateLimitRoutes(control: RateLimitControl): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);
  app.get('/rate-limit', (c) => c.json(control.state()));
  app.post('/rate-limit', async (c) => {
    const body = await adminBody(c);
    const unknown = Object.keys(body).filter((k) => k !== 'enabled');
    if (unknown.length) throw new AdminError(400, `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    if (typeof body.enabled !== 'boolean') throw new AdminError(400, 'enabled must be true or false');
    control.setEnabled(body.enabled);
    return c.json(control.state());
  });
  return app;
}

let adminDocument: { text: string; doc: { paths: Record<string, Record<string, { summary?: string }>> } } | null = null;
/** openapi/admin.json, read once (it ships beside dist/ in the package). */
export function adminOpenApi(): { text: string; doc: { paths: Record<string, Record<string, { summary?: string }>> } } {
  if (!adminDocument) {
    const text = readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8');
    adminDocument = { text, doc: JSON.parse(text) };
  }
  return adminDocument;
}

/** GET /__admin/openapi.json: the control plane's OpenAPI document. */
export function discoveryRoutes(): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);
  app.get('/openapi.json', (c) => c.body(adminOpenApi().text, 200, { 'content-type': 'application/json' }));
  return app;
}

/**
 * The routes a control-plane app serves (under /__admin), each with the summary openapi/admin.json gives it and a
 * link (null for routes with parameters or that only write).
 */
export function routeIndex(control: Hono, origin: string): Array<{ method: string; path: string; summary: string; href: string | null }> {
  const { doc } = adminOpenApi();
  // Hono's `:client_id` or a trailing `*` is the document's `{id}`: match on the shape.
  const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+/g, '{}').replace(/\/\*$/, '/{}');
  const documented = new Map(Object.keys(doc.paths).map((p) => [shape(p), p]));
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string; summary: string; href: string | null }> = [];
  for (const r of control.routes) {
    if (r.method === 'ALL') continue;
    const served = r.path.replace(/\/$/, '') || '/__admin';
    const path = documented.get(shape(served)) ?? served;
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const summary = doc.paths[path]?.[r.method.toLowerCase()]?.summary ?? '';
    out.push({ method: r.method, path, summary, href: r.method === 'GET' && !path.includes('{') ? origin + path : null });
  }
  return out;
}
