import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Suite } from '../../src/suite.js';

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

export function newSuite(): Suite {
  return new Suite({ vendors: ['trakrf'], seed: 42 });
}

export type App = ReturnType<Suite['app']>;

export async function post(app: App, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
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
  return app.request(path, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
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
