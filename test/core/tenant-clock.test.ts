import { afterEach, describe, expect, it } from 'vitest';
import { Clock, VendorClock } from '../../src/core/clock.js';
import { RequestScope, runInScope } from '../../src/core/scope.js';
import { Suite } from '../../src/suite.js';
import { adminCall } from '../support/admin.js';
import { demo, exchange, get as trakrfGet, refresh as trakrfRefresh } from '../trakrf/helpers.js';
import { makeSuite as maxtraxSuite } from '../maxtrax/helpers.js';
import { makeSuite as machhubSuite } from '../machhub/helpers.js';
import { makeSuite as maintainxSuite, ADMIN, BOREALIS } from '../maintainx/helpers.js';

const inTenant = <T>(tenant: string | null, fn: () => T): T => {
  const scope = new RequestScope();
  scope.tenant = tenant;
  return runInScope(scope, fn);
};

describe('VendorClock (per-tenant clocks)', () => {
  it('reads a tenant clock only while serving that tenant, on top of the suite clock', () => {
    let real = 1_000_000;
    const suite = new Clock(() => real);
    const clock = suite.forVendor();
    expect(clock).toBeInstanceOf(VendorClock);
    expect(clock.hasTenantClocks).toBe(false);
    clock.advanceTenant('a', 60);
    expect(clock.hasTenantClocks).toBe(true);
    expect(inTenant('a', () => clock.nowMs())).toBe(1_060_000);
    expect(inTenant('b', () => clock.nowMs())).toBe(1_000_000);
    expect(inTenant(null, () => clock.nowMs())).toBe(1_000_000);
    expect(clock.nowMs()).toBe(1_000_000);
    // The suite clock moves every tenant; a frozen tenant stays where it is.
    suite.advance(10);
    expect(inTenant('a', () => clock.nowMs())).toBe(1_070_000);
    clock.freezeTenant('a', true);
    real += 5_000;
    suite.advance(100);
    expect(inTenant('a', () => clock.nowMs())).toBe(1_070_000);
    expect(inTenant('b', () => clock.nowMs())).toBe(1_115_000);
    clock.advanceTenant('a', 1);
    expect(clock.tenantNowMs('a')).toBe(1_071_000);
    clock.freezeTenant('a', false);
    real += 2_000;
    expect(clock.tenantNowMs('a')).toBe(1_073_000);
    clock.setTenant('a', new Date('2030-01-01T00:00:00Z'));
    expect(clock.tenantState('a')).toMatchObject({ tenant: 'a', own: true, now: '2030-01-01T00:00:00.000Z', frozen: false });
    expect(clock.tenantState('b')).toMatchObject({ tenant: 'b', own: false, now: new Date(suite.nowMs()).toISOString() });
    clock.resetTenant('a');
    expect(clock.hasTenantClocks).toBe(false);
    expect(inTenant('a', () => clock.nowMs())).toBe(suite.nowMs());
  });

  it('moves the suite clock when moved without a tenant; a full reset clears its tenant clocks', () => {
    const suite = new Clock(() => 0);
    const clock = suite.forVendor();
    clock.advance(5);
    expect(suite.nowMs()).toBe(5_000);
    clock.advanceTenant('a', 1);
    clock.reset();
    expect(suite.nowMs()).toBe(0);
    expect(clock.hasTenantClocks).toBe(false);
  });
});

