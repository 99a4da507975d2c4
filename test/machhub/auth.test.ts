import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeJwt, expectText, makeSuite } from './helpers.js';

describe('login', () => {
  const { req, suite } = makeSuite();

  it('answers {success, tkn} under /machhub/auth/login and /auth/login', async () => {
    for (const path of ['/machhub/auth/login', '/auth/login']) {
      const r = await req('POST', path, { body: { username: 'admin', password: 'admin' } });
      expect(r.status).toBe(200);
      expect(Object.keys(r.json)).toEqual(['success', 'tkn']);
      expect(r.json.success).toBe(true);
    }
  });

  it('issues an EdDSA JWT with a kid, iss machhub.localhost, aud idt_machhub_edge and a 24 h lifetime', async () => {
    const r = await req('POST', '/auth/login', { body: { username: 'admin', password: 'admin' } });
    const { header, payload } = decodeJwt(r.json.tkn);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(payload).toMatchObject({ user_id: 'users:admin', username: 'admin', iss: 'machhub.localhost', aud: ['idt_machhub_edge'] });
    expect(payload.exp - payload.iat).toBe(86400);
    expect(Math.abs(payload.iat - suite.clock.nowSeconds())).toBeLessThanOrEqual(1);
    expect(payload.domains).toEqual(expect.arrayContaining(['domains:acme', 'domains:machhub_admin']));
    expect(payload.groups.every((g: string) => g.startsWith('groups:'))).toBe(true);
  });

  it('each instance draws its own signing key (kid), even with the same seed', async () => {
    const other = makeSuite();
    const a = decodeJwt(await other.login()).header.kid;
    const r = await req('POST', '/auth/login', { body: { username: 'admin', password: 'admin' } });
    expect(decodeJwt(r.json.tkn).header.kid).not.toBe(a);
  });

  it('wrong password or unknown user → 401 text/plain Invalid Username or Password', async () => {
    expectText(await req('POST', '/auth/login', { body: { username: 'admin', password: 'nope' } }), 401, 'Invalid Username or Password');
    expectText(await req('POST', '/machhub/auth/login', { body: { username: 'ghost', password: 'admin' } }), 401, 'Invalid Username or Password');
  });

  it('malformed or incomplete bodies → 400 plain text', async () => {
    expectText(await req('POST', '/auth/login', { raw: '{not json', headers: { 'Content-Type': 'application/json' } }), 400, 'Invalid request body');
    expectText(await req('POST', '/auth/login', { raw: '' }), 400, 'Invalid request body');
    expectText(await req('POST', '/auth/login', { body: ['admin'] }), 400, 'Invalid request body');
    expectText(await req('POST', '/auth/login', { body: { username: 'admin' } }), 400, 'username and password are required');
    expectText(await req('POST', '/auth/login', { body: { username: 1, password: 2 } }), 400, 'username and password are required');
  });

  it('an oversize body → 413 plain text', async () => {
    const small = makeSuite({ maxBodyBytes: 1024 });
    expectText(await small.req('POST', '/auth/login', { body: { username: 'a'.repeat(5000), password: 'x' } }), 413, 'Request Entity Too Large');
  });

  it('deeply nested JSON is rejected as a client error, not a crash', async () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    const r = await req('POST', '/auth/login', { raw: deep, headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(400);
  });
});

describe('JWT validation and rejection', () => {
  const { req, login, suite } = makeSuite({ auth: 'strict' });
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

  it('jwt/validate says valid for a fresh token and invalid for garbage', async () => {
    const t = await login();
    expect((await req('POST', '/machhub/auth/jwt/validate', { body: { token: t } })).json).toEqual({ success: true, message: 'token is valid', valid: true });
    for (const bad of ['garbage', '', 'a.b.c', t.slice(0, -3) + 'AAA']) {
      expect((await req('POST', '/machhub/auth/jwt/validate', { body: { token: bad } })).json.valid).toBe(false);
    }
    expectText(await req('POST', '/machhub/auth/jwt/validate', { body: {} }), 400, 'token is required');
  });

  it('me returns the user without the password hash, with group ids of the active domain', async () => {
    const t = await login('operator');
    const r = await req('GET', '/machhub/auth/me', { headers: bearer(t) });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: { Table: 'users', ID: 'operator' }, username: 'operator', firstName: 'Oscar' });
    expect(r.json.group_ids).toHaveLength(2);
    expect(JSON.stringify(r.json)).not.toMatch(/password/i);
    const inGlobex = await req('GET', '/machhub/auth/me', { headers: bearer(t), domain: 'domains:globex' });
    expect(inGlobex.json.group_ids).toEqual([]);
  });

  it('an expired token (suite clock +24 h) is refused', async () => {
    const t = await login();
    expect((await req('GET', '/machhub/products/count', { headers: bearer(t) })).status).toBe(200);
    suite.clock.advance(86400 - 5);
    expect((await req('GET', '/machhub/products/count', { headers: bearer(t) })).status).toBe(200);
    suite.clock.advance(10);
    expectText(await req('GET', '/machhub/products/count', { headers: bearer(t) }), 401, 'Unauthorized');
    expect((await req('POST', '/auth/jwt/validate', { body: { token: t } })).json.valid).toBe(false);
    suite.clock.reset();
  });

  it('the lifetime is configurable', async () => {
    const s = makeSuite({ tokenTtlHours: 1 });
    const { payload } = decodeJwt(await s.login());
    expect(payload.exp - payload.iat).toBe(3600);
  });

  /** The instance's own signing key (so only the changed claim/header can fail). */
  const ourKey = () => suite.instance('machhub').ctx.keys.ed25519('jwt').privateKey;

  async function forge(opts: { kid?: string; aud?: string; iss?: string; key?: 'other' | 'hmac'; iat?: number }) {
    const t = await login();
    const { header, payload } = decodeJwt(t);
    const claims = { ...payload, aud: opts.aud ? [opts.aud] : payload.aud, iss: opts.iss ?? payload.iss, iat: opts.iat ?? payload.iat };
    if (opts.key === 'hmac') {
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: header.kid }).sign(new TextEncoder().encode('x'.repeat(32)));
    }
    const key = opts.key === 'other' ? generateKeyPairSync('ed25519').privateKey : ourKey();
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: opts.kid ?? header.kid }).sign(key);
  }

  it('positive control: a token re-signed with our key and unchanged claims is accepted', async () => {
    const t = await forge({});
    expect((await req('GET', '/machhub/auth/me', { headers: bearer(t) })).status).toBe(200);
  });

  it('rejects a token signed by another key, with another kid, audience or issuer, issued in the future, or another vendor’s HS256 token', async () => {
    const cases = { otherKey: await forge({ key: 'other' }), kid: await forge({ kid: 'mock' }), aud: await forge({ aud: 'someone_else' }), iss: await forge({ iss: 'trakrf.id' }), hmac: await forge({ key: 'hmac' }), futureIat: await forge({ iat: suite.clock.nowSeconds() + 120 }) };
    for (const [name, t] of Object.entries(cases)) {
      expectText(await req('GET', '/machhub/products/all', { headers: bearer(t) }), 401, 'Unauthorized');
      expectText(await req('GET', '/machhub/auth/me', { headers: bearer(t) }), 401, 'Unauthorized');
      expect((await req('POST', '/auth/jwt/validate', { body: { token: t } })).json.valid, name).toBe(false);
    }
  });

  it('rejects the capture’s placeholder token (kid "mock", fake signature)', async () => {
    const t = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6Im1vY2sifQ.eyJ1c2VyX2lkIjoidXNlcnM6YWRtaW4iLCJ1c2VybmFtZSI6ImFkbWluIiwiaXNzIjoibWFjaGh1Yi5sb2NhbGhvc3QiLCJhdWQiOlsiaWR0X21hY2hodWJfZWRnZSJdLCJpYXQiOjE3OTUzNDMzMDgsImV4cCI6MTc5NTQyOTcwOH0.c2ln';
    expectText(await req('GET', '/machhub/auth/me', { headers: bearer(t) }), 401, 'Unauthorized');
  });

  it('garbage Authorization headers → 401, never 5xx', async () => {
    for (const h of ['Bearer', 'Bearer undefined', 'Basic YWRtaW46YWRtaW4=', 'Bearer ' + 'x'.repeat(3500), 'Bearer a.b.c']) {
      const r = await req('GET', '/machhub/products/all', { headers: { Authorization: h } });
      expect(r.status, h).toBe(401);
    }
  });
});

