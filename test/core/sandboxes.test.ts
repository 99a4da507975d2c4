import { afterAll, describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { adminCall } from '../support/admin.js';
import { vendorClient, type VendorClient } from '../support/vendor-client.js';

type App = ReturnType<Suite['app']>;

// Under the listener's URL: the control plane builds each sandbox's base_url from it.
const admin = (app: App, method: string, path: string, body?: unknown) => adminCall(app, method, path, body, { base: 'http://127.0.0.1:4000' });

const suites: Suite[] = [];
afterAll(() => suites.forEach((s) => s.close()));
/** The vendor's API client of each app `open` returned. */
const clients = new Map<App, VendorClient>();
const open = (vendor: string) => {
  const s = new Suite({ vendors: [vendor], seed: 42 });
  suites.push(s);
  clients.set(s.app(vendor), vendorClient(s, vendor));
  return s.app(vendor);
};
const api = (app: App): VendorClient => clients.get(app)!;

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
    const r = await api(app).call('POST', '/api/v1/oauth/token', { body: { grant_type: 'client_credentials', ...creds } });
    expect(r.status).toBe(200);
    return (r.body as { access_token: string }).access_token;
  };
  const call = (app: App, t: string, method: string, path: string, body?: unknown) => api(app).call(method, path, { headers: { Authorization: `Bearer ${t}` }, body });

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

