/**
 * Signing keys: crypto-random per instance, kept with the data. Tokens forged with the keys the seed used to give
 * are refused; tokens survive reset and a --data-dir restart of the real CLI; --deterministic-keys is the opt-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { Suite } from '../../src/suite.js';
import { Rng } from '../../src/core/rng.js';
import { adminCall } from '../support/admin.js';
import { vendorClient } from '../support/vendor-client.js';
import { demo } from '../trakrf/helpers.js';
import { fixtures as maxtraxFixtures } from '../maxtrax/helpers.js';
import { JSON_HEADERS, raw, startCli, type Cli } from './helpers.js';

const suites: Suite[] = [];
const suite = (opts: ConstructorParameters<typeof Suite>[0]) => {
  const s = new Suite(opts);
  suites.push(s);
  return s;
};
afterEach(() => {
  for (const s of suites.splice(0)) s.close();
});

/** A POST of `body` as JSON through the vendor's client (responses checked against its OpenAPI document). */
const post = (s: Suite, vendor: string, path: string, body: unknown, headers: Record<string, string> = {}) => vendorClient(s, vendor).call('POST', path, { headers, body });
const get = (s: Suite, vendor: string, path: string, headers: Record<string, string>) => vendorClient(s, vendor).call('GET', path, { headers });

/** The HS256 secret TrakRF used to draw from seed 42 (and store in its database). */
function oldTrakrfSecret(seed: number): Buffer {
  const rng = new Rng(seed).fork('fixtures');
  for (let i = 0; i < 4; i++) rng.next();
  return Buffer.from(rng.hex(32), 'hex');
}

/** The Ed25519 key MACHHUB used to derive from the seed, and its kid. */
function oldMachhubKey(seed: number) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(new Rng(seed).fork('runtime').fork('machhub-jwt-key').bytes(32))]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, kid: createHash('sha256').update(spki).digest('hex').slice(0, 16) };
}

async function forgeTrakrf(s: Suite, key: Uint8Array): Promise<string> {
  const iat = s.clock.nowSeconds();
  const claims = { org_id: 1, scopes: ['assets:read', 'assets:write'], iss: 'trakrf-api-key', sub: demo.readOnly.client_id, aud: ['trakrf-api'], exp: iat + 900, iat };
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

async function forgeMachhub(s: Suite, seed: number): Promise<string> {
  const { privateKey, kid } = oldMachhubKey(seed);
  const iat = s.clock.nowSeconds() - 5;
  const claims = { user_id: 'users:admin', username: 'admin', groups: [], domains: ['domains:acme', 'domains:machhub_admin'], iss: 'machhub.localhost', aud: ['idt_machhub_edge'], iat, exp: iat + 86_400 };
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid }).sign(privateKey);
}

const newAsset = (s: Suite, token: string) => post(s, 'trakrf', '/api/v1/assets', { name: 'forged', external_key: 'FORGED-1' }, { Authorization: `Bearer ${token}` });

describe('tokens forged with the seed-derived keys of earlier versions', () => {
  it('TrakRF: an HS256 token signed with the seed-42 secret, claiming write scope for the read-only key → 401, nothing created', async () => {
    const s = suite({ vendors: ['trakrf'], seed: 42 });
    const res = await newAsset(s, await forgeTrakrf(s, oldTrakrfSecret(42)));
    expect(res.status).toBe(401);
    // Positive control: the same claims signed with the instance's own key are accepted (so only the key differs).
    const own = await newAsset(s, await forgeTrakrf(s, s.instance('trakrf').ctx.keys.secret('jwt')));
    expect(own.status).toBe(201);
    // The secret is in neither the database nor the seeded image.
    const meta = s.instance('trakrf').ctx.handle.db.prepare("SELECT count(*) FROM meta WHERE key = 'jwt_secret'").pluck().get();
    expect(meta).toBe(0);
    const image = s.instance('trakrf').ctx.handle.seededImage()!;
    expect(image.includes(s.instance('trakrf').ctx.keys.secret('jwt'))).toBe(false);
    expect(image.includes(Buffer.from(oldTrakrfSecret(42).toString('hex')))).toBe(false);
  });

  it('MACHHUB (strict): an EdDSA token signed with the seed-42 key for the admin user → 401', async () => {
    const s = suite({ vendors: ['machhub'], seed: 42, config: { machhub: { auth: 'strict' } } });
    const forged = await forgeMachhub(s, 42);
    const res = await get(s, 'machhub', '/machhub/products/all', { Authorization: `Bearer ${forged}`, Domain: 'domains:acme' });
    expect(res.status).toBe(401);
    expect(res.text).toBe('Unauthorized');
    const login = await post(s, 'machhub', '/auth/login', { username: 'admin', password: 'admin' });
    const tkn = (login.body as { tkn: string }).tkn;
    expect(decodeProtectedHeader(tkn).kid).not.toBe(oldMachhubKey(42).kid);
    const ok = await get(s, 'machhub', '/machhub/products/all', { Authorization: `Bearer ${tkn}`, Domain: 'domains:acme' });
    expect(ok.status).toBe(200);
  });

  it('--deterministic-keys (opt-in): two instances with one seed sign alike, so their tokens cross over', async () => {
    const a = suite({ vendors: ['trakrf', 'machhub'], seed: 7, deterministicKeys: true });
    const b = suite({ vendors: ['trakrf', 'machhub'], seed: 7, deterministicKeys: true });
    const c = suite({ vendors: ['trakrf', 'machhub'], seed: 7 });
    expect(a.instance('trakrf').ctx.keys.secret('jwt')).toEqual(b.instance('trakrf').ctx.keys.secret('jwt'));
    expect(a.instance('trakrf').ctx.keys.secret('jwt')).not.toEqual(c.instance('trakrf').ctx.keys.secret('jwt'));
    const tkn = async (s: Suite) => ((await post(s, 'machhub', '/auth/login', { username: 'admin', password: 'admin' })).body as { tkn: string }).tkn;
    const fromA = await tkn(a);
    const me = (s: Suite) => get(s, 'machhub', '/machhub/auth/me', { Authorization: `Bearer ${fromA}` });
    expect((await me(b)).status).toBe(200);
    expect((await me(c)).status).toBe(401);
  });
});

