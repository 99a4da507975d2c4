import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newSuite, tokens, type App } from './helpers.js';
import type { Suite } from '../../src/suite.js';
import { spec } from '../../src/vendors/trakrf/spec.js';
import type { TrakrfApi } from '../../src/vendors/trakrf/index.js';

let suite: Suite;
let app: App;
beforeAll(() => {
  suite = newSuite();
  app = suite.app('trakrf');
});
afterAll(() => suite.close());

describe('non-API endpoints', () => {
  it('GET /healthz and /readyz → 200 text/plain ok, no rate-limit headers', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toBe('ok');
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });
  it('GET /health and /health.json → status document; HEAD → plain 405 (the vendor quirk)', async () => {
    for (const path of ['/health', '/health.json']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = await res.json();
      expect(Object.keys(body)).toEqual(['status', 'version', 'commit', 'tag', 'build_time', 'go_version', 'timestamp', 'uptime', 'database', 'spec_refreshed_at']);
      expect(body).toMatchObject({ status: 'ok', database: 'connected' });
      expect(body.uptime).toMatch(/^\d+h\d+m\d+s$/);
      const head = await app.request(path, { method: 'HEAD' });
      expect(head.status).toBe(405);
    }
  });
  it('serves its OpenAPI document as JSON and YAML with the cache header; old paths redirect', async () => {
    const json = await app.request('/api/openapi.json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    const doc = await json.json();
    expect(doc.info.title).toBe('TrakRF API');
    const yaml = await app.request('/api/openapi.yaml');
    expect(yaml.headers.get('content-type')).toBe('application/yaml');
    expect(parse(await yaml.text())).toEqual(doc);
    for (const [from, to] of [['/api/v1/openapi.json', '/api/openapi.json'], ['/openapi.yaml', '/api/openapi.yaml']]) {
      const res = await app.request(from);
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(to);
    }
  });
  it('non-API unknown paths get a plain 404 (the SPA is not emulated)', async () => {
    const res = await app.request('/dashboard');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('404 page not found\n');
  });
});

describe('the runtime enforces each operation\'s x-required-scopes from openapi/trakrf.json', () => {
  it('a key holding every scope but the required one gets 403 naming it, on every served operation', async () => {
    const table = (suite.instance('trakrf').runtime.api as TrakrfApi).table;
    const ops = table.defs.filter((d) => d.operationId && d.path.startsWith('/api/v1/'));
    let checked = 0;
    for (const d of ops) {
      const required = spec.paths[d.path][d.method.toLowerCase()]['x-required-scopes']!;
      if (required.length === 0) continue;
      const others = ['assets:read', 'assets:write', 'locations:read', 'locations:write', 'tracking:read'].filter((s) => !required.includes(s));
      const key = await (await app.request('/__admin/api-keys', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ org_id: 1, name: d.operationId, scopes: others }) })).json();
      const { access_token } = await tokens(app, key);
      // Content-Type application/json passes every write's 415 check (PATCH's merge-patch check runs after the scope).
      const res = await app.request(d.path.replace(/\{[^}]+\}/g, '1'), {
        method: d.method,
        headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
        body: d.method === 'GET' || d.method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status, `${d.method} ${d.path}`).toBe(403);
      expect((await res.json()).error.detail).toBe(`Missing required scope: ${required[0]}`);
      await app.request(`/__admin/api-keys/${key.client_id}`, { method: 'DELETE' });
      checked++;
    }
    expect(checked).toBe(21);
  });
});
