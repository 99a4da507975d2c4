/**
 * TrakRF test helpers, both styles: `newSuite()` + `post`/`get`/`exchange` on an app (raw Responses), and the
 * `Client` of the data tests (one suite per file, tokens cached). Demo secrets come from fixtures/trakrf.json; every
 * response is checked against openapi/trakrf.json (test/support/contract.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, expect } from 'vitest';
import { Suite } from '../../src/suite.js';
import { contract } from '../support/contract.js';
import { vendorClient, type VendorClient } from '../support/vendor-client.js';

export const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/trakrf.json', import.meta.url), 'utf8'));
const keys = fixtures.orgs[0].api_keys as Array<{ name: string; client_id: string; client_secret: string; scopes: string[] }>;
export const demo = {
  full: keys.find((k) => k.name === 'demo-full')!,
  readOnly: keys.find((k) => k.name === 'demo-read-only')!,
  tracking: keys.find((k) => k.name === 'demo-tracking')!,
  revoked: keys.find((k) => k.name === 'demo-revoked')!,
  expired: keys.find((k) => k.name === 'demo-expired')!,
  globex: fixtures.orgs[1].api_keys[0] as { client_id: string; client_secret: string },
};

/** The key's credentials only, as the token endpoint takes them. */
const creds = (k: { client_id: string; client_secret: string }) => ({ client_id: k.client_id, client_secret: k.client_secret });
export const FULL = creds(demo.full);
export const READ_ONLY = creds(demo.readOnly);
export const TRACKING = creds(demo.tracking);

const check = contract('trakrf');
/** Responses checked against openapi/trakrf.json in this test file. */
let checkedCount = 0;

/** Throws when a response does not match the document; the Response is returned unread. */
async function checked(method: string, path: string, res: Response): Promise<Response> {
  const problems = check(method, path, { status: res.status, headers: res.headers, text: await res.clone().text() });
  if (problems.length) throw new Error(`response does not match openapi/trakrf.json:\n${problems.join('\n')}`);
  checkedCount++;
  return res;
}

export function newSuite(): Suite {
  return new Suite({ vendors: ['trakrf'], seed: 42 });
}

export type App = ReturnType<Suite['app']>;

export async function post(app: App, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return checked('POST', path, res);
}

export async function exchange(app: App, key: { client_id: string; client_secret: string }): Promise<Response> {
  return post(app, '/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: key.client_id, client_secret: key.client_secret });
}

export async function tokens(app: App, key: { client_id: string; client_secret: string } = demo.full) {
  const res = await exchange(app, key);
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
}

export async function refresh(app: App, refreshToken: string): Promise<Response> {
  return post(app, '/api/v1/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
}

export async function get(app: App, path: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return checked('GET', path, await app.request(path, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } }));
}

/** Asserts the TrakRF error envelope, its key order, and returns the error object. */
export async function expectError(
  res: Response,
  status: number,
  type: string,
  title: string,
  detail: string,
): Promise<Record<string, any>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const text = await res.text();
  expect(text.endsWith('}\n')).toBe(true);
  const body = JSON.parse(text);
  expect(Object.keys(body)).toEqual(['error']);
  const e = body.error;
  expect(Object.keys(e).slice(0, 6)).toEqual(['type', 'title', 'status', 'detail', 'instance', 'request_id']);
  expect(e).toMatchObject({ type, title, status, detail });
  expect(e.request_id).toBe(res.headers.get('x-request-id'));
  return e;
}

export async function expect401(res: Response, detail: string): Promise<void> {
  await expectError(res, 401, 'unauthorized', 'Unauthorized', detail);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="trakrf-api"');
}

