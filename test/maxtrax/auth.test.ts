import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cookiesOf, expectProblem, makeSuite, setCookieLine, user } from './helpers.js';

const t = makeSuite();
const { call, login, suite } = t;
afterAll(() => suite.close());
beforeEach(() => {
  suite.reset();
  suite.clock.reset();
});

describe('the getting-started curl flow', () => {
  it('health, login, bearer GET /welds', async () => {
    const health = await call('GET', '/health/live');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'UP' });

    const u = user('inspector');
    const r = await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.json)).toEqual(['accessToken', 'refreshToken', 'tokenType', 'expiresIn']);
    expect(r.json.tokenType).toBe('Bearer');
    expect(r.json.expiresIn).toBe(900);
    expect(r.json.accessToken.split('.')).toHaveLength(3);
    expect(r.json.refreshToken).toMatch(/^[0-9a-f]{64}$/);

    const welds = await call('GET', '/welds', { token: r.json.accessToken });
    expect(welds.status).toBe(200);
    expect(welds.json.items.length).toBeGreaterThan(0);
    expect(welds.json.totalItems).toBe(120);
  });

  it('the access JWT carries the tenant origin, subject, role and a 15-minute lifetime', async () => {
    const { token } = await login('welder');
    const [h, p] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    expect(h).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(p).toMatchObject({ iss: 'https://acme.maxtrax.io', aud: 'https://acme.maxtrax.io', tid: 'acme', role: 'welder', userName: user('welder').userName });
    expect(p.exp - p.iat).toBe(900);
  });

  it('user names are case-insensitive, passwords are not', async () => {
    const u = user('admin');
    expect((await call('POST', '/auth/login', { body: { userName: u.userName.toUpperCase(), password: u.password } })).status).toBe(200);
    const bad = await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password.toUpperCase() } });
    expectProblem(bad, 401, 'invalid-credentials', 'The user name or password is incorrect.');
  });
});

