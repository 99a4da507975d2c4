import { expect } from 'vitest';
import { Suite } from '../../src/suite.js';
import { vendorClient } from '../support/vendor-client.js';

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export function makeSuite(config: Record<string, string | number | boolean> = {}) {
  const suite = new Suite({ vendors: ['machhub'], seed: 42, config: { machhub: config } });
  const app = suite.app('machhub');
  const client = vendorClient(suite, 'machhub');
  /** A request in a domain (default acme); every response is checked against openapi/machhub.json (and admin.json). */
  async function req(method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown; domain?: string | null; raw?: BodyInit } = {}): Promise<Res> {
    const headers: Record<string, string> = {};
    if (opts.domain !== null) headers.Domain = opts.domain ?? 'domains:acme';
    Object.assign(headers, opts.headers ?? {});
    const r = await client.call(method, path, { headers, body: opts.body, raw: opts.raw });
    const text = r.headers.get('content-type')?.includes('gzip') ? '' : r.text;
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    expect(r.headers.get('app-correlationid'), `${method} ${path}`).toMatch(UUID_V4);
    return { status: r.status, headers: r.headers, text, json };
  }
  async function login(username = 'admin', password = username): Promise<string> {
    const r = await req('POST', '/machhub/auth/login', { body: { username, password } });
    expect(r.status).toBe(200);
    return r.json.tkn as string;
  }
  return { suite, app, req, login };
}

/** Asserts a MACHHUB plain-text error. */
export function expectText(r: Res, status: number, body: string | RegExp): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
  if (typeof body === 'string') expect(r.text).toBe(body);
  else expect(r.text).toMatch(body);
}

export function decodeJwt(token: string): { header: any; payload: any } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

export const enc = (s: string) => encodeURIComponent(s);
