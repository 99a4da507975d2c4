import { Suite } from '../../src/suite.js';
import { checkResponse } from './spec.js';
import { servicesOf } from '../../src/vendors/maintainx/index.js';

export const ADMIN = 'mx_demo_acme_admin_4f1c2b7e9a0d';
export const MEMBER = 'mx_demo_acme_member_7d3e8a1f2c5b';
export const BOREALIS = 'mx_demo_borealis_admin_9b2d6c4e1a7f';
export const MULTI = 'mx_demo_multi_org_3a8f5e2d7c1b';

export interface Res {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export function makeSuite(config: Record<string, string | number | boolean> = {}) {
  const suite = new Suite({ vendors: ['maintainx'], seed: 42, config: { maintainx: config } });
  const app = suite.app('maintainx');
  async function call(method: string, path: string, opts: { key?: string | null; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const key = opts.key === undefined ? ADMIN : opts.key;
    if (key) headers.authorization ??= `Bearer ${key}`;
    let body: string | Uint8Array | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers, body: body as any });
    const text = await res.text();
    let parsed: any = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    const out = { status: res.status, headers: res.headers, body: parsed, text };
    const problem = checkResponse(method, path, res.status, parsed, res.headers.get('content-type'));
    if (problem) throw new Error(`response does not match the OpenAPI document: ${problem}`);
    checked.count++;
    return out;
  }
  const ctx = suite.instance('maintainx').ctx;
  return { suite, app, call, hooks: servicesOf(suite.instance('maintainx').runtime).hooks, ctx };
}

/** How many responses this test file checked against the OpenAPI documents. */
export const checked = { count: 0 };