describe('login input', () => {
  it('unknown user and wrong password give the same 401', async () => {
    const a = await call('POST', '/auth/login', { body: { userName: 'nobody', password: 'x' } });
    const b = await call('POST', '/auth/login', { body: { userName: user('inspector').userName, password: 'wrong' } });
    expectProblem(a, 401, 'invalid-credentials');
    expect(b.json.detail).toBe(a.json.detail);
    expect(a.headers.getSetCookie()).toEqual([]);
  });

  it('missing or mistyped fields are 422 naming the field', async () => {
    const a = await call('POST', '/auth/login', { body: { password: 'x' } });
    expectProblem(a, 422, 'validation-failed', 'userName: is required and must be a non-empty string');
    expect(a.json.errors).toEqual([{ field: 'userName', message: 'is required and must be a non-empty string' }]);
    const b = await call('POST', '/auth/login', { body: { userName: 'a', password: 5 } });
    expectProblem(b, 422, 'validation-failed', 'password: is required and must be a non-empty string');
    const c = await call('POST', '/auth/login', { body: { username: 'a', password: 'b' } });
    expectProblem(c, 422, 'validation-failed', 'Unknown field: username.');
  });

  it('malformed JSON, empty body, non-object, wrong content type', async () => {
    expectProblem(await call('POST', '/auth/login', { raw: '{"userName":', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-request', /^The request body is not valid JSON: /);
    expectProblem(await call('POST', '/auth/login', { headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-request', 'The request body must be a JSON object.');
    expectProblem(await call('POST', '/auth/login', { raw: '[1]', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-request', 'The request body must be a JSON object.');
    expectProblem(await call('POST', '/auth/login', { raw: 'userName=a&password=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported-media-type', 'Content-Type must be application/json, not application/x-www-form-urlencoded.');
    expectProblem(await call('POST', '/auth/login', { raw: '{}' }), 415, 'unsupported-media-type', 'Content-Type must be application/json, not text/plain.');
    const u = user('inspector');
    const ok = await call('POST', '/auth/login', { raw: JSON.stringify({ userName: u.userName, password: u.password }), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(ok.status).toBe(200);
  });

  it('failed sign-ins are throttled per user name: 429 with Retry-After', async () => {
    // Frozen: ten scrypt checks take real time, which would refill the bucket a little.
    suite.clock.freeze(true);
    const u = user('inspector');
    for (let i = 0; i < 10; i++) expect((await call('POST', '/auth/login', { body: { userName: u.userName, password: 'wrong' } })).status).toBe(401);
    const r = await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } });
    expectProblem(r, 429, 'too-many-requests', 'Too many sign-in attempts. Try again in 6 seconds.');
    expect(r.headers.get('retry-after')).toBe('6');
    // Another user is not affected; time heals.
    expect((await login('admin')).status).toBe(200);
    suite.clock.advance(6);
    expect((await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } })).status).toBe(200);
  });
});

describe('access-token expiry on the suite clock', () => {
  it('a token works for 15 minutes, then 401 with WWW-Authenticate', async () => {
    // Frozen on a whole second: exp is whole seconds, so real milliseconds passing must not decide the outcome.
    suite.clock.freeze(true);
    suite.clock.set(new Date(Math.ceil(suite.clock.nowMs() / 1000) * 1000));
    const { token } = await login();
    suite.clock.advance(899);
    expect((await call('GET', '/welds', { token })).status).toBe(200);
    suite.clock.advance(1);
    const r = await call('GET', '/welds', { token });
    expectProblem(r, 401, 'invalid-token', 'The access token has expired.');
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="maxtrax", error="invalid_token", error_description="The access token has expired"');
  });

  it('through the control plane clock too', async () => {
    const { token } = await login();
    const adv = await call('POST', '/__admin/clock', { body: { advance_seconds: 901 } });
    expect(adv.status).toBe(200);
    expectProblem(await call('GET', '/isos', { token }), 401, 'invalid-token', 'The access token has expired.');
  });

  it('the lifetime is configurable', async () => {
    const s = makeSuite({ accessTtlSeconds: 60 });
    const r = await s.login();
    expect(r.json.expiresIn).toBe(60);
    expect(setCookieLine(r.headers, 'mtx_at')).toContain('Max-Age=60');
    s.suite.clock.advance(60);
    expect((await s.call('GET', '/welds', { token: r.token })).status).toBe(401);
    s.suite.close();
  });
});

describe('refresh rotation', () => {
  it('rotates: new tokens, the old refresh token is single use', async () => {
    const { refresh } = await login();
    const r1 = await call('POST', '/auth/refresh', { body: { refreshToken: refresh } });
    expect(r1.status).toBe(200);
    expect(r1.json.refreshToken).not.toBe(refresh);
    expect(r1.json.tokenType).toBe('Bearer');
    expect((await call('GET', '/welds', { token: r1.json.accessToken })).status).toBe(200);
    const r2 = await call('POST', '/auth/refresh', { body: { refreshToken: r1.json.refreshToken } });
    expect(r2.status).toBe(200);
  });

  it('replaying a used refresh token revokes the whole chain', async () => {
    const { refresh } = await login();
    const r1 = await call('POST', '/auth/refresh', { body: { refreshToken: refresh } });
    const replay = await call('POST', '/auth/refresh', { body: { refreshToken: refresh } });
    expectProblem(replay, 401, 'invalid-refresh-token', 'The refresh token has already been used; the session it belongs to has been revoked.');
    const successor = await call('POST', '/auth/refresh', { body: { refreshToken: r1.json.refreshToken } });
    expectProblem(successor, 401, 'invalid-refresh-token', 'The refresh token has been revoked.');
  });

  it('other sessions of the same user survive a replay', async () => {
    const a = await login();
    const b = await login();
    await call('POST', '/auth/refresh', { body: { refreshToken: a.refresh } });
    await call('POST', '/auth/refresh', { body: { refreshToken: a.refresh } });
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: b.refresh } })).status).toBe(200);
  });

  it('unknown, garbage, missing and expired refresh tokens', async () => {
    expectProblem(await call('POST', '/auth/refresh', { body: { refreshToken: 'f'.repeat(64) } }), 401, 'invalid-refresh-token', 'The refresh token is invalid.');
    expectProblem(await call('POST', '/auth/refresh', { body: { refreshToken: '\u0000☃' } }), 401, 'invalid-refresh-token');
    expectProblem(await call('POST', '/auth/refresh'), 401, 'invalid-refresh-token', 'No refresh token: send {"refreshToken": "..."} or the mtx_rt cookie.');
    expectProblem(await call('POST', '/auth/refresh', { body: {} }), 401, 'invalid-refresh-token');
    expectProblem(await call('POST', '/auth/refresh', { body: { refreshToken: 42 } }), 422, 'validation-failed', 'refreshToken: must be a non-empty string');
    const { refresh } = await login();
    suite.clock.advance(14 * 86_400);
    expectProblem(await call('POST', '/auth/refresh', { body: { refreshToken: refresh } }), 401, 'invalid-refresh-token', 'The refresh token has expired.');
  });

  it('refresh works after the access token expired', async () => {
    const { refresh } = await login();
    suite.clock.advance(3600);
    const r = await call('POST', '/auth/refresh', { body: { refreshToken: refresh } });
    expect(r.status).toBe(200);
    expect((await call('GET', '/welds', { token: r.json.accessToken })).status).toBe(200);
  });

  it('snake_case token fields when configured', async () => {
    const s = makeSuite({ tokenFieldCase: 'snake' });
    const u = user('inspector');
    const r = await s.call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } });
    expect(Object.keys(r.json)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    const r2 = await s.call('POST', '/auth/refresh', { body: { refresh_token: r.json.refresh_token } });
    expect(r2.status).toBe(200);
    expect(r2.json.token_type).toBe('Bearer');
    s.suite.close();
  });
});

