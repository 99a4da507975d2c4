import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem, makeSuite, user } from './helpers.js';

const { call, login, suite, app } = makeSuite();
afterAll(() => suite.close());
beforeEach(() => suite.reset());

describe('more auth and input rules', () => {
  it('the Bearer scheme is case-insensitive', async () => {
    const { token } = await login();
    expect((await call('GET', '/welds', { headers: { Authorization: `bearer ${token}` } })).status).toBe(200);
    expect((await call('GET', '/welds', { headers: { Authorization: `BEARER ${token}` } })).status).toBe(200);
  });

  it('an expired cookie token is 401 like a bearer one', async () => {
    const { cookies } = await login();
    suite.clock.advance(900);
    expectProblem(await call('GET', '/welds', { cookies }), 401, 'invalid-token', 'The access token has expired.');
    suite.clock.reset();
  });

  it('login field lengths are bounded (422)', async () => {
    expectProblem(await call('POST', '/auth/login', { body: { userName: 'a'.repeat(321), password: 'x' } }), 422, 'validation-failed', 'userName: must be at most 320 characters');
    expectProblem(await call('POST', '/auth/login', { body: { userName: 'a', password: 'x'.repeat(1025) } }), 422, 'validation-failed', 'password: must be at most 1024 characters');
  });

  it('the sign-in throttle is per tenant and cleared by reset', async () => {
    suite.clock.freeze(true); // ten scrypt checks take real time, which would refill the bucket a little
    const u = user('inspector');
    for (let i = 0; i < 10; i++) await call('POST', '/auth/login', { body: { userName: u.userName, password: 'wrong' } });
    expectProblem(await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } }), 429, 'too-many-requests');
    // Same user name on another tenant is a different bucket.
    expectProblem(await call('POST', '/auth/login', { tenant: 'globex', body: { userName: u.userName, password: 'x' } }), 401, 'invalid-credentials');
    await call('POST', '/__admin/reset', {});
    expect((await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } })).status).toBe(200);
  });

  it('Retry-After counts down on the suite clock', async () => {
    suite.clock.freeze(true);
    const u = user('welder');
    for (let i = 0; i < 10; i++) await call('POST', '/auth/login', { body: { userName: u.userName, password: 'wrong' } });
    expect((await call('POST', '/auth/login', { body: { userName: u.userName, password: 'wrong' } })).headers.get('retry-after')).toBe('6');
    suite.clock.advance(4);
    const r = await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } });
    const wait = Number(r.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(2);
    expect(wait).toBeLessThanOrEqual(3); // 2 s plus float rounding in the bucket
    expectProblem(r, 429, 'too-many-requests', `Too many sign-in attempts. Try again in ${wait} seconds.`);
    suite.clock.advance(wait);
    expect((await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } })).status).toBe(200);
    suite.clock.freeze(false);
    suite.clock.reset();
  });

  it('throttling can be switched off', async () => {
    const s = makeSuite({ loginAttemptsPerMinute: 0 });
    const u = user('inspector');
    for (let i = 0; i < 30; i++) expect((await s.call('POST', '/auth/login', { body: { userName: u.userName, password: 'x' } })).status).toBe(401);
    s.suite.close();
  });

  it('HEAD on GET routes gives the headers without a body', async () => {
    const { token } = await login();
    const r = await call('HEAD', '/welds', { token });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect((await call('HEAD', '/welds')).status).toBe(401);
  });

  it('a different CSRF cookie name is honoured', async () => {
    const s = makeSuite({ csrfCookie: 'XSRF-TOKEN', refreshCookiePath: '/' });
    const r = await s.login();
    expect(r.cookies['XSRF-TOKEN']).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers.getSetCookie().find((l) => l.startsWith('mtx_rt='))).toContain('Path=/;');
    const weld = (await s.call('GET', '/welds?status=PENDING&pageSize=1', { token: r.token })).json.items[0];
    const ok = await s.call('PATCH', `/welds/${weld.id}/status`, { cookies: r.cookies, headers: { 'X-CSRF-Token': r.cookies['XSRF-TOKEN'] }, body: { status: 'ACCEPTED' } });
    expect(ok.status).toBe(200);
    s.suite.close();
  });
});

describe('concurrent status changes', () => {
  it('of two racing inspectors exactly one wins, the other gets 409', async () => {
    const a = await login('inspector');
    const b = await login('admin');
    const weld = (await call('GET', '/welds?status=PENDING&pageSize=1', { token: a.token })).json.items[0];
    const [x, y] = await Promise.all([
      call('PATCH', `/welds/${weld.id}/status`, { token: a.token, body: { status: 'ACCEPTED' } }),
      call('PATCH', `/welds/${weld.id}/status`, { token: b.token, body: { status: 'REPAIR' } }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const after = (await call('GET', `/welds/${weld.id}`, { token: a.token })).json;
    expect(after.inspections).toHaveLength(1);
    expect(after.status).toBe((x.status === 200 ? x : y).json.status);
  });
});

describe('control plane garbage never gives a 5xx (property)', () => {
  it('holds for random bodies on the MaxTrax admin routes', async () => {
    const paths = fc.constantFrom('/__admin/tenants', '/__admin/users', '/__admin/generate', '/__admin/tenants/acme', '/__admin/tenants/%00');
    const bodies = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ name: fc.anything(), tenant: fc.anything(), userName: fc.anything(), password: fc.anything(), role: fc.anything() }, { requiredKeys: [] })
        .map((o) => JSON.stringify(o) ?? '{}'),
      fc.record({ tenant: fc.constantFrom('acme', 'zz', ''), isos: fc.oneof(fc.integer({ min: -5, max: 3 }), fc.double()), weldsPerIso: fc.integer({ min: -1, max: 3 }) })
        .map((o) => JSON.stringify(o) ?? '{}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'PATCH'), paths, bodies, async (method, path, body) => {
        const res = await app.request(path, { method, headers: { 'Content-Type': 'application/json' }, body });
        expect(res.status).toBeLessThan(500);
        const json = (await res.json()) as Record<string, unknown>;
        if (res.status >= 400) expect(typeof json.error).toBe('string');
      }),
      { numRuns: 150 },
    );
  });
});

describe('list totals stay exact across writes and resets', () => {
  it('status changes, bulk generation and per-tenant reset', async () => {
    const { token } = await login('admin');
    const pending = async () => (await call('GET', '/welds?status=PENDING', { token })).json.totalItems as number;
    const isos = async () => (await call('GET', '/isos', { token })).json.totalItems as number;
    const p0 = await pending();
    const i0 = await isos();
    const w = (await call('GET', '/welds?status=PENDING&pageSize=1', { token })).json.items[0];
    await call('PATCH', `/welds/${w.id}/status`, { token, body: { status: 'ACCEPTED' } });
    expect(await pending()).toBe(p0 - 1);
    await call('POST', '/__admin/generate', { body: { tenant: 'acme', isos: 2, weldsPerIso: 50 } });
    expect(await isos()).toBe(i0 + 2);
    expect(await pending()).toBeGreaterThan(p0 - 1);
    await call('POST', '/__admin/reset', { body: { tenant: 'acme' } });
    expect(await pending()).toBe(p0);
    expect(await isos()).toBe(i0);
    await call('PATCH', `/welds/${w.id}/status`, { token, body: { status: 'REPAIR' } });
    await call('POST', '/__admin/reset', {});
    expect(await pending()).toBe(p0);
  });
});
