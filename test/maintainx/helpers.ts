import { readFileSync } from 'node:fs';
import { Suite } from '../../src/suite.js';
import { servicesOf } from '../../src/vendors/maintainx/index.js';
import { vendorClient } from '../support/vendor-client.js';

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/maintainx.json', import.meta.url), 'utf8'));
/** A demo API key of fixtures/maintainx.json by its label. */
const demoKey = (label: string): string => fixtures.apiKeys.find((k: { label: string }) => k.label === label).key;

export const ADMIN = demoKey('Acme admin');
export const MEMBER = demoKey('Acme member');
export const BOREALIS = demoKey('Borealis admin');
export const MULTI = demoKey('Multi-organization (Acme + Borealis)');

export interface Res {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A MaintainX suite; every response is checked against openapi/maintainx.json (and admin.json). */
export function makeSuite(config: Record<string, string | number | boolean> = {}) {
  const suite = new Suite({ vendors: ['maintainx'], seed: 42, config: { maintainx: config } });
  const app = suite.app('maintainx');
  const client = vendorClient(suite, 'maintainx');
  async function call(method: string, path: string, opts: { key?: string | null; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const key = opts.key === undefined ? ADMIN : opts.key;
    if (key) headers.authorization ??= `Bearer ${key}`;
    const r = await client.call(method, path, { headers, body: opts.raw === undefined ? opts.body : undefined, raw: opts.raw as BodyInit | undefined });
    // Any JSON text is parsed whatever the content type; an empty body is null.
    let body: unknown = r.text === '' ? null : r.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        /* text */
      }
    }
    return { ...r, body };
  }
  const ctx = suite.instance('maintainx').ctx;
  return { suite, app, call, hooks: servicesOf(suite.instance('maintainx').runtime).hooks, ctx };
}
