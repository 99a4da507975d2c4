/** GET /__admin lists the control plane, GET /__admin/openapi.json serves it, /__admin/rate-limit is one thing (issue 13 §5). */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Suite } from '../../src/suite.js';

const suite = new Suite({ seed: 42, config: { maintainx: { userLimit: 3 }, maxtrax: { loginAttemptsPerMinute: 2 } } });
afterAll(() => suite.close());
const json = { 'content-type': 'application/json' };
const adminCall = async (vendor: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await suite.app(vendor).request(`http://127.0.0.1/__admin${path}`, {
    method,
    headers: body === undefined ? headers : { ...json, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res;
};

describe('GET /__admin', () => {
  for (const vendor of ['trakrf', 'maintainx', 'maxtrax', 'machhub']) {
    it(`${vendor}: keeps vendor, version, clock and tenants, and lists every route with a summary and links`, async () => {
      const body = (await (await adminCall(vendor, 'GET', '')).json()) as any;
      expect(Object.keys(body)).toEqual(['vendor', 'version', 'clock', 'tenants', 'routes']);
      expect(body.vendor).toBe(vendor);
      const lines = body.routes.map((r: any) => `${r.method} ${r.path}`);
      for (const line of ['GET /__admin', 'POST /__admin/reset', 'GET /__admin/requests', 'GET /__admin/requests/{id}', 'POST /__admin/faults', 'DELETE /__admin/faults/{id}', 'GET /__admin/openapi.json']) {
        expect(lines).toContain(line);
      }
      expect(lines.includes('GET /__admin/rate-limit')).toBe(vendor !== 'machhub');
      for (const r of body.routes) expect(r.summary, `${r.method} ${r.path}`).not.toBe('');
      expect(body.routes.find((r: any) => r.path === '/__admin/requests' && r.method === 'GET').href).toBe('http://127.0.0.1/__admin/requests');
      expect(body.routes.find((r: any) => r.path === '/__admin/requests/{id}').href).toBeNull();
    });
  }

  it('answers one line per route to Accept: text/plain', async () => {
    const res = await adminCall('trakrf', 'GET', '', undefined, { accept: 'text/plain' });
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/^GET +\/__admin\/requests +Recorded requests, newest first/m);
  });

  it('GET /__admin/openapi.json serves openapi/admin.json', async () => {
    const res = await adminCall('machhub', 'GET', '/openapi.json');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8'));
  });
});

describe('/__admin/rate-limit: the same semantics on every vendor with a limiter', () => {
  /** Requests that the limiter refuses once exhausted, per vendor. */
  const exhaust: Record<string, { limited: () => Promise<number>; tries: number }> = {
    trakrf: { limited: async () => (await suite.app('trakrf').request('/api/v1/assets', { headers: { authorization: `Bearer ${await trakrfToken()}` } })).status, tries: 125 },
    maintainx: { limited: async () => (await suite.app('maintainx').request('/v1/users', { headers: { authorization: 'Bearer mx_demo_acme_admin_4f1c2b7e9a0d' } })).status, tries: 4 },
    maxtrax: {
      limited: async () =>
        (await suite.app('maxtrax').request('/auth/login', { method: 'POST', headers: { ...json, host: 'acme.maxtrax.localhost' }, body: JSON.stringify({ userName: 'nobody', password: 'wrong' }) })).status,
      tries: 3,
    },
  };
  let token: string | null = null;
  async function trakrfToken(): Promise<string> {
    if (token) return token;
    const key = JSON.parse(readFileSync(new URL('../../fixtures/trakrf.json', import.meta.url), 'utf8')).orgs[0].api_keys[0];
    const res = await suite.app('trakrf').request('/api/v1/oauth/token', { method: 'POST', headers: json, body: JSON.stringify({ grant_type: 'client_credentials', client_id: key.client_id, client_secret: key.client_secret }) });
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  }

  for (const [vendor, { limited, tries }] of Object.entries(exhaust)) {
    it(`${vendor}: GET shows it, POST switches it, a reset clears the counters and switches it back on`, async () => {
      expect(((await (await adminCall(vendor, 'GET', '/rate-limit')).json()) as any).enabled).toBe(true);
      const statuses: number[] = [];
      for (let i = 0; i < tries; i++) statuses.push(await limited());
      expect(statuses.at(-1)).toBe(429);
      const off = await adminCall(vendor, 'POST', '/rate-limit', { enabled: false });
      expect(((await off.json()) as any).enabled).toBe(false);
      expect(await limited()).not.toBe(429);
      expect((await adminCall(vendor, 'POST', '/reset')).status).toBe(200);
      token = null;
      expect(((await (await adminCall(vendor, 'GET', '/rate-limit')).json()) as any).enabled).toBe(true);
      expect(await limited()).not.toBe(429);
    });
  }

  it('bad input is a 400; MACHHUB has no limiter', async () => {
    expect(await (await adminCall('maintainx', 'POST', '/rate-limit', { enabled: 'no' })).json()).toEqual({ error: 'enabled must be true or false' });
    expect(await (await adminCall('maxtrax', 'POST', '/rate-limit', { enabled: true, burst: 3 })).json()).toEqual({ error: 'unknown field: burst' });
    expect((await adminCall('machhub', 'GET', '/rate-limit')).status).toBe(404);
  });
});
