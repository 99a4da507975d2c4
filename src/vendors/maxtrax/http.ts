/** Request/response helpers shared by the MaxTrax routes: problem rendering, JSON bodies, query strings. */
import type { Context } from 'hono';
import { Problem, problems } from './errors.js';
import type { MaxtraxStore, TenantRow } from './store.js';
import type { MaxtraxAuth, Principal } from './auth.js';
import type { MaxtraxConfig } from './config.js';

export type Env = { Variables: { tenant: TenantRow; principal: Principal } };

export interface Deps {
  store: MaxtraxStore;
  auth: MaxtraxAuth;
  config: MaxtraxConfig;
  newId: () => string;
}

export function renderProblem(c: Context, p: Problem): Response {
  return problemResponse(p, c.req.path);
}

export function problemResponse(p: Problem, path: string): Response {
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...p.headers });
  return new Response(JSON.stringify(p.body(path)), { status: p.status, headers });
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]*\+)?json\s*(?:;.*)?$/i;

/**
 * Reads a JSON object body. Empty body: `null` when optional, else 400. A non-empty body must be
 * `application/json` (415), at most `maxBytes` (413), valid UTF-8 and valid JSON (400), and an object (400).
 */
export async function readJson(c: Context, maxBytes: number, optional = false): Promise<Record<string, unknown> | null> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw problems.payloadTooLarge(maxBytes);
  const buf = new Uint8Array(await c.req.arrayBuffer());
  if (buf.byteLength === 0) {
    if (optional) return null;
    throw problems.badRequest('The request body must be a JSON object.');
  }
  const type = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(type.trim())) throw problems.unsupportedMediaType(type.split(';')[0].trim());
  if (buf.byteLength > maxBytes) throw problems.payloadTooLarge(maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw problems.badRequest('The request body is not valid UTF-8.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw problems.malformedJson(err instanceof SyntaxError ? err.message : 'could not parse');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw problems.badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** The query string as ordered pairs. */
export function queryPairs(c: Context): Array<[string, string]> {
  const url = c.req.url;
  const q = url.indexOf('?');
  if (q === -1) return [];
  return [...new URLSearchParams(url.slice(q + 1)).entries()];
}

/** Refuses any query parameter on endpoints that take none. */
export function noQuery(c: Context): void {
  const names = [...new Set(queryPairs(c).map(([k]) => k))];
  if (names.length) throw problems.unknownQuery(names, []);
}

/** Refuses body members outside `allowed` (422, one error per member). */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) {
    throw problems.validation(
      `Unknown field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}.`,
      extra.map((field) => ({ field, message: 'is not a known field' })),
    );
  }
}

export function iso8601(ms: number): string {
  return new Date(ms).toISOString();
}
