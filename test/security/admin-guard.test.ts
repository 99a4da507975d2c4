/**
 * The control-plane gate: admin token (401), JSON-only writes (415), foreign Origin and Host (403) — in process,
 * over a real port, and through the CLI flags (--admin-token, VENDOR_FAKES_ADMIN_TOKEN, --admin-open, --public-host).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Suite, startFakes, type RunningFakes } from '../../src/suite.js';
import { spawnSync } from 'node:child_process';
import { JSON_HEADERS, raw, startCli, type Cli } from './helpers.js';

const suites: Suite[] = [];
const suite = (opts: ConstructorParameters<typeof Suite>[0]) => {
  const s = new Suite({ vendors: ['trakrf'], ...opts });
  suites.push(s);
  return s;
};
let fakes: RunningFakes | undefined;
let cli: Cli | undefined;
afterEach(async () => {
  for (const s of suites.splice(0)) s.close();
  await fakes?.close();
  fakes = undefined;
  await cli?.stop();
  cli = undefined;
});

const TOKEN = 'Sesame-0123456789abcdef';
const advance = (headers: Record<string, string> = {}, body = '{"advance_seconds": 60}') =>
  ({ method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body });

async function expectError(res: Response, status: number, error: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: string };
  expect(Object.keys(body)).toEqual(['error']);
  if (typeof error === 'string') expect(body.error).toBe(error);
  else expect(body.error).toMatch(error);
}

describe('admin token', () => {
  it('with a token set: none → 401, wrong → 401, right → 200, on every /__admin route and method', async () => {
    const app = suite({ adminToken: TOKEN }).app('trakrf');
    for (const [path, init] of [['/__admin', {}], ['/__admin/clock', advance()], ['/__admin/nope', {}], ['/__admin/api-keys?org_id=1', {}]] as const) {
      const res = await app.request(path, init);
      await expectError(res, 401, 'admin token required');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
        const init2 = { ...init, headers: { ...(init as any).headers, Authorization: wrong } };
        await expectError(await app.request(path, init2), 401, 'admin token required');
      }
    }
    expect((await app.request('/__admin/clock')).status).toBe(401);
    expect((await app.request('/__admin', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await app.request('/__admin', { headers: { Authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    const moved = await app.request('/__admin/clock', advance({ Authorization: `Bearer ${TOKEN}` }));
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as any).offset_seconds).toBe(60);
  });

  it('a rejected request changes nothing, and the vendor API itself needs no admin token', async () => {
    const s = suite({ adminToken: TOKEN });
    const app = s.app('trakrf');
    expect((await app.request('/__admin/clock', advance())).status).toBe(401);
    expect(s.clock.state().offset_seconds).toBe(0);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('in-process Suite and startFakes() on loopback need no token', async () => {
    expect((await suite({}).app('trakrf').request('/__admin')).status).toBe(200);
    fakes = await startFakes({ vendors: ['trakrf'] });
    expect(fakes.adminToken).toBeNull();
    expect((await fetch(`${fakes.urls.trakrf}/__admin`)).status).toBe(200);
  });
});

describe('writes need Content-Type: application/json', () => {
  it('text/plain, form-encoded, multipart or missing type on a body → 415 and nothing changes', async () => {
    const s = suite({});
    const app = s.app('trakrf');
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      await expectError(await app.request('/__admin/clock', advance({ 'Content-Type': type })), 415, `control-plane writes need Content-Type: application/json (got ${type.split(';')[0].toLowerCase()})`);
    }
    // A string body without an explicit type is sent as text/plain (what a cross-site fetch or form does).
    await expectError(await app.request('/__admin/clock', { method: 'POST', body: '{"advance_seconds": 60}' }), 415, /^control-plane writes need Content-Type: application\/json/);
    await expectError(await app.request('/__admin/orgs/1', { method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: '{"subscription_active": false}' }), 415, /Content-Type: application\/json/);
    await expectError(await app.request('/__admin/api-keys/x', { method: 'DELETE', headers: { 'Content-Type': 'text/plain' }, body: 'x' }), 415, /Content-Type: application\/json/);
    expect(s.clock.state().offset_seconds).toBe(0);
    expect((await app.request('/__admin/clock', advance({ 'Content-Type': 'application/json; charset=utf-8' }))).status).toBe(200);
    expect((await app.request('/__admin/clock', advance({ 'Content-Type': 'Application/JSON' }))).status).toBe(200);
  });

  it('a write with no body and no Content-Type (curl -X POST …/reset) is accepted; reads need no type', async () => {
    const app = suite({}).app('trakrf');
    expect((await app.request('/__admin/reset', { method: 'POST' })).status).toBe(200);
    expect((await app.request('/__admin/clock')).status).toBe(200);
  });
});

describe('Origin and Host', () => {
  it('an Origin other than the listener’s own → 403; the own origin (http or https) passes', async () => {
    const app = suite({}).app('trakrf');
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'http://localhost:1', 'null', 'file://', 'not a url']) {
      await expectError(await app.request('/__admin/clock', advance({ Origin: origin })), 403, /^cross-origin requests to the control plane are refused/);
      await expectError(await app.request('/__admin', { headers: { Origin: origin } }), 403, /^cross-origin requests/);
    }
    // app.request() addresses http://localhost/.
    expect((await app.request('/__admin/clock', advance({ Origin: 'http://localhost' }))).status).toBe(200);
    expect((await app.request('/__admin', { headers: { Origin: 'https://localhost' } })).status).toBe(200);
    expect((await app.request('/__admin', { headers: { Host: '127.0.0.1:4400', Origin: 'http://127.0.0.1:4400' } })).status).toBe(200);
  });

  it('a Host that is not an IP literal, localhost, a --public-host or a vendor host → 403 on /__admin only', async () => {
    const app = suite({ publicHosts: ['fakes.internal', '*.demo.example'] }).app('trakrf');
    for (const host of ['evil.example', 'evil.example:4400', 'localhost.evil.example', 'fakes.internal.evil.example', 'demo.example', 'x:y', '[::1', '']) {
      await expectError(await app.request('/__admin', { headers: { Host: host } }), 403, /^the control plane does not answer to Host/);
    }
    for (const host of ['127.0.0.1', '127.0.0.1:4400', '10.1.2.3:80', '[::1]:4400', 'localhost', 'LOCALHOST:4400', 'trakrf.localhost', 'fakes.internal', 'FAKES.internal:8080', 'a.demo.example']) {
      expect([host, (await app.request('/__admin', { headers: { Host: host } })).status]).toEqual([host, 200]);
    }
    expect((await app.request('/healthz', { headers: { Host: 'evil.example' } })).status).toBe(200);
  });

  it('MaxTrax tenant hosts (<tenant>.<tenant domain>) reach its control plane; other vendors do not accept them', async () => {
    const s = suite({ vendors: ['maxtrax', 'trakrf'] });
    expect((await s.app('maxtrax').request('/__admin', { headers: { Host: 'acme.maxtrax.io' } })).status).toBe(200);
    expect((await s.app('maxtrax').request('/__admin', { headers: { Host: 'acme.maxtrax.io:4100' } })).status).toBe(200);
    expect((await s.app('maxtrax').request('/__admin', { headers: { Host: 'maxtrax.io.evil.example' } })).status).toBe(403);
    expect((await s.app('trakrf').request('/__admin', { headers: { Host: 'acme.maxtrax.io' } })).status).toBe(403);
  });

  it('over a real port: a DNS-rebound Host is refused, the listener address is not', async () => {
    fakes = await startFakes({ vendors: ['trakrf'] });
    const url = fakes.urls.trakrf;
    expect((await raw(`${url}/__admin`, { headers: { Host: 'attacker.example' } })).status).toBe(403);
    expect((await raw(`${url}/__admin`)).status).toBe(200);
    const plain = await raw(`${url}/__admin/clock`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"advance_seconds": 1}' });
    expect(plain.status).toBe(415);
    const bare = await raw(`${url}/__admin/reset`, { method: 'POST' });
    expect(bare.status).toBe(200);
  });
});

describe('CLI', () => {
  it('bad values of the new flags → one line, exit 1', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', timeout: 20_000 });
    let r = run(['--public-host', 'bad host']);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'vendor-fakes: --public-host: not a host name: bad host']);
    r = run(['--admin-token', '']);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'vendor-fakes: --admin-token must not be empty']);
  }, 40_000);

  it('on a non-loopback --host without a token: one warning line and a generated token, printed once and required', async () => {
    cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0', '--host', '0.0.0.0', '--public-host', 'fakes.internal'], 1);
    const warnings = cli.out().split('\n').filter((l) => l.startsWith('WARNING'));
    expect(warnings).toHaveLength(1);
    const token = /Authorization: Bearer ([0-9a-f]{48})/.exec(warnings[0])![1];
    expect(cli.out().split(token).length - 1).toBe(1);
    const port = new URL(cli.urls.TrakRF).port;
    expect((await raw(`http://127.0.0.1:${port}/__admin`)).json).toEqual({ error: 'admin token required' });
    expect((await raw(`http://127.0.0.1:${port}/__admin`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await raw(`http://127.0.0.1:${port}/__admin`, { headers: { ...auth, Host: `fakes.internal:${port}` } })).status).toBe(200);
    expect((await raw(`http://127.0.0.1:${port}/__admin`, { headers: { ...auth, Host: `other.internal:${port}` } })).status).toBe(403);
  }, 40_000);

  it('--admin-open leaves it open (with the warning); VENDOR_FAKES_ADMIN_TOKEN sets the token', async () => {
    cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0', '--host', '0.0.0.0', '--admin-open'], 1);
    expect(cli.out()).toMatch(/^WARNING: listening on 0\.0\.0\.0 .*--admin-open/m);
    let port = new URL(cli.urls.TrakRF).port;
    expect((await raw(`http://127.0.0.1:${port}/__admin`)).status).toBe(200);
    await cli.stop();
    cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0'], 1, { VENDOR_FAKES_ADMIN_TOKEN: TOKEN });
    expect(cli.out()).not.toMatch(/WARNING|Sesame/);
    port = new URL(cli.urls.TrakRF).port;
    expect((await raw(`http://127.0.0.1:${port}/__admin`)).status).toBe(401);
    expect((await raw(`http://127.0.0.1:${port}/__admin`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  }, 60_000);
});
