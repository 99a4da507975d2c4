import { describe, expect, test } from 'vitest';
import { LOCATION_KEYS, TS, fieldsOf, newOrg, setup, type Client, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

async function org(client: Client) {
  const { creds, orgId } = await newOrg(client);
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    client.call(method, path, body, { creds, headers });
  const make = async (body: Record<string, unknown>) => {
    const r = await call('POST', '/api/v1/locations', body);
    if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
    return r.body.data;
  };
  return { call, make, orgId };
}

/** wh (root) → a, b; a → a1, a2; a1 → a1x */
async function tree(client: Client) {
  const o = await org(client);
  const wh = await o.make({ name: 'Warehouse', external_key: 'WH' });
  const b = await o.make({ name: 'Zone B', external_key: 'B', parent_id: wh.id });
  const a = await o.make({ name: 'Zone A', external_key: 'A', parent_external_key: 'WH' });
  const a2 = await o.make({ name: 'Bay 2', external_key: 'A-2', parent_id: a.id, parent_external_key: 'A' });
  const a1 = await o.make({ name: 'Bay 1', external_key: 'a-1', parent_id: a.id });
  const a1x = await o.make({ name: 'Shelf', external_key: 'A1X', parent_id: a1.id });
  return { ...o, wh, a, b, a1, a2, a1x };
}

describe('POST /api/v1/locations', () => {
  test('auto-minted LOC-NNN, Location header, key order, root by default', async () => {
    const { call } = await org(c);
    const r = await call('POST', '/api/v1/locations', { name: 'Warehouse 1' });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/api/v1/locations/${r.body.data.id}`);
    expect(Object.keys(r.body.data)).toEqual(LOCATION_KEYS);
    expect(r.body.data).toMatchObject({ external_key: 'LOC-001', parent_id: null, parent_external_key: null, is_active: true, tags: [] });
    expect(r.body.data.created_at).toMatch(TS);
    expect((await call('POST', '/api/v1/locations', { name: 'Two' })).body.data.external_key).toBe('LOC-002');
    const dup = await call('POST', '/api/v1/locations', { name: 'X', external_key: 'LOC-001' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.detail).toBe('location with external_key LOC-001 already exists');
    // locations have no metadata
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', metadata: {} }))).toEqual([
      { field: 'metadata', code: 'unknown_field', message: 'unknown field "metadata" in request body' },
    ]);
  });

  test('parent reconciliation: agree, disagree, null/non-null mix, both null, fk_not_found per form', async () => {
    const { call, wh, a, b } = await tree(c);
    const agree = await call('POST', '/api/v1/locations', { name: 'X', parent_id: wh.id, parent_external_key: 'WH' });
    expect(agree.body.data).toMatchObject({ parent_id: wh.id, parent_external_key: 'WH' });
    const disagree = await call('POST', '/api/v1/locations', { name: 'X', parent_id: a.id, parent_external_key: 'B' });
    const m = 'parent_id and parent_external_key both supplied and disagree; supply exactly one or supply consistent values';
    expect(fieldsOf(disagree)).toEqual([
      { field: 'parent_id', code: 'ambiguous_fields', message: m },
      { field: 'parent_external_key', code: 'ambiguous_fields', message: m },
    ]);
    expect(disagree.body.error.detail).toBe(`${m} (and 1 more validation error)`);
    const mix = await call('POST', '/api/v1/locations', { name: 'X', parent_id: null, parent_external_key: 'B' });
    const mm = 'parent_id and parent_external_key are mutually exclusive when one is null and the other is set; supply exactly one';
    expect(fieldsOf(mix)).toEqual([
      { field: 'parent_id', code: 'ambiguous_fields', message: mm },
      { field: 'parent_external_key', code: 'ambiguous_fields', message: mm },
    ]);
    const root = await call('POST', '/api/v1/locations', { name: 'X', parent_id: null, parent_external_key: null });
    expect(root.body.data.parent_id).toBeNull();
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_id: 12345 }))).toEqual([
      { field: 'parent_id', code: 'fk_not_found', message: 'parent_id 12345 not found' },
    ]);
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_external_key: 'NOPE' }))).toEqual([
      { field: 'parent_external_key', code: 'fk_not_found', message: 'parent_external_key "NOPE" not found' },
    ]);
    // a soft-deleted parent is not found either
    expect((await call('DELETE', `/api/v1/locations/${b.id}`)).status).toBe(204);
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_id: b.id }))[0].code).toBe('fk_not_found');
    // another org's location is not found
    const seeded = await c.call('GET', '/api/v1/locations?limit=1');
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_id: seeded.body.data[0].id }))[0].code).toBe('fk_not_found');
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_id: 0 }))).toEqual([
      { field: 'parent_id', code: 'too_small', message: 'parent_id must be >= 1', params: { min: 1 } },
    ]);
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_id: '5' }))[0].message).toBe('parent_id must be integer; received string');
    expect(fieldsOf(await call('POST', '/api/v1/locations', { name: 'X', parent_external_key: 'a.b' }))[0].field).toBe('parent_external_key');
  });
});

describe('reads', () => {
  test('detail: parent_external_key recomputed after a parent rename; query params rejected', async () => {
    const { call, a, a1 } = await tree(c);
    await call('POST', `/api/v1/locations/${a.id}/rename`, { external_key: 'ZONE-A' });
    const got = await call('GET', `/api/v1/locations/${a1.id}`);
    expect(got.body.data).toMatchObject({ parent_id: a.id, parent_external_key: 'ZONE-A' });
    const q = await call('GET', `/api/v1/locations/${a1.id}?include_deleted=true&parent_id=1`);
    expect(fieldsOf(q)).toEqual([
      {
        field: 'include_deleted',
        code: 'invalid_context',
        message:
          'include_deleted is a list-only filter; soft-deleted records are not retrievable by id (the natural key is freed for reuse on soft-delete). Use /api/v1/locations?external_key=<key>&include_deleted=true to retrieve soft-deleted rows by natural key.',
      },
      {
        field: 'parent_id',
        code: 'invalid_context',
        message: 'parent_id is a list-endpoint filter and is not allowed on this endpoint; see GET /api/v1/locations for the supported filter parameters.',
      },
    ]);
    const nf = await call('GET', '/api/v1/locations/424242');
    expect(nf.status).toBe(404);
    expect(nf.body.error.detail).toBe('Location not found');
    expect(fieldsOf(await call('GET', '/api/v1/locations/1.5'))[0].message).toBe('location_id must be an integer');
  });

  test('list filters: parent_id / parent_external_key (any-of, exclusive), default order external_key then id', async () => {
    const { call, wh, a } = await tree(c);
    const all = await call('GET', '/api/v1/locations');
    expect(all.body.data.map((l: any) => l.external_key)).toEqual(['A', 'A-2', 'A1X', 'B', 'WH', 'a-1']);
    const byId = await call('GET', `/api/v1/locations?parent_id=${wh.id}&parent_id=${a.id}`);
    expect(byId.body.data.map((l: any) => l.external_key)).toEqual(['A', 'A-2', 'B', 'a-1']);
    const byKey = await call('GET', '/api/v1/locations?parent_external_key=A');
    expect(byKey.body.data.map((l: any) => l.external_key)).toEqual(['A-2', 'a-1']);
    const both = await call('GET', `/api/v1/locations?parent_id=${wh.id}&parent_external_key=WH`);
    const m = 'parent_id and parent_external_key are mutually exclusive; supply exactly one';
    expect(fieldsOf(both)).toEqual([
      { field: 'parent_id', code: 'ambiguous_fields', message: m },
      { field: 'parent_external_key', code: 'ambiguous_fields', message: m },
    ]);
    expect(fieldsOf(await call('GET', '/api/v1/locations?parent_id=x'))).toEqual([
      { field: 'parent_id', code: 'invalid_value', message: 'parent_id "x" must be a positive integer' },
    ]);
    expect(fieldsOf(await call('GET', '/api/v1/locations?sort=updated_at'))[0].message).toBe('unknown sort field: updated_at');
    const byName = await call('GET', '/api/v1/locations?sort=-name');
    expect(byName.body.data.map((l: any) => l.name)).toEqual(['Zone B', 'Zone A', 'Warehouse', 'Shelf', 'Bay 2', 'Bay 1']);
    expect((await call('GET', '/api/v1/locations?q=zone')).body.total_count).toBe(2);
    expect((await call('GET', '/api/v1/locations?is_active=true&external_key=WH')).body.total_count).toBe(1);
  });
});

describe('PATCH /api/v1/locations/{location_id}', () => {
  test('reparent by id or key, clear with null on either, cycles are 409', async () => {
    const { call, wh, a, b, a1, a1x } = await tree(c);
    const moved = await call('PATCH', `/api/v1/locations/${a1.id}`, { parent_external_key: 'B' });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ parent_id: b.id, parent_external_key: 'B' });
    const root = await call('PATCH', `/api/v1/locations/${a1.id}`, { parent_id: null });
    expect(root.body.data).toMatchObject({ parent_id: null, parent_external_key: null });
    await call('PATCH', `/api/v1/locations/${a1.id}`, { parent_id: a.id });
    const self = await call('PATCH', `/api/v1/locations/${a.id}`, { parent_id: a.id });
    expect(self.status).toBe(409);
    expect(self.body.error.detail).toBe(`parent_id ${a.id} would create a self-referential cycle`);
    const cycle = await call('PATCH', `/api/v1/locations/${wh.id}`, { parent_id: a1x.id });
    expect(cycle.status).toBe(409);
    expect(cycle.body.error.detail).toBe(`parent_id ${a1x.id} would create a cycle through location ${wh.id}`);
    expect((await call('PATCH', `/api/v1/locations/${a.id}`, { parent_external_key: 'A1X' })).status).toBe(409);
  });

  test('null rules, echo rules with the locations paths, no metadata', async () => {
    const { call, a } = await tree(c);
    const p = `/api/v1/locations/${a.id}`;
    expect(fieldsOf(await call('PATCH', p, { name: null, is_active: null })).map((f) => f.message)).toEqual([
      'name cannot be null; omit the field to leave unchanged, or provide a value',
      'is_active cannot be null; omit the field to leave unchanged, or provide a value',
    ]);
    const echo = await call('PATCH', p, { deleted_at: '2026-01-01T00:00:00Z', external_key: 'Q', tags: [] , id: a.id});
    expect(fieldsOf(echo).map((f) => f.message)).toEqual([
      "deleted_at is server-managed; use DELETE /api/v1/locations/{location_id} to soft-delete. Submit the resource's current deleted_at or omit the field",
      'external_key is immutable via PATCH; use POST /api/v1/locations/{location_id}/rename with body {"external_key": "<new value>"} to change it',
    ]);
    expect(fieldsOf(await call('PATCH', p, { metadata: {} }))[0].code).toBe('unknown_field');
    const ok = await call('PATCH', p, { ...a, name: 'Zone A prime', description: 'x' });
    expect(ok.body.data).toMatchObject({ name: 'Zone A prime', description: 'x', parent_external_key: 'WH' });
    const cleared = await call('PATCH', p, { description: null });
    expect(cleared.body.data.description).toBeNull();
  });
});

describe('DELETE, rename, tags, tree', () => {
  test('delete refused while live children exist, then while assets are placed there', async () => {
    const { call, orgId, a, a1, a1x, b } = await tree(c);
    const kids = await call('DELETE', `/api/v1/locations/${a1.id}`);
    expect(kids.status).toBe(409);
    expect(kids.body.error.detail).toBe('location has descendant locations; reassign or remove them before deleting (cascade is not supported)');
    const asset = (await call('POST', '/api/v1/assets', { name: 'Tote' })).body.data;
    const scan = await c.admin('POST', '/scans', {
      org_id: orgId,
      scans: [{ asset_id: asset.id, location_id: a1x.id, observed_at: '2026-01-01T10:00:00Z' }],
    });
    expect(scan.status).toBe(201);
    const placed = await call('DELETE', `/api/v1/locations/${a1x.id}`);
    expect(placed.status).toBe(409);
    expect(placed.body.error.detail).toBe('location has assets placed at it; move or remove them before deleting (cascade is not supported)');
    // the asset moves on: its latest scan is elsewhere now
    await c.admin('POST', '/scans', { org_id: orgId, scans: [{ asset_id: asset.id, location_external_key: 'B', observed_at: '2026-01-01T11:00:00Z' }] });
    expect((await call('DELETE', `/api/v1/locations/${a1x.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/locations/${a1x.id}`)).body.error.detail).toBe('Location not found');
    // a deleted asset does not hold its location
    await call('DELETE', `/api/v1/assets/${asset.id}`);
    expect((await call('DELETE', `/api/v1/locations/${b.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/locations?include_deleted=true&external_key=A1X`)).body.data[0].deleted_at).toMatch(TS);
    expect(a.id).toBeTruthy();
  });

  test('rename: descendant_count_affected counts live descendants; same value → 0 and no touch', async () => {
    const { call, a, a2 } = await tree(c);
    const r = await call('POST', `/api/v1/locations/${a.id}/rename`, { external_key: 'ZA' });
    expect(r.status).toBe(200);
    expect(r.body.descendant_count_affected).toBe(3);
    expect(r.body.data.external_key).toBe('ZA');
    const again = await call('POST', `/api/v1/locations/${a.id}/rename`, { external_key: 'ZA' });
    expect(again.body.descendant_count_affected).toBe(0);
    expect(again.body.data.updated_at).toBe(r.body.data.updated_at);
    // the child was not touched, but reads the new parent key
    const child = await call('GET', `/api/v1/locations/${a2.id}`);
    expect(child.body.data).toMatchObject({ parent_external_key: 'ZA', updated_at: a2.updated_at });
    const clash = await call('POST', `/api/v1/locations/${a.id}/rename`, { external_key: 'WH' });
    expect(clash.body.error.detail).toBe('location with external_key WH already exists');
  });

  test('location tags', async () => {
    const { call, a, b } = await tree(c);
    const t = await call('POST', `/api/v1/locations/${a.id}/tags`, { tag_type: 'ble', value: 'beacon-1' });
    expect(t.status).toBe(201);
    expect(t.headers.get('location')).toBe(`/api/v1/locations/${a.id}/tags/${t.body.data.id}`);
    expect((await call('GET', `/api/v1/locations/${a.id}`)).body.data.tags).toEqual([t.body.data]);
    const wrong = await call('DELETE', `/api/v1/locations/${b.id}/tags/${t.body.data.id}`);
    expect(wrong.body.error.detail).toBe('Tag not found on this location');
    expect((await call('DELETE', `/api/v1/locations/${a.id}/tags/${t.body.data.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/locations/${a.id}`)).body.data.tags).toEqual([]);
  });

  test('ancestors root first, children by name, descendants depth-first by key path; self excluded', async () => {
    const { call, wh, a, a1, a1x } = await tree(c);
    const anc = await call('GET', `/api/v1/locations/${a1x.id}/ancestors`);
    expect(anc.body.data.map((l: any) => l.external_key)).toEqual(['WH', 'A', 'a-1']);
    expect(anc.body).toMatchObject({ limit: 50, offset: 0, total_count: 3 });
    expect((await call('GET', `/api/v1/locations/${wh.id}/ancestors`)).body.data).toEqual([]);
    const kids = await call('GET', `/api/v1/locations/${wh.id}/children`);
    expect(kids.body.data.map((l: any) => l.name)).toEqual(['Zone A', 'Zone B']);
    const desc = await call('GET', `/api/v1/locations/${wh.id}/descendants`);
    // lower(key) paths: a, a/a-1, a/a-1/a1x, a/a-2, b  (a subtree before its next sibling)
    expect(desc.body.data.map((l: any) => l.external_key)).toEqual(['A', 'a-1', 'A1X', 'A-2', 'B']);
    const page = await call('GET', `/api/v1/locations/${wh.id}/descendants?limit=2&offset=1`);
    expect(page.body.data.map((l: any) => l.external_key)).toEqual(['a-1', 'A1X']);
    expect(page.body.total_count).toBe(5);
    expect(fieldsOf(await call('GET', `/api/v1/locations/${a.id}/children?sort=name`))).toEqual([
      { field: 'sort', code: 'invalid_value', message: 'sort parameter not supported on this endpoint' },
    ]);
    expect(fieldsOf(await call('GET', `/api/v1/locations/${a.id}/children?q=x`))).toEqual([
      { field: 'q', code: 'unknown_field', message: 'unknown parameter: q' },
    ]);
    // existence (404) is checked before the query
    const nf = await call('GET', '/api/v1/locations/31337/descendants?sort=x');
    expect(nf.status).toBe(404);
    expect(nf.body.error.detail).toBe('Location not found');
    // validity windows do not apply to tree endpoints
    await call('PATCH', `/api/v1/locations/${a1.id}`, { valid_from: '2020-01-01T00:00:00Z', valid_to: '2020-06-01T00:00:00Z' });
    expect((await call('GET', `/api/v1/locations/${a.id}/children`)).body.total_count).toBe(2);
    expect((await call('GET', `/api/v1/locations?parent_id=${a.id}`)).body.total_count).toBe(1);
  });

  test('seeded demo tree: sites → zones → bays', async () => {
    const roots = await c.call('GET', '/api/v1/locations?limit=200');
    const site = roots.body.data.find((l: any) => l.parent_id === null);
    const d = await c.call('GET', `/api/v1/locations/${site.id}/descendants`);
    expect(d.body.total_count).toBeGreaterThan(4);
    const leaf = d.body.data[d.body.data.length - 1];
    const anc = await c.call('GET', `/api/v1/locations/${leaf.id}/ancestors`);
    expect(anc.body.data[0].id).toBe(site.id);
  });
});
