/** MaxTrax tenants from any HTTP client: X-Forwarded-Host and per-tenant ports, over real sockets with Node's fetch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../src/index.js';
import { parseTenantPorts, firstForwardedHost } from '../../src/vendors/maxtrax/tenancy.js';
import { makeSuite, user } from '../maxtrax/helpers.js';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({ vendors: ['maxtrax'], config: { maxtrax: { tenantPorts: 'globex=0' } } });
});
afterAll(() => fakes.close());

async function login(base: string, tenant: string, headers: Record<string, string> = {}) {
  const u = user('inspector', tenant);
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ userName: u.userName, password: u.password }),
  });
  return { status: res.status, body: (await res.json()) as { accessToken: string } };
}

async function welds(base: string, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/welds`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, body: (await res.json()) as { totalItems: number } };
}

describe('MaxTrax tenant selection from Node fetch', () => {
  it('X-Forwarded-Host: globex.maxtrax.localhost reaches globex on the main port (Host cannot be set by fetch)', async () => {
    const base = fakes.urls.maxtrax;
    const xfh = { 'X-Forwarded-Host': 'globex.maxtrax.localhost' };
    const l = await login(base, 'globex', xfh);
    expect(l.status).toBe(200);
    const w = await welds(base, l.body.accessToken, xfh);
    expect(w.status).toBe(200);
    expect(w.body.totalItems).toBe(24);
    // Without the header the same token is acme's host's business: not issued for this tenant.
    expect((await welds(base, l.body.accessToken)).status).toBe(401);
    // Globex credentials do not sign in on the default tenant.
    expect((await login(base, 'globex')).status).toBe(401);
  });

  it('--maxtrax-tenant-ports: a listener pinned to globex serves globex whatever the Host; the main port stays acme', async () => {
    const pinned = fakes.listeners.find((l) => l.vendor === 'maxtrax' && l.tenant === 'globex')!;
    expect(pinned.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(pinned.url).not.toBe(fakes.urls.maxtrax);
    const l = await login(pinned.url, 'globex');
    expect(l.status).toBe(200);
    expect((await welds(pinned.url, l.body.accessToken)).body.totalItems).toBe(24);
    // The pin wins over X-Forwarded-Host.
    expect((await welds(pinned.url, l.body.accessToken, { 'X-Forwarded-Host': 'acme.maxtrax.localhost' })).status).toBe(200);
    const acme = await login(fakes.urls.maxtrax, 'acme');
    expect((await welds(fakes.urls.maxtrax, acme.body.accessToken)).body.totalItems).toBe(120);
    // The control plane and /__health answer on the pinned listener too.
    expect((await fetch(`${pinned.url}/__admin`)).status).toBe(200);
    const health = (await (await fetch(`${pinned.url}/__health`)).json()) as { listeners: Array<{ tenant?: string }> };
    expect(health.listeners.map((x) => x.tenant ?? null)).toEqual([null, 'globex']);
  });
});

describe('X-Forwarded-Host in-process', () => {
  const { call, login: inLogin, suite } = makeSuite();
  afterAll(() => suite.close());

  it('the first host of the list names the tenant; an unknown one is the vendor 404 naming that host', async () => {
    const { token } = await inLogin('inspector', 'globex');
    const r = await call('GET', '/welds', { host: 'localhost:4100', token, headers: { 'X-Forwarded-Host': 'globex.maxtrax.io, proxy.internal' } });
    expect(r.status).toBe(200);
    const missing = await call('GET', '/health/live', { host: 'localhost', headers: { 'X-Forwarded-Host': 'initech.maxtrax.localhost' } });
    expect(missing.status).toBe(404);
    expect(missing.json.detail).toBe('No MaxTrax tenant is served at initech.maxtrax.localhost.');
  });

  it('--maxtrax-forwarded-host false ignores the header (Host decides, as at the vendor)', async () => {
    const s = makeSuite({ forwardedHost: false });
    const { token } = await s.login('inspector', 'globex');
    const r = await s.call('GET', '/welds', { host: 'localhost:4100', token, headers: { 'X-Forwarded-Host': 'globex.maxtrax.io' } });
    expect(r.status).toBe(401);
    s.suite.close();
  });
});

describe('parsing', () => {
  it('tenant ports', () => {
    expect(parseTenantPorts('')).toEqual([]);
    expect(parseTenantPorts('acme=4101, globex=4102')).toEqual([{ tenant: 'acme', port: 4101 }, { tenant: 'globex', port: 4102 }]);
    for (const bad of ['acme', 'acme=', 'acme=x', 'Acme=1', 'acme=70000', 'acme=1,,globex=2']) {
      expect(() => parseTenantPorts(bad), bad).toThrow(/^--maxtrax-tenant-ports must be tenant=port pairs separated by commas/);
    }
    expect(() => parseTenantPorts('acme=1,acme=2')).toThrow('--maxtrax-tenant-ports names tenant acme twice');
  });

  it('forwarded host', () => {
    expect(firstForwardedHost(undefined)).toBeUndefined();
    expect(firstForwardedHost(' , x')).toBeUndefined();
    expect(firstForwardedHost('a.maxtrax.io:8443 , b')).toBe('a.maxtrax.io:8443');
  });

  it('a bad --maxtrax-tenant-ports fails startFakes with that sentence and leaves no listener', async () => {
    await expect(startFakes({ vendors: ['maxtrax'], config: { maxtrax: { tenantPorts: 'globex' } } })).rejects.toThrow(/^--maxtrax-tenant-ports must be/);
  });
});
