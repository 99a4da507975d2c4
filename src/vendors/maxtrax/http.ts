/**
 * MaxTrax HTTP plumbing: the Hono env type, the services every route gets, and request helpers (headers, cookies,
 * query strings, JSON bodies, JSON responses, response memos).
 *
 * Each route is one Hono handler wrapped by `gate.open`/`gate.authed`, which resolve the tenant by Host and the
 * caller synchronously (a verified token is a cache hit), so a memoized page is answered without a promise. Hono
 * middleware would add an async step per layer to every request.
 */
import type { Context, Handler } from 'hono';
import { parse as parseCookies } from 'hono/utils/cookie';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/clock.js';
import { readJsonBody } from '../../core/json-body.js';
import type { ListenerEnv } from '../../core/vendor.js';
import type { MaxtraxAuth, Principal } from './auth.js';
import type { MaxtraxConfig } from './config.js';
import { problems } from './errors.js';
import type { LoginThrottle } from './ops/sessions.js';
import type { MaxtraxStore, TenantRow } from './store/index.js';
import { firstForwardedHost, tenantFromHost } from './tenancy.js';
import type { Rendered } from './views.js';

export type Env = {
  Bindings: (ListenerEnv & { incoming?: IncomingMessage }) | undefined;
  Variables: { tenant: TenantRow; principal: Principal };
};
export type C = Context<Env>;

/** What the routes, operations and the control plane of one running instance share. */
export interface MaxtraxServices {
  store: MaxtraxStore;
  auth: MaxtraxAuth;
  throttle: LoginThrottle;
  config: MaxtraxConfig;
  clock: Clock;
  /** Tenant domains of the tenantDomains option, parsed once. */
  domains: string[];
  newId: () => string;
  /** Tells core the request's tenant (journal, per-tenant clock). */
  setTenant: (tenant: string) => void;
  gate: Gate;
}

/**
 * A request header as a Fetch `Headers` would give it (repeated headers joined with ", "), read from Node's raw
 * headers on a real listener: building the Fetch headers of a request is a measurable share of a fast one.
 */
export function header(c: C, name: string): string | undefined {
  const incoming = c.env?.incoming;
  if (!incoming) return c.req.raw.headers.get(name) ?? undefined;
  const raw = incoming.rawHeaders;
  let out: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i];
    if (k.length === name.length && k.toLowerCase() === name) out = out === undefined ? raw[i + 1].trim() : `${out}, ${raw[i + 1].trim()}`;
  }
  return out;
}

/** A cookie of the request (Hono's `getCookie`, reading the header with `header`). */
export function cookie(c: C, name: string): string | undefined {
  const h = header(c, 'cookie');
  return h ? parseCookies(h, name)[name] : undefined;
}

/** Paths whose requests are authenticated before routing (so 404 and 405 under them need a caller too). */
export function isProtected(path: string): boolean {
  return path === '/isos' || path.startsWith('/isos/') || path === '/welds' || path.startsWith('/welds/');
}

/** Tenancy and authentication in front of each route. */
export class Gate {
  constructor(private readonly s: Omit<MaxtraxServices, 'gate'>) {}

  /**
   * The request's tenant: a listener pinned to one (tenantPorts), else X-Forwarded-Host (ours, for clients that
   * cannot set Host, when enabled), else Host. Throws 404 tenant-not-found.
   */
  tenant(c: C): TenantRow {
    const { config, domains, store } = this.s;
    const pinned = c.env?.tenant;
    let id: string | null = pinned ?? null;
    if (pinned === undefined) {
      const parsed = tenantFromHost(this.host(c), domains);
      id = parsed.kind === 'tenant' ? parsed.tenant : parsed.kind === 'default' ? config.defaultTenant : null;
    }
    const tenant = id === null ? undefined : store.tenants.get(id);
    if (!tenant) throw problems.tenantNotFound(this.host(c));
    c.set('tenant', tenant);
    this.s.setTenant(tenant.id);
    return tenant;
  }

  /** The host the client used. */
  private host(c: C): string {
    const forwarded = this.s.config.forwardedHost ? firstForwardedHost(header(c, 'x-forwarded-host')) : undefined;
    return forwarded ?? header(c, 'host') ?? new URL(c.req.url).host;
  }

  /** The tenant, then the caller (401/403 problems); a promise only when a token's signature must be checked. */
  caller(c: C): void | Promise<void> {
    const tenant = this.tenant(c);
    const p = this.s.auth.authenticate(c, tenant.id);
    if (p instanceof Promise) return p.then((principal) => void c.set('principal', principal));
    c.set('principal', p);
  }

  /** A route open to anyone of the tenant. */
  open(handler: (c: C) => Response | Promise<Response>): Handler<Env> {
    return (c) => {
      this.tenant(c);
      return handler(c);
    };
  }

