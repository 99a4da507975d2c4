import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Suite } from '../../src/suite.js';
import type { OptionValue } from '../../src/core/vendor.js';
import { vendorClient } from '../support/vendor-client.js';

export interface FixtureUser { userName: string; password: string; role: string; displayName: string }
export const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/maxtrax.json', import.meta.url), 'utf8')) as {
  tenants: Array<{ name: string; users: FixtureUser[] }>;
};

/** The first demo user of a tenant with a role (index picks the n-th). */
export function user(role: string, tenant = 'acme', index = 0): FixtureUser {
  const u = fixtures.tenants.find((t) => t.name === tenant)!.users.filter((x) => x.role === role)[index];
  if (!u) throw new Error(`no ${role} #${index} in ${tenant}`);
  return u;
}

export const PROBLEM_BASE = 'https://developers.maxtrax.io/problems/';

export function makeSuite(config: Record<string, OptionValue> = {}) {
  const suite = new Suite({ vendors: ['maxtrax'], seed: 42, config: { maxtrax: config } });
  const app = suite.app('maxtrax');
  const host = (tenant: string) => `${tenant}.maxtrax.localhost:4100`;

  // openapi/maxtrax.json describes the default wire shapes; the two options that change them turn the check off.
  const client = vendorClient(suite, 'maxtrax', { contract: config.tokenFieldCase !== 'snake' && config.listEnvelope !== 'array' });

  /** A request to a tenant's host; every response is checked against openapi/maxtrax.json (and admin.json). */
  async function call(
    method: string,
    path: string,
    opts: { tenant?: string; host?: string; token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; cookies?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; json: any; text: string }> {
    const headers: Record<string, string> = { Host: opts.host ?? host(opts.tenant ?? 'acme'), ...opts.headers };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.cookies) headers.Cookie = Object.entries(opts.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await client.call(method, path, { headers, body: opts.body, raw: opts.raw });
    let json: any = undefined;
    try {
      json = r.text ? JSON.parse(r.text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: r.status, headers: r.headers, json, text: r.text };
  }

  async function login(role = 'inspector', tenant = 'acme', index = 0) {
    const u = user(role, tenant, index);
    const r = await call('POST', '/auth/login', { tenant, body: { userName: u.userName, password: u.password } });
    expect(r.status).toBe(200);
    return { ...r, token: r.json.accessToken as string, refresh: r.json.refreshToken as string, cookies: cookiesOf(r.headers) };
  }

  return { suite, app, call, login, host };
}

/** name → value of the Set-Cookie headers of a response. */
export function cookiesOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const i = pair.indexOf('=');
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

export function setCookieLine(headers: Headers, name: string): string | undefined {
  return headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
}

/** Asserts an RFC 9457 problem with our type slug and status. */
export function expectProblem(r: { status: number; headers: Headers; json: any }, status: number, slug: string, detail?: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/problem+json');
  expect(r.json).toMatchObject({ type: PROBLEM_BASE + slug, status, title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
  if (typeof detail === 'string') expect(r.json.detail).toBe(detail);
  else if (detail) expect(r.json.detail).toMatch(detail);
}

/** A small seeded generator (mulberry32), so a failure repeats. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
