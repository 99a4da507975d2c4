import { beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt } from 'jose';
import { b64url, demo, expect401, expectError, get, newSuite, post, tokens, type App } from './helpers.js';
import type { Suite } from '../../src/suite.js';

let suite: Suite;
let app: App;
beforeEach(() => {
  suite = newSuite();
  app = suite.app('trakrf');
  return () => suite.close();
});

const ASSETS = '/api/v1/assets';
const secret = () => suite.instance('trakrf').ctx.keys.secret('jwt');

async function forge(claims: Record<string, unknown>, key: Uint8Array = secret(), alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

function baseClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = suite.clock.nowSeconds();
  return { org_id: 1, scopes: demo.full.scopes, iss: 'trakrf-api-key', sub: demo.full.client_id, aud: ['trakrf-api'], exp: iat + 900, iat, ...overrides };
}

describe('the 401 matrix', () => {
  it('no (or an empty) Authorization header → Missing authorization header', async () => {
    await expect401(await get(app, ASSETS), 'Missing authorization header');
    await expect401(await get(app, ASSETS, undefined, { Authorization: '' }), 'Missing authorization header');
  });
  it('X-API-Key instead of Authorization → Use Authorization: Bearer <token>', async () => {
    const { access_token } = await tokens(app);
    await expect401(await get(app, ASSETS, undefined, { 'X-API-Key': access_token }), 'Use Authorization: Bearer <token>');
  });
  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Token abc', 'bearerabc'])('header %j → Invalid authorization header format', async (h) => {
    await expect401(await get(app, ASSETS, undefined, { Authorization: h }), 'Invalid authorization header format');
  });
  it('scheme is case-insensitive', async () => {
    const { access_token } = await tokens(app);
    expect((await get(app, ASSETS, undefined, { Authorization: `bEaReR ${access_token}` })).status).toBe(200);
  });
  it('"Bearer " arrives as "Bearer" (HTTP trims header whitespace, in Go too) → format; a blank token → Invalid or expired token', async () => {
    await expect401(await get(app, ASSETS, undefined, { Authorization: 'Bearer ' }), 'Invalid authorization header format');
    await expect401(await get(app, ASSETS, undefined, { Authorization: 'Bearer  x' }), 'Invalid or expired token');
  });

  it('garbage, truncated, alg:none, wrongly signed, wrong iss/aud, missing exp, unknown sub → Invalid or expired token', async () => {
    const { access_token } = await tokens(app);
    const bad = [
      'garbage',
      'a.b.c',
      access_token.slice(0, -5),
      access_token.slice(0, access_token.lastIndexOf('.')),
      `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(baseClaims())}.`,
      await forge(baseClaims(), new TextEncoder().encode('x'.repeat(32))),
      await forge(baseClaims(), secret(), 'HS512'),
      await forge(baseClaims({ iss: 'someone-else' })),
      await forge(baseClaims({ iss: undefined })),
      await forge(baseClaims({ aud: ['other-api'] })),
      await forge(baseClaims({ exp: undefined })),
      await forge(baseClaims({ sub: '6f1c2a8e-7d3b-4e90-9a11-2c4d5e6f7a8b' })),
      await forge(baseClaims({ sub: 42 })),
    ];
    for (const token of bad) await expect401(await get(app, ASSETS, token), 'Invalid or expired token');
  });

  it('a forged token signed with the real secret for a real key is accepted (the signature is what counts)', async () => {
    expect((await get(app, ASSETS, await forge(baseClaims()))).status).toBe(200);
  });

  it('access token expires after 900 s of suite clock', async () => {
    // Frozen on a whole second: exp is whole seconds, so real milliseconds passing must not decide the outcome.
    suite.clock.freeze(true);
    suite.clock.set(new Date(Math.ceil(suite.clock.nowMs() / 1000) * 1000));
    const { access_token } = await tokens(app);
    suite.clock.advance(899);
    expect((await get(app, ASSETS, access_token)).status).toBe(200);
    suite.clock.advance(1);
    await expect401(await get(app, ASSETS, access_token), 'Invalid or expired token');
  });

  it('advancing the clock through the control plane expires tokens too', async () => {
    const { access_token } = await tokens(app);
    const res = await post(app, '/__admin/clock', { advance_seconds: 901 });
    expect(res.status).toBe(200);
    await expect401(await get(app, ASSETS, access_token), 'Invalid or expired token');
  });

  it('a revoked key fails an already-issued access token → API key has been revoked', async () => {
    const { access_token } = await tokens(app);
    expect((await app.request(`/__admin/api-keys/${demo.full.client_id}`, { method: 'DELETE' })).status).toBe(204);
    await expect401(await get(app, ASSETS, access_token), 'API key has been revoked');
    await expect401(await get(app, '/api/v1/orgs/me', access_token), 'API key has been revoked');
  });

  it('a key past expires_at fails its access tokens → API key has expired', async () => {
    const minted = await (
      await post(app, '/__admin/api-keys', { org_id: 1, name: 'ttl', scopes: ['assets:read'], expires_at: new Date(suite.clock.nowMs() + 120_000).toISOString() })
    ).json();
    const { access_token } = await tokens(app, minted);
    suite.clock.advance(121);
    await expect401(await get(app, ASSETS, access_token), 'API key has expired');
  });

  it('the seeded revoked and expired demo keys yield their detail strings on forged-but-valid tokens', async () => {
    await expect401(await get(app, ASSETS, await forge(baseClaims({ sub: demo.revoked.client_id }))), 'API key has been revoked');
    await expect401(await get(app, ASSETS, await forge(baseClaims({ sub: demo.expired.client_id }))), 'API key has expired');
  });

  it('401 responses carry default rate-limit headers and never consume a token', async () => {
    for (let i = 0; i < 3; i++) await get(app, ASSETS, 'garbage');
    const { access_token } = await tokens(app);
    const res = await get(app, ASSETS, access_token);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('119');
  });
});