  /** A route for signed-in callers. */
  authed(handler: (c: C) => Response | Promise<Response>): Handler<Env> {
    return (c) => {
      const waiting = this.caller(c);
      return waiting ? waiting.then(() => handler(c)) : handler(c);
    };
  }
}

/** The query string as sent, without the `?` ('' when there is none). */
export function rawQuery(c: C): string {
  const url = c.req.url;
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

/** The query string as ordered pairs. */
export function queryPairs(c: C): Array<[string, string]> {
  const q = rawQuery(c);
  return q === '' ? [] : [...new URLSearchParams(q).entries()];
}

/** Refuses any query parameter on endpoints that take none. */
export function noQuery(c: C): void {
  const names = [...new Set(queryPairs(c).map(([k]) => k))];
  if (names.length) throw problems.unknownQuery(names, []);
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]*\+)?json\s*(?:;.*)?$/i;

/**
 * Reads a JSON object body with core's reader. Empty body: `null` when optional, else 400. A non-empty body must be
 * `application/json` (415, checked before its size and content), at most `maxBytes` (413; a declared
 * Content-Length over it is refused first, whatever the type), valid UTF-8 and valid JSON (400), and an object (400).
 */
export async function readJson(c: C, maxBytes: number, optional = false): Promise<Record<string, unknown> | null> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw problems.payloadTooLarge(maxBytes);
  const read = await readJsonBody(c.req.raw, { limit: maxBytes, utf8: 'strict', object: true });
  if (!read.ok && read.failure.kind === 'empty') {
    if (optional) return null;
    throw problems.badRequest('The request body must be a JSON object.');
  }
  const type = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(type.trim())) throw problems.unsupportedMediaType(type.split(';')[0].trim());
  if (read.ok) return read.value as Record<string, unknown>;
  const failure = read.failure;
  switch (failure.kind) {
    case 'too_large':
      throw problems.payloadTooLarge(maxBytes);
    case 'not_utf8':
      throw problems.badRequest('The request body is not valid UTF-8.');
    case 'syntax':
      throw problems.malformedJson(failure.message);
    default:
      throw problems.badRequest('The request body must be a JSON object.');
  }
}

/**
 * A 200 JSON response built with its headers, as Hono's `c.json` builds it (one `Content-Type` header; the extra
 * headers of a list envelope are lower-case, as a Fetch `Headers` holds them).
 */
export function jsonResponse(body: string | Uint8Array<ArrayBuffer>, headers?: Record<string, string>): Response {
  return new Response(body, { status: 200, headers: headers ? { 'content-type': 'application/json', ...headers } : { 'Content-Type': 'application/json' } });
}

/**
 * `answer()` once `seek()` says the list is ready: at once when it is (the usual case, no promise), else after giving
 * the event loop a turn between bounded walks (the first read of a large list).
 */
export function afterSeek(seek: () => boolean, answer: () => Response): Response | Promise<Response> {
  if (seek()) return answer();
  return (async () => {
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (!seek());
    return answer();
  })();
}

/** Bytes kept by one response memo. */
const MEMO_BYTES = 8 << 20;

/**
 * Encoded responses by key, each valid while nothing has been written since it was built (the store's change count)
 * and dropped whenever the store clears its memos. `key` must capture every other input of the response. Bounded by
 * MEMO_BYTES (oldest dropped first).
 */
export class ResponseMemo<Extra = undefined> {
  private readonly entries = new Map<string, { changes: number; body: Uint8Array<ArrayBuffer>; headers?: Record<string, string>; extra: Extra }>();
  private bytes = 0;

  constructor(private readonly store: MaxtraxStore) {
    store.onClear(() => {
      this.entries.clear();
      this.bytes = 0;
    });
  }

  get(key: string): { response: () => Response; extra: Extra } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.changes !== this.store.changes()) {
      this.drop(key, e.body.byteLength);
      return undefined;
    }
    return { response: () => jsonResponse(e.body, e.headers), extra: e.extra };
  }

  /** Keeps `r` (built when the store's change count was `changes`) and answers it. */
  put(key: string, changes: number, r: Rendered, extra: Extra): Response {
    const body = Buffer.from(r.body) as Uint8Array<ArrayBuffer>;
    const old = this.entries.get(key);
    if (old) this.drop(key, old.body.byteLength);
    if (body.byteLength <= MEMO_BYTES) {
      while (this.bytes + body.byteLength > MEMO_BYTES) {
        const [k, v] = this.entries.entries().next().value!;
        this.drop(k, v.body.byteLength);
      }
      this.entries.set(key, { changes, body, headers: r.headers, extra });
      this.bytes += body.byteLength;
    }
    return jsonResponse(body, r.headers);
  }

  private drop(key: string, size: number): void {
    this.entries.delete(key);
    this.bytes -= size;
  }
}
