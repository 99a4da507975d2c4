import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem, makeSuite, user } from './helpers.js';

const { call, login, suite, app } = makeSuite();
afterAll(() => suite.close());
beforeEach(() => suite.reset());

describe('tenancy by Host', () => {
  it('the first label of *.maxtrax.localhost and *.maxtrax.io picks the tenant', async () => {
    for (const host of ['globex.maxtrax.localhost:4100', 'globex.maxtrax.io', 'GLOBEX.MaxTrax.IO.', 'globex.maxtrax.io:443']) {
      const { token } = await login('inspector', 'globex');
      const r = await call('GET', '/welds', { host, token });
      expect(r.status, host).toBe(200);
      expect(r.json.totalItems).toBe(24);
    }
  });

  it('the tenant also comes from the request URL when there is no Host header', async () => {
    const u = user('inspector', 'globex');
    const res = await app.request('http://globex.maxtrax.localhost/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userName: u.userName, password: u.password }),
    });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as { accessToken: string };
    const welds = await app.request('http://globex.maxtrax.localhost/welds', { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(((await welds.json()) as { totalItems: number }).totalItems).toBe(24);
  });

  it('any other host gets the default tenant (acme)', async () => {
    const { token } = await login('inspector', 'acme');
    for (const host of ['localhost:4100', '127.0.0.1:4100', '[::1]:4100', 'maxtrax.io', 'example.com']) {
      const r = await call('GET', '/welds', { host, token });
      expect(r.status, host).toBe(200);
      expect(r.json.totalItems).toBe(120);
    }
  });

  it('the default tenant is configurable', async () => {
    const s = makeSuite({ defaultTenant: 'globex' });
    expect((await s.call('GET', '/health/live', { host: 'localhost' })).status).toBe(200);
    const u = user('inspector', 'globex');
    expect((await s.call('POST', '/auth/login', { host: 'localhost', body: { userName: u.userName, password: u.password } })).status).toBe(200);
    const missing = makeSuite({ defaultTenant: 'nobody' });
    expectProblem(await missing.call('GET', '/health/live', { host: 'localhost:4100' }), 404, 'tenant-not-found', 'No MaxTrax tenant is served at localhost:4100.');
    s.suite.close();
    missing.suite.close();
  });

  it('unknown tenants and invalid labels are 404 problems on every path, health included', async () => {
    expectProblem(await call('GET', '/health/live', { tenant: 'initech' }), 404, 'tenant-not-found', 'No MaxTrax tenant is served at initech.maxtrax.localhost:4100.');
    expectProblem(await call('POST', '/auth/login', { tenant: 'initech', body: { userName: 'a', password: 'b' } }), 404, 'tenant-not-found');
    expectProblem(await call('GET', '/welds', { host: '-bad-.maxtrax.io' }), 404, 'tenant-not-found');
    expectProblem(await call('GET', '/welds', { host: '.maxtrax.io' }), 404, 'tenant-not-found');
  });

  it('tokens never cross tenants', async () => {
    const acme = await login('admin', 'acme');
    const r = await call('GET', '/welds', { tenant: 'globex', token: acme.token });
    expectProblem(r, 401, 'invalid-token', 'The access token was not issued for this tenant.');
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expectProblem(await call('GET', '/welds', { tenant: 'globex', cookies: acme.cookies }), 401, 'invalid-token', 'The access token was not issued for this tenant.');
    // A refresh token of acme is unknown on globex, and presenting it there does not burn it.
    expectProblem(await call('POST', '/auth/refresh', { tenant: 'globex', body: { refreshToken: acme.refresh } }), 401, 'invalid-refresh-token', 'The refresh token is invalid.');
    await call('POST', '/auth/logout', { tenant: 'globex', body: { refreshToken: acme.refresh } });
    expect((await call('POST', '/auth/refresh', { tenant: 'acme', body: { refreshToken: acme.refresh } })).status).toBe(200);
  });

  it('credentials of one tenant do not sign in on another', async () => {
    const u = user('inspector', 'acme');
    expectProblem(await call('POST', '/auth/login', { tenant: 'globex', body: { userName: u.userName, password: u.password } }), 401, 'invalid-credentials');
  });

  it('data never crosses tenants: a globex weld id is 404 on acme', async () => {
    const g = await login('inspector', 'globex');
    const gw = (await call('GET', '/welds?pageSize=1', { tenant: 'globex', token: g.token })).json.items[0];
    const a = await login('inspector', 'acme');
    expectProblem(await call('GET', `/welds/${gw.id}`, { token: a.token }), 404, 'not-found', `Weld ${gw.id} was not found.`);
    expectProblem(await call('PATCH', `/welds/${gw.id}/status`, { token: a.token, body: { status: 'ACCEPTED' } }), 404, 'not-found');
    expectProblem(await call('GET', `/isos/${gw.isoId}`, { token: a.token }), 404, 'not-found', `ISO ${gw.isoId} was not found.`);
  });
});

describe('health', () => {
  it('live and ready need no auth', async () => {
    expect((await call('GET', '/health/live')).json).toEqual({ status: 'UP' });
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'UP' });
    expect((await call('HEAD', '/health/live')).status).toBe(200);
  });

  it('ready is 503 while the tenant store is not ready; only that tenant', async () => {
    const off = await call('PATCH', '/__admin/tenants/acme', { body: { ready: false } });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ id: 'acme', ready: false });
    const r = await call('GET', '/health/ready');
    expectProblem(r, 503, 'not-ready', 'The store of tenant acme is not ready.');
    expect(r.headers.get('retry-after')).toBe('5');
    expect((await call('GET', '/health/live')).status).toBe(200);
    expect((await call('GET', '/health/ready', { tenant: 'globex' })).status).toBe(200);
    await call('PATCH', '/__admin/tenants/acme', { body: { ready: true } });
    expect((await call('GET', '/health/ready')).status).toBe(200);
  });
});

