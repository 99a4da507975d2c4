import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { expectError, get, newSuite, tokens, demo, type App } from './helpers.js';
import type { Suite } from '../../src/suite.js';

let suite: Suite;
let app: App;
let token: string;
beforeAll(async () => {
  suite = newSuite();
  app = suite.app('trakrf');
  token = (await tokens(app)).access_token;
});
afterAll(() => suite.close());

const list = async (qs: string) => get(app, `/api/v1/assets${qs}`, token);

describe('GET /api/v1/assets (the read path the auth plane proves)', () => {
  it('list envelope with the defaults: limit 50, offset 0, external_key ASC, 12-key AssetView', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['data', 'limit', 'offset', 'total_count']);
    expect(body.limit).toBe(50);
    expect(body.offset).toBe(0);
    expect(body.data).toHaveLength(50);
    expect(body.total_count).toBeGreaterThan(50);
    const keys = body.data.map((a: any) => a.external_key);
    expect(keys).toEqual([...keys].sort());
    expect(Object.keys(body.data[0])).toEqual([
      'id', 'external_key', 'name', 'description', 'metadata', 'is_active', 'valid_from', 'valid_to', 'created_at', 'updated_at', 'deleted_at', 'tags',
    ]);
    for (const a of body.data) {
      expect(a.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(a.deleted_at).toBeNull();
      expect(Number.isSafeInteger(a.id)).toBe(true);
      for (const t of a.tags) expect(Object.keys(t)).toEqual(['id', 'tag_type', 'value']);
    }
  });

  it('ids are high-entropy and unique across assets and tags', async () => {
    const body = await (await list('?limit=200')).json();
    const ids = body.data.flatMap((a: any) => [a.id, ...a.tags.map((t: any) => t.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id: number) => id > 2 ** 32).length).toBeGreaterThan(ids.length * 0.9);
  });

  it('limit/offset page through total_count without overlap', async () => {
    const a = await (await list('?limit=5&offset=0')).json();
    const b = await (await list('?limit=5&offset=5')).json();
    expect(a.data).toHaveLength(5);
    expect(b.offset).toBe(5);
    expect(new Set([...a.data, ...b.data].map((x: any) => x.id)).size).toBe(10);
  });

  it('sort: -created_at, multiple fields, whitespace, empty = default', async () => {
    const desc = (await (await list('?sort=-created_at&limit=200')).json()).data.map((a: any) => a.created_at);
    expect(desc).toEqual([...desc].sort().reverse());
    const byName = (await (await list('?sort=%20name%20,-external_key&limit=200')).json()).data.map((a: any) => a.name);
    expect(byName).toEqual([...byName].sort((x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)));
    expect((await list('?sort=')).status).toBe(200);
  });

  it('external_key filter is repeatable any-of; a miss is an empty page', async () => {
    const body = await (await list('?external_key=ASSET-0001&external_key=ASSET-0002&external_key=NOPE-1')).json();
    expect(body.data.map((a: any) => a.external_key)).toEqual(['ASSET-0001', 'ASSET-0002']);
    expect(body.total_count).toBe(2);
  });

  it('is_active filters; include_deleted shows soft-deleted rows with deleted_at', async () => {
    const inactive = (await (await list('?is_active=false&limit=200')).json()).data;
    expect(inactive.length).toBeGreaterThan(0);
    expect(inactive.every((a: any) => a.is_active === false)).toBe(true);
    const live = (await (await list('?limit=200')).json()).total_count;
    const all = await (await list('?include_deleted=true&limit=200')).json();
    expect(all.total_count).toBeGreaterThan(live);
    expect(all.data.some((a: any) => a.deleted_at !== null)).toBe(true);
  });

  it('temporal validity: assets whose window ended are not listed but are readable by id', async () => {
    const listed = new Set((await (await list('?include_deleted=true&limit=200')).json()).data.map((a: any) => a.external_key));
    const retired = 'ASSET-0017';
    expect(listed.has(retired)).toBe(false);
    const row = suite.instance('trakrf').ctx.handle.db.prepare('SELECT id FROM assets WHERE external_key = ? AND org_id = 1').get(retired) as { id: number };
    const res = await get(app, `/api/v1/assets/${row.id}`, token);
    expect(res.status).toBe(200);
    expect((await res.json()).data.valid_to).not.toBeNull();
  });

  it('q: case-insensitive substring over name, external_key, description and tag values', async () => {
    const one = (await (await list('?external_key=ASSET-0003')).json()).data[0];
    const byKey = (await (await list('?q=asset-0003')).json()).data;
    expect(byKey.map((a: any) => a.id)).toContain(one.id);
    const tag = one.tags[0].value as string;
    const byTag = (await (await list(`?q=${tag.toLowerCase()}`)).json()).data;
    expect(byTag.map((a: any) => a.id)).toEqual([one.id]);
    const none = await (await list('?q=zzzz-no-such-thing')).json();
    expect(none).toEqual({ data: [], limit: 50, offset: 0, total_count: 0 });
  });

  it('only the caller\'s org is visible', async () => {
    const other = (await tokens(app, demo.globex)).access_token;
    const mine = (await (await list('?limit=200')).json()).data.map((a: any) => a.id);
    const theirs = (await (await get(app, '/api/v1/assets?limit=200', other)).json()).data.map((a: any) => a.id);
    expect(mine.filter((id: number) => theirs.includes(id))).toEqual([]);
    expect((await get(app, `/api/v1/assets/${mine[0]}`, other)).status).toBe(404);
  });

  it.each([
    ['?limit=201', 'limit', 'too_large', 'limit must be ≤ 200', { max: 200 }],
    ['?limit=0', 'limit', 'too_small', 'limit must be ≥ 1', { min: 1 }],
    ['?limit=-3', 'limit', 'too_small', 'limit must be ≥ 1', { min: 1 }],
    ['?limit=abc', 'limit', 'invalid_value', 'limit must be a positive integer', undefined],
    ['?limit=1.5', 'limit', 'invalid_value', 'limit must be a positive integer', undefined],
    ['?offset=-1', 'offset', 'too_small', 'offset must be ≥ 0', { min: 0 }],
    ['?offset=x', 'offset', 'invalid_value', 'offset must be a non-negative integer', undefined],
    ['?sort=color', 'sort', 'invalid_value', 'unknown sort field: color', undefined],
    ['?sort=-id', 'sort', 'invalid_value', 'unknown sort field: id', undefined],
    ['?is_active=TRUE', 'is_active', 'invalid_value', "is_active must be 'true' or 'false'", undefined],
    ['?include_deleted=1', 'include_deleted', 'invalid_value', "include_deleted must be 'true' or 'false'", undefined],
    ['?is_active=true&is_active=yes', 'is_active', 'invalid_value', "is_active must be 'true' or 'false'", undefined],
    ['?external_key=A_B', 'external_key', 'invalid_value', 'external_key "A_B" must match ^[A-Za-z0-9-]+$', { pattern: '^[A-Za-z0-9-]+$' }],
    ['?external_key=A,B', 'external_key', 'invalid_value', 'external_key "A,B" must match ^[A-Za-z0-9-]+$', { pattern: '^[A-Za-z0-9-]+$' }],
    ['?q=a%00b', 'q', 'invalid_value', 'q must not contain control characters (NUL, etc.)', undefined],
    ['?color=red', 'color', 'unknown_field', 'unknown parameter: color', undefined],
  ])('%s → 400 %s %s', async (qs, fieldName, code, message, params) => {
    const e = await expectError(await list(qs), 400, 'validation_error', 'Validation failed', message);
    expect(e.fields).toEqual([{ field: fieldName, code, message, ...(params ? { params } : {}) }]);
    expect(e.instance).toBe('/api/v1/assets');
  });

  it('several bad parameters → every field, detail says how many more', async () => {
    const e = await expectError(await list('?limit=500&offset=-1&zzz=1'), 400, 'validation_error', 'Validation failed', 'unknown parameter: zzz (and 2 more validation errors)');
    expect(e.fields.map((f: any) => f.field)).toEqual(['zzz', 'limit', 'offset']);
  });

  it('repeated scalars: the first value wins', async () => {
    const body = await (await list('?limit=3&limit=7')).json();
    expect(body.limit).toBe(3);
  });
});