describe('POST/GET /__admin/clock with a tenant', () => {
  let suite: Suite | undefined;
  afterEach(() => suite?.close());

  const admin = (s: Suite, method: string, path: string, body?: unknown) => adminCall(s.app('trakrf'), method, path, body);

  it('moves one tenant, reports it, refuses unknown tenants and bad bodies', async () => {
    suite = new Suite({ vendors: ['trakrf'], seed: 42 });
    const before = Date.parse(((await admin(suite, 'GET', '/clock')).body as { now: string }).now);
    let res = await admin(suite, 'POST', '/clock', { tenant: 1, advance_seconds: 3600 });
    expect(res.status).toBe(200);
    const state = res.body as { tenant: string; own: boolean; now: string; frozen: boolean; offset_seconds: number };
    expect(state).toMatchObject({ tenant: '1', own: true, frozen: false });
    expect(state.offset_seconds).toBeGreaterThanOrEqual(3599);
    expect(Date.parse(state.now) - before).toBeGreaterThanOrEqual(3_599_000);
    // The suite clock did not move.
    const suiteState = (await admin(suite, 'GET', '/clock')).body as { offset_seconds: number };
    expect(suiteState.offset_seconds).toBe(0);
    expect((await admin(suite, 'GET', '/clock?tenant=2')).body).toMatchObject({ tenant: '2', own: false, offset_seconds: 0 });
    expect((await admin(suite, 'GET', '/clock?tenant=1')).body).toMatchObject({ tenant: '1', own: true });

    res = await admin(suite, 'POST', '/clock', { tenant: '999', advance_seconds: 1 });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'unknown tenant: 999' });
    res = await admin(suite, 'GET', '/clock?tenant=nope');
    expect(res.status).toBe(404);
    res = await admin(suite, 'POST', '/clock', { tenant: '1' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'send exactly one of: advance_seconds, set, freeze, real (besides tenant)' });
    res = await admin(suite, 'POST', '/clock', { tenant: true, freeze: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'tenant must be a string or a number' });

    res = await admin(suite, 'POST', '/clock', { tenant: '1', freeze: true });
    expect(res.body).toMatchObject({ tenant: '1', own: true, frozen: true });
    res = await admin(suite, 'POST', '/clock', { tenant: '1', set: '2030-01-01T00:00:00Z' });
    expect(res.body).toMatchObject({ tenant: '1', now: '2030-01-01T00:00:00.000Z', frozen: true });
    res = await admin(suite, 'POST', '/clock', { tenant: '1', real: true });
    expect(res.body).toMatchObject({ tenant: '1', own: false, frozen: false });
  });

  it('a tenant reset clears its clock; a full reset clears all of them', async () => {
    suite = new Suite({ vendors: ['trakrf'], seed: 42 });
    await admin(suite, 'POST', '/clock', { tenant: 1, advance_seconds: 60 });
    await admin(suite, 'POST', '/clock', { tenant: 2, advance_seconds: 60 });
    expect((await admin(suite, 'POST', '/reset', { tenant: '1' })).status).toBe(200);
    expect((await admin(suite, 'GET', '/clock?tenant=1')).body).toMatchObject({ own: false });
    expect((await admin(suite, 'GET', '/clock?tenant=2')).body).toMatchObject({ own: true });
    await admin(suite, 'POST', '/reset');
    expect((await admin(suite, 'GET', '/clock?tenant=2')).body).toMatchObject({ own: false });
  });
});