describe('API keys', () => {
  const { req, suite, app } = makeSuite({ auth: 'strict' });
  const key = (k: string) => ({ 'X-Machhub-Api-Key': k });

  async function mint(body: Record<string, unknown>) {
    const r = await app.request('/__admin/api-keys', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as any };
  }

  it('the documented demo key has full access within its own domain', async () => {
    expect((await req('GET', '/machhub/products/count', { headers: key('mchx_ABCDEFGHIJKLsecret') })).json).toEqual({ count: 60 });
    const created = await req('POST', '/machhub/products', { headers: key('mchx_ABCDEFGHIJKLsecret'), body: { name: 'via key' } });
    expect(created.status).toBe(200);
  });

  it('a key is refused in another domain, with a wrong secret, a wrong id, or a bad format', async () => {
    expectText(await req('GET', '/machhub/products/count', { headers: key('mchx_ABCDEFGHIJKLsecret'), domain: 'domains:globex' }), 401, 'Unauthorized');
    for (const k of ['mchx_ABCDEFGHIJKLsecreT', 'mchx_ABCDEFGHIJKXsecret', 'mchx_short', 'ABCDEFGHIJKLsecret', 'mchx_ABCDEFGHIJKL']) {
      expectText(await req('GET', '/machhub/products/count', { headers: key(k) }), 401, 'Unauthorized');
    }
  });

  it('POST /__admin/api-keys shows the key once; it works until its expiration on the suite clock', async () => {
    const exp = new Date(suite.clock.nowMs() + 3600_000).toISOString();
    const m = await mint({ domain: 'globex', name: 'ci', expiration: exp });
    expect(m.status).toBe(201);
    expect(m.json.key).toMatch(/^mchx_[A-Za-z0-9]{12}[A-Za-z0-9]{32}$/);
    expect(m.json.key.slice(5, 17)).toBe(m.json.id);
    const list = await (await app.request('/__admin/api-keys')).json() as any[];
    expect(JSON.stringify(list)).not.toContain(m.json.key.slice(17));
    expect((await req('GET', '/machhub/products/count', { headers: key(m.json.key), domain: 'domains:globex' })).json).toEqual({ count: 25 });
    expectText(await req('GET', '/machhub/products/count', { headers: key(m.json.key), domain: 'domains:acme' }), 401, 'Unauthorized');
    suite.clock.advance(3601);
    expectText(await req('GET', '/machhub/products/count', { headers: key(m.json.key), domain: 'domains:globex' }), 401, 'Unauthorized');
    suite.clock.reset();
  });

  it('admin validation: unknown domain 404, bad expiration 400, unknown field 400', async () => {
    expect((await mint({ domain: 'nowhere', name: 'x' })).status).toBe(404);
    expect((await mint({ domain: 'acme', name: 'x', expiration: 'tomorrow' })).status).toBe(400);
    expect((await mint({ domain: 'acme', name: 'x', scope: 'all' })).status).toBe(400);
    expect((await mint({ domain: 'acme', name: 'x', expiration: 0 })).json.expiration).toBeNull();
  });
});

