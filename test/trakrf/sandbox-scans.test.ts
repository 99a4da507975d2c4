/**
 * TrakRF sandboxes share their source org's scan history until scans are written to either side (issue 13 §4:
 * creation must not copy every scan). What a client sees must be what a full copy gives: history, the
 * asset-locations report and the "assets placed here" check answer the same before and after the rows are copied,
 * and neither side sees the other's later writes, through resets, snapshots and restarts on a data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../src/admin-client.js';
import { Suite } from '../../src/suite.js';
import { bestOf3 } from '../support/budget.js';
import { get, tokens, type App } from './helpers.js';

const suites: Suite[] = [];
afterAll(() => suites.forEach((s) => s.close()));
const open = (opts: { dataDir?: string } = {}) => {
  const s = new Suite({ vendors: ['trakrf'], seed: 42, config: { trakrf: { rateLimit: false } }, ...opts });
  suites.push(s);
  return { suite: s, app: s.app('trakrf'), admin: s.admin('trakrf') };
};

/** A new sandbox (from the first demo org, or `from`) and an access token of its key. */
async function sandbox({ app, admin }: { app: App; admin: AdminClient }, from?: string): Promise<{ tenant: string; token: string }> {
  const made = await admin.sandbox(from === undefined ? {} : { from });
  return { tenant: made.tenant, token: (await tokens(app, made.credentials as { client_id: string; client_secret: string })).access_token };
}

const demoToken = (app: App) => tokens(app).then((t) => t.access_token);

async function body(app: App, token: string, path: string): Promise<any> {
  const res = await get(app, path, token);
  expect(res.status, path).toBe(200);
  return res.json();
}

/**
 * Everything an org's scans show through the API, with ids replaced by external keys: every live asset's history
 * (both orders, a window) and the report under several queries. Two orgs holding the same data compare equal in
 * `across` form, which leaves out what their different ids order (the report's tie-break): report pages, and the
 * order of a full report.
 */
async function scanView(app: App, token: string, across = false): Promise<unknown> {
  const assets = (await body(app, token, '/api/v1/assets?limit=200&include_deleted=true')).data as Array<{ id: number; external_key: string; deleted_at: string | null }>;
  const locations = (await body(app, token, '/api/v1/locations?limit=200&include_deleted=true')).data as Array<{ id: number; external_key: string }>;
  const keys = new Map<number, string>([...assets, ...locations].map((r) => [r.id, r.external_key]));
  const named = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v), (k, x) => (typeof x === 'number' && (k === 'asset_id' || k === 'location_id') ? (keys.get(x) ?? `unknown ${x}`) : x));
  const view: Record<string, unknown> = {};
  for (const a of assets.filter((x) => x.deleted_at === null)) {
    for (const q of ['limit=200', 'from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z&limit=9&offset=3&sort=event_observed_at']) {
      view[`${a.external_key} ${q}`] = named(await body(app, token, `/api/v1/assets/${a.id}/history?${q}`));
    }
  }
  const loc = locations[0];
  const full = ['limit=200', `location_id=${loc.id}&limit=200`, `location_external_key=${loc.external_key}&limit=200`, 'include_deleted=true&q=a&limit=200'];
  const pages = ['limit=5&offset=2&sort=asset_external_key', 'sort=-location_external_key,asset_last_seen&limit=7&offset=1'];
  for (const q of across ? full : [...full, ...pages]) {
    const page = named(await body(app, token, `/api/v1/reports/asset-locations?${q}`)) as { data: Array<{ asset_external_key: string }> };
    if (across) page.data.sort((x, y) => (x.asset_external_key < y.asset_external_key ? -1 : 1));
    view[`report ${q.replace(String(loc.id), loc.external_key)}`] = page;
  }
  return view;
}

