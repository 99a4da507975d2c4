/** Test helpers for the TrakRF data plane: an in-process suite, tokens for the demo keys, JSON requests. */
import { beforeEach } from 'vitest';
import { Suite } from '../../src/suite.js';
import { recordResponse } from './data-openapi-recorder.js';

export const FULL = {
  client_id: '0a28481b-0c38-4d39-b9c6-87394655e41c',
  client_secret: 'trakrf_9d1acbc7a7a2ca9a1ff91381b57783c0b94d08fd10221bbb2f7cdf90bf6e3485',
};
export const READ_ONLY = {
  client_id: '46617dba-7cbb-4884-b116-88804a55dd6d',
  client_secret: 'trakrf_ec877987b7508125c060aef93243f7f18c0e9f8541b0be34b1848a2689291220',
};
export const TRACKING = {
  client_id: '9dc95f33-dd8e-46b5-806e-f166f074e729',
  client_secret: 'trakrf_8710b886e4611978b49d14789d2aad63845f2c3e435a6f9738d91973891f53d0',
};

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
  private tokens = new Map<string, { token: string; at: number }>();

  constructor(seed = 42, config: Record<string, string | number | boolean> = {}) {
    this.suite = new Suite({ vendors: ['trakrf'], seed, config: { trakrf: config } });
    this.suite.clock.freeze(true);
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
    const res = await this.app.request(path, { method, body: init.body as any, headers: init.headers });
    const text = await res.text();
    let body: any = undefined;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    const out = { status: res.status, headers: res.headers, body, text };
    if (path.startsWith('/api/')) recordResponse(method, path, out);
    return out;
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
