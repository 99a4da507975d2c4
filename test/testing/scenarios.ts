/**
 * One client per vendor for the control-plane tests, over a real port: a sign-in that sends a secret, an
 * authenticated read, and a check that an answer is that vendor's own error shape.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { adminCall } from '../support/admin.js';

const fixture = (v: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${v}.json`, import.meta.url), 'utf8'));

export interface Session {
  headers: Record<string, string>;
  /** Secrets the client sent or received (never in the journal in full). */
  secrets: string[];
}

export interface Scenario {
  vendor: string;
  signIn(base: string): Promise<Session>;
  /** Requests signIn makes. */
  signInRequests: number;
  /** An authenticated GET. */
  path: string;
  /** The tenant the journal records for `path`. */
  tenant: string;
  /** True when the vendor knows the tenant of a request to an unknown route (MaxTrax: Host; MACHHUB: Domain). */
  tenantBeforeAuth: boolean;
  /** The path glob a fault for `path` uses. */
  glob: string;
  /** Asserts `res` is the vendor's own error answer for `status`. */
  expectError(res: Response, status: number): Promise<void>;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(res.status, url).toBe(200);
  return res.json();
}

const trakrfKey = fixture('trakrf').orgs[0].api_keys.find((k: any) => k.name === 'demo-full');
const mxKey = fixture('maintainx').apiKeys[0].key as string;
const maxtraxUser = fixture('maxtrax').tenants[0].users[0];

export const scenarios: Scenario[] = [
  {
    vendor: 'trakrf',
    async signIn(base) {
      const t = await post(`${base}/api/v1/oauth/token`, { grant_type: 'client_credentials', client_id: trakrfKey.client_id, client_secret: trakrfKey.client_secret });
      return { headers: { authorization: `Bearer ${t.access_token}` }, secrets: [trakrfKey.client_secret, t.access_token, t.refresh_token] };
    },
    signInRequests: 1,
    path: '/api/v1/assets?limit=2',
    tenant: '1',
    tenantBeforeAuth: false,
    glob: '/api/v1/assets*',
    async expectError(res, status) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9A-Z]{26}$/);
      const body = (await res.json()) as { error: { type: string; title: string; status: number; request_id: string } };
      expect(body.error.status).toBe(status);
      expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
    },
  },
  {
    vendor: 'maintainx',
    async signIn() {
      return { headers: { authorization: `Bearer ${mxKey}` }, secrets: [mxKey] };
    },
    signInRequests: 0,
    path: '/v1/users?limit=1',
    tenant: '1',
    tenantBeforeAuth: false,
    glob: '/v1/users*',
    async expectError(res, status) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: string };
      expect(typeof body.error).toBe('string');
    },
  },
  {
    vendor: 'maxtrax',
    async signIn(base) {
      const t = await post(`${base}/auth/login`, { userName: maxtraxUser.userName, password: maxtraxUser.password });
      return { headers: { authorization: `Bearer ${t.accessToken}` }, secrets: [maxtraxUser.password, t.accessToken, t.refreshToken] };
    },
    signInRequests: 1,
    path: '/welds',
    tenant: 'acme',
    tenantBeforeAuth: true,
    glob: '/welds*',
    async expectError(res, status) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = (await res.json()) as { type: string; status: number; title: string; detail: string };
      expect(body.status).toBe(status);
      expect(body.type).toMatch(/^https:\/\/developers\.maxtrax\.io\/problems\//);
    },
  },
  {
    vendor: 'machhub',
    async signIn(base) {
      const t = await post(`${base}/machhub/auth/login`, { username: 'admin', password: 'admin' }, { Domain: 'domains:acme' });
      return { headers: { authorization: `Bearer ${t.tkn}`, Domain: 'domains:acme' }, secrets: [t.tkn] };
    },
    signInRequests: 1,
    path: '/machhub/products/all?limit=2',
    tenant: 'domains:acme',
    tenantBeforeAuth: true,
    glob: '/machhub/products*',
    async expectError(res, status) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.headers.get('app-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
      expect((await res.text()).length).toBeGreaterThan(0);
    },
  },
];

/** JSON from the control plane. */
export async function admin(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const { status, body: json } = await adminCall(base, method, path, body);
  return { status, json };
}
