import { beforeEach, describe, expect, it } from 'vitest';
import { demo, exchange, expect401, get, newSuite, post, tokens, type App } from './helpers.js';
import type { Suite } from '../../src/suite.js';

let suite: Suite;
let app: App;
beforeEach(() => {
  suite = newSuite();
  app = suite.app('trakrf');
  return () => suite.close();
});

const adminError = async (res: Response, status: number, message: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({ error: message });
};

describe('control plane: TrakRF orgs and API keys', () => {
  it('GET /__admin: vendor, version, clock, tenants (orgs)', async () => {
    const body = await (await app.request('/__admin')).json();
    expect(body.vendor).toBe('trakrf');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(body.clock)).toEqual(['now', 'offset_seconds', 'frozen']);
    expect(body.tenants).toEqual([
      { id: 1, name: 'Acme Logistics', subscription_active: true },
      { id: 2, name: 'Globex Freight', subscription_active: true },
    ]);
  });

  it('POST /__admin/orgs → 201 {id, name, …}; POST /__admin/api-keys mints a key shown once', async () => {
    const org = await (await post(app, '/__admin/orgs', { name: 'Initech' })).json();
    expect(org).toMatchObject({ id: expect.any(Number), name: 'Initech' });
    const res = await post(app, '/__admin/api-keys', { org_id: org.id, name: 'ci', scopes: ['assets:read', 'tracking:read'], expires_at: null });
    expect(res.status).toBe(201);
    const key = await res.json();
    expect(Object.keys(key)).toEqual(['client_id', 'client_secret', 'org_id', 'name', 'scopes', 'expires_at', 'created_at']);
    expect(key.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key.client_secret).toMatch(/^trakrf_[0-9a-f]{64}$/);
    expect(key).toMatchObject({ org_id: org.id, name: 'ci', scopes: ['assets:read', 'tracking:read'], expires_at: null });

    const listed = await (await app.request(`/__admin/api-keys?org_id=${org.id}`)).json();
    expect(listed).toHaveLength(1);
    expect(listed[0].client_id).toBe(key.client_id);
    expect(JSON.stringify(listed)).not.toContain(key.client_secret);
    expect(listed[0]).not.toHaveProperty('client_secret');

    const t = await tokens(app, key);
    const me = await (await get(app, '/api/v1/orgs/me', t.access_token)).json();
    expect(me.data).toEqual({ api_key_id: key.client_id, id: org.id, name: 'Initech', scopes: ['assets:read', 'tracking:read'] });
    // The new org has no assets.
    expect(await (await get(app, '/api/v1/assets', t.access_token)).json()).toEqual({ data: [], limit: 50, offset: 0, total_count: 0 });
    // The secret is stored only as a hash.
    const stored = JSON.stringify(suite.instance('trakrf').ctx.handle.db.prepare('SELECT * FROM api_keys').all());
    expect(stored).not.toContain(key.client_secret);
  });

  it('DELETE /__admin/api-keys/{client_id} revokes (204): exchange fails, listed with revoked_at', async () => {
    expect((await app.request(`/__admin/api-keys/${demo.readOnly.client_id}`, { method: 'DELETE' })).status).toBe(204);
    await expect401(await exchange(app, demo.readOnly), 'Invalid client credentials');
    const listed = await (await app.request('/__admin/api-keys?org_id=1')).json();
    expect(listed.find((k: any) => k.client_id === demo.readOnly.client_id).revoked_at).toMatch(/Z$/);
    await adminError(await app.request('/__admin/api-keys/6f1c2a8e-7d3b-4e90-9a11-2c4d5e6f7a8b', { method: 'DELETE' }), 404, 'no API key with client_id 6f1c2a8e-7d3b-4e90-9a11-2c4d5e6f7a8b');
  });

  it('soft cap of 10 active keys per org (configurable)', async () => {
    const org = await (await post(app, '/__admin/orgs', { name: 'Capped' })).json();
    for (let i = 0; i < 10; i++) expect((await post(app, '/__admin/api-keys', { org_id: org.id, name: `k${i}`, scopes: ['assets:read'] })).status).toBe(201);
    await adminError(await post(app, '/__admin/api-keys', { org_id: org.id, name: 'k10', scopes: ['assets:read'] }), 409, `org ${org.id} already has 10 active API keys; revoke one first`);
  });

  it.each([
    ['/__admin/orgs', '{', 400, 'request body is not valid JSON'],
    ['/__admin/orgs', '[]', 400, 'request body must be a JSON object'],
    ['/__admin/orgs', {}, 400, 'name must be a non-empty string of at most 255 characters'],
    ['/__admin/orgs', { name: 'x', color: 'red' }, 400, 'unknown field: color'],
    ['/__admin/api-keys', { org_id: 999, name: 'x', scopes: ['assets:read'] }, 404, 'no org with id 999'],
    ['/__admin/api-keys', { org_id: 'one', name: 'x', scopes: ['assets:read'] }, 400, 'org_id must be a positive integer'],
    ['/__admin/api-keys', { org_id: 1, name: '', scopes: ['assets:read'] }, 400, 'name must be a string of 1 to 255 characters'],
    ['/__admin/api-keys', { org_id: 1, name: 'x', scopes: [] }, 400, 'scopes must be a non-empty array of: assets:read, assets:write, locations:read, locations:write, tracking:read, keys:admin'],
    ['/__admin/api-keys', { org_id: 1, name: 'x', scopes: ['assets:delete'] }, 400, 'unknown scope: assets:delete (known: assets:read, assets:write, locations:read, locations:write, tracking:read, keys:admin)'],
    ['/__admin/api-keys', { org_id: 1, name: 'x', scopes: ['assets:read'], expires_at: 'tomorrow' }, 400, 'expires_at must be an RFC 3339 timestamp or null'],
  ])('POST %s %j → %i', async (path, body, status, message) => {
    await adminError(await post(app, path, body), status, message);
  });

  it('PATCH /__admin/orgs/{id} switches the subscription', async () => {
    const res = await app.request('/__admin/orgs/2', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"subscription_active": false}' });
    expect(res.status).toBe(200);
    expect((await res.json()).subscription_active).toBe(false);
    await adminError(await app.request('/__admin/orgs/77', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"subscription_active": false}' }), 404, 'no org with id 77');
  });

  it('unknown admin route → 404 JSON', async () => {
    await adminError(await app.request('/__admin/nope'), 404, 'Unknown admin route: GET /__admin/nope');
  });
});