describe('scopes (x-required-scopes from openapi/trakrf.json)', () => {
  it('missing scope → 403 Missing required scope: <scope>', async () => {
    const { access_token } = await tokens(app, demo.tracking);
    const e = await expectError(await get(app, ASSETS, access_token), 403, 'forbidden', 'Forbidden', 'Missing required scope: assets:read');
    expect(e.fields).toBeUndefined();
    expect((await get(app, `${ASSETS}/1`, access_token)).status).toBe(403);
  });
  it(':write does not imply :read', async () => {
    const minted = await (await post(app, '/__admin/api-keys', { org_id: 1, name: 'w', scopes: ['assets:write'] })).json();
    const { access_token } = await tokens(app, minted);
    await expectError(await get(app, ASSETS, access_token), 403, 'forbidden', 'Forbidden', 'Missing required scope: assets:read');
  });
  it('/orgs/me needs no scope', async () => {
    const { access_token } = await tokens(app, demo.tracking);
    const res = await get(app, '/api/v1/orgs/me', access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { api_key_id: demo.tracking.client_id, id: 1, name: 'Acme Logistics', scopes: ['tracking:read'] } });
  });
  it('403 consumes a rate-limit token (it runs after RateLimit)', async () => {
    const { access_token } = await tokens(app, demo.tracking);
    await get(app, ASSETS, access_token);
    const res = await get(app, ASSETS, access_token);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('118');
  });
});

