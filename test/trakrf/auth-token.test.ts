import { beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { demo, exchange, expect401, expectError, newSuite, post, refresh, tokens, get, type App } from './helpers.js';
import type { Suite } from '../../src/suite.js';

let suite: Suite;
let app: App;
beforeEach(() => {
  suite = newSuite();
  app = suite.app('trakrf');
  return () => suite.close();
});

const TOKEN = '/api/v1/oauth/token';

describe('POST /api/v1/oauth/token — client_credentials', () => {
  it('exchanges a key for an HS256 access JWT (claims in order, 900 s) and a 64-hex refresh token', async () => {
    suite.clock.freeze(true);
    const res = await exchange(app, demo.full);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBeNull();
    const text = await res.text();
    const body = JSON.parse(text);
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    expect(body.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    expect(decodeProtectedHeader(body.access_token)).toEqual({ typ: 'JWT', alg: 'HS256' });
    const claims = decodeJwt(body.access_token);
    expect(Object.keys(claims)).toEqual(['org_id', 'scopes', 'iss', 'sub', 'aud', 'exp', 'iat']);
    const now = suite.clock.nowSeconds();
    expect(claims).toEqual({
      org_id: 1,
      scopes: demo.full.scopes,
      iss: 'trakrf-api-key',
      sub: demo.full.client_id,
      aud: ['trakrf-api'],
      iat: now,
      exp: now + 900,
    });
  });

  it('accepts a form body, ignores unknown JSON keys and the scope parameter', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: demo.full.client_id, client_secret: demo.full.client_secret, scope: 'x' });
    const res = await app.request(TOKEN, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form.toString() });
    expect(res.status).toBe(200);
    const res2 = await post(app, TOKEN, { grant_type: 'client_credentials', client_id: demo.full.client_id, client_secret: demo.full.client_secret, extra: 1 }, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(res2.status).toBe(200);
  });

  it('each exchange starts an independent chain', async () => {
    const a = await tokens(app);
    const b = await tokens(app);
    expect(a.refresh_token).not.toBe(b.refresh_token);
    expect((await refresh(app, a.refresh_token)).status).toBe(200);
    expect((await refresh(app, a.refresh_token)).status).toBe(401); // replay kills a's chain…
    expect((await refresh(app, b.refresh_token)).status).toBe(200); // …not b's
  });

  it.each([
    ['missing client_id', { client_secret: 'x' }, 'client_id and client_secret are required for client_credentials'],
    ['missing client_secret', { client_id: demo.full.client_id }, 'client_id and client_secret are required for client_credentials'],
    ['empty secret', { client_id: demo.full.client_id, client_secret: '' }, 'client_id and client_secret are required for client_credentials'],
    ['wrong secret', { client_id: demo.full.client_id, client_secret: 'trakrf_' + '0'.repeat(64) }, 'Invalid client credentials'],
    ['unknown client_id', { client_id: '6f1c2a8e-7d3b-4e90-9a11-2c4d5e6f7a8b', client_secret: demo.full.client_secret }, 'Invalid client credentials'],
    ['non-UUID client_id', { client_id: 'not-a-uuid', client_secret: demo.full.client_secret }, 'Invalid client credentials'],
    ['revoked key', { client_id: demo.revoked.client_id, client_secret: demo.revoked.client_secret }, 'Invalid client credentials'],
    ['expired key', { client_id: demo.expired.client_id, client_secret: demo.expired.client_secret }, 'Invalid client credentials'],
  ])('%s → 401', async (_label, creds, detail) => {
    const res = await post(app, TOKEN, { grant_type: 'client_credentials', ...creds });
    await expect401(res, detail);
    expect(res.headers.get('x-ratelimit-limit')).toBe('120');
  });
});