describe('control plane: clock', () => {
  it('GET/POST /__admin/clock: advance, set, freeze', async () => {
    const start = await (await app.request('/__admin/clock')).json();
    expect(start).toEqual({ now: expect.stringMatching(/Z$/), offset_seconds: 0, frozen: false });
    let s = await (await post(app, '/__admin/clock', { freeze: true })).json();
    expect(s.frozen).toBe(true);
    const frozenAt = s.now;
    s = await (await post(app, '/__admin/clock', { advance_seconds: 3600 })).json();
    expect(new Date(s.now).getTime() - new Date(frozenAt).getTime()).toBe(3_600_000);
    s = await (await post(app, '/__admin/clock', { set: '2030-01-01T00:00:00Z' })).json();
    expect(s).toMatchObject({ now: '2030-01-01T00:00:00.000Z', frozen: true });
    s = await (await post(app, '/__admin/clock', { freeze: false })).json();
    expect(s.frozen).toBe(false);
  });
  it.each([
    [{}, 'send exactly one of: advance_seconds, set, freeze, real'],
    [{ advance_seconds: 1, freeze: true }, 'send exactly one of: advance_seconds, set, freeze, real'],
    [{ advance_seconds: '10' }, 'advance_seconds must be a finite number'],
    [{ set: '2030-01-01' }, 'set must be an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z'],
    [{ freeze: 'yes' }, 'freeze must be true or false'],
    [{ rewind: 5 }, 'unknown field: rewind; send exactly one of: advance_seconds, set, freeze, real'],
  ])('bad clock body %j → 400', async (body, message) => {
    await adminError(await post(app, '/__admin/clock', body), 400, message);
  });
  it('the clock is the suite\'s: shared by every vendor of the suite', async () => {
    await post(app, '/__admin/clock', { advance_seconds: 120 });
    expect(suite.clock.state().offset_seconds).toBe(120);
  });
});

describe('control plane: reset', () => {
  it('POST /__admin/reset restores the seeded state (keys, revocations, orgs) in milliseconds', async () => {
    const org = await (await post(app, '/__admin/orgs', { name: 'Temp' })).json();
    await app.request(`/__admin/api-keys/${demo.full.client_id}`, { method: 'DELETE' });
    await expect401(await exchange(app, demo.full), 'Invalid client credentials');
    const res = await post(app, '/__admin/reset', '');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ reset: true, tenant: null });
    expect(body.ms).toBeLessThan(1000);
    expect((await exchange(app, demo.full)).status).toBe(200);
    const tenants = (await (await app.request('/__admin')).json()).tenants;
    expect(tenants.map((t: any) => t.id)).not.toContain(org.id);
  });

  it('reset keeps the seeded data identical (no re-generation) and refills rate limits', async () => {
    const t = await tokens(app);
    const before = await (await get(app, '/api/v1/assets?limit=200', t.access_token)).text();
    await post(app, '/__admin/reset', '');
    const t2 = await tokens(app);
    const after = await get(app, '/api/v1/assets?limit=200', t2.access_token);
    expect(await after.text()).toBe(before);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('119');
  });

  it('per-tenant reset {"tenant": 2} leaves other orgs alone', async () => {
    await app.request(`/__admin/api-keys/${demo.full.client_id}`, { method: 'DELETE' });
    await app.request(`/__admin/api-keys/${demo.globex.client_id}`, { method: 'DELETE' });
    const res = await post(app, '/__admin/reset', { tenant: 2 });
    expect(res.status).toBe(200);
    expect((await res.json()).tenant).toBe('2');
    expect((await exchange(app, demo.globex)).status).toBe(200);
    await expect401(await exchange(app, demo.full), 'Invalid client credentials');
  });

  it('per-tenant reset removes an org created after seeding; unknown tenant → 404', async () => {
    const org = await (await post(app, '/__admin/orgs', { name: 'Ephemeral' })).json();
    expect((await post(app, '/__admin/reset', { tenant: org.id })).status).toBe(200);
    expect((await (await app.request('/__admin')).json()).tenants.map((t: any) => t.id)).toEqual([1, 2]);
    await adminError(await post(app, '/__admin/reset', { tenant: 404 }), 404, 'unknown tenant: 404');
    await adminError(await post(app, '/__admin/reset', { tenant: true }), 400, 'tenant must be a string or a number');
  });
});
