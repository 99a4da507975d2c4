/** History retention: scans older than the window (365 days, the backend's asset_scans policy) leave every read. */
import { afterAll, describe, expect, test } from 'vitest';
import { Client, newOrg } from './helpers.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');

async function world(c: Client) {
  await c.reset();
  c.suite.clock.freeze(true);
  c.suite.clock.set(new Date(T0));
  const { orgId, creds } = await newOrg(c);
  const call = (path: string, method = 'GET') => c.call(method, path, undefined, { creds });
  const mk = async (path: string, body: unknown) => (await c.call('POST', path, body, { creds })).body.data;
  const dock = await mk('/api/v1/locations', { name: 'Dock', external_key: 'DOCK' });
  const asset = await mk('/api/v1/assets', { name: 'Pallet', external_key: 'P-1' });
  const scans = [0, 1, 2].map((m) => ({ asset_id: asset.id, location_id: dock.id, observed_at: new Date(T0 - 10 * 60_000 + m * 60_000).toISOString() }));
  expect((await c.admin('POST', '/scans', { org_id: orgId, scans })).status).toBe(201);
  const history = async () => (await call(`/api/v1/assets/${asset.id}/history`)).body.total_count;
  const report = async () => (await call('/api/v1/reports/asset-locations')).body;
  const at = (ms: number) => c.suite.clock.set(new Date(ms));
  return { call, dock, asset, history, report, at };
}

describe('trakrf history retention', () => {
  const c = new Client();
  afterAll(() => c.suite.close());

  test('default 365 days on the suite clock: history, the report and the delete-409 placement forget old scans', async () => {
    const w = await world(c);
    expect(await w.history()).toBe(3);
    expect((await w.report()).total_count).toBe(1);
    const newest = T0 - 8 * 60_000;
    w.at(newest + 365 * DAY - 1);
    expect(await w.history()).toBe(1); // the two older minutes are out of the window
    const r = await w.report();
    expect(r.total_count).toBe(1);
    expect(r.data[0]).toMatchObject({ asset_last_seen: new Date(newest).toISOString(), dwell_started_at: new Date(newest).toISOString(), dwell_seconds: 0 });
    expect((await w.call(`/api/v1/locations/${w.dock.id}`, 'DELETE')).status).toBe(409);
    w.at(newest + 365 * DAY + 1);
    expect(await w.history()).toBe(0);
    expect(await w.report()).toMatchObject({ data: [], total_count: 0 });
    // nothing places the asset at the dock any more
    expect((await w.call(`/api/v1/locations/${w.dock.id}`, 'DELETE')).status).toBe(204);
  });

  test('moving the clock back brings them back (retention is applied at read time)', async () => {
    const w = await world(c);
    w.at(T0 + 400 * DAY);
    expect(await w.history()).toBe(0);
    w.at(T0);
    expect(await w.history()).toBe(3);
  });
});

describe('trakrf history retention, configured', () => {
  const c = new Client(42, { historyRetentionDays: 90 });
  afterAll(() => c.suite.close());

  test('--trakrf-history-retention-days 90', async () => {
    const w = await world(c);
    w.at(T0 + 89 * DAY);
    expect(await w.history()).toBe(3);
    w.at(T0 + 91 * DAY);
    expect(await w.history()).toBe(0);
    expect((await w.report()).total_count).toBe(0);
  });

  test('a bad value is refused at start', async () => {
    expect(() => new Client(42, { historyRetentionDays: 0 }).app).toThrow('--trakrf-history-retention-days must be a number of days above 0 and at most 36500');
  });
});