describe('GET /api/v1/assets/{asset_id}', () => {
  it('returns {data: AssetView}', async () => {
    const first = (await (await list('?limit=1')).json()).data[0];
    const res = await get(app, `/api/v1/assets/${first.id}`, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: first });
  });
  it.each([
    ['abc', 'invalid_value', 'asset_id must be an integer', undefined],
    ['99999999999999999999', 'invalid_value', 'asset_id must be an integer', undefined],
    ['0', 'too_small', 'asset_id must be ≥ 1', { min: 1 }],
    ['-4', 'too_small', 'asset_id must be ≥ 1', { min: 1 }],
  ])('bad id %s → 400', async (id, code, message, params) => {
    const e = await expectError(await get(app, `/api/v1/assets/${id}`, token), 400, 'validation_error', 'Validation failed', message);
    expect(e.fields).toEqual([{ field: 'asset_id', code, message, ...(params ? { params } : {}) }]);
  });
  it('unknown id → 404 Asset not found', async () => {
    await expectError(await get(app, '/api/v1/assets/123456789', token), 404, 'not_found', 'Not found', 'Asset not found');
  });
  it('query params are rejected before the id is parsed', async () => {
    const e = await expectError(
      await get(app, '/api/v1/assets/abc?include_deleted=true&is_active=true&foo=1', token),
      400,
      'validation_error',
      'Validation failed',
      'unknown parameter: foo (and 2 more validation errors)',
    );
    expect(e.fields).toEqual([
      { field: 'foo', code: 'unknown_field', message: 'unknown parameter: foo' },
      {
        field: 'include_deleted',
        code: 'invalid_context',
        message:
          'include_deleted is a list-only filter; soft-deleted records are not retrievable by id (the natural key is freed for reuse on soft-delete). Use /api/v1/assets?external_key=<key>&include_deleted=true to retrieve soft-deleted rows by natural key.',
      },
      {
        field: 'is_active',
        code: 'invalid_context',
        message: 'is_active is a list-endpoint filter and is not allowed on this endpoint; see GET /api/v1/assets for the supported filter parameters.',
      },
    ]);
  });
});