describe('cookie mode', () => {
  it('login sets mtx_at, mtx_rt (HttpOnly, Secure, SameSite=Strict) and a readable CSRF cookie', async () => {
    const r = await login();
    expect(setCookieLine(r.headers, 'mtx_at')).toBe(`mtx_at=${r.token}; Max-Age=900; Path=/; HttpOnly; Secure; SameSite=Strict`);
    expect(setCookieLine(r.headers, 'mtx_rt')).toBe(`mtx_rt=${r.refresh}; Max-Age=1209600; Path=/auth; HttpOnly; Secure; SameSite=Strict`);
    const csrf = setCookieLine(r.headers, 'mtx_csrf')!;
    expect(csrf).toMatch(/^mtx_csrf=[0-9a-f]{32}; Max-Age=1209600; Path=\/; Secure; SameSite=Strict$/);
    expect(csrf).not.toContain('HttpOnly');
  });

  it('reads with the cookie alone; no CSRF needed for GET', async () => {
    const { cookies } = await login();
    const r = await call('GET', '/welds', { cookies: { mtx_at: cookies.mtx_at } });
    expect(r.status).toBe(200);
  });

  it('unsafe methods need X-CSRF-Token equal to the CSRF cookie', async () => {
    const { cookies } = await login();
    const weld = (await call('GET', '/welds?status=PENDING&pageSize=1', { cookies })).json.items[0];
    const path = `/welds/${weld.id}/status`;
    const body = { status: 'ACCEPTED' };
    expectProblem(await call('PATCH', path, { cookies, body }), 403, 'csrf-token-mismatch',
      'Cookie-authenticated requests that change state must send the X-CSRF-Token header.');
    expectProblem(await call('PATCH', path, { cookies, body, headers: { 'X-CSRF-Token': 'nope' } }), 403, 'csrf-token-mismatch',
      'The X-CSRF-Token header does not match the CSRF cookie.');
    expectProblem(await call('PATCH', path, { cookies: { mtx_at: cookies.mtx_at }, body, headers: { 'X-CSRF-Token': cookies.mtx_csrf } }), 403, 'csrf-token-mismatch',
      'The X-CSRF-Token header does not match the CSRF cookie.');
    // Nothing changed.
    expect((await call('GET', `/welds/${weld.id}`, { cookies })).json.status).toBe('PENDING');
    const ok = await call('PATCH', path, { cookies, body, headers: { 'X-CSRF-Token': cookies.mtx_csrf } });
    expect(ok.status).toBe(200);
    expect(ok.json.status).toBe('ACCEPTED');
  });

  it('bearer requests never need the CSRF header, even with cookies present', async () => {
    const { cookies, token } = await login();
    const weld = (await call('GET', '/welds?status=PENDING&pageSize=1', { token })).json.items[0];
    const r = await call('PATCH', `/welds/${weld.id}/status`, { token, cookies, body: { status: 'REPAIR' } });
    expect(r.status).toBe(200);
  });

  it('the Authorization header wins over the cookie', async () => {
    const { cookies } = await login();
    const r = await call('GET', '/welds', { token: 'garbage', cookies });
    expectProblem(r, 401, 'invalid-token', 'The access token is invalid.');
    const welder = await login('welder');
    const mine = await call('GET', '/welds', { token: welder.token, cookies });
    expect(mine.json.items.every((w: { welderId: string }) => w.welderId === mine.json.items[0].welderId)).toBe(true);
  });

  it('refresh from the mtx_rt cookie needs CSRF and rotates the cookies', async () => {
    const { cookies } = await login();
    expectProblem(await call('POST', '/auth/refresh', { cookies }), 403, 'csrf-token-mismatch');
    const r = await call('POST', '/auth/refresh', { cookies, headers: { 'X-CSRF-Token': cookies.mtx_csrf } });
    expect(r.status).toBe(200);
    const next = cookiesOf(r.headers);
    expect(next.mtx_rt).toBe(r.json.refreshToken);
    expect(next.mtx_rt).not.toBe(cookies.mtx_rt);
    expect(next.mtx_csrf).toMatch(/^[0-9a-f]{32}$/);
    expect(next.mtx_csrf).not.toBe(cookies.mtx_csrf);
    // The old cookie is now a replay.
    expectProblem(await call('POST', '/auth/refresh', { cookies, headers: { 'X-CSRF-Token': cookies.mtx_csrf } }), 401, 'invalid-refresh-token');
  });

  it('a refresh token in the body wins over the cookie and needs no CSRF', async () => {
    const a = await login();
    const b = await login();
    const r = await call('POST', '/auth/refresh', { cookies: a.cookies, body: { refreshToken: b.refresh } });
    expect(r.status).toBe(200);
    // a's token was not used.
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: a.refresh } })).status).toBe(200);
  });
});

