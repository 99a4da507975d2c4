import { describe, expect, it } from 'vitest';
import { ADMIN, BOREALIS, MULTI, makeSuite } from './helpers.js';

describe('maintainx auth', () => {
  const { call, suite } = makeSuite();

  it('401 without a key, with a garbage key, with a non-bearer scheme', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nope-nope' }, { authorization: `Basic ${ADMIN}` }, { authorization: 'Bearer' }]) {
      const r = await call('GET', '/v1/workorders', { key: null, headers });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: 'Invalid token' });
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
      expect(r.headers.get('x-rate-limit-limit')).toBe('100');
    }
  });

  it('accepts the scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const r = await call('GET', '/v1/workorders?limit=1', { key: null, headers: { authorization: `${scheme} ${ADMIN}` } });
      expect(r.status).toBe(200);
    }
  });

  it('GET /versions needs no key', async () => {
    const r = await call('GET', '/v1/versions', { key: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([{ version: '1' }]);
    expect(r.headers.get('x-rate-limit-limit')).toBe('100');
    const before = await call('GET', '/v1/versions');
    await call('GET', '/v1/versions');
    expect((await call('GET', '/v1/versions')).headers.get('x-rate-limit-remaining')).toBe(before.headers.get('x-rate-limit-remaining'));
  });

  it('multi-organization key without x-organization-id → exact 400', async () => {
    const r = await call('POST', '/v1/workorders', { key: MULTI, body: { title: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ error: 'Missing x-organization-id header.' }] });
    const g = await call('GET', '/v1/workorders', { key: MULTI });
    expect(g.status).toBe(400);
    expect(g.body).toEqual({ errors: [{ error: 'Missing x-organization-id header.' }] });
  });

  it('multi-organization key with x-organization-id (any casing) works and sees that org only', async () => {
    const a = await call('GET', '/v1/workorders?limit=200', { key: MULTI, headers: { 'X-Organization-Id': '1' } });
    const b = await call('GET', '/v1/workorders?limit=200', { key: MULTI, headers: { 'x-organization-id': '2' } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.workOrders.every((w: any) => w.organizationId === 1)).toBe(true);
    expect(b.body.workOrders.every((w: any) => w.organizationId === 2)).toBe(true);
  });

  it('both headers → 400; x-organization-ids on assets lists both orgs', async () => {
    const both = await call('GET', '/v1/assets', { key: MULTI, headers: { 'x-organization-id': '1', 'x-organization-ids': '1,2' } });
    expect(both.status).toBe(400);
    expect(both.body).toEqual({ errors: [{ error: 'You cannot use both headers (x-organization-id and x-organization-ids) at the same time.' }] });
    const many = await call('GET', '/v1/assets?limit=200', { key: MULTI, headers: { 'x-organization-ids': '1,2' } });
    expect(many.status).toBe(200);
    expect(new Set(many.body.assets.map((a: any) => a.organizationId))).toEqual(new Set([1, 2]));
    // x-organization-ids is not taken by /workorders: the key still has to name one organization.
    const wo = await call('GET', '/v1/workorders', { key: MULTI, headers: { 'x-organization-ids': '1,2' } });
    expect(wo.status).toBe(400);
    expect(wo.body).toEqual({ errors: [{ error: 'Missing x-organization-id header.' }] });
  });

  it('a key never sees an organization it does not belong to', async () => {
    const r = await call('GET', '/v1/workorders', { key: BOREALIS, headers: { 'x-organization-id': '1' } });
    expect(r.status).toBe(403);
    expect(r.body.errors[0].error).toBe('You do not have access to this organization.');
    const m = await call('GET', '/v1/assets', { key: MULTI, headers: { 'x-organization-ids': '1,3' } });
    expect(m.status).toBe(403);
    const bad = await call('GET', '/v1/assets', { key: MULTI, headers: { 'x-organization-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errors: [{ error: 'Invalid x-organization-id header.', fieldPath: 'x-organization-id', fieldValue: 'abc' }] });
    // Ids of another organization are 404 (spec: "… or the user cannot access it").
    const acmeWo = (await call('GET', '/v1/workorders?limit=1')).body.workOrders[0];
    const other = await call('GET', `/v1/workorders/${acmeWo.id}`, { key: BOREALIS });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: 'Not Found.' });
  });

  it('GET /organizations lists exactly the key organizations', async () => {
    const r = await call('GET', '/v1/organizations', { key: MULTI });
    expect(r.status).toBe(200);
    expect(r.body.organizations.map((o: any) => o.id)).toEqual([1, 2]);
    expect(r.body.organizations[0]).toMatchObject({ id: 1, name: 'Acme Manufacturing', timeZone: 'America/Chicago' });
    const one = await call('GET', '/v1/organizations', { key: BOREALIS });
    expect(one.body.organizations.map((o: any) => o.id)).toEqual([2]);
  });

  it('control plane mints organizations, users and keys; the key is shown once and works', async () => {
    const org = await call('POST', '/__admin/organizations', { key: null, body: { name: 'Delta Utilities' } });
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({ id: 4, name: 'Delta Utilities' });
    const user = await call('POST', '/__admin/users', { key: null, body: { organization_id: 4, firstName: 'Ada', lastName: 'Lee', email: 'ada@delta.example', role: 'ADMIN' } });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ firstName: 'Ada', role: 'ADMIN', organizationId: 4 });
    const key = await call('POST', '/__admin/api-keys', { key: null, body: { user_id: user.body.id, organization_ids: [4] } });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^mx_[A-Za-z0-9]{40}$/);
    const list = await call('GET', '/__admin/api-keys', { key: null });
    expect(JSON.stringify(list.body)).not.toContain(key.body.key);
    const me = await call('GET', '/v1/organizations', { key: key.body.key });
    expect(me.body.organizations).toEqual([{ id: 4, name: 'Delta Utilities', timeZone: 'Etc/UTC', imageUrl: null, currency: 'USD', dateFormatLocale: 'en-US' }]);
    const wos = await call('GET', '/v1/workorders', { key: key.body.key });
    expect(wos.body).toEqual({ workOrders: [], nextCursor: null, nextPageUrl: null });
    const revoke = await call('DELETE', `/__admin/api-keys/${key.body.id}`, { key: null });
    expect(revoke.status).toBe(204);
    expect((await call('GET', '/v1/workorders', { key: key.body.key })).status).toBe(401);
  });

  it('control-plane validation', async () => {
    expect((await call('POST', '/__admin/api-keys', { key: null, body: { user_id: 999999 } })).status).toBe(404);
    expect((await call('POST', '/__admin/api-keys', { key: null, body: { user_id: 1, organization_ids: [] } })).status).toBe(400);
    expect((await call('POST', '/__admin/users', { key: null, body: { organization_id: 1, firstName: 'A', lastName: 'B', role: 'BOSS' } })).status).toBe(400);
    expect((await call('POST', '/__admin/organizations', { key: null, body: { name: 'x', extra: 1 } })).body).toEqual({ error: 'unknown field: extra' });
    expect((await call('POST', '/__admin/organizations', { key: null, raw: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('reset restores the seeded state', async () => {
    suite.reset();
    const r = await call('GET', '/v1/organizations', { key: MULTI });
    expect(r.body.organizations.map((o: any) => o.id)).toEqual([1, 2]);
  });
});

describe('maintainx rate-limit switch (control plane)', () => {
  const { call } = makeSuite({ userLimit: 2 });
  it('POST /__admin/rate-limit turns the limiter off and on at run time', async () => {
    expect((await call('GET', '/__admin/rate-limit', { key: null })).body).toEqual({ enabled: true, user_limit: 2, organization_limit: 500, window_seconds: 60 });
    await call('GET', '/v1/users/1');
    await call('GET', '/v1/users/1');
    expect((await call('GET', '/v1/users/1')).status).toBe(429);
    expect((await call('POST', '/__admin/rate-limit', { key: null, body: { enabled: false } })).body.enabled).toBe(false);
    expect((await call('GET', '/v1/users/1')).status).toBe(200);
    expect((await call('POST', '/__admin/rate-limit', { key: null, body: { enabled: 'no' } })).status).toBe(400);
    await call('POST', '/__admin/rate-limit', { key: null, body: { enabled: true } });
    expect((await call('GET', '/v1/users/1')).status).toBe(429);
  });
});

describe('maintainx multi-organization writes', () => {
  const { call } = makeSuite();
  it('a multi-organization key writes into the organization it names, and only there', async () => {
    const w = await call('POST', '/v1/workorders', { key: MULTI, headers: { 'x-organization-id': '2' }, body: { title: 'Written for Borealis' } });
    expect(w.status).toBe(200);
    expect((await call('GET', `/v1/workorders/${w.body.id}`, { key: BOREALIS })).body.workOrder).toMatchObject({ organizationId: 2, creatorId: 1 });
    expect((await call('GET', `/v1/workorders/${w.body.id}`)).status).toBe(404);
    expect((await call('GET', `/v1/workorders/${w.body.id}`, { key: MULTI, headers: { 'x-organization-id': '1' } })).status).toBe(404);
    for (const list of ['/v1/locations', '/v1/parts']) {
      const r = await call('GET', `${list}?limit=200`, { key: MULTI, headers: { 'x-organization-ids': '2, 1' } });
      expect(r.status, list).toBe(200);
      const key = list.split('/')[2];
      expect(new Set(r.body[key].map((x: any) => x.organizationId))).toEqual(new Set([1, 2]));
    }
    const bad = await call('GET', '/v1/parts', { key: MULTI, headers: { 'x-organization-ids': '1,,x' } });
    expect(bad.body).toEqual({ errors: [{ error: 'Invalid x-organization-ids header.', fieldPath: 'x-organization-ids', fieldValue: '1,,x' }] });
  });
});

describe('maintainx control-plane garbage', () => {
  const { call } = makeSuite();
  it('never answers 5xx', async () => {
    for (const [m, p, body] of [
      ['GET', '/__admin/files/%E0%A4%A', undefined],
      ['GET', '/__admin/files/nope', undefined],
      ['DELETE', '/__admin/api-keys/abc', undefined],
      ['GET', '/__admin/webhooks/deliveries?subscription_id=x', undefined],
      ['GET', '/__admin/webhooks/deliveries?bogus=1', undefined],
      ['POST', '/__admin/workorders/bulk', { organization_id: 1, count: 0 }],
      ['POST', '/__admin/workorders/bulk', { organization_id: 99, count: 1 }],
      ['POST', '/__admin/users', { organization_id: 1, firstName: 'a', lastName: 'b', email: 'dana.reyes@acme.example' }],
      ['POST', '/__admin/organizations', { name: 'dup', id: 1 }],
    ] as const) {
      const r = await call(m, p, { key: null, body });
      expect(r.status, `${m} ${p}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${m} ${p}`).toBeLessThan(500);
      expect(typeof r.body.error).toBe('string');
    }
  });
});
