import { afterAll, describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';

type App = ReturnType<Suite['app']>;

const admin = async (app: App, method: string, path: string, body?: unknown) => {
  const res = await app.request(`http://127.0.0.1:4000/__admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

const suites: Suite[] = [];
afterAll(() => suites.forEach((s) => s.close()));
const open = (vendor: string) => {
  const s = new Suite({ vendors: [vendor], seed: 42 });
  suites.push(s);
  return s.app(vendor);
};

async function sandbox(app: App, from?: string | number) {
  const r = await admin(app, 'POST', '/sandboxes', from === undefined ? undefined : { from });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { tenant: string; from: string; base_url: string; credentials: Record<string, any>; headers?: Record<string, string>; ms: number; created_at: string };
}

describe('sandboxes: the routes', () => {
  it('create (default and from), list, delete; refuse unknown tenants, demo tenants and bad bodies', async () => {
    const app = open('trakrf');
    const a = await sandbox(app);
    expect(a).toMatchObject({ from: '1', base_url: 'http://127.0.0.1:4000', created_at: expect.any(String) });
    const b = await sandbox(app, 2);
    expect(b.from).toBe('2');
    expect(a.tenant).not.toBe(b.tenant);
    expect((await admin(app, 'GET', '/sandboxes')).body).toEqual({
      sandboxes: [
        { tenant: a.tenant, from: '1', created_at: a.created_at },
        { tenant: b.tenant, from: '2', created_at: b.created_at },
      ],
    });
    // The new tenants are tenants like any other.
    const tenants = (await admin(app, 'GET', '')).body.tenants.map((t: { id: number }) => String(t.id));
    expect(tenants).toEqual(expect.arrayContaining([a.tenant, b.tenant]));

    expect(await admin(app, 'POST', '/sandboxes', { from: '999' })).toEqual({ status: 404, body: { error: 'unknown tenant: 999' } });
    expect(await admin(app, 'POST', '/sandboxes', { from: true })).toEqual({ status: 400, body: { error: 'from must be a tenant id (a string or a number)' } });
    expect(await admin(app, 'POST', '/sandboxes', { form: '1' })).toEqual({ status: 400, body: { error: 'unknown field: form' } });
    expect(await admin(app, 'DELETE', '/sandboxes/1')).toEqual({ status: 404, body: { error: 'not a sandbox: 1' } });

    expect(await admin(app, 'DELETE', `/sandboxes/${a.tenant}`)).toEqual({ status: 200, body: { deleted: true, tenant: a.tenant } });
    expect((await admin(app, 'GET', '/sandboxes')).body.sandboxes.map((s: { tenant: string }) => s.tenant)).toEqual([b.tenant]);
    expect(await admin(app, 'DELETE', `/sandboxes/${a.tenant}`)).toEqual({ status: 404, body: { error: `not a sandbox: ${a.tenant}` } });
    // A per-tenant reset of a sandbox removes it; a full reset removes them all.
    const c = await sandbox(app);
    expect((await admin(app, 'POST', '/reset', { tenant: c.tenant })).status).toBe(200);
    expect((await admin(app, 'GET', '/sandboxes')).body.sandboxes.map((s: { tenant: string }) => s.tenant)).toEqual([b.tenant]);
    await admin(app, 'POST', '/reset');
    expect((await admin(app, 'GET', '/sandboxes')).body).toEqual({ sandboxes: [] });
  });

  it('a snapshot carries its sandboxes', async () => {
    const app = open('trakrf');
    const a = await sandbox(app);
    await admin(app, 'POST', '/snapshots', { name: 's' });
    await admin(app, 'POST', '/reset');
    await admin(app, 'POST', '/snapshots/s/restore');
    expect((await admin(app, 'GET', '/sandboxes')).body.sandboxes.map((s: { tenant: string }) => s.tenant)).toEqual([a.tenant]);
  });
});

describe('TrakRF sandboxes', () => {
  const token = async (app: App, creds: { client_id: string; client_secret: string }) => {
    const r = await app.request('/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', ...creds }),
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { access_token: string }).access_token;
  };
  const call = async (app: App, t: string, method: string, path: string, body?: unknown) => {
    const r = await app.request(path, {
      method,
      headers: { Authorization: `Bearer ${t}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('copy the source org’s data under new ids; two sandboxes do not see each other’s writes', async () => {
    const app = open('trakrf');
    const a = await sandbox(app);
    const b = await sandbox(app);
    expect(a.ms).toBeGreaterThan(0);
    expect(a.credentials).toMatchObject({ client_id: expect.any(String), client_secret: expect.stringMatching(/^trakrf_[0-9a-f]{64}$/) });
    const ta = await token(app, a.credentials as any);
    const tb = await token(app, b.credentials as any);
    const demo = await token(app, { client_id: '0a28481b-0c38-4d39-b9c6-87394655e41c', client_secret: 'trakrf_9d1acbc7a7a2ca9a1ff91381b57783c0b94d08fd10221bbb2f7cdf90bf6e3485' });
    const list = async (t: string) => (await call(app, t, 'GET', '/api/v1/assets?limit=200')).body;
    const [la, lb, ld] = [await list(ta), await list(tb), await list(demo)];
    expect(la.total_count).toBe(ld.total_count);
    expect(la.data.map((x: any) => x.external_key).sort()).toEqual(ld.data.map((x: any) => x.external_key).sort());
    const demoIds = new Set(ld.data.map((x: any) => x.id));
    expect(la.data.some((x: any) => demoIds.has(x.id))).toBe(false);
    // Tags and history came along, pointing at the copies.
    const withTags = ld.data.find((x: any) => x.tags?.length);
    if (withTags) expect(la.data.find((x: any) => x.external_key === withTags.external_key).tags.map((t: any) => t.value)).toEqual(withTags.tags.map((t: any) => t.value));

    const created = await call(app, ta, 'POST', '/api/v1/assets', { name: 'only in sandbox A' });
    expect(created.status).toBe(201);
    expect((await list(ta)).total_count).toBe(la.total_count + 1);
    expect((await list(tb)).total_count).toBe(lb.total_count);
    expect((await list(demo)).total_count).toBe(ld.total_count);
    expect((await call(app, tb, 'GET', `/api/v1/assets/${created.body.data.id}`)).status).toBe(404);

    // Deleting A ends its credentials; B is untouched.
    await admin(app, 'DELETE', `/sandboxes/${a.tenant}`);
    expect((await call(app, ta, 'GET', '/api/v1/assets')).status).toBe(401);
    expect((await list(tb)).total_count).toBe(lb.total_count);
  });

  it('a sandbox’s clock is its own', async () => {
    const app = open('trakrf');
    const a = await sandbox(app);
    const b = await sandbox(app);
    const ta = await token(app, a.credentials as any);
    const tb = await token(app, b.credentials as any);
    await admin(app, 'POST', '/clock', { tenant: a.tenant, advance_seconds: 901 });
    expect((await call(app, ta, 'GET', '/api/v1/assets')).status).toBe(401);
    expect((await call(app, tb, 'GET', '/api/v1/assets')).status).toBe(200);
  });
});