/** Tries to delete every location of the org, leaves first: the statuses, by external key. */
async function deleteLocations(app: App, token: string): Promise<Record<string, number>> {
  const locations = (await body(app, token, '/api/v1/locations?limit=200')).data as Array<{ id: number; external_key: string; parent_id: number | null }>;
  const depth = (l: { parent_id: number | null }): number => (l.parent_id === null ? 0 : 1 + depth(locations.find((p) => p.id === l.parent_id)!));
  const out: Record<string, number> = {};
  for (const l of [...locations].sort((a, b) => depth(b) - depth(a) || (a.external_key < b.external_key ? -1 : 1))) {
    out[l.external_key] = (await app.request(`/api/v1/locations/${l.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status;
  }
  return out;
}

/** A scan written through the control plane (the ingest path). */
async function scan(admin: AdminClient, org: string | number, asset: string, location: string, at: string) {
  await admin.call('POST', '/scans', { org_id: Number(org), scans: [{ asset_external_key: asset, location_external_key: location, observed_at: at }] });
}

const recent = () => new Date(Date.now() - 60_000).toISOString();

describe('TrakRF sandbox scan history', () => {
  it('a new sandbox answers history and the report as its source does, and exactly the same once the rows are copied', async () => {
    const f = open();
    const { app, admin } = f;
    const demo = await demoToken(app);
    const source = await scanView(app, demo, true);
    const a = await sandbox(f);
    expect(await scanView(app, a.token, true)).toEqual(source);
    const linked = await scanView(app, a.token);
    // A write to the source copies the rows into the sandbox first: the sandbox answers byte for byte as before,
    // and only the source shows the new scan.
    await scan(admin, 1, 'ASSET-0001', 'LOC-001', recent());
    expect(await scanView(app, a.token)).toEqual(linked);
    expect(await scanView(app, demo, true)).not.toEqual(source);
  });

  it('a scan written to the sandbox is not seen by its source or by a sibling sandbox, nor the source’s by them', async () => {
    const f = open();
    const { app, admin } = f;
    const demo = await demoToken(app);
    const a = await sandbox(f);
    const b = await sandbox(f);
    const before = await scanView(app, demo, true);
    await scan(admin, a.tenant, 'ASSET-0001', 'LOC-001', recent());
    expect(await scanView(app, a.token, true)).not.toEqual(before);
    const inA = await scanView(app, a.token);
    expect(await scanView(app, demo, true)).toEqual(before);
    expect(await scanView(app, b.token, true)).toEqual(before);
    await scan(admin, 1, 'ASSET-0002', 'LOC-002', recent());
    expect(await scanView(app, a.token)).toEqual(inA);
    expect(await scanView(app, b.token, true)).toEqual(before);
  });

  it('the "assets placed here" check of a location delete answers the same before and after the rows are copied', async () => {
    const f = open();
    const { app, admin } = f;
    const linked = await sandbox(f);
    const copied = await sandbox(f);
    await scan(admin, copied.tenant, 'ASSET-0001', 'LOC-001', '2001-01-01T00:00:00Z'); // copies its rows; outside retention
    const statuses = await deleteLocations(app, linked.token);
    expect(Object.values(statuses)).toContain(409);
    expect(await deleteLocations(app, copied.token)).toEqual(statuses);
  });

  it('a sandbox of a sandbox reads the same rows, and deleting or resetting either side keeps the others whole', async () => {
    const f = open();
    const { app, admin } = f;
    const demo = await demoToken(app);
    const source = await scanView(app, demo, true);
    const a = await sandbox(f);
    const aa = await sandbox(f, a.tenant);
    expect(await scanView(app, aa.token, true)).toEqual(source);
    // Deleting the middle sandbox leaves its child whole.
    await admin.sandboxes.delete(a.tenant);
    expect(await scanView(app, aa.token, true)).toEqual(source);
    // A per-tenant reset of the source that changes its scans copies them into its sandboxes first.
    await scan(admin, 1, 'ASSET-0001', 'LOC-001', recent());
    const b = await sandbox(f);
    const withScan = await scanView(app, b.token);
    await admin.reset('1');
    expect(await scanView(app, demo, true)).toEqual(source);
    expect(await scanView(app, b.token)).toEqual(withScan);
    expect(await scanView(app, aa.token, true)).toEqual(source);
    // Deleting a sandbox that never wrote scans ends it; a new one from the same source starts clean.
    await admin.sandboxes.delete(aa.tenant);
    expect((await get(app, '/api/v1/assets', aa.token)).status).toBe(401);
    expect(await scanView(app, (await sandbox(f)).token, true)).toEqual(source);
  });

  it('a snapshot keeps a sandbox sharing its source’s rows, and so does a restart on a data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trakrf-sandbox-'));
    try {
      let f = open({ dataDir: dir });
      let { app, admin } = f;
      const source = await scanView(app, await demoToken(app), true);
      const a = await sandbox(f);
      const linked = await scanView(app, a.token);
      await admin.snapshots.save('linked');
      await scan(admin, 1, 'ASSET-0001', 'LOC-001', recent());
      await scan(admin, a.tenant, 'ASSET-0002', 'LOC-002', recent());
      await admin.snapshots.restore('linked');
      expect(await scanView(app, a.token)).toEqual(linked);
      await scan(admin, a.tenant, 'ASSET-0003', 'LOC-003', recent());
      const written = await scanView(app, a.token);
      f.suite.close();
      f = open({ dataDir: dir });
      ({ app, admin } = f);
      expect(await scanView(app, await demoToken(app), true)).toEqual(source);
      expect((await admin.sandboxes.list()).map((s) => s.tenant)).toEqual([a.tenant]);
      expect(await scanView(app, a.token)).toEqual(written);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creating a sandbox does not copy the source’s scans: 100,000 more of them leave its cost flat', async () => {
    const { app, admin } = open();
    const create = () => app.request('http://127.0.0.1:4000/__admin/sandboxes', { method: 'POST' });
    const small = await bestOf3(create);
    expect(small.status).toBe(201);
    const assetId = ((await body(app, await demoToken(app), '/api/v1/assets?external_key=ASSET-0001')).data[0] as { id: number }).id;
    await admin.call('POST', '/generate', { org_id: 1, history: { asset_id: assetId, scans: 100_000 } });
    const large = await bestOf3(create);
    expect(large.status).toBe(201);
    // A copy of 100,000 rows into three B-trees costs well over 100 ms here; a link costs what it did before.
    expect(large.ms).toBeLessThan(small.ms * 3 + 20);
  });
});