describe('control plane', () => {
  it('answers on any Host, including unknown tenants', async () => {
    for (const host of ['initech.maxtrax.io', 'localhost', 'acme.maxtrax.localhost:4100']) {
      const r = await call('GET', '/__admin', { host });
      expect(r.status).toBe(200);
      expect(r.json.vendor).toBe('maxtrax');
      expect(r.json.tenants.map((t: { id: string }) => t.id)).toEqual(['acme', 'globex']);
    }
  });

  it('POST /__admin/tenants then /__admin/users makes a working tenant', async () => {
    const t = await call('POST', '/__admin/tenants', { host: 'localhost', body: { name: 'initech' } });
    expect(t.status).toBe(201);
    expect(t.json).toEqual({ id: 'initech', name: 'initech', origin: 'https://initech.maxtrax.io', ready: true, users: 0, isos: 0, welds: 0 });
    expect((await call('GET', '/health/live', { tenant: 'initech' })).status).toBe(200);
    const u = await call('POST', '/__admin/users', { body: { tenant: 'initech', userName: 'milton', password: 'stapler', role: 'welder' } });
    expect(u.status).toBe(201);
    expect(u.json).toMatchObject({ tenant: 'initech', userName: 'milton', role: 'welder', displayName: 'milton', id: expect.any(String) });
    const login = await call('POST', '/auth/login', { tenant: 'initech', body: { userName: 'milton', password: 'stapler' } });
    expect(login.status).toBe(200);
    const welds = await call('GET', '/welds', { tenant: 'initech', token: login.json.accessToken });
    expect(welds.json).toEqual({ items: [], page: 1, pageSize: 50, totalItems: 0, totalPages: 0 });
  });

  it('control-plane validation', async () => {
    const bad = async (path: string, body: unknown, status: number, error: string) => {
      const r = await call('POST', path, { body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json).toEqual({ error });
    };
    await bad('/__admin/tenants', {}, 400, 'name must be a non-empty string');
    await bad('/__admin/tenants', { name: 'Bad_Name' }, 400, 'name must be one DNS label: lowercase letters, digits and inner hyphens, at most 63 characters');
    await bad('/__admin/tenants', { name: 'acme' }, 409, 'tenant already exists: acme');
    await bad('/__admin/tenants', { name: 'x', extra: 1 }, 400, 'unknown field: extra');
    await bad('/__admin/users', { tenant: 'acme', userName: 'a', password: 'b', role: 'boss' }, 400, 'role must be one of: inspector, ndt_technician, welder, admin');
    await bad('/__admin/users', { tenant: 'nope', userName: 'a', password: 'b', role: 'admin' }, 404, 'unknown tenant: nope');
    await bad('/__admin/users', { tenant: 'acme', userName: user('admin').userName.toUpperCase(), password: 'b', role: 'admin' }, 409,
      `user already exists in acme: ${user('admin').userName.toUpperCase()}`);
    await bad('/__admin/users', { tenant: 'acme', password: 'b', role: 'admin' }, 400, 'userName must be a non-empty string');
    await bad('/__admin/generate', { tenant: 'acme', isos: 0, weldsPerIso: 1 }, 400, 'isos must be an integer from 1 to 10000');
    const r = await call('PATCH', '/__admin/tenants/nope', { body: { ready: false } });
    expect(r.status).toBe(404);
  });

  it('every role can be created', async () => {
    for (const role of ['inspector', 'ndt_technician', 'welder', 'admin']) {
      const r = await call('POST', '/__admin/users', { body: { tenant: 'globex', userName: `new-${role}`, password: 'pw', role } });
      expect(r.status).toBe(201);
      expect((await call('POST', '/auth/login', { tenant: 'globex', body: { userName: `new-${role}`, password: 'pw' } })).status).toBe(200);
    }
  });

  it('per-tenant reset restores one tenant and leaves the other alone', async () => {
    const a = await login('inspector', 'acme');
    const g = await login('inspector', 'globex');
    const aw = (await call('GET', '/welds?status=PENDING&pageSize=1', { token: a.token })).json.items[0];
    const gw = (await call('GET', '/welds?status=PENDING&pageSize=1', { tenant: 'globex', token: g.token })).json.items[0];
    await call('PATCH', `/welds/${aw.id}/status`, { token: a.token, body: { status: 'ACCEPTED' } });
    await call('PATCH', `/welds/${gw.id}/status`, { tenant: 'globex', token: g.token, body: { status: 'ACCEPTED' } });
    const r = await call('POST', '/__admin/reset', { body: { tenant: 'acme' } });
    expect(r.status).toBe(200);
    expect((await call('GET', `/welds/${aw.id}`, { token: a.token })).json.status).toBe('PENDING');
    expect((await call('GET', `/welds/${gw.id}`, { tenant: 'globex', token: g.token })).json.status).toBe('ACCEPTED');
    // Sessions of the reset tenant are gone, the other tenant's survive.
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: a.refresh } })).status).toBe(401);
    expect((await call('POST', '/auth/refresh', { tenant: 'globex', body: { refreshToken: g.refresh } })).status).toBe(200);
    // A tenant created at run time is removed by its reset; an unknown one is 404.
    await call('POST', '/__admin/tenants', { body: { name: 'initech' } });
    expect((await call('POST', '/__admin/reset', { body: { tenant: 'initech' } })).status).toBe(200);
    expectProblem(await call('GET', '/health/live', { tenant: 'initech' }), 404, 'tenant-not-found');
    expect((await call('POST', '/__admin/reset', { body: { tenant: 'initech' } })).status).toBe(404);
  });

  it('bulk generate adds ISOs and welds to one tenant', async () => {
    const r = await call('POST', '/__admin/generate', { body: { tenant: 'globex', isos: 5, weldsPerIso: 3 } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ tenant: 'globex', isos: 5, welds: 15 });
    const g = await login('admin', 'globex');
    expect((await call('GET', '/welds', { tenant: 'globex', token: g.token })).json.totalItems).toBe(39);
  });
});

describe('demo data', () => {
  it('the same seed gives the same data', async () => {
    const other = makeSuite();
    const a = await login('admin');
    const b = await other.login('admin');
    const x = await call('GET', '/welds?pageSize=200', { token: a.token });
    const y = await other.call('GET', '/welds?pageSize=200', { token: b.token });
    expect(x.json).toEqual(y.json);
    other.suite.close();
  });

  it('has welds in every status and users of every role', async () => {
    const { token } = await login('admin');
    for (const status of ['PENDING', 'ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED']) {
      expect((await call('GET', `/welds?status=${status}`, { token })).json.totalItems, status).toBeGreaterThan(0);
    }
    for (const role of ['inspector', 'ndt_technician', 'welder', 'admin']) expect((await login(role)).status).toBe(200);
  });
});
