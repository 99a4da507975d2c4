import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Suite } from '../../src/suite.js';
import { Snapshots, applicationId, snapshotRoutes } from '../../src/core/snapshots.js';
import { adminCall as admin } from '../support/admin.js';
import { demo, exchange, get as trakrfGet, post as trakrfPost } from '../trakrf/helpers.js';

type App = ReturnType<Suite['app']>;


const upload = (app: App, name: string, bytes: Uint8Array, type = 'application/vnd.sqlite3') =>
  app.request(`/__admin/snapshots/${name}/file`, { method: 'PUT', headers: { 'Content-Type': type }, body: bytes as unknown as BodyInit });

const tenantIds = async (app: App) => ((await admin(app, 'GET', '')).body.tenants as Array<{ id: unknown }>).map((t) => String(t.id)).sort();

/** Per vendor: a control-plane write that adds a tenant. */
const ADD_TENANT: Record<string, [string, Record<string, unknown>]> = {
  trakrf: ['/orgs', { name: 'Snapshot Co' }],
  maxtrax: ['/tenants', { name: 'snapco' }],
  machhub: ['/domains', { name: 'snapco' }],
  maintainx: ['/organizations', { name: 'Snapshot Co' }],
};

const suites: Suite[] = [];
afterAll(() => suites.forEach((s) => s.close()));
const open = (vendors: string[], opts: { dataDir?: string } = {}) => {
  const s = new Suite({ vendors, seed: 42, ...opts });
  suites.push(s);
  return s;
};

describe('snapshots: save → writes → restore gives back the snapshot’s rows', () => {
  for (const vendor of Object.keys(ADD_TENANT)) {
    it(vendor, async () => {
      const app = open([vendor]).app(vendor);
      const before = await tenantIds(app);
      const saved = await admin(app, 'POST', '/snapshots', { name: 'baseline' });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ name: 'baseline', vendor, bytes: expect.any(Number), created_at: expect.any(String) });
      const [path, body] = ADD_TENANT[vendor];
      expect((await admin(app, 'POST', path, body)).status).toBe(201);
      expect((await tenantIds(app)).length).toBe(before.length + 1);
      const restored = await admin(app, 'POST', '/snapshots/baseline/restore');
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ restored: true, name: 'baseline', ms: expect.any(Number) });
      expect(await tenantIds(app)).toEqual(before);
      // Again: a restore leaves the snapshot as it was saved.
      await admin(app, 'POST', path, body);
      await admin(app, 'POST', '/snapshots/baseline/restore');
      expect(await tenantIds(app)).toEqual(before);
    });
  }
});