describe('MaxTrax sandboxes', () => {
  type Sb = { headers?: Record<string, string>; credentials: Record<string, any> };
  const call = (app: App, sb: { headers?: Record<string, string> }, method: string, path: string, opts: { token?: string; body?: unknown } = {}) =>
    api(app).call(method, path, { headers: { ...sb.headers, ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}) }, body: opts.body });
  const login = async (app: App, sb: { headers?: Record<string, string> }, userName: string, password: string) => {
    const r = await call(app, sb, 'POST', '/auth/login', { body: { userName, password } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.accessToken as string;
  };
  const loginAs = (app: App, sb: Sb, role: string) => {
    const u = sb.credentials.users.find((x: { role: string }) => x.role === role);
    return login(app, sb, u.userName, u.password);
  };

  it('copy ISOs, welds and users (fresh passwords); two sandboxes do not see each other’s writes', async () => {
    const app = open('maxtrax');
    const a = await sandbox(app);
    const b = await sandbox(app, 'acme');
    expect(a.from).toBe('acme');
    expect(a.tenant).toMatch(/^sandbox-[0-9a-f]{8}$/);
    expect(a.base_url).toBe(`http://${a.tenant}.maxtrax.localhost:4000`);
    expect(a.headers).toEqual({ 'X-Forwarded-Host': `${a.tenant}.maxtrax.localhost` });
    expect(a.credentials.host).toBe(`${a.tenant}.maxtrax.localhost`);
    expect(a.credentials.users.map((u: { userName: string }) => u.userName)).toContain('irene.inspector@acme.example');
    // The demo password does not open the sandbox; the fresh one does.
    expect((await call(app, a, 'POST', '/auth/login', { body: { userName: 'irene.inspector@acme.example', password: 'Inspect-2026!' } })).status).toBe(401);
    const ta = await loginAs(app, a, 'inspector');
    const tb = await loginAs(app, b, 'inspector');
    const acme = { headers: { 'X-Forwarded-Host': 'acme.maxtrax.localhost' } };
    const td = await login(app, acme, 'irene.inspector@acme.example', 'Inspect-2026!');
    const isos = async (sb: { headers?: Record<string, string> }, token: string) => (await call(app, sb, 'GET', '/isos?pageSize=100', { token })).body;
    const [ia, ib, id] = [await isos(a, ta), await isos(b, tb), await isos(acme, td)];
    expect(ia.totalItems).toBe(id.totalItems);
    expect(ia.items.map((x: any) => x.isoNumber ?? x.iso_number).sort()).toEqual(id.items.map((x: any) => x.isoNumber ?? x.iso_number).sort());
    const demoIds = new Set(id.items.map((x: any) => x.id));
    expect(ia.items.some((x: any) => demoIds.has(x.id))).toBe(false);
    const [wa, wd] = [(await call(app, a, 'GET', '/welds?pageSize=1', { token: ta })).body, (await call(app, acme, 'GET', '/welds?pageSize=1', { token: td })).body];
    expect(wa.totalItems).toBe(wd.totalItems);
    // A token of sandbox A is refused by sandbox B.
    expect((await call(app, b, 'GET', '/isos', { token: ta })).status).toBe(401);
    // A write in A: B and the source do not see it.
    const counts = async () => Object.fromEntries(((await admin(app, 'GET', '')).body.tenants as Array<{ id: string; users: number }>).map((t) => [t.id, t.users]));
    const before = await counts();
    expect(before[a.tenant]).toBe(before.acme);
    const added = await admin(app, 'POST', '/users', { tenant: a.tenant, userName: 'extra@sandbox.example', password: 'pw-extra-123', role: 'welder', displayName: 'Extra' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const after = await counts();
    expect([after[a.tenant], after[b.tenant], after.acme]).toEqual([before[a.tenant] + 1, before[b.tenant], before.acme]);
    expect(ib.totalItems).toBe(id.totalItems);
    // Deleted: its host names no tenant any more.
    await admin(app, 'DELETE', `/sandboxes/${a.tenant}`);
    expect((await call(app, a, 'GET', '/isos', { token: ta })).status).toBe(404);
    expect((await call(app, b, 'GET', '/isos', { token: tb })).status).toBe(200);
  });
});

describe('MACHHUB sandboxes', () => {
  const call = (app: App, domain: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown } = {}) =>
    api(app).call(method, path, { headers: { Domain: domain, ...opts.headers }, body: opts.body });

  it('copy a domain’s collections (links rewritten), historian and groups; fresh user and API key; isolated', async () => {
    const app = open('machhub');
    const a = await sandbox(app);
    const b = await sandbox(app, 'acme');
    expect(a.from).toBe('domains:acme');
    expect(a.tenant).toMatch(/^domains:sandbox_[0-9a-f]{8}$/);
    expect(a.headers).toEqual({ Domain: a.tenant });
    expect(a.credentials).toMatchObject({ domain: a.tenant, username: expect.any(String), password: expect.any(String), api_key: expect.stringMatching(/^mchx_/) });
    const key = { 'X-Machhub-Api-Key': a.credentials.api_key };
    const count = async (domain: string, headers: Record<string, string> = {}) => (await call(app, domain, 'GET', '/machhub/orders/count', { headers })).body;
    expect(await count(a.tenant, key)).toEqual(await count('domains:acme'));
    // Links point at the sandbox's own tables.
    const name = a.tenant.slice('domains:'.length);
    const list = await call(app, a.tenant, 'GET', '/machhub/orders/all', { headers: key });
    expect(list.status).toBe(200);
    const records = Array.isArray(list.body) ? list.body : list.body.items ?? list.body.records ?? list.body.data;
    expect(records[0].id.Table).toBe(`${name}.orders`);
    const linked = JSON.stringify(records).match(/"Table":"([^"]+)\.items"/);
    if (linked) expect(linked[1]).toBe(name);

    // The fresh user logs in to its domain.
    const login = await call(app, a.tenant, 'POST', '/machhub/auth/login', { body: { username: a.credentials.username, password: a.credentials.password } });
    expect(login.status).toBe(200);

    const before = [await count(a.tenant, key), await count(b.tenant), await count('domains:acme')];
    expect((await call(app, a.tenant, 'POST', '/machhub/orders', { headers: key, body: { note: 'only in A' } })).status).toBe(200);
    expect(await count(a.tenant, key)).toEqual({ count: before[0].count + 1 });
    expect(await count(b.tenant)).toEqual(before[1]);
    expect(await count('domains:acme')).toEqual(before[2]);

    // Deleted: the domain, its user and its key are gone.
    expect((await admin(app, 'DELETE', `/sandboxes/${a.tenant}`)).status).toBe(200);
    expect((await call(app, a.tenant, 'GET', '/machhub/orders/count')).status).toBe(400);
    const relogin = await call(app, 'domains:acme', 'POST', '/machhub/auth/login', { body: { username: a.credentials.username, password: a.credentials.password } });
    expect(relogin.status).toBe(401);
    expect(await count(b.tenant)).toEqual(before[1]);
  });
});