describe('Domain header', () => {
  const { req } = makeSuite();

  it('absent or empty → domains:machhub_admin; `domains:` (SDK with empty app id) too', async () => {
    for (const domain of [null, '', 'domains:']) {
      const r = await req('GET', '/machhub/products/count', { domain });
      expect(r.json).toEqual({ count: 0 });
    }
  });

  it('unknown or malformed → 400 bad Domain ID, on every route including login', async () => {
    for (const domain of ['domains:nope', 'acme', 'domains:ACME', "domains:acme'--"]) {
      expectText(await req('GET', '/machhub/products/all', { domain }), 400, 'bad Domain ID');
    }
    expectText(await req('POST', '/auth/login', { domain: 'domains:nope', body: { username: 'admin', password: 'admin' } }), 400, 'bad Domain ID');
  });
});

describe('RBAC (strict)', () => {
  const { req, login } = makeSuite({ auth: 'strict' });
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

  it('a read-only group can list but not write; denial is 401 (MACHHUB has no 403)', async () => {
    const t = await login('operator');
    expect((await req('GET', '/machhub/products/count', { headers: bearer(t) })).status).toBe(200);
    expectText(await req('POST', '/machhub/products', { headers: bearer(t), body: { name: 'x' } }), 401, 'Unauthorized');
    expectText(await req('DELETE', '/machhub/acme.products:PROD-002', { headers: bearer(t) }), 401, 'Unauthorized');
    expectText(await req('GET', '/machhub/auth/user', { headers: bearer(t) }), 401, 'Unauthorized');
  });

  it('read-write implies read; superuser passes everything', async () => {
    const e = await login('engineer');
    expect((await req('POST', '/machhub/products', { headers: bearer(e), body: { name: 'x' } })).status).toBe(200);
    expect((await req('GET', '/machhub/auth/user', { headers: bearer(e) })).status).toBe(200);
    const a = await login('admin');
    expect((await req('POST', '/machhub/auth/group', { headers: bearer(a), body: { name: 'Quality', features: [] } })).status).toBe(200);
  });

  it('checks resolve against the target domain only: no group there → no access', async () => {
    const t = await login('operator');
    expectText(await req('GET', '/machhub/products/count', { headers: bearer(t), domain: 'domains:globex' }), 401, 'Unauthorized');
    expect((await req('GET', '/auth/permission/action/feature/collections/scope/domain', { headers: bearer(t), domain: 'domains:globex' })).json).toEqual({ actions: [] });
  });

  it('checkAction / checkPermission and their scope-less fallbacks', async () => {
    const t = await login('operator');
    const h = { headers: bearer(t) };
    expect((await req('GET', '/machhub/auth/permission/action/feature/collections/scope/domain', h)).json).toEqual({ actions: ['read'] });
    expect((await req('GET', '/machhub/auth/permission/action/feature/collections/scope/all', h)).json).toEqual({ actions: [] });
    expect((await req('GET', '/machhub/auth/permission/action/feature/collections', h)).json).toEqual({ actions: ['read'] });
    expect((await req('GET', '/machhub/auth/permission/check/feature/collections/scope/domain/action/read', h)).json).toMatchObject({ success: true, permission: true });
    expect((await req('GET', '/machhub/auth/permission/check/feature/collections/scope/domain/action/read-write', h)).json.permission).toBe(false);
    expect((await req('GET', '/machhub/auth/permission/check/feature/collections/action/read', h)).json.permission).toBe(true);
    expect((await req('GET', '/auth/permission/check/feature/users/action/read', h)).json.permission).toBe(false);
    const a = await login('admin');
    expect((await req('GET', '/auth/permission/action/feature/anything/scope/x', { headers: bearer(a) })).json).toEqual({ actions: ['read', 'read-write'] });
    expect((await req('GET', '/machhub/auth/permission', h)).json.permissions).toContainEqual({ name: 'collections', action: 'read', scope: 'domain' });
  });

  it('groups: reserved names rejected, duplicates 409, users and permissions added; membership grants access', async () => {
    const a = { headers: bearer(await login('admin')) };
    for (const name of ['superuser', 'Superuser', 'member', ' MEMBER ']) {
      expectText(await req('POST', '/machhub/auth/group', { ...a, body: { name, features: [] } }), 400, /is reserved$/);
    }
    const g = await req('POST', '/machhub/auth/group', { ...a, body: { name: 'Writers', features: [{ name: 'collections', action: 'read', scope: 'domain' }] } });
    expect(g.status).toBe(200);
    expectText(await req('POST', '/machhub/auth/group', { ...a, body: { name: 'writers' } }), 409, 'group already exists');
    const gid = `${g.json.id.Table}:${g.json.id.ID}`;
    const u = await req('POST', '/machhub/auth/user', { ...a, body: { firstName: 'N', lastName: 'U', username: 'newbie', email: 'n@x', password: 'pw1', number: '', userImage: '' } });
    expect(u.status).toBe(200);
    const uid = `${u.json.id.Table}:${u.json.id.ID}`;
    const nb = { headers: bearer(await login('newbie', 'pw1')) };
    expectText(await req('GET', '/machhub/products/count', nb), 401, 'Unauthorized');
    const add = await req('POST', `/machhub/auth/group/${gid}/user/${uid}`, { ...a, raw: '' });
    expect(add).toMatchObject({ status: 200, json: { success: true } });
    expect((await req('GET', '/machhub/products/count', nb)).status).toBe(200);
    expectText(await req('POST', '/machhub/products', { ...nb, body: {} }), 401, 'Unauthorized');
    const perm = await req('POST', '/machhub/auth/permission', { ...a, body: { group_id: gid, permissions: [{ name: 'collections', action: 'read-write', scope: 'domain' }] } });
    expect(perm.json.success).toBe(true);
    expect((await req('POST', '/machhub/products', { ...nb, body: {} })).status).toBe(200);
    const groups = (await req('GET', '/machhub/auth/group', a)).json;
    expect(groups.find((x: any) => x.name === 'Writers').user_ids).toEqual([u.json.id]);
    expectText(await req('POST', '/machhub/auth/user', { ...a, body: { username: 'newbie', password: 'x' } }), 409, 'username already exists');
    expectText(await req('POST', '/machhub/auth/user', { ...a, body: { username: 'x' } }), 400, 'password is required');
    expectText(await req('POST', '/machhub/auth/permission', { ...a, body: { group_id: gid, permissions: [{ name: '' }] } }), 400, /permissions\[0\]\.name/);
  });
});