describe('snapshots: routes', () => {
  it('lists, replaces, downloads, deletes; refuses bad names and unknown snapshots', async () => {
    const app = open(['trakrf']).app('trakrf');
    expect((await admin(app, 'GET', '/snapshots')).body).toEqual({ snapshots: [] });
    expect((await admin(app, 'POST', '/snapshots', { name: 'a' })).status).toBe(201);
    expect((await admin(app, 'POST', '/snapshots', { name: 'a' })).status).toBe(200);
    expect((await admin(app, 'POST', '/snapshots', { name: 'b.2' })).status).toBe(201);
    const list = (await admin(app, 'GET', '/snapshots')).body.snapshots;
    expect(list.map((s: { name: string }) => s.name)).toEqual(['a', 'b.2']);

    const file = await app.request('/__admin/snapshots/a/file');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/vnd.sqlite3');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="trakrf-a.sqlite"');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(bytes.length).toBe(list[0].bytes);

    for (const name of ['', ' x', '../x', 'a/b', '-x', 'x'.repeat(65), 7]) {
      const r = await admin(app, 'POST', '/snapshots', { name });
      expect(r.status, String(name)).toBe(400);
      expect(r.body.error).toMatch(/^name must be 1-64 letters/);
    }
    expect((await admin(app, 'POST', '/snapshots', {})).body).toEqual({ error: 'name is required' });
    expect((await admin(app, 'POST', '/snapshots', { name: 'x', extra: 1 })).body).toEqual({ error: 'unknown field: extra' });
    expect(await admin(app, 'POST', '/snapshots/nope/restore')).toEqual({ status: 404, body: { error: 'unknown snapshot: nope' } });
    expect((await app.request('/__admin/snapshots/nope/file')).status).toBe(404);
    expect(await admin(app, 'DELETE', '/snapshots/a')).toEqual({ status: 200, body: { deleted: true, name: 'a' } });
    expect(await admin(app, 'DELETE', '/snapshots/a')).toEqual({ status: 404, body: { error: 'unknown snapshot: a' } });
  });

  it('restoring clears in-memory caches: no stale list page after a restore (TrakRF list memo)', async () => {
    const app = open(['trakrf']).app('trakrf');
    const { access_token: token } = (await (await exchange(app, demo.full)).json()) as { access_token: string };
    const count = async () => ((await (await trakrfGet(app, '/api/v1/assets?limit=1', token)).json()) as { total_count: number }).total_count;
    const before = await count();
    await admin(app, 'POST', '/snapshots', { name: 'base' });
    expect((await trakrfPost(app, '/api/v1/assets', { name: 'after snapshot' }, { Authorization: `Bearer ${token}` })).status).toBe(201);
    expect(await count()).toBe(before + 1);
    await admin(app, 'POST', '/snapshots/base/restore');
    expect(await count()).toBe(before);
    // Ids drawn after a restore do not collide with the snapshot's rows.
    expect((await trakrfPost(app, '/api/v1/assets', { name: 'again' }, { Authorization: `Bearer ${token}` })).status).toBe(201);
  });

  it('uploads: a snapshot round-trips; foreign files are refused with why, and nothing changes', async () => {
    const trakrf = open(['trakrf', 'maxtrax']);
    const app = trakrf.app('trakrf');
    await admin(app, 'POST', '/orgs', { name: 'Only in the upload' });
    await admin(app, 'POST', '/snapshots', { name: 'src' });
    const bytes = new Uint8Array(await (await app.request('/__admin/snapshots/src/file')).arrayBuffer());
    await admin(app, 'POST', '/reset');
    const seeded = await tenantIds(app);

    const other = open(['trakrf']).app('trakrf');
    const put = await upload(other, 'copied', bytes);
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ name: 'copied', vendor: 'trakrf', bytes: bytes.length });
    expect(await tenantIds(other)).toEqual(seeded);
    await admin(other, 'POST', '/snapshots/copied/restore');
    expect((await tenantIds(other)).length).toBe(seeded.length + 1);

    const refuse = async (body: Uint8Array, error: string | RegExp, type?: string) => {
      const r = await upload(app, 'bad', body, type);
      expect(r.status).toBe(400);
      const e = ((await r.json()) as { error: string }).error;
      if (typeof error === 'string') expect(e).toBe(error);
      else expect(e).toMatch(error);
    };
    await refuse(new TextEncoder().encode('hello, not a database'.repeat(40)), 'not a SQLite database: the file does not start with the SQLite header ("SQLite format 3")');
    // A plain SQLite database.
    const plain = new Database(':memory:');
    plain.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    await refuse(plain.serialize(), /^not a vendor-fakes snapshot/);
    // Another vendor's snapshot.
    const mt = trakrf.app('maxtrax');
    await admin(mt, 'POST', '/snapshots', { name: 'm' });
    await refuse(new Uint8Array(await (await mt.request('/__admin/snapshots/m/file')).arrayBuffer()), 'a vendor-fakes snapshot of another vendor, not of trakrf');
    // Another schema version.
    const old = Buffer.from(bytes);
    old.writeInt32BE(12345, 60);
    await refuse(old, /^a trakrf snapshot of another schema version \(12345; this server's is \d+\): save it again with this version$/);
    // Damaged: right header, truncated pages.
    const damaged = Buffer.from(bytes.subarray(0, 4096 * 3));
    await refuse(damaged, /^the SQLite file is damaged: /);
    expect((await admin(app, 'GET', '/snapshots')).body.snapshots.map((s: { name: string }) => s.name)).toEqual(['src']);
    expect(applicationId('trakrf')).not.toBe(applicationId('maxtrax'));
  });

  it('an upload over the size limit is refused with 413 before it is read whole', async () => {
    const inst = open(['trakrf']).instance('trakrf');
    const small = new Snapshots({
      vendor: 'trakrf',
      handle: inst.ctx.handle,
      clock: inst.ctx.clock,
      migrate: (db) => inst.vendor.migrate(db),
      dir: null,
      afterReplace: () => {},
      maxBytes: 4096,
    });
    const app = snapshotRoutes(small);
    const r = await app.request('/snapshots/big/file', { method: 'PUT', headers: { 'Content-Type': 'application/vnd.sqlite3' }, body: new Uint8Array(8192) as unknown as BodyInit });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ error: 'the file is larger than 4096 bytes' });
    expect(small.list()).toEqual([]);
  });

  it('the guard accepts only the SQLite types for uploads, and only on the file route', async () => {
    const app = open(['trakrf']).app('trakrf');
    expect((await upload(app, 'x', new Uint8Array(10), 'text/plain')).status).toBe(415);
    const r = await app.request('/__admin/snapshots', { method: 'POST', headers: { 'Content-Type': 'application/vnd.sqlite3' }, body: '{"name":"x"}' });
    expect(r.status).toBe(415);
  });

  it('restore takes ≤ 10 ms at demo size (each vendor)', async () => {
    const s = open(['trakrf', 'maxtrax', 'machhub', 'maintainx']);
    for (const vendor of ['trakrf', 'maxtrax', 'machhub', 'maintainx']) {
      const app = s.app(vendor);
      await admin(app, 'POST', '/snapshots', { name: 'timing' });
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await admin(app, 'POST', '/snapshots/timing/restore')).body.ms);
      times.sort((a, b) => a - b);
      // The median of five (about 0.5 ms here).
      expect(times[2], `${vendor}: ${times.join(", ")} ms`).toBeLessThanOrEqual(10);
    }
  });
});