describe('rate limiting (burst 120, 1/s per key)', () => {
  it('counts down 119…0, then 429 Retry-After: 1; refills on the clock', async () => {
    suite.clock.freeze(true);
    suite.clock.set(new Date('2026-11-22T12:00:00.000Z'));
    const { access_token } = await tokens(app);
    const now = suite.clock.nowSeconds();
    let res!: Response;
    for (let i = 1; i <= 120; i++) {
      res = await get(app, '/api/v1/orgs/me', access_token);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(120 - i));
    }
    expect(res.headers.get('x-ratelimit-limit')).toBe('120');
    expect(res.headers.get('ratelimit-policy')).toBe('60;w=60');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(now + 120));
    res = await get(app, '/api/v1/orgs/me', access_token);
    await expectError(res, 429, 'rate_limited', 'Rate limited', 'Retry after 1 seconds');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    suite.clock.advance(1);
    expect((await get(app, '/api/v1/orgs/me', access_token)).status).toBe(200);
  });
  it('buckets are per key, shared by all tokens of the key', async () => {
    suite.clock.freeze(true);
    const a = await tokens(app);
    const b = await tokens(app);
    await get(app, '/api/v1/orgs/me', a.access_token);
    const res = await get(app, '/api/v1/orgs/me', b.access_token);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('118');
    const other = await tokens(app, demo.readOnly);
    expect((await get(app, '/api/v1/orgs/me', other.access_token)).headers.get('x-ratelimit-remaining')).toBe('119');
  });
  it('unauthenticated /api/v1 responses get the defaults 120/120/now', async () => {
    suite.clock.freeze(true);
    const res = await get(app, '/api/v1/nope');
    expect(res.headers.get('x-ratelimit-limit')).toBe('120');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('120');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(suite.clock.nowSeconds()));
  });
});

describe('pipeline: request ids, CORS, routing before auth, HEAD', () => {
  it('echoes X-Request-ID verbatim, else mints a ULID', async () => {
    const echoed = await get(app, ASSETS, undefined, { 'X-Request-ID': 'my id / 1' });
    expect(echoed.headers.get('x-request-id')).toBe('my id / 1');
    expect((await echoed.json()).error.request_id).toBe('my id / 1');
    const minted = await get(app, ASSETS);
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const next = await get(app, ASSETS);
    expect(next.headers.get('x-request-id')! > minted.headers.get('x-request-id')!).toBe(true);
  });
  it('CORS headers on every response, including errors', async () => {
    const res = await get(app, ASSETS);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PATCH, DELETE, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization, X-Request-ID');
    expect(res.headers.get('access-control-max-age')).toBe('3600');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
  it('OPTIONS on any path → 204, CORS + request id, no body, no Allow, no rate-limit headers, no auth', async () => {
    for (const path of [ASSETS, '/api/v1/nowhere', '/healthz']) {
      const res = await app.request(path, { method: 'OPTIONS' });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(res.headers.get('allow')).toBeNull();
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
  it('unknown /api path → 404 Unknown API route, before auth; trailing slash is unknown', async () => {
    for (const path of ['/api/v1/widgets', '/api/v1/assets/', '/api/v2/assets']) {
      const e = await expectError(await get(app, path), 404, 'not_found', 'Not found', `Unknown API route: ${path}`);
      expect(e.instance).toBe(path);
    }
  });
  it('known path, wrong method → 405 with Allow, before auth', async () => {
    const res = await app.request('/api/v1/orgs/me', { method: 'DELETE' });
    await expectError(res, 405, 'method_not_allowed', 'Method not allowed', 'Allowed methods: GET, HEAD');
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('x-ratelimit-limit')).toBe('120');
  });
  it('HEAD works wherever GET does: same status and headers, no body, same auth', async () => {
    const { access_token } = await tokens(app);
    const res = await app.request(ASSETS, { method: 'HEAD', headers: { Authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe('');
    const denied = await app.request(ASSETS, { method: 'HEAD' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="trakrf-api"');
  });
});

describe('GET /api/v1/orgs/me', () => {
  it('rejects any query parameter', async () => {
    const { access_token } = await tokens(app);
    const e = await expectError(await get(app, '/api/v1/orgs/me?limit=1&q=x', access_token), 400, 'validation_error', 'Validation failed', 'unknown parameter: limit (and 1 more validation error)');
    expect(e.fields).toEqual([
      { field: 'limit', code: 'unknown_field', message: 'unknown parameter: limit' },
      { field: 'q', code: 'invalid_context', message: 'q is a list-endpoint filter and is not allowed on this endpoint.' },
    ]);
  });
  it('the access token is for one org: the second demo org sees itself', async () => {
    const { access_token } = await tokens(app, demo.globex);
    const body = await (await get(app, '/api/v1/orgs/me', access_token)).json();
    expect(body.data.id).toBe(2);
    expect(decodeJwt(access_token).org_id).toBe(2);
  });
});
