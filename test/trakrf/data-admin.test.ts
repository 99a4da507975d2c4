import { expect, test } from 'vitest';
import { Client, newOrg, setup, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

test('POST /__admin/generate: bulk assets continue the key sequence; history needs a live asset and locations', async () => {
  const { orgId, creds } = await newOrg(c);
  const call = (m: string, p: string, b?: unknown) => c.call(m, p, b, { creds });
  await call('POST', '/api/v1/assets', { name: 'first' });
  const g = await c.admin('POST', '/generate', { org_id: orgId, assets: 250 });
  expect(g.status).toBe(201);
  expect(g.body).toEqual({ assets: 250, scans: 0 });
  expect((await call('GET', '/api/v1/assets?limit=1')).body.total_count).toBe(251);
  const list = await call('GET', '/api/v1/assets?external_key=ASSET-0002');
  expect((await call('POST', '/api/v1/assets', { name: 'next' })).body.data.external_key).toBe('ASSET-0252');
  const asset = list.body.data[0];
  expect(asset.tags).toHaveLength(1);
  const noLoc = await c.admin('POST', '/generate', { org_id: orgId, history: { asset_id: asset.id, scans: 10 } });
  expect(noLoc.status).toBe(409);
  expect(noLoc.body.error).toBe(`org ${orgId} has no live locations to scan at`);
  await call('POST', '/api/v1/locations', { name: 'Dock' });
  const h = await c.admin('POST', '/generate', { org_id: orgId, history: { asset_id: asset.id, scans: 120 } });
  expect(h.body).toEqual({ assets: 0, scans: 120 });
  const hist = await call('GET', `/api/v1/assets/${asset.id}/history?limit=2`);
  expect(hist.body.total_count).toBe(120);
  expect(hist.body.data[1].duration_seconds).toBe(60);
  for (const [body, msg] of [
    [{ org_id: orgId, assets: 0 }, 'assets must be an integer from 1 to 1000000'],
    [{ org_id: orgId, history: { asset_id: 'x', scans: 1 } }, 'history must be {"asset_id": <id>, "scans": <1..1000000>}'],
    [{ org_id: orgId, rows: 1 }, 'unknown field: rows'],
  ] as const) {
    const r = await c.admin('POST', '/generate', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(msg);
  }
});

test('POST /__admin/rate-limit switches the per-key bucket off until the next reset', async () => {
  const { creds } = await newOrg(c);
  const get = () => c.call('GET', '/api/v1/assets?limit=1', undefined, { creds });
  expect((await get()).headers.get('x-ratelimit-remaining')).toBe('119');
  expect((await c.admin('POST', '/rate-limit', { enabled: false })).body).toEqual({ enabled: false, burst: 120, per_minute: 60 });
  for (let i = 0; i < 130; i++) expect((await get()).status).toBe(200);
  expect((await get()).headers.get('x-ratelimit-remaining')).toBe('120');
  expect((await c.admin('POST', '/rate-limit', { enabled: 'no' })).status).toBe(400);
  await c.reset();
  const after = await c.call('GET', '/api/v1/assets?limit=1');
  expect(after.headers.get('x-ratelimit-remaining')).toBe('119');
});

test('the same seed gives the same demo data (ids, keys, tags, scan history)', async () => {
  const a = new Client(42);
  const b = new Client(42);
  const other = new Client(43);
  for (const path of ['/api/v1/assets?limit=20', '/api/v1/locations?limit=20', '/api/v1/reports/asset-locations?limit=20']) {
    const x = await a.call('GET', path);
    expect(x.status).toBe(200);
    expect((await b.call('GET', path)).body).toEqual(x.body);
    expect((await other.call('GET', path)).body).not.toEqual(x.body);
  }
});

test('per-tenant reset restores one org and leaves the others alone', async () => {
  const { orgId, creds } = await newOrg(c);
  const mine = await c.call('POST', '/api/v1/assets', { name: 'kept' }, { creds });
  const seededTotal = (await c.call('GET', '/api/v1/assets')).body.total_count;
  const first = (await c.call('GET', '/api/v1/assets?limit=1')).body.data[0];
  await c.call('DELETE', `/api/v1/assets/${first.id}`);
  await c.call('POST', '/api/v1/assets', { name: 'temp' });
  expect((await c.call('GET', '/api/v1/assets')).body.total_count).toBe(seededTotal);
  const r = await c.admin('POST', '/reset', { tenant: 1 });
  expect(r.status).toBe(200);
  const after = await c.call('GET', '/api/v1/assets');
  expect(after.body.total_count).toBe(seededTotal);
  expect(after.body.data[0]).toEqual(first);
  expect((await c.call('GET', `/api/v1/assets/${mine.body.data.id}`, undefined, { creds })).status).toBe(200);
  expect(orgId).toBeGreaterThan(1);
});
