import { describe, expect, test } from 'vitest';
import { ASSET_KEYS, READ_ONLY, TS, fieldsOf, newOrg, setup, type Client, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

async function org(client: Client) {
  const { creds, orgId } = await newOrg(client);
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    client.call(method, path, body, { creds, headers });
  return { call, orgId, creds };
}

describe('POST /api/v1/assets', () => {
  test('creates with an auto-minted key, Location header, documented key order and millisecond UTC timestamps', async () => {
    const { call } = await org(c);
    const r = await call('POST', '/api/v1/assets', { name: 'Pallet jack #14' });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const a = r.body.data;
    expect(r.headers.get('location')).toBe(`/api/v1/assets/${a.id}`);
    expect(Object.keys(a)).toEqual(ASSET_KEYS);
    expect(a).toMatchObject({
      external_key: 'ASSET-0001',
      name: 'Pallet jack #14',
      description: null,
      metadata: {},
      is_active: true,
      valid_to: null,
      deleted_at: null,
      tags: [],
    });
    for (const k of ['valid_from', 'created_at', 'updated_at']) expect(a[k]).toMatch(TS);
    expect(Number.isSafeInteger(a.id) && a.id > 0).toBe(true);
    expect(r.text.endsWith('}\n')).toBe(true);
    const b = await call('POST', '/api/v1/assets', { name: 'Second' });
    expect(b.body.data.external_key).toBe('ASSET-0002');
  });

  test('auto-mint is MAX(live numeric suffix)+1: gaps are not backfilled, deleting the max re-issues it', async () => {
    const { call } = await org(c);
    await call('POST', '/api/v1/assets', { name: 'A' });
    const nine = await call('POST', '/api/v1/assets', { name: 'B', external_key: 'ASSET-0009' });
    expect(nine.status).toBe(201);
    await call('POST', '/api/v1/assets', { name: 'C', external_key: 'ASSET-9x' });
    const ten = await call('POST', '/api/v1/assets', { name: 'D' });
    expect(ten.body.data.external_key).toBe('ASSET-0010');
    expect((await call('DELETE', `/api/v1/assets/${ten.body.data.id}`)).status).toBe(204);
    const again = await call('POST', '/api/v1/assets', { name: 'E' });
    expect(again.body.data.external_key).toBe('ASSET-0010');
    await call('POST', '/api/v1/assets', { name: 'F', external_key: 'ASSET-9999' });
    expect((await call('POST', '/api/v1/assets', { name: 'G' })).body.data.external_key).toBe('ASSET-10000');
  });

  test('tags inline, in request order; duplicate key and duplicate tags are 409', async () => {
    const { call } = await org(c);
    const r = await call('POST', '/api/v1/assets', {
      name: 'Forklift 3',
      external_key: 'forklift-3',
      description: 'Main warehouse forklift',
      metadata: { color: 'red', nested: { a: [1, 2] } },
      is_active: false,
      valid_from: '2025-01-01T00:00:00+02:00',
      valid_to: '2030-01-01T00:00:00.123456Z',
      tags: [
        { tag_type: 'rfid', value: 'E2-8042' },
        { tag_type: 'barcode', value: '0001' },
        { tag_type: 'ble', value: 'AA:BB' },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({
      external_key: 'forklift-3',
      description: 'Main warehouse forklift',
      metadata: { color: 'red', nested: { a: [1, 2] } },
      is_active: false,
      valid_from: '2024-12-31T22:00:00.000Z',
      valid_to: '2030-01-01T00:00:00.123Z',
    });
    expect(r.body.data.tags.map((t: any) => [t.tag_type, t.value])).toEqual([
      ['rfid', 'E2-8042'],
      ['barcode', '0001'],
      ['ble', 'AA:BB'],
    ]);
    for (const t of r.body.data.tags) expect(Object.keys(t)).toEqual(['id', 'tag_type', 'value']);
    const dup = await call('POST', '/api/v1/assets', { name: 'X', external_key: 'forklift-3' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ type: 'conflict', title: 'Conflict', status: 409, detail: 'asset with external_key forklift-3 already exists', instance: '/api/v1/assets' });
    const tagDup = await call('POST', '/api/v1/assets', { name: 'X', tags: [{ tag_type: 'rfid', value: 'E2-8042' }] });
    expect(tagDup.status).toBe(409);
    expect(tagDup.body.error.detail).toBe('one or more tags already exist');
    const inReq = await call('POST', '/api/v1/assets', {
      name: 'Y',
      tags: [
        { tag_type: 'rfid', value: 'Z' },
        { tag_type: 'rfid', value: 'Z' },
      ],
    });
    expect(inReq.body.error.detail).toBe('one or more tags already exist');
    // same value in another kind is fine; a failed create left nothing behind
    const other = await call('POST', '/api/v1/assets', { name: 'Z', tags: [{ tag_type: 'ble', value: 'E2-8042' }] });
    expect(other.status).toBe(201);
    const list = await call('GET', '/api/v1/assets');
    expect(list.body.total_count).toBe(2);
  });

  test('location fields are read_only (one entry each), checked before unknown keys', async () => {
    const r = await c.call('POST', '/api/v1/assets', { name: 'X', location_id: 1, location_external_key: 'A', bogus: 1 });
    const f = fieldsOf(r);
    expect(f.map((x) => [x.field, x.code])).toEqual([
      ['location_id', 'read_only'],
      ['location_external_key', 'read_only'],
    ]);
    expect(f[0].message).toBe(
      'asset location is collected through scan event ingestion (fixed-reader MQTT pipeline or handheld UI submission) and is not part of the asset resource. Read current asset location through GET /api/v1/reports/asset-locations or GET /api/v1/assets/{asset_id}/history.',
    );
    expect(r.body.error.detail).toBe(`${f[0].message} (and 1 more validation error)`);
  });

  test('null rules on create', async () => {
    const r = await c.call('POST', '/api/v1/assets', { name: null, external_key: null, valid_from: null, is_active: null, metadata: null });
    expect(fieldsOf(r).map((f) => [f.field, f.code, f.message])).toEqual([
      ['name', 'invalid_value', 'name cannot be null; provide a string value'],
      ['external_key', 'invalid_value', 'external_key cannot be null; provide a string value'],
      ['valid_from', 'invalid_value', 'valid_from cannot be null; omit the field to use the server default, or provide a value'],
      ['is_active', 'invalid_value', 'is_active cannot be null; omit the field to use the server default, or provide a value'],
      ['metadata', 'invalid_value', 'metadata cannot be null; omit the field to use the server default, or provide a value'],
    ]);
    expect(r.body.error.detail).toBe('name cannot be null; provide a string value (and 4 more validation errors)');
    // description, valid_to and tags are nullable
    const ok = await c.call('POST', '/api/v1/assets', { name: 'N', description: null, valid_to: null, tags: null });
    expect(ok.status).toBe(201);
  });
});

describe('GET /api/v1/assets/{asset_id}', () => {
  test('ignores the validity window (lists do not), tags on the detail are the effective ones', async () => {
    const { call } = await org(c);
    const r = await call('POST', '/api/v1/assets', { name: 'Old', valid_from: '2020-01-01T00:00:00Z', valid_to: '2021-01-01T00:00:00Z' });
    const id = r.body.data.id;
    const got = await call('GET', `/api/v1/assets/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.data.valid_to).toBe('2021-01-01T00:00:00.000Z');
    expect((await call('GET', '/api/v1/assets')).body.total_count).toBe(0);
    expect((await call('GET', '/api/v1/assets?external_key=ASSET-0001&include_deleted=true')).body.data).toEqual([]);
  });

  test('query params are rejected before the id is parsed: unknown_field / invalid_context, sorted', async () => {
    const r = await c.call('GET', '/api/v1/assets/abc?zeta=1&q=x&include_deleted=true&limit=5');
    const f = fieldsOf(r);
    expect(f.map((x) => [x.field, x.code])).toEqual([
      ['include_deleted', 'invalid_context'],
      ['limit', 'unknown_field'],
      ['q', 'invalid_context'],
      ['zeta', 'unknown_field'],
    ]);
    expect(f[0].message).toBe(
      'include_deleted is a list-only filter; soft-deleted records are not retrievable by id (the natural key is freed for reuse on soft-delete). Use /api/v1/assets?external_key=<key>&include_deleted=true to retrieve soft-deleted rows by natural key.',
    );
    expect(f[1].message).toBe('unknown parameter: limit');
    expect(f[2].message).toBe(
      'q is a list-endpoint filter and is not allowed on this endpoint; see GET /api/v1/assets for the supported filter parameters.',
    );
    expect(r.body.error.detail).toBe(`${f[0].message} (and 3 more validation errors)`);
  });

  test('path id rules and 404', async () => {
    const bad = await c.call('GET', '/api/v1/assets/abc');
    expect(fieldsOf(bad)).toEqual([{ field: 'asset_id', code: 'invalid_value', message: 'asset_id must be an integer' }]);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets/99999999999999999999'))[0].message).toBe('asset_id must be an integer');
    expect(fieldsOf(await c.call('GET', '/api/v1/assets/0'))).toEqual([
      { field: 'asset_id', code: 'too_small', message: 'asset_id must be ≥ 1', params: { min: 1 } },
    ]);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets/-4'))[0].code).toBe('too_small');
    const missing = await c.call('GET', '/api/v1/assets/123456789');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'not_found', title: 'Not found', detail: 'Asset not found', instance: '/api/v1/assets/123456789' });
  });

  test('another org’s asset is 404', async () => {
    const { call } = await org(c);
    const mine = await call('POST', '/api/v1/assets', { name: 'Mine' });
    const theirs = await c.call('GET', `/api/v1/assets/${mine.body.data.id}`);
    expect(theirs.status).toBe(404);
    expect((await c.call('DELETE', `/api/v1/assets/${mine.body.data.id}`)).status).toBe(404);
  });

  test('HEAD works where GET does, without a body', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const res = await c.app.request(`/api/v1/assets/${list.body.data[0].id}`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${await c.token()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('GET /api/v1/assets (list)', () => {
  test('envelope, default order external_key ASC, limit/offset echo, total_count', async () => {
    const r = await c.call('GET', '/api/v1/assets?limit=5&offset=2');
    expect(Object.keys(r.body)).toEqual(['data', 'limit', 'offset', 'total_count']);
    expect(r.body.limit).toBe(5);
    expect(r.body.offset).toBe(2);
    const keys = r.body.data.map((a: any) => a.external_key);
    expect(keys).toEqual([...keys].sort());
    const all = await c.call('GET', '/api/v1/assets?limit=200');
    expect(all.body.total_count).toBe(all.body.data.length);
    // seeded: every 25th deleted, every 17th out of its validity window
    expect(all.body.data.some((a: any) => a.external_key === 'ASSET-0025' || a.external_key === 'ASSET-0017')).toBe(false);
    const withDeleted = await c.call('GET', '/api/v1/assets?limit=200&include_deleted=true');
    const del = withDeleted.body.data.find((a: any) => a.external_key === 'ASSET-0025');
    expect(del.deleted_at).toMatch(TS);
    expect(withDeleted.body.total_count).toBe(all.body.total_count + 2);
  });

  test('total_count follows the clock across validity boundaries with no write in between', async () => {
    const { call } = await org(c);
    const now = c.suite.clock.nowMs();
    await call('POST', '/api/v1/assets', { name: 'Ends', valid_to: new Date(now + 60_000).toISOString() });
    await call('POST', '/api/v1/assets', { name: 'Starts', valid_from: new Date(now + 120_000).toISOString() });
    const names = async () => (await call('GET', '/api/v1/assets')).body.data.map((a: any) => a.name);
    const total = async () => (await call('GET', '/api/v1/assets')).body.total_count;
    expect(await names()).toEqual(['Ends']);
    expect(await total()).toBe(1);
    c.suite.clock.advance(61);
    expect(await total()).toBe(0);
    c.suite.clock.advance(60);
    expect(await names()).toEqual(['Starts']);
    expect(await total()).toBe(1);
  });

  test('natural-key filter is any-of and returns 0 or 1 live rows; misses are an empty page', async () => {
    const r = await c.call('GET', '/api/v1/assets?external_key=ASSET-0001&external_key=ASSET-0002&external_key=NOPE');
    expect(r.body.data.map((a: any) => a.external_key)).toEqual(['ASSET-0001', 'ASSET-0002']);
    const miss = await c.call('GET', '/api/v1/assets?external_key=NOPE');
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual({ data: [], limit: 50, offset: 0, total_count: 0 });
  });

  test('sort: multiple fields, DESC prefix, whitespace trimmed, empty = default', async () => {
    const r = await c.call('GET', '/api/v1/assets?sort=-name,%20external_key&limit=200');
    const names = r.body.data.map((a: any) => a.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0)));
    const d = await c.call('GET', '/api/v1/assets?sort=&limit=3');
    expect(d.body.data.map((a: any) => a.external_key)).toEqual(['ASSET-0001', 'ASSET-0002', 'ASSET-0003']);
    const upd = await c.call('GET', '/api/v1/assets?sort=-updated_at&limit=200');
    const u = upd.body.data.map((a: any) => a.updated_at);
    expect(u).toEqual([...u].sort().reverse());
  });

  test('every list-parameter error, all reported, detail from the first', async () => {
    const r = await c.call(
      'GET',
      '/api/v1/assets?limit=201&offset=-1&sort=-bogus,name&is_active=TRUE&external_key=a_b&external_key=ok&include_deleted=1&foo=bar',
    );
    expect(fieldsOf(r)).toEqual([
      { field: 'foo', code: 'unknown_field', message: 'unknown parameter: foo' },
      { field: 'external_key', code: 'invalid_value', message: 'external_key "a_b" must match ^[A-Za-z0-9-]+$', params: { pattern: '^[A-Za-z0-9-]+$' } },
      { field: 'include_deleted', code: 'invalid_value', message: "include_deleted must be 'true' or 'false'" },
      { field: 'is_active', code: 'invalid_value', message: "is_active must be 'true' or 'false'" },
      { field: 'limit', code: 'too_large', message: 'limit must be ≤ 200', params: { max: 200 } },
      { field: 'offset', code: 'too_small', message: 'offset must be ≥ 0', params: { min: 0 } },
      { field: 'sort', code: 'invalid_value', message: 'unknown sort field: bogus' },
    ]);
    expect(r.body.error.detail).toBe('unknown parameter: foo (and 6 more validation errors)');
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?limit=0'))).toEqual([
      { field: 'limit', code: 'too_small', message: 'limit must be ≥ 1', params: { min: 1 } },
    ]);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?limit=ten'))).toEqual([
      { field: 'limit', code: 'invalid_value', message: 'limit must be a positive integer' },
    ]);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?offset=x'))).toEqual([
      { field: 'offset', code: 'invalid_value', message: 'offset must be a non-negative integer' },
    ]);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?q=a%00b'))).toEqual([
      { field: 'q', code: 'invalid_value', message: 'q must not contain control characters (NUL, etc.)' },
    ]);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?external_key=A,B'))[0].message).toBe('external_key "A,B" must match ^[A-Za-z0-9-]+$');
    // the sort field is a list-endpoint allow-list: created_at yes, valid_from no
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?sort=valid_from'))[0].message).toBe('unknown sort field: valid_from');
  });

  test('repeated scalar params: first value wins; booleans must all be true/false', async () => {
    const r = await c.call('GET', '/api/v1/assets?limit=2&limit=500');
    expect(r.body.limit).toBe(2);
    expect(fieldsOf(await c.call('GET', '/api/v1/assets?is_active=true&is_active=yes'))[0].field).toBe('is_active');
  });

  test('q: case-insensitive substring over name, external_key, description and live tag values', async () => {
    const { call } = await org(c);
    await call('POST', '/api/v1/assets', { name: 'Blue Forklift', external_key: 'K1' });
    await call('POST', '/api/v1/assets', { name: 'Other', external_key: 'FORK-2' });
    await call('POST', '/api/v1/assets', { name: 'Third', external_key: 'K3', description: 'has a forklift inside' });
    const tagged = await call('POST', '/api/v1/assets', { name: 'Fourth', external_key: 'K4', tags: [{ tag_type: 'rfid', value: 'xxFORKxx' }] });
    await call('POST', '/api/v1/assets', { name: 'Fifth', external_key: 'K5' });
    const r = await call('GET', '/api/v1/assets?q=fork');
    expect(r.body.data.map((a: any) => a.external_key)).toEqual(['FORK-2', 'K1', 'K3', 'K4']);
    await call('DELETE', `/api/v1/assets/${tagged.body.data.id}/tags/${tagged.body.data.tags[0].id}`);
    expect((await call('GET', '/api/v1/assets?q=FORK')).body.total_count).toBe(3);
    // % and _ are not escaped (ILIKE wildcards)
    expect((await call('GET', '/api/v1/assets?q=K_')).body.total_count).toBe(5); // FORK-2 has "K-"
    expect((await call('GET', '/api/v1/assets?is_active=false')).body.total_count).toBe(0);
    // backslash escapes a wildcard (Postgres's default LIKE escape)
    await call('POST', '/api/v1/assets', { name: 'under_score' });
    await call('POST', '/api/v1/assets', { name: 'underXscore' });
    expect((await call('GET', '/api/v1/assets?q=under_score')).body.total_count).toBe(2);
    expect((await call('GET', `/api/v1/assets?q=${encodeURIComponent('under\\_score')}`)).body.data.map((a: any) => a.name)).toEqual(['under_score']);
  });

  test('q folds Unicode case like ILIKE (lower() on both sides), on assets, locations and the report', async () => {
    const { call } = await org(c);
    await call('POST', '/api/v1/assets', { name: 'Überrollbügel ÉTÉ', external_key: 'U1' });
    await call('POST', '/api/v1/assets', { name: 'Other', external_key: 'U2', tags: [{ tag_type: 'rfid', value: 'ΣΟΦΙΑ' }] });
    await call('POST', '/api/v1/locations', { name: 'Lagerhalle Süd', external_key: 'SUED' });
    const keys = async (path: string) => (await call('GET', path)).body.data.map((a: any) => a.external_key);
    expect(await keys(`/api/v1/assets?q=${encodeURIComponent('überROLL')}`)).toEqual(['U1']);
    expect(await keys(`/api/v1/assets?q=${encodeURIComponent('été')}`)).toEqual(['U1']);
    expect(await keys(`/api/v1/assets?q=${encodeURIComponent('σοφ')}`)).toEqual(['U2']);
    expect(await keys(`/api/v1/assets?q=${encodeURIComponent('Ü_ER%BÜGEL')}`)).toEqual(['U1']);
    expect(await keys(`/api/v1/locations?q=${encodeURIComponent('SÜD')}`)).toEqual(['SUED']);
    expect((await call('GET', `/api/v1/reports/asset-locations?q=${encodeURIComponent('ÜBER')}`)).status).toBe(200);
  });
});

describe('PATCH /api/v1/assets/{asset_id}', () => {
  async function one() {
    const { call } = await org(c);
    const r = await call('POST', '/api/v1/assets', {
      name: 'Forklift',
      description: 'd',
      metadata: { a: 1, b: { c: 2 } },
      tags: [
        { tag_type: 'rfid', value: 'T1' },
        { tag_type: 'ble', value: 'T2' },
      ],
    });
    return { call, a: r.body.data, path: `/api/v1/assets/${r.body.data.id}` };
  }

  test('merge-patch: omitted unchanged, null clears description/valid_to, metadata replaced wholesale, updated_at advances', async () => {
    const { call, a, path } = await one();
    const r = await call('PATCH', path, { description: null, metadata: { z: true }, valid_to: '2099-01-01T00:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ name: 'Forklift', description: null, metadata: { z: true }, valid_to: '2099-01-01T00:00:00.000Z' });
    expect(r.body.data.updated_at > a.updated_at).toBe(true);
    expect(r.body.data.created_at).toBe(a.created_at);
    const ordered = await call('PATCH', path, { metadata: { zeta: 1, Alpha: { y: [{ b: 1, a: 2 }], x: null }, beta: 'b' } });
    expect(ordered.text).toContain('"metadata":{"Alpha":{"x":null,"y":[{"a":2,"b":1}]},"beta":"b","zeta":1}');
    const cleared = await call('PATCH', path, { valid_to: null, metadata: {} });
    expect(cleared.body.data).toMatchObject({ valid_to: null, metadata: {} });
    // even {} advances updated_at (frozen clock here, still strictly later)
    const empty = await call('PATCH', path, {});
    expect(empty.status).toBe(200);
    expect(empty.body.data.updated_at > cleared.body.data.updated_at).toBe(true);
    const got = await call('GET', path);
    expect(got.body.data).toEqual(empty.body.data);
  });

  test('echoing the whole read shape back is accepted (tags as a set, timestamps by instant)', async () => {
    const { call, a, path } = await one();
    const echo = { ...a, tags: [...a.tags].reverse(), name: 'Renamed', created_at: a.created_at.replace('Z', '+00:00') };
    const r = await call('PATCH', path, echo);
    expect(r.status).toBe(200);
    expect(r.body.data.name).toBe('Renamed');
    expect(r.body.data.external_key).toBe(a.external_key);
  });

  test('echo violations are reported together in the fixed order', async () => {
    const { call, a, path } = await one();
    const r = await call('PATCH', path, {
      external_key: 'OTHER',
      tags: [a.tags[0]],
      deleted_at: '2026-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
      created_at: '2020-01-01T00:00:00Z',
      id: a.id + 1,
    });
    expect(fieldsOf(r)).toEqual([
      { field: 'id', code: 'read_only', message: "id is server-assigned and immutable; submit the resource's current id or omit the field" },
      { field: 'created_at', code: 'read_only', message: "created_at is server-managed and immutable; submit the resource's current created_at or omit the field" },
      {
        field: 'updated_at',
        code: 'read_only',
        message: "updated_at is server-managed; PATCH advances it implicitly. Submit the resource's current updated_at or omit the field",
      },
      {
        field: 'deleted_at',
        code: 'read_only',
        message: "deleted_at is server-managed; use DELETE /api/v1/assets/{asset_id} to soft-delete. Submit the resource's current deleted_at or omit the field",
      },
      {
        field: 'tags',
        code: 'invalid_context',
        message:
          'the tags field on PATCH must equal the current value as a set (idempotent echo only; ordering is not significant); use POST /api/v1/assets/{asset_id}/tags and DELETE /api/v1/assets/{asset_id}/tags/{tag_id} to mutate',
      },
      {
        field: 'external_key',
        code: 'invalid_context',
        message: 'external_key is immutable via PATCH; use POST /api/v1/assets/{asset_id}/rename with body {"external_key": "<new value>"} to change it',
      },
    ]);
    expect(r.body.error.detail).toBe("id is server-assigned and immutable; submit the resource's current id or omit the field (and 5 more validation errors)");
    expect(fieldsOf(await call('PATCH', path, { external_key: null }))[0].code).toBe('invalid_context');
    // a rejected PATCH changes nothing
    expect((await call('GET', path)).body.data.updated_at).toBe(a.updated_at);
  });

  test('null rules, type mismatches, unknown keys, location fields', async () => {
    const { call, path } = await one();
    expect(fieldsOf(await call('PATCH', path, { name: null, valid_from: null, is_active: null, metadata: null })).map((f) => [f.field, f.message])).toEqual([
      ['valid_from', 'valid_from cannot be null; omit the field to leave unchanged, or provide a value'],
      ['name', 'name cannot be null; omit the field to leave unchanged, or provide a value'],
      ['is_active', 'is_active cannot be null; omit the field to leave unchanged, or provide a value'],
      ['metadata', 'metadata cannot be null; omit the field to leave unchanged, or provide a value'],
    ]);
    expect(fieldsOf(await call('PATCH', path, { is_active: 'yes' }))).toEqual([
      { field: 'is_active', code: 'invalid_value', message: 'is_active must be boolean; received string', params: { expected_type: 'boolean', received_type: 'string' } },
    ]);
    expect(fieldsOf(await call('PATCH', path, { metadata: [1] }))).toEqual([
      { field: 'metadata', code: 'invalid_value', message: 'metadata must be a JSON object' },
    ]);
    expect(fieldsOf(await call('PATCH', path, { zz: 1, aa: 2, name: 'ok' }))).toEqual([
      { field: 'aa', code: 'unknown_field', message: 'unknown field "aa" in request body' },
      { field: 'zz', code: 'unknown_field', message: 'unknown field "zz" in request body' },
    ]);
    expect(fieldsOf(await call('PATCH', path, { location_external_key: 'X' }))[0]).toMatchObject({ field: 'location_external_key', code: 'read_only' });
    expect(fieldsOf(await call('PATCH', path, { valid_from: '2030-01-01T00:00:00Z', valid_to: '2029-01-01T00:00:00Z' }))).toEqual([
      {
        field: 'valid_to',
        code: 'invalid_value',
        message:
          'valid_to (2029-01-01T00:00:00Z) must be after valid_from (2030-01-01T00:00:00Z); the currently-effective window is half-open so a row with valid_to <= valid_from is never effective',
      },
    ]);
  });

  test('content types: merge-patch required (after the scope check), 415 beats 403', async () => {
    const { path } = await one().then(async (x) => {
      const list = await c.call('GET', '/api/v1/assets?limit=1');
      return { ...x, path: `/api/v1/assets/${list.body.data[0].id}` };
    });
    const json = await c.call('PATCH', path, { name: 'x' }, { headers: { 'Content-Type': 'application/json' } });
    expect(json.status).toBe(415);
    expect(json.body.error).toMatchObject({
      type: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: 'Content-Type must be application/merge-patch+json on PATCH operations',
    });
    const charset = await c.call('PATCH', path, { name: 'Ok name' }, { headers: { 'Content-Type': 'application/merge-patch+json; charset=utf-8' } });
    expect(charset.status).toBe(200);
    const text = await c.call('PATCH', path, { name: 'x' }, { headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body.error.detail).toBe('Content-Type must be application/json');
    // read-only key: application/json passes the group check, then the scope check fails first
    const ro = await c.call('PATCH', path, { name: 'x' }, { creds: READ_ONLY, headers: { 'Content-Type': 'application/json' } });
    expect(ro.status).toBe(403);
    expect(ro.body.error.detail).toBe('Missing required scope: assets:write');
    const roText = await c.call('PATCH', path, { name: 'x' }, { creds: READ_ONLY, headers: { 'Content-Type': 'text/plain' } });
    expect(roText.status).toBe(415);
    // query params on a write: 400 before the id is even looked up
    const q = await c.call('PATCH', '/api/v1/assets/999?dry_run=1', { name: 'x' });
    expect(fieldsOf(q)).toEqual([{ field: 'dry_run', code: 'unknown_field', message: 'unknown parameter: dry_run' }]);
    // 404 before the body is read
    const missing = await c.call('PATCH', '/api/v1/assets/999', 'not json');
    expect(missing.status).toBe(404);
  });
});

describe('DELETE, rename, tags', () => {
  test('soft delete frees the key and cascades to tags; repeat is 404', async () => {
    const { call } = await org(c);
    const a = (await call('POST', '/api/v1/assets', { name: 'A', external_key: 'K', tags: [{ tag_type: 'rfid', value: 'V' }] })).body.data;
    const del = await call('DELETE', `/api/v1/assets/${a.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect(del.headers.get('content-type')).toBeNull();
    const again = await call('DELETE', `/api/v1/assets/${a.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.detail).toBe('Asset not found');
    expect((await call('GET', `/api/v1/assets/${a.id}`)).status).toBe(404);
    const b = await call('POST', '/api/v1/assets', { name: 'B', external_key: 'K', tags: [{ tag_type: 'rfid', value: 'V' }] });
    expect(b.status).toBe(201);
    expect(b.body.data.id).not.toBe(a.id);
    const listed = await call('GET', '/api/v1/assets?external_key=K&include_deleted=true');
    const rows = new Map(listed.body.data.map((x: any) => [x.id, x.deleted_at === null]));
    expect(rows).toEqual(new Map([[a.id, false], [b.body.data.id, true]]));
    // the deleted row's tags were cascaded: not embedded any more
    expect(listed.body.data.find((x: any) => x.id === a.id).tags).toEqual([]);
  });

  test('rename: same value is a no-op, a new value advances updated_at, collisions are 409', async () => {
    const { call } = await org(c);
    const a = (await call('POST', '/api/v1/assets', { name: 'A', external_key: 'A1' })).body.data;
    await call('POST', '/api/v1/assets', { name: 'B', external_key: 'B1' });
    const same = await call('POST', `/api/v1/assets/${a.id}/rename`, { external_key: 'A1' });
    expect(same.status).toBe(200);
    expect(Object.keys(same.body)).toEqual(['data', 'descendant_count_affected']);
    expect(same.body.descendant_count_affected).toBe(0);
    expect(same.body.data.updated_at).toBe(a.updated_at);
    const renamed = await call('POST', `/api/v1/assets/${a.id}/rename`, { external_key: 'A2' });
    expect(renamed.body.data.external_key).toBe('A2');
    expect(renamed.body.data.updated_at > a.updated_at).toBe(true);
    const clash = await call('POST', `/api/v1/assets/${a.id}/rename`, { external_key: 'B1' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.detail).toBe('asset with external_key B1 already exists');
    // the old key is free again
    expect((await call('POST', '/api/v1/assets', { name: 'C', external_key: 'A1' })).status).toBe(201);
  });

  test('rename body rules', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const path = `/api/v1/assets/${list.body.data[0].id}/rename`;
    expect(fieldsOf(await c.call('POST', path, {}))).toEqual([{ field: 'external_key', code: 'required', message: 'external_key is required' }]);
    expect(fieldsOf(await c.call('POST', path, { external_key: null }))[0].code).toBe('required');
    expect(fieldsOf(await c.call('POST', path, { external_key: '' }))).toEqual([
      { field: 'external_key', code: 'too_short', message: 'external_key must be at least 1 character', params: { min_length: 1 } },
    ]);
    expect(fieldsOf(await c.call('POST', path, { external_key: 'a b' }))).toEqual([
      {
        field: 'external_key',
        code: 'invalid_value',
        message:
          'external_key must match ^[A-Za-z0-9-]+$ (alphanumerics and hyphens only — underscore, period, whitespace, slash, colon, and non-ASCII are reserved)',
        params: { pattern: '^[A-Za-z0-9-]+$' },
      },
    ]);
    expect(fieldsOf(await c.call('POST', path, { external_key: 'A'.repeat(256) }))).toEqual([
      { field: 'external_key', code: 'too_long', message: 'external_key must be at most 255 characters', params: { max_length: 255 } },
    ]);
    expect(fieldsOf(await c.call('POST', path, { external_key: 'OK', name: 'x' }))[0].message).toBe('unknown field "name" in request body');
  });

  test('tag attach/detach: Location header, 409 naming the holder, 404 strings', async () => {
    const { call } = await org(c);
    const a = (await call('POST', '/api/v1/assets', { name: 'Forklift 3', external_key: 'FL-3' })).body.data;
    const b = (await call('POST', '/api/v1/assets', { name: 'Other' })).body.data;
    await call('POST', '/api/v1/locations', { name: 'Bay', external_key: 'BAY-1', tags: [{ tag_type: 'ble', value: 'B1' }] });
    const t = await call('POST', `/api/v1/assets/${a.id}/tags`, { tag_type: 'rfid', value: 'E2-80' });
    expect(t.status).toBe(201);
    expect(Object.keys(t.body.data)).toEqual(['id', 'tag_type', 'value']);
    expect(t.headers.get('location')).toBe(`/api/v1/assets/${a.id}/tags/${t.body.data.id}`);
    const dupSame = await call('POST', `/api/v1/assets/${a.id}/tags`, { tag_type: 'rfid', value: 'E2-80' });
    expect(dupSame.status).toBe(409);
    expect(dupSame.body.error.detail).toBe(
      'tag rfid:E2-80 already exists — it is attached to asset "Forklift 3" (FL-3); remove it there before attaching here',
    );
    const dupLoc = await call('POST', `/api/v1/assets/${b.id}/tags`, { tag_type: 'ble', value: 'B1' });
    expect(dupLoc.body.error.detail).toBe('tag ble:B1 already exists — it is attached to location "Bay" (BAY-1); remove it there before attaching here');
    // case-sensitive, per kind
    expect((await call('POST', `/api/v1/assets/${b.id}/tags`, { tag_type: 'rfid', value: 'e2-80' })).status).toBe(201);
    expect((await call('POST', `/api/v1/assets/${b.id}/tags`, { tag_type: 'barcode', value: 'E2-80' })).status).toBe(201);
    const wrongOwner = await call('DELETE', `/api/v1/assets/${b.id}/tags/${t.body.data.id}`);
    expect(wrongOwner.status).toBe(404);
    expect(wrongOwner.body.error.detail).toBe('Tag not found on this asset');
    expect((await call('DELETE', `/api/v1/assets/${a.id}/tags/${t.body.data.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/assets/${a.id}/tags/${t.body.data.id}`)).body.error.detail).toBe('Tag not found on this asset');
    expect((await call('DELETE', `/api/v1/assets/1/tags/${t.body.data.id}`)).body.error.detail).toBe('Asset not found');
    expect(fieldsOf(await call('DELETE', `/api/v1/assets/${a.id}/tags/x`))[0].message).toBe('tag_id must be an integer');
    expect(fieldsOf(await call('DELETE', '/api/v1/assets/1/tags/0'))[0].message).toBe('tag_id must be ≥ 1'); // 400 before the 404
    expect(fieldsOf(await call('DELETE', '/api/v1/assets/x/tags/y'))[0].message).toBe('asset_id must be an integer');
    // freed: attach to b now
    expect((await call('POST', `/api/v1/assets/${b.id}/tags`, { tag_type: 'rfid', value: 'E2-80' })).status).toBe(201);
  });

  test('tag body rules', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const path = `/api/v1/assets/${list.body.data[0].id}/tags`;
    expect(fieldsOf(await c.call('POST', path, { value: 'x' }))).toEqual([{ field: 'tag_type', code: 'required', message: 'tag_type is required' }]);
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'nfc', value: 'x' }))).toEqual([
      { field: 'tag_type', code: 'invalid_value', message: 'tag_type must be one of: rfid, ble, barcode', params: { allowed_values: ['rfid', 'ble', 'barcode'] } },
    ]);
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'rfid', value: '' }))).toEqual([
      { field: 'value', code: 'too_short', message: 'value must be at least 1 character', params: { min_length: 1 } },
    ]);
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'rfid', value: 'a\u0001' }))[0]).toMatchObject({
      field: 'value',
      code: 'invalid_value',
      message: 'value must not contain control characters (NUL, etc.)',
    });
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'rfid', value: 'v'.repeat(256) }))).toEqual([
      { field: 'value', code: 'too_long', message: 'value must be at most 255 characters', params: { max_length: 255 } },
    ]);
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'rfid', value: 7 }))[0].message).toBe('value must be string; received integer');
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'rfid', value: 'x', extra: 1 }))[0].message).toBe('unknown field "extra" in request body');
    expect(fieldsOf(await c.call('POST', path, { tag_type: 'rfid' })).map((f) => f.message)).toEqual(['value is required']);
    expect(fieldsOf(await c.call('POST', path, {})).map((f) => f.message)).toEqual(['tag_type is required', 'value is required']);
    // tab/newline are allowed in values
    expect((await c.call('POST', path, { tag_type: 'barcode', value: 'a\tb\nc' })).status).toBe(201);
  });
});

describe('write pipeline', () => {
  test('POST content type is an exact string compare; 415 before 403', async () => {
    for (const ct of ['application/json;charset=utf-8', 'application/json; charset=UTF-8', 'text/json', 'application/merge-patch+json']) {
      const r = await c.call('POST', '/api/v1/assets', { name: 'x' }, { headers: { 'Content-Type': ct } });
      expect(r.status, ct).toBe(415);
      expect(r.body.error.detail).toBe('Content-Type must be application/json');
    }
    const noCt = await c.raw('POST', '/api/v1/assets', { body: '{"name":"x"}', headers: { Authorization: `Bearer ${await c.token()}` } });
    expect(noCt.status).toBe(415);
    expect((await c.call('POST', '/api/v1/assets', { name: 'ok' }, { headers: { 'Content-Type': 'application/json; charset=utf-8' } })).status).toBe(201);
    const ro = await c.call('POST', '/api/v1/assets', { name: 'x' }, { creds: READ_ONLY, headers: { 'Content-Type': 'text/plain' } });
    expect(ro.status).toBe(415);
    const ro2 = await c.call('POST', '/api/v1/assets', { name: 'x' }, { creds: READ_ONLY });
    expect(ro2.status).toBe(403);
    // DELETE is not content-type checked
    const del = await c.call('DELETE', '/api/v1/assets/123', undefined, { headers: { 'Content-Type': 'text/plain' } });
    expect(del.status).toBe(404);
  });

  test('402 on writes when the org subscription is off; reads still work; back on → writes work', async () => {
    const off = await c.admin('PATCH', '/orgs/1', { subscription_active: false });
    expect(off.status).toBe(200);
    const w = await c.call('POST', '/api/v1/assets', { name: 'x' }, { headers: { 'Content-Type': 'text/plain' } });
    expect(w.status).toBe(402);
    expect(w.body.error).toMatchObject({ type: 'payment_required', title: 'Payment required', detail: 'Organization subscription is not active or has expired' });
    expect((await c.call('DELETE', '/api/v1/assets/1')).status).toBe(402);
    expect((await c.call('GET', '/api/v1/assets?limit=1')).status).toBe(200);
    await c.admin('PATCH', '/orgs/1', { subscription_active: true });
    expect((await c.call('POST', '/api/v1/assets', { name: 'x' })).status).toBe(201);
  });

  test('retired lookup paths: 404 with a pointer, any method, no auth needed', async () => {
    const r = await c.raw('GET', '/api/v1/assets/lookup?external_key=A');
    expect(r.status).toBe(404);
    expect(r.body.error.detail).toBe('This endpoint has been removed. Use GET /api/v1/assets?external_key= to find an asset by external_key.');
    const p = await c.raw('POST', '/api/v1/locations/lookup');
    expect(p.body.error.detail).toBe('This endpoint has been removed. Use GET /api/v1/locations?external_key= to find a location by external_key.');
    const cur = await c.raw('DELETE', '/api/v1/locations/current');
    expect(cur.body.error.detail).toBe('This endpoint has moved. Use GET /api/v1/reports/asset-locations.');
    expect(cur.headers.get('x-ratelimit-limit')).toBe('120');
  });

  test('query params on writes: list filters are invalid_context (no sibling hint off the list path), 404 for unknown routes', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const id = list.body.data[0].id;
    const r = await c.call('POST', `/api/v1/assets/${id}/rename?q=x&is_active=true`, { external_key: 'X' });
    expect(fieldsOf(r)).toEqual([
      { field: 'is_active', code: 'invalid_context', message: 'is_active is a list-endpoint filter and is not allowed on this endpoint.' },
      { field: 'q', code: 'invalid_context', message: 'q is a list-endpoint filter and is not allowed on this endpoint.' },
    ]);
    const del = await c.call('DELETE', `/api/v1/assets/${id}?external_key=A`);
    expect(fieldsOf(del)[0].message).toBe(
      'external_key is a list-endpoint filter and is not allowed on this endpoint; see GET /api/v1/assets for the supported filter parameters.',
    );
    const unknown = await c.raw('GET', `/api/v1/assets/${id}/location`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.detail).toBe(`Unknown API route: /api/v1/assets/${id}/location`);
  });

  test('405 with Allow on the data routes, before auth', async () => {
    const cases: Array<[string, string, string]> = [
      ['PUT', '/api/v1/assets', 'GET, HEAD, POST'],
      ['POST', '/api/v1/assets/1', 'GET, HEAD, PATCH, DELETE'],
      ['GET', '/api/v1/assets/1/rename', 'POST'],
      ['GET', '/api/v1/assets/1/tags', 'POST'],
      ['GET', '/api/v1/assets/1/tags/2', 'DELETE'],
      ['POST', '/api/v1/assets/1/history', 'GET, HEAD'],
      ['DELETE', '/api/v1/locations/1/descendants', 'GET, HEAD'],
      ['POST', '/api/v1/reports/asset-locations', 'GET, HEAD'],
    ];
    for (const [m, p, allow] of cases) {
      const r = await c.raw(m, p);
      expect(r.status, `${m} ${p}`).toBe(405);
      expect(r.headers.get('allow')).toBe(allow);
      expect(r.body.error.detail).toBe(`Allowed methods: ${allow}`);
    }
  });
});

test('lifecycle: create → list → rename → tag → delete → list with include_deleted', async () => {
  const { call } = await org(c);
  const created = await call('POST', '/api/v1/assets', { name: 'Cart 7' });
  const id = created.body.data.id;
  let list = await call('GET', '/api/v1/assets');
  expect(list.body.data.map((a: any) => a.external_key)).toEqual(['ASSET-0001']);
  await call('POST', `/api/v1/assets/${id}/rename`, { external_key: 'CART-7' });
  const tag = await call('POST', `/api/v1/assets/${id}/tags`, { tag_type: 'rfid', value: 'CAFE' });
  list = await call('GET', '/api/v1/assets?external_key=CART-7');
  expect(list.body.data[0].tags).toEqual([tag.body.data]);
  expect(list.body.data[0].updated_at > created.body.data.updated_at).toBe(true);
  expect((await call('DELETE', `/api/v1/assets/${id}`)).status).toBe(204);
  expect((await call('GET', '/api/v1/assets')).body.total_count).toBe(0);
  const withDeleted = await call('GET', '/api/v1/assets?include_deleted=true');
  expect(withDeleted.body.total_count).toBe(1);
  expect(withDeleted.body.data[0]).toMatchObject({ id, external_key: 'CART-7', tags: [] });
  expect(withDeleted.body.data[0].deleted_at).toMatch(TS);
  // ids are non-sequential and globally unique across assets, locations and tags
  const loc = await call('POST', '/api/v1/locations', { name: 'Dock' });
  const ids = [id, tag.body.data.id, loc.body.data.id];
  expect(new Set(ids).size).toBe(3);
  expect(Math.abs(ids[1] - ids[0])).toBeGreaterThan(1);
});