describe('POST /api/v1/oauth/token — validation and content types', () => {
  it('grant_type absent → required', async () => {
    const e = await expectError(await post(app, TOKEN, {}), 400, 'validation_error', 'Validation failed', 'grant_type is required');
    expect(e.fields).toEqual([{ field: 'grant_type', code: 'required', message: 'grant_type is required' }]);
    expect(e.instance).toBe(TOKEN);
  });
  it('grant_type null → required', async () => {
    await expectError(await post(app, TOKEN, { grant_type: null }), 400, 'validation_error', 'Validation failed', 'grant_type is required');
  });
  it('grant_type "" → too_short with min_length', async () => {
    const e = await expectError(await post(app, TOKEN, { grant_type: '' }), 400, 'validation_error', 'Validation failed', 'grant_type must be at least 1 character');
    expect(e.fields).toEqual([{ field: 'grant_type', code: 'too_short', message: 'grant_type must be at least 1 character', params: { min_length: 1 } }]);
  });
  it('other grant_type → invalid_value with allowed_values', async () => {
    const e = await expectError(await post(app, TOKEN, { grant_type: 'password' }), 400, 'validation_error', 'Validation failed', 'grant_type must be one of: client_credentials, refresh_token');
    expect(e.fields[0].params).toEqual({ allowed_values: ['client_credentials', 'refresh_token'] });
  });
  it('form body without grant_type → required (form read from the body only, not the query)', async () => {
    const res = await app.request(`${TOKEN}?grant_type=client_credentials`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'client_id=x' });
    await expectError(res, 400, 'validation_error', 'Validation failed', 'grant_type is required');
  });
  it.each(['{', '[1]', '"x"', 'null', '{"grant_type": 5}', '\u0000{}', ''])('malformed JSON %j → 400 bad_request', async (body) => {
    await expectError(await post(app, TOKEN, body), 400, 'bad_request', 'Bad request', 'Request body is not valid JSON');
  });
  it('malformed form escapes → 400 bad_request', async () => {
    const res = await app.request(TOKEN, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=%zz' });
    await expectError(res, 400, 'bad_request', 'Bad request', 'Request body is not valid JSON');
  });
  it.each([undefined, 'text/plain', 'application/json;charset=utf-8', 'application/json; charset=UTF-8', 'multipart/form-data'])('Content-Type %s → 415', async (ct) => {
    const res = await app.request(TOKEN, { method: 'POST', headers: ct ? { 'Content-Type': ct } : {}, body: '{"grant_type":"client_credentials"}' });
    await expectError(res, 415, 'unsupported_media_type', 'Unsupported media type', 'Content-Type must be application/json or application/x-www-form-urlencoded');
  });
  it('body over 1 MiB → 413 in the envelope', async () => {
    const res = await post(app, TOKEN, JSON.stringify({ grant_type: 'client_credentials', pad: 'x'.repeat(1 << 20) }));
    const e = await expectError(res, 413, 'payload_too_large', 'Error', 'Request body must not exceed 1048576 bytes');
    expect(e.instance).toBe(TOKEN);
  });
  it('only POST: GET → 405 Allow: POST', async () => {
    const res = await app.request(TOKEN);
    await expectError(res, 405, 'method_not_allowed', 'Method not allowed', 'Allowed methods: POST');
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('refresh_token grant', () => {
  it('rotates: a new pair each time, the old token single-use', async () => {
    const t0 = await tokens(app);
    const r1 = await refresh(app, t0.refresh_token);
    expect(r1.status).toBe(200);
    const t1 = await r1.json();
    expect(Object.keys(t1)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    expect(t1.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    expect(t1.refresh_token).not.toBe(t0.refresh_token);
    expect((await get(app, '/api/v1/orgs/me', t1.access_token)).status).toBe(200);
  });

  it('replaying a used token → 401 and revokes the chain, including successors issued after it', async () => {
    const t0 = await tokens(app);
    const t1 = await (await refresh(app, t0.refresh_token)).json();
    const t2 = await (await refresh(app, t1.refresh_token)).json();
    await expect401(await refresh(app, t0.refresh_token), 'Invalid or expired refresh token');
    await expect401(await refresh(app, t2.refresh_token), 'Invalid or expired refresh token');
    await expect401(await refresh(app, t1.refresh_token), 'Invalid or expired refresh token');
    // Already-issued access tokens are stateless and stay valid until exp.
    expect((await get(app, '/api/v1/orgs/me', t2.access_token)).status).toBe(200);
  });

  it('replaying a middle token revokes forward only: earlier links stay used, not re-usable', async () => {
    const t0 = await tokens(app);
    const t1 = await (await refresh(app, t0.refresh_token)).json();
    const t2 = await (await refresh(app, t1.refresh_token)).json();
    const t3 = await (await refresh(app, t2.refresh_token)).json();
    await expect401(await refresh(app, t1.refresh_token), 'Invalid or expired refresh token');
    await expect401(await refresh(app, t3.refresh_token), 'Invalid or expired refresh token');
  });

  it('50 concurrent refreshes with one token → exactly one 200', async () => {
    const t0 = await tokens(app);
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(app, t0.refresh_token)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(49);
  });

  it.each([
    ['missing', {}, 'refresh_token is required for refresh_token grant'],
    ['empty', { refresh_token: '' }, 'refresh_token is required for refresh_token grant'],
    ['unknown', { refresh_token: 'f'.repeat(64) }, 'Invalid or expired refresh token'],
    ['garbage', { refresh_token: 'not a token' }, 'Invalid or expired refresh token'],
  ])('%s refresh token → 401', async (_l, body, detail) => {
    await expect401(await post(app, TOKEN, { grant_type: 'refresh_token', ...body }), detail);
  });

  it('expires 30 days after issuance on the suite clock', async () => {
    const t0 = await tokens(app);
    suite.clock.advance(30 * 86400 - 5);
    const ok = await refresh(app, t0.refresh_token);
    expect(ok.status).toBe(200);
    const t1 = await ok.json();
    suite.clock.advance(30 * 86400);
    await expect401(await refresh(app, t1.refresh_token), 'Invalid or expired refresh token');
  });

  it('fails once the key is revoked, and once the key has expired', async () => {
    const t0 = await tokens(app);
    expect((await app.request(`/__admin/api-keys/${demo.full.client_id}`, { method: 'DELETE' })).status).toBe(204);
    await expect401(await refresh(app, t0.refresh_token), 'Invalid or expired refresh token');

    const minted = await (
      await post(app, '/__admin/api-keys', { org_id: 1, name: 'short', scopes: ['assets:read'], expires_at: new Date(suite.clock.nowMs() + 60_000).toISOString() })
    ).json();
    const t = await tokens(app, minted);
    suite.clock.advance(61);
    await expect401(await refresh(app, t.refresh_token), 'Invalid or expired refresh token');
    await expect401(await exchange(app, minted), 'Invalid client credentials');
  });
});