describe('snapshots with --data-dir', () => {
  it('persist in <data-dir>/snapshots/<vendor>/<name>.sqlite (0600) and survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-snap-'));
    try {
      let s = new Suite({ vendors: ['trakrf'], seed: 42, dataDir: dir });
      let app = s.app('trakrf');
      await admin(app, 'POST', '/orgs', { name: 'Persisted' });
      await admin(app, 'POST', '/snapshots', { name: 'kept' });
      await admin(app, 'POST', '/reset');
      const seeded = await tenantIds(app);
      const file = join(dir, 'snapshots', 'trakrf', 'kept.sqlite');
      expect(readdirSync(join(dir, 'snapshots', 'trakrf'))).toEqual(['kept.sqlite']);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'snapshots')).mode & 0o777).toBe(0o700);
      s.close();
      s = new Suite({ vendors: ['trakrf'], dataDir: dir });
      try {
        app = s.app('trakrf');
        expect((await admin(app, 'GET', '/snapshots')).body.snapshots).toMatchObject([{ name: 'kept', vendor: 'trakrf' }]);
        expect(await tenantIds(app)).toEqual(seeded);
        await admin(app, 'POST', '/snapshots/kept/restore');
        expect((await tenantIds(app)).length).toBe(seeded.length + 1);
        // The restored state is the data dir's state now.
        await admin(app, 'DELETE', '/snapshots/kept');
        expect(readdirSync(join(dir, 'snapshots', 'trakrf'))).toEqual([]);
      } finally {
        s.close();
      }
      s = new Suite({ vendors: ['trakrf'], dataDir: dir });
      try {
        expect((await tenantIds(s.app('trakrf'))).length).toBe(seeded.length + 1);
      } finally {
        s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