describe('MaintainX sandboxes', () => {
  const call = (app: App, key: string, method: string, path: string, body?: unknown) => api(app).call(method, path, { headers: { Authorization: `Bearer ${key}` }, body });
  const all = async (app: App, key: string, path: string, field: string) => {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(app, key, 'GET', `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      out.push(...r.body[field]);
      cursor = r.body.nextCursor ?? null;
    } while (cursor);
    return out;
  };

  it('copy an organization’s records with their references remapped; fresh API key; isolated', async () => {
    const app = open('maintainx');
    const a = await sandbox(app);
    const b = await sandbox(app, 1);
    expect(a.from).toBe('1');
    expect(a.base_url).toBe('http://127.0.0.1:4000/v1');
    expect(a.credentials).toMatchObject({ api_key: expect.stringMatching(/^mx_/), organization_id: Number(a.tenant) });
    const ka = a.credentials.api_key as string;
    const kb = b.credentials.api_key as string;
    const demo = 'mx_demo_acme_admin_4f1c2b7e9a0d';
    const [wa, wd] = [await all(app, ka, '/v1/workorders', 'workOrders'), await all(app, demo, '/v1/workorders', 'workOrders')];
    expect(wa.length).toBe(wd.length);
    expect(wa.map((w) => w.title).sort()).toEqual(wd.map((w) => w.title).sort());
    const demoIds = new Set(wd.map((w) => w.id));
    expect(wa.some((w) => demoIds.has(w.id))).toBe(false);
    expect(wa.every((w) => w.organizationId === undefined || w.organizationId === Number(a.tenant))).toBe(true);
    // References point at the sandbox's own records.
    const withAsset = wa.find((w) => w.assetId);
    expect(withAsset).toBeDefined();
    expect((await call(app, ka, 'GET', `/v1/assets/${withAsset.assetId}`)).status).toBe(200);
    expect((await call(app, demo, 'GET', `/v1/assets/${withAsset.assetId}`)).status).toBe(404);

    const created = await call(app, ka, 'POST', '/v1/workorders', { title: 'only in A' });
    expect(created.status).toBe(200);
    expect((await all(app, ka, '/v1/workorders', 'workOrders')).length).toBe(wa.length + 1);
    expect((await all(app, kb, '/v1/workorders', 'workOrders')).length).toBe(wd.length);
    expect((await all(app, demo, '/v1/workorders', 'workOrders')).length).toBe(wd.length);
    expect((await call(app, kb, 'GET', `/v1/workorders/${created.body.id}`)).status).toBe(404);

    expect((await admin(app, 'DELETE', `/sandboxes/${a.tenant}`)).status).toBe(200);
    expect((await call(app, ka, 'GET', '/v1/workorders')).status).toBe(401);
    expect((await all(app, kb, '/v1/workorders', 'workOrders')).length).toBe(wd.length);
  });
});

describe('sandbox creation time at demo size', () => {
  for (const vendor of ['trakrf', 'maxtrax', 'machhub', 'maintainx']) {
    it(vendor, async () => {
      const app = open(vendor);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push((await sandbox(app)).ms);
      times.sort((x, y) => x - y);
      // The issue's budget is 20 ms (see the bench figures); the bound here leaves room for a loaded CI machine.
      expect(times[1], `${vendor}: ${times.join(', ')} ms`).toBeLessThanOrEqual(500);
    });
  }
});

describe('deleting a sandbox leaves nothing behind', () => {
  const rows = (suite: Suite, vendor: string) => {
    const db = suite.instance(vendor).ctx.handle.db;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'vendor_fakes_sandboxes')").pluck().all() as string[];
    return { tables: tables.length, rows: tables.reduce((n, t) => n + (db.prepare(`SELECT COUNT(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number), 0) };
  };
  for (const vendor of ['trakrf', 'maxtrax', 'machhub', 'maintainx']) {
    it(vendor, async () => {
      const suite = new Suite({ vendors: [vendor], seed: 42 });
      suites.push(suite);
      const app = suite.app(vendor);
      const before = rows(suite, vendor);
      const a = await sandbox(app);
      expect(rows(suite, vendor).rows).toBeGreaterThan(before.rows);
      expect((await admin(app, 'DELETE', `/sandboxes/${a.tenant}`)).status).toBe(200);
      expect(rows(suite, vendor)).toEqual(before);
    });
  }
});