export function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export interface Res {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** One suite per test file, reset before each test. */
export function setup(seed = 42): Client {
  const c = new Client(seed);
  beforeEach(() => c.reset());
  return c;
}

export class Client {
  readonly suite: Suite;
  private readonly client: VendorClient;
  private tokens = new Map<string, { token: string; at: number }>();

  constructor(seed = 42, config: Record<string, string | number | boolean> = {}) {
    this.suite = new Suite({ vendors: ['trakrf'], seed, config: { trakrf: config } });
    this.suite.clock.freeze(true);
    this.client = vendorClient(this.suite, 'trakrf');
  }

  /** Back to the seeded data (and full rate-limit buckets). */
  async reset(): Promise<void> {
    const r = await this.admin('POST', '/reset');
    if (r.status !== 200) throw new Error(`reset: ${r.status} ${r.text}`);
  }

  get app() {
    return this.suite.app('trakrf');
  }

  async raw(method: string, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Res> {
    const r = await this.client.call(method, path, { raw: init.body as BodyInit | undefined, headers: init.headers });
    checkedCount++;
    return { ...r, body: typeof r.body === 'string' ? undefined : r.body };
  }

  async token(creds: { client_id: string; client_secret: string } = FULL): Promise<string> {
    const now = this.suite.clock.nowMs();
    const cached = this.tokens.get(creds.client_id);
    // access tokens live 900 s on the suite clock; mint a new one well before that
    let t = cached && now - cached.at < 600_000 ? cached.token : undefined;
    if (!t) {
      const r = await this.raw('POST', '/api/v1/oauth/token', {
        body: JSON.stringify({ grant_type: 'client_credentials', ...creds }),
        headers: { 'Content-Type': 'application/json' },
      });
      if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
      t = r.body.access_token as string;
      this.tokens.set(creds.client_id, { token: t, at: now });
    }
    return t;
  }

  /** An authenticated request; `body` objects are JSON-encoded; content type defaults per method. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    opts: { creds?: { client_id: string; client_secret: string }; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const headers: Record<string, string> = { Authorization: `Bearer ${await this.token(opts.creds)}` };
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    if (method === 'PATCH') headers['Content-Type'] = 'application/merge-patch+json';
    Object.assign(headers, opts.headers ?? {});
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return this.raw(method, path, { body: payload, headers });
  }

  admin(method: string, path: string, body?: unknown): Promise<Res> {
    return this.raw(method, `/__admin${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
  }
}

/** Every data test file calls this once: at the end, it must have produced responses (each was checked). */
export function checkRecordedAgainstSpec(): void {
  afterAll(() => {
    expect(checkedCount).toBeGreaterThan(0);
  });
}

/** The single field error of a 400, asserting the envelope on the way. */
export function fieldsOf(r: Res): Array<{ field: string; code: string; message: string; params?: unknown }> {
  if (r.status !== 400) throw new Error(`expected 400, got ${r.status}: ${r.text}`);
  return r.body.error.fields;
}

export const ALL_WRITE_SCOPES = ['assets:read', 'assets:write', 'locations:read', 'locations:write', 'tracking:read'];

/** A fresh, empty org with one API key (control plane), for tests that need a clean key sequence. */
export async function newOrg(c: Client, scopes: string[] = ALL_WRITE_SCOPES): Promise<{ orgId: number; creds: { client_id: string; client_secret: string } }> {
  const org = await c.admin('POST', '/orgs', { name: 'Test Org' });
  if (org.status !== 201) throw new Error(`org: ${org.status} ${org.text}`);
  const key = await c.admin('POST', '/api-keys', { org_id: org.body.id, name: 'test', scopes });
  if (key.status !== 201) throw new Error(`key: ${key.status} ${key.text}`);
  return { orgId: org.body.id, creds: { client_id: key.body.client_id, client_secret: key.body.client_secret } };
}

export const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const ASSET_KEYS = ['id', 'external_key', 'name', 'description', 'metadata', 'is_active', 'valid_from', 'valid_to', 'created_at', 'updated_at', 'deleted_at', 'tags'];
export const LOCATION_KEYS = ['id', 'external_key', 'name', 'description', 'parent_id', 'parent_external_key', 'is_active', 'valid_from', 'valid_to', 'created_at', 'updated_at', 'deleted_at', 'tags'];