describe('a tenant clock advance expires only that tenant’s tokens', () => {
  it('TrakRF: access tokens, refresh tokens and API-key expiry follow the org’s clock (read from the token)', async () => {
    const suite = new Suite({ vendors: ['trakrf'], seed: 42 });
    try {
      const app = suite.app('trakrf');
      const acme = (await (await exchange(app, demo.full)).json()) as { access_token: string; refresh_token: string };
      const globex = (await (await exchange(app, demo.globex)).json()) as { access_token: string; refresh_token: string };
      // Both tokens seen (and cached as verified) before the clock moves.
      expect((await trakrfGet(app, '/api/v1/assets', acme.access_token)).status).toBe(200);
      expect((await trakrfGet(app, '/api/v1/assets', globex.access_token)).status).toBe(200);
      const globexFresh = (await (await exchange(app, demo.globex)).json()) as { access_token: string };
      const clock = suite.instance('trakrf').ctx.clock as VendorClock;
      clock.advanceTenant('1', 901);
      expect((await trakrfGet(app, '/api/v1/assets', acme.access_token)).status).toBe(401);
      expect((await trakrfGet(app, '/api/v1/assets', globex.access_token)).status).toBe(200);
      // A token never verified before is checked on its tenant's clock too.
      expect((await trakrfGet(app, '/api/v1/assets', globexFresh.access_token)).status).toBe(200);
      // A new token of org 1 is issued on org 1's clock and works there.
      const later = (await (await exchange(app, demo.full)).json()) as { access_token: string };
      const iat = JSON.parse(Buffer.from(later.access_token.split('.')[1], 'base64url').toString()).iat as number;
      expect(iat * 1000).toBeGreaterThanOrEqual(suite.clock.nowMs() + 899_000);
      expect((await trakrfGet(app, '/api/v1/assets', later.access_token)).status).toBe(200);
      // Refresh tokens (30 days) likewise.
      clock.advanceTenant('1', 31 * 86_400);
      expect((await trakrfRefresh(app, acme.refresh_token)).status).toBe(401);
      expect((await trakrfRefresh(app, globex.refresh_token)).status).toBe(200);
    } finally {
      suite.close();
    }
  });

  it('MaxTrax: access tokens of the advanced tenant expire, the other tenant’s do not', async () => {
    const { suite, call, login } = maxtraxSuite();
    try {
      const acme = await login('inspector', 'acme');
      const globex = await login('inspector', 'globex');
      expect((await call('GET', '/isos', { tenant: 'acme', token: acme.token })).status).toBe(200);
      const clock = suite.instance('maxtrax').ctx.clock as VendorClock;
      clock.advanceTenant('acme', 24 * 3600);
      const expired = await call('GET', '/isos', { tenant: 'acme', token: acme.token });
      expect(expired.status).toBe(401);
      expect(expired.json.detail).toBe('The access token has expired.');
      expect((await call('GET', '/isos', { tenant: 'globex', token: globex.token })).status).toBe(200);
    } finally {
      suite.close();
    }
  });

  it('MACHHUB: a domain’s clock decides JWT expiry for requests in that domain', async () => {
    const { suite, req, login } = machhubSuite();
    try {
      const token = await login('admin');
      const me = (domain: string) => req('GET', '/machhub/auth/me', { domain, headers: { Authorization: `Bearer ${token}` } });
      expect((await me('domains:acme')).status).toBe(200);
      const clock = suite.instance('machhub').ctx.clock as VendorClock;
      clock.advanceTenant('domains:acme', 25 * 3600);
      expect((await me('domains:acme')).status).toBe(401);
      expect((await me('domains:globex')).status).toBe(200);
    } finally {
      suite.close();
    }
  });

  it('MaintainX (keys never expire): an organization’s clock moves its rate-limit window and its timestamps only', async () => {
    const { suite, call } = maintainxSuite({ userLimit: 3, orgLimit: 100, windowSeconds: 60 });
    try {
      for (const key of [ADMIN, BOREALIS]) {
        for (let i = 0; i < 3; i++) expect((await call('GET', '/v1/users', { key })).status).toBe(200);
        expect((await call('GET', '/v1/users', { key })).status).toBe(429);
      }
      const clock = suite.instance('maintainx').ctx.clock as VendorClock;
      clock.advanceTenant('1', 61);
      expect((await call('GET', '/v1/users', { key: ADMIN })).status).toBe(200);
      expect((await call('GET', '/v1/users', { key: BOREALIS })).status).toBe(429);
      const created = await call('POST', '/v1/workorders', { key: ADMIN, body: { title: 'tenant clock' } });
      expect(created.status).toBe(200);
      const wo = await call('GET', `/v1/workorders/${created.body.id}`, { key: ADMIN });
      expect(wo.status).toBe(200);
      expect(Date.parse(wo.body.workOrder.createdAt)).toBeGreaterThanOrEqual(suite.clock.nowMs() + 60_000);
    } finally {
      suite.close();
    }
  });
});