describe('logout', () => {
  it('revokes the refresh token and clears the cookies (204)', async () => {
    const { refresh } = await login();
    const r = await call('POST', '/auth/logout', { body: { refreshToken: refresh } });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(setCookieLine(r.headers, 'mtx_at')).toBe('mtx_at=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict');
    expect(setCookieLine(r.headers, 'mtx_rt')).toBe('mtx_rt=; Max-Age=0; Path=/auth; HttpOnly; Secure; SameSite=Strict');
    expect(setCookieLine(r.headers, 'mtx_csrf')).toBe('mtx_csrf=; Max-Age=0; Path=/; Secure; SameSite=Strict');
    expectProblem(await call('POST', '/auth/refresh', { body: { refreshToken: refresh } }), 401, 'invalid-refresh-token', 'The refresh token has been revoked.');
  });

  it('in cookie mode it needs CSRF', async () => {
    const { cookies } = await login();
    expectProblem(await call('POST', '/auth/logout', { cookies }), 403, 'csrf-token-mismatch');
    expect((await call('POST', '/auth/logout', { cookies, headers: { 'X-CSRF-Token': cookies.mtx_csrf } })).status).toBe(204);
    expectProblem(await call('POST', '/auth/refresh', { body: { refreshToken: cookies.mtx_rt } }), 401, 'invalid-refresh-token', 'The refresh token has been revoked.');
  });

  it('is idempotent: no token or an unknown token still 204', async () => {
    expect((await call('POST', '/auth/logout')).status).toBe(204);
    expect((await call('POST', '/auth/logout', { body: { refreshToken: 'x' } })).status).toBe(204);
  });

  it('access tokens are stateless: they stay valid until they expire', async () => {
    const { refresh, token } = await login();
    await call('POST', '/auth/logout', { body: { refreshToken: refresh } });
    expect((await call('GET', '/welds', { token })).status).toBe(200);
  });
});

describe('bad credentials on data endpoints', () => {
  it('no credentials → 401 with WWW-Authenticate', async () => {
    for (const path of ['/welds', '/isos', '/welds/x', '/isos/x']) {
      const r = await call('GET', path);
      expectProblem(r, 401, 'unauthenticated', 'Send an access token in the Authorization header (Bearer) or the mtx_at cookie.');
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="maxtrax"');
    }
    expectProblem(await call('PATCH', '/welds/x/status', { body: { status: 'ACCEPTED' } }), 401, 'unauthenticated');
  });

  it('malformed Authorization header', async () => {
    for (const h of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'token abc', 'Bearer a b']) {
      expectProblem(await call('GET', '/welds', { headers: { Authorization: h } }), 401, 'invalid-token', 'The Authorization header must be "Bearer <access-token>".');
    }
  });

  it('forged tokens: wrong signature, alg none, garbage', async () => {
    const { token } = await login();
    const [h, p] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const admin = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const forged of [`${h}.${admin}.${token.split('.')[2]}`, `${none}.${admin}.`, 'abc.def.ghi', 'x'.repeat(5000), 'ey']) {
      expectProblem(await call('GET', '/welds', { token: forged }), 401, 'invalid-token', 'The access token is invalid.');
    }
  });

  it('a token from another suite instance (other key) is invalid', async () => {
    const other = makeSuite();
    const { token } = await other.login();
    other.suite.close();
    expectProblem(await call('GET', '/welds', { token }), 401, 'invalid-token', 'The access token is invalid.');
  });
});