describe('tokens survive a reset', () => {
  it('TrakRF, MACHHUB and MaxTrax access tokens issued before POST /__admin/reset still work after it', async () => {
    const s = suite({ vendors: ['trakrf', 'machhub', 'maxtrax'], seed: 42 });
    const t1 = (await post(s, 'trakrf', '/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: demo.full.client_id, client_secret: demo.full.client_secret })).body.access_token;
    const t2 = (await post(s, 'machhub', '/auth/login', { username: 'admin', password: 'admin' })).body.tkn;
    const u = maxtraxFixtures.tenants[0].users[0];
    const host = { Host: `${maxtraxFixtures.tenants[0].name}.maxtrax.localhost` };
    const t3 = (await post(s, 'maxtrax', '/auth/login', { userName: u.userName, password: u.password }, host)).body.accessToken;
    for (const name of ['trakrf', 'machhub', 'maxtrax']) expect((await adminCall(s.app(name), 'POST', '/reset')).status).toBe(200);
    expect((await get(s, 'trakrf', '/api/v1/assets', { Authorization: `Bearer ${t1}` })).status).toBe(200);
    expect((await get(s, 'machhub', '/machhub/auth/me', { Authorization: `Bearer ${t2}` })).status).toBe(200);
    expect((await get(s, 'maxtrax', '/isos', { ...host, Authorization: `Bearer ${t3}` })).status).toBe(200);
  });
});

describe('--data-dir restart (real CLI)', () => {
  let cli: Cli | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await cli?.stop();
    cli = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('tokens of all three vendors issued before a restart work after it; keys and data files are 0600 in a 0700 folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vf-keys-')), 'data');
    dirs.push(join(dir, '..'));
    const args = ['--vendors', 'trakrf,machhub,maxtrax', '--trakrf-port', '0', '--machhub-port', '0', '--maxtrax-port', '0', '--data-dir', dir, '--machhub-auth', 'strict'];
    cli = await startCli(args, 3);
    let { TrakRF: trakrf, MACHHUB: machhub, MaxTrax: maxtrax } = cli.urls;
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      raw(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });
    const t1 = (await post(`${trakrf}/api/v1/oauth/token`, { grant_type: 'client_credentials', client_id: demo.full.client_id, client_secret: demo.full.client_secret })).json.access_token;
    const t2 = (await post(`${machhub}/auth/login`, { username: 'admin', password: 'admin' })).json.tkn;
    const u = maxtraxFixtures.tenants[0].users[0];
    const host = { Host: `${maxtraxFixtures.tenants[0].name}.maxtrax.localhost` };
    const t3 = (await post(`${maxtrax}/auth/login`, { userName: u.userName, password: u.password }, host)).json.accessToken;
    expect([typeof t1, typeof t2, typeof t3]).toEqual(['string', 'string', 'string']);
    expect(await cli.stop()).toBe(0);

    cli = await startCli(args, 3);
    ({ TrakRF: trakrf, MACHHUB: machhub, MaxTrax: maxtrax } = cli.urls);
    expect((await raw(`${trakrf}/api/v1/assets`, { headers: { Authorization: `Bearer ${t1}` } })).status).toBe(200);
    expect((await raw(`${machhub}/machhub/auth/me`, { headers: { Authorization: `Bearer ${t2}` } })).status).toBe(200);
    expect((await raw(`${maxtrax}/isos`, { headers: { ...host, Authorization: `Bearer ${t3}` } })).status).toBe(200);

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    for (const name of ['trakrf', 'machhub', 'maxtrax']) expect(files).toContain(`${name}.keys.json`);
    for (const f of files) expect([f, statSync(join(dir, f)).mode & 0o777]).toEqual([f, 0o600]);
  }, 90_000);
});
