import { describe, expect, test } from 'vitest';
import { READ_ONLY, TRACKING, fieldsOf, newOrg, setup, type Client, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

/** An org with locations L1, L2, L3 and assets A1..A3 (A3 never scanned). */
async function world(client: Client) {
  const { creds, orgId } = await newOrg(client);
  const call = (method: string, path: string, body?: unknown) => client.call(method, path, body, { creds });
  const loc = async (key: string) => (await call('POST', '/api/v1/locations', { name: `Loc ${key}`, external_key: key })).body.data;
  const asset = async (key: string, extra: Record<string, unknown> = {}) =>
    (await call('POST', '/api/v1/assets', { name: `Asset ${key}`, external_key: key, ...extra })).body.data;
  const L1 = await loc('L1');
  const L2 = await loc('L2');
  const L3 = await loc('L3');
  const A1 = await asset('A1', { tags: [{ tag_type: 'rfid', value: 'TAG-ONE' }], description: 'zzz' });
  const A2 = await asset('A2');
  const A3 = await asset('A3');
  const scans = async (list: Array<Record<string, unknown>>) => {
    const r = await client.admin('POST', '/scans', { org_id: orgId, scans: list });
    if (r.status !== 201) throw new Error(`scans: ${r.status} ${r.text}`);
    return r.body;
  };
  return { call, orgId, L1, L2, L3, A1, A2, A3, scans };
}

const at = (hhmmss: string) => `2026-03-01T${hhmmss}Z`;

describe('POST /__admin/scans', () => {
  test('minute buckets; the earliest read in a minute wins whatever the arrival order', async () => {
    const w = await world(c);
    const r = await w.scans([
      { asset_id: w.A1.id, location_id: w.L2.id, observed_at: at('10:00:40') },
      { asset_id: w.A1.id, location_external_key: 'L1', observed_at: at('10:00:10') },
      { asset_external_key: 'A1', location_id: w.L3.id, observed_at: at('10:00:50') },
    ]);
    expect(r).toEqual({ received: 3, stored: 2 });
    const h = await w.call('GET', `/api/v1/assets/${w.A1.id}/history`);
    expect(h.body.data).toEqual([{ event_observed_at: '2026-03-01T10:00:00.000Z', location_id: w.L1.id, location_external_key: 'L1', duration_seconds: null }]);
  });

  test('control-plane errors', async () => {
    const w = await world(c);
    const bad = async (body: unknown, status: number, msg: string) => {
      const r = await c.admin('POST', '/scans', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error).toBe(msg);
    };
    await bad({ org_id: w.orgId, scans: [] }, 400, 'scans must be a non-empty array of at most 100000 scan events');
    await bad({ org_id: 999, scans: [{}] }, 404, 'no org with id 999');
    await bad({ org_id: w.orgId, scans: [{ location_id: w.L1.id, observed_at: at('10:00:00') }] }, 400, 'scans[0]: send exactly one of asset_id, asset_external_key');
    await bad({ org_id: w.orgId, scans: [{ asset_id: w.A1.id, observed_at: at('10:00:00') }] }, 400, 'scans[0]: send location_id (or null for a read without a location) or location_external_key');
    await bad({ org_id: w.orgId, scans: [{ asset_id: w.A1.id, location_id: w.L1.id, observed_at: 'yesterday' }] }, 400, 'scans[0].observed_at must be an RFC 3339 timestamp');
    await bad({ org_id: w.orgId, scans: [{ asset_id: 5, location_id: w.L1.id, observed_at: at('10:00:00') }] }, 404, `scans[0]: no live asset 5 in org ${w.orgId}`);
    await bad({ org_id: w.orgId, scans: [{ asset_id: w.A1.id, location_external_key: 'NOPE', observed_at: at('10:00:00') }] }, 404, `scans[0]: no live location with external_key NOPE in org ${w.orgId}`);
    await bad({ org_id: w.orgId, scans: [{ asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:00:00'), rssi: 3 }] }, 400, 'scans[0]: unknown field: rssi');
  });
});

describe('GET /api/v1/assets/{asset_id}/history', () => {
  test('newest first, duration_seconds to the next scan within the window, null on the latest', async () => {
    const w = await world(c);
    await w.scans([
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:00:00') },
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:05:30') },
      { asset_id: w.A1.id, location_id: w.L2.id, observed_at: at('11:00:00') },
      { asset_id: w.A1.id, location_id: null, observed_at: at('12:00:00') },
    ]);
    const r = await w.call('GET', `/api/v1/assets/${w.A1.id}/history`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['data', 'limit', 'offset', 'total_count']);
    expect(r.body.data).toEqual([
      { event_observed_at: '2026-03-01T12:00:00.000Z', location_id: null, location_external_key: null, duration_seconds: null },
      { event_observed_at: '2026-03-01T11:00:00.000Z', location_id: w.L2.id, location_external_key: 'L2', duration_seconds: 3600 },
      { event_observed_at: '2026-03-01T10:05:00.000Z', location_id: w.L1.id, location_external_key: 'L1', duration_seconds: 3300 },
      { event_observed_at: '2026-03-01T10:00:00.000Z', location_id: w.L1.id, location_external_key: 'L1', duration_seconds: 300 },
    ]);
    for (const row of r.body.data) expect(Object.keys(row)).toEqual(['event_observed_at', 'location_id', 'location_external_key', 'duration_seconds']);
    const asc = await w.call('GET', `/api/v1/assets/${w.A1.id}/history?sort=event_observed_at&limit=2&offset=1`);
    expect(asc.body.data.map((x: any) => x.event_observed_at)).toEqual(['2026-03-01T10:05:00.000Z', '2026-03-01T11:00:00.000Z']);
    expect(asc.body.total_count).toBe(4);
    // from/to are inclusive; durations are computed within the window
    const win = await w.call('GET', `/api/v1/assets/${w.A1.id}/history?from=2026-03-01T10:05:00Z&to=2026-03-01T12:00:00%2B01:00`);
    expect(win.body.data.map((x: any) => [x.event_observed_at, x.duration_seconds])).toEqual([
      ['2026-03-01T11:00:00.000Z', null],
      ['2026-03-01T10:05:00.000Z', 3300],
    ]);
    // the asset's latest read has no location, so it is placed nowhere: L2 can go
    expect((await w.call('DELETE', `/api/v1/locations/${w.L2.id}`)).status).toBe(204);
  });

  test('location_external_key is null for deleted or out-of-window locations', async () => {
    const w = await world(c);
    await w.scans([
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:00:00') },
      { asset_id: w.A1.id, location_id: w.L2.id, observed_at: at('11:00:00') },
      { asset_id: w.A1.id, location_id: w.L3.id, observed_at: at('12:00:00') },
    ]);
    await w.call('PATCH', `/api/v1/locations/${w.L1.id}`, { valid_from: '2025-01-01T00:00:00Z', valid_to: '2026-01-01T00:00:00Z' });
    expect((await w.call('DELETE', `/api/v1/locations/${w.L2.id}`)).status).toBe(204);
    const r = await w.call('GET', `/api/v1/assets/${w.A1.id}/history?sort=event_observed_at`);
    expect(r.body.data.map((x: any) => [x.location_id, x.location_external_key])).toEqual([
      [w.L1.id, null],
      [w.L2.id, null],
      [w.L3.id, 'L3'],
    ]);
  });

  test('parameter rules: 404 first, then from/to/sort/unknown', async () => {
    const w = await world(c);
    const nf = await w.call('GET', '/api/v1/assets/777/history?from=bad');
    expect(nf.status).toBe(404);
    expect(nf.body.error.detail).toBe('Asset not found');
    const p = `/api/v1/assets/${w.A1.id}/history`;
    expect(fieldsOf(await w.call('GET', `${p}?from=2026-03-01&to=x&sort=observed_at&is_active=true`))).toEqual([
      { field: 'is_active', code: 'unknown_field', message: 'unknown parameter: is_active' },
      { field: 'from', code: 'invalid_value', message: "Invalid 'from' timestamp; expected RFC 3339, e.g. 2026-04-21T00:00:00.000Z" },
      { field: 'sort', code: 'invalid_value', message: 'unknown sort field: observed_at' },
      { field: 'to', code: 'invalid_value', message: "Invalid 'to' timestamp; expected RFC 3339, e.g. 2026-04-21T00:00:00.000Z" },
    ]);
    expect((await w.call('GET', `${p}?from=2026-03-01T00:00:00Z`)).body).toEqual({ data: [], limit: 50, offset: 0, total_count: 0 });
    // validity is ignored, deletion is not
    await w.call('PATCH', `/api/v1/assets/${w.A2.id}`, { valid_from: '2020-01-01T00:00:00Z', valid_to: '2020-02-01T00:00:00Z' });
    expect((await w.call('GET', `/api/v1/assets/${w.A2.id}/history`)).status).toBe(200);
    await w.call('DELETE', `/api/v1/assets/${w.A2.id}`);
    expect((await w.call('GET', `/api/v1/assets/${w.A2.id}/history`)).status).toBe(404);
  });

  test('scope: tracking:read, not assets:read', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const p = `/api/v1/assets/${list.body.data[0].id}/history?limit=2`;
    const ro = await c.call('GET', p, undefined, { creds: READ_ONLY });
    expect(ro.status).toBe(403);
    expect(ro.body.error.detail).toBe('Missing required scope: tracking:read');
    const tr = await c.call('GET', p, undefined, { creds: TRACKING });
    expect(tr.status).toBe(200);
    expect(tr.body.data).toHaveLength(2);
  });
});

describe('GET /api/v1/reports/asset-locations', () => {
  async function scanned(client: Client) {
    const w = await world(client);
    await w.scans([
      // A1: L1 run, then a read at L2, then back at L1 for a run of 3 minutes
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('09:00:00') },
      { asset_id: w.A1.id, location_id: w.L2.id, observed_at: at('09:30:00') },
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:00:05') },
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:01:00') },
      { asset_id: w.A1.id, location_id: w.L1.id, observed_at: at('10:03:59') },
      // A2: seen once, later than A1
      { asset_id: w.A2.id, location_id: w.L3.id, observed_at: at('11:00:00') },
    ]);
    return w;
  }

  test('one row per scanned asset, newest first, dwell from the current run', async () => {
    const w = await scanned(c);
    const r = await w.call('GET', '/api/v1/reports/asset-locations');
    expect(r.status).toBe(200);
    expect(r.body.total_count).toBe(2);
    expect(r.body.data).toEqual([
      {
        asset_id: w.A2.id,
        asset_external_key: 'A2',
        location_id: w.L3.id,
        location_external_key: 'L3',
        asset_last_seen: '2026-03-01T11:00:00.000Z',
        asset_deleted_at: null,
        dwell_started_at: '2026-03-01T11:00:00.000Z',
        dwell_seconds: 0,
      },
      {
        asset_id: w.A1.id,
        asset_external_key: 'A1',
        location_id: w.L1.id,
        location_external_key: 'L1',
        asset_last_seen: '2026-03-01T10:03:00.000Z',
        asset_deleted_at: null,
        dwell_started_at: '2026-03-01T10:00:00.000Z',
        dwell_seconds: 180,
      },
    ]);
  });

  test('a null-location read breaks the run; deleted locations null the location fields', async () => {
    const w = await scanned(c);
    await w.scans([
      { asset_id: w.A2.id, location_id: null, observed_at: at('11:10:00') },
      { asset_id: w.A2.id, location_id: w.L3.id, observed_at: at('11:20:00') },
      { asset_id: w.A2.id, location_id: w.L3.id, observed_at: at('11:30:00') },
    ]);
    const r = await w.call('GET', `/api/v1/reports/asset-locations?asset_id=${w.A2.id}`);
    expect(r.body.data[0]).toMatchObject({ dwell_started_at: '2026-03-01T11:20:00.000Z', dwell_seconds: 600 });
    // move A2 away from L3 so L3 can be deleted, then show A1's row after deleting L1 is refused (placed)
    expect((await w.call('DELETE', `/api/v1/locations/${w.L1.id}`)).status).toBe(409);
    await w.call('PATCH', `/api/v1/locations/${w.L1.id}`, { valid_from: '2025-01-01T00:00:00Z', valid_to: '2025-06-01T00:00:00Z' });
    const out = await w.call('GET', `/api/v1/reports/asset-locations?asset_external_key=A1`);
    expect(out.body.data[0]).toMatchObject({ location_id: null, location_external_key: null, dwell_seconds: 180 });
  });

  test('filters, q, include_deleted, sorts', async () => {
    const w = await scanned(c);
    const byLoc = await w.call('GET', `/api/v1/reports/asset-locations?location_id=${w.L1.id}`);
    expect(byLoc.body.data.map((x: any) => x.asset_external_key)).toEqual(['A1']);
    const byLocKey = await w.call('GET', '/api/v1/reports/asset-locations?location_external_key=L3&location_external_key=L1');
    expect(byLocKey.body.total_count).toBe(2);
    const byAsset = await w.call('GET', `/api/v1/reports/asset-locations?asset_id=${w.A1.id}&location_external_key=L3`);
    expect(byAsset.body.total_count).toBe(0);
    expect((await w.call('GET', '/api/v1/reports/asset-locations?q=tag-one')).body.data.map((x: any) => x.asset_external_key)).toEqual(['A1']);
    // description is not searched here
    expect((await w.call('GET', '/api/v1/reports/asset-locations?q=zzz')).body.total_count).toBe(0);
    expect((await w.call('GET', '/api/v1/reports/asset-locations?q=asset%20a')).body.total_count).toBe(2);
    const sorted = await w.call('GET', '/api/v1/reports/asset-locations?sort=-location_external_key');
    expect(sorted.body.data.map((x: any) => x.location_external_key)).toEqual(['L3', 'L1']);
    // a nulled location sorts last ascending, first descending
    await w.call('PATCH', `/api/v1/locations/${w.L3.id}`, { valid_from: '2025-01-01T00:00:00Z', valid_to: '2025-06-01T00:00:00Z' });
    expect((await w.call('GET', '/api/v1/reports/asset-locations?sort=location_external_key')).body.data.map((x: any) => x.location_external_key)).toEqual(['L1', null]);
    expect((await w.call('GET', '/api/v1/reports/asset-locations?sort=-location_external_key')).body.data.map((x: any) => x.location_external_key)).toEqual([null, 'L1']);
    await w.call('PATCH', `/api/v1/locations/${w.L3.id}`, { valid_to: null });
    const byKey = await w.call('GET', '/api/v1/reports/asset-locations?sort=asset_external_key');
    expect(byKey.body.data.map((x: any) => x.asset_external_key)).toEqual(['A1', 'A2']);
    await w.call('DELETE', `/api/v1/assets/${w.A2.id}`);
    expect((await w.call('GET', '/api/v1/reports/asset-locations')).body.total_count).toBe(1);
    const withDeleted = await w.call('GET', '/api/v1/reports/asset-locations?include_deleted=true');
    expect(withDeleted.body.total_count).toBe(2);
    expect(withDeleted.body.data.find((x: any) => x.asset_id === w.A2.id).asset_deleted_at).toMatch(/\.\d{3}Z$/);
    // out-of-window assets are excluded
    await w.call('PATCH', `/api/v1/assets/${w.A1.id}`, { valid_from: '2025-01-01T00:00:00Z', valid_to: '2025-02-01T00:00:00Z' });
    expect((await w.call('GET', '/api/v1/reports/asset-locations')).body.total_count).toBe(0);
  });

  test('parameter errors', async () => {
    const r = await c.call('GET', '/api/v1/reports/asset-locations?location_id=1&location_external_key=X&asset_id=0&asset_external_key=Y&is_active=true&sort=dwell_seconds');
    expect(fieldsOf(r)).toEqual([
      { field: 'is_active', code: 'unknown_field', message: 'unknown parameter: is_active' },
      { field: 'asset_id', code: 'invalid_value', message: 'asset_id "0" must be a positive integer' },
      { field: 'sort', code: 'invalid_value', message: 'unknown sort field: dwell_seconds' },
      { field: 'location_id', code: 'ambiguous_fields', message: 'location_id and location_external_key are mutually exclusive; supply exactly one' },
      { field: 'location_external_key', code: 'ambiguous_fields', message: 'location_id and location_external_key are mutually exclusive; supply exactly one' },
      { field: 'asset_id', code: 'ambiguous_fields', message: 'asset_id and asset_external_key are mutually exclusive; supply exactly one' },
      { field: 'asset_external_key', code: 'ambiguous_fields', message: 'asset_id and asset_external_key are mutually exclusive; supply exactly one' },
    ]);
    const ro = await c.call('GET', '/api/v1/reports/asset-locations', undefined, { creds: READ_ONLY });
    expect(ro.body.error.detail).toBe('Missing required scope: tracking:read');
  });

  test('seeded demo history: every seeded org-1 report row agrees with that asset’s history', async () => {
    const r = await c.call('GET', '/api/v1/reports/asset-locations?limit=5', undefined, { creds: TRACKING });
    expect(r.body.total_count).toBeGreaterThan(10);
    for (const row of r.body.data) {
      const h = await c.call('GET', `/api/v1/assets/${row.asset_id}/history?limit=1`, undefined, { creds: TRACKING });
      expect(h.body.data[0].event_observed_at).toBe(row.asset_last_seen);
      expect(h.body.data[0].location_id).toBe(row.location_id);
      expect(row.dwell_seconds).toBe((Date.parse(row.asset_last_seen) - Date.parse(row.dwell_started_at)) / 1000);
    }
  });
});
