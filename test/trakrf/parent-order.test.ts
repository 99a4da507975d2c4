/**
 * The parent FK pair on POST and PATCH /api/v1/locations, in the backend's order (locations.go: Create reconciles
 * both forms before struct validation and resolves the natural key only; resolveParent then checks the single
 * form left; PATCH runs the same reconciliation after its echo checks, and resolves after the validity window).
 */
import { describe, expect, test } from 'vitest';
import { fieldsOf, newOrg, setup, type Client, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

const DISAGREE = 'parent_id and parent_external_key both supplied and disagree; supply exactly one or supply consistent values';
const MIXED = 'parent_id and parent_external_key are mutually exclusive when one is null and the other is set; supply exactly one';
const ambiguous = (m: string) => [
  { field: 'parent_id', code: 'ambiguous_fields', message: m },
  { field: 'parent_external_key', code: 'ambiguous_fields', message: m },
];

async function fixture(client: Client) {
  const { creds } = await newOrg(client);
  const call = (method: string, path: string, body?: unknown) => client.call(method, path, body, { creds });
  const make = async (body: Record<string, unknown>) => {
    const r = await call('POST', '/api/v1/locations', body);
    if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
    return r.body.data as { id: number; parent_id: number | null };
  };
  const whs = await make({ name: 'Warehouse', external_key: 'WHS-01' });
  const other = await make({ name: 'Other', external_key: 'OTHER' });
  const gone = await make({ name: 'Gone', external_key: 'GONE' });
  expect((await call('DELETE', `/api/v1/locations/${gone.id}`)).status).toBe(204);
  const child = await make({ name: 'Child', external_key: 'CHILD', parent_id: other.id });
  // an id no location of any org has
  const missing = 987654321;
  return { call, make, whs, other, gone, child, missing };
}

type Fx = Awaited<ReturnType<typeof fixture>>;
type Expect = { parent: (f: Fx) => number | null } | { fields: (f: Fx) => unknown };

/** Every combination of the two forms: [label, body parent fields, expected outcome]. */
const CASES: Array<[string, (f: Fx) => Record<string, unknown>, Expect]> = [
  ['both agree', (f) => ({ parent_id: f.whs.id, parent_external_key: 'WHS-01' }), { parent: (f) => f.whs.id }],
  ['both disagree, both live', (f) => ({ parent_id: f.other.id, parent_external_key: 'WHS-01' }), { fields: () => ambiguous(DISAGREE) }],
  // parent_id is only compared, never looked up, when both forms are sent
  ['both, parent_id does not exist', (f) => ({ parent_id: f.missing, parent_external_key: 'WHS-01' }), { fields: () => ambiguous(DISAGREE) }],
  ['both, parent_id soft-deleted', (f) => ({ parent_id: f.gone.id, parent_external_key: 'WHS-01' }), { fields: () => ambiguous(DISAGREE) }],
  ['both, parent_id 0 (no bounds check yet)', () => ({ parent_id: 0, parent_external_key: 'WHS-01' }), { fields: () => ambiguous(DISAGREE) }],
  [
    'both, key unknown',
    (f) => ({ parent_id: f.whs.id, parent_external_key: 'NOPE' }),
    { fields: () => [{ field: 'parent_external_key', code: 'fk_not_found', message: 'parent_external_key "NOPE" not found' }] },
  ],
  [
    'both, key soft-deleted',
    (f) => ({ parent_id: f.gone.id, parent_external_key: 'GONE' }),
    { fields: () => [{ field: 'parent_external_key', code: 'fk_not_found', message: 'parent_external_key "GONE" not found' }] },
  ],
  [
    'both, key fails its pattern (looked up before validation)',
    (f) => ({ parent_id: f.whs.id, parent_external_key: 'a b' }),
    { fields: () => [{ field: 'parent_external_key', code: 'fk_not_found', message: 'parent_external_key "a b" not found' }] },
  ],
  ['both, key empty', (f) => ({ parent_id: f.whs.id, parent_external_key: '' }), { fields: () => ambiguous(DISAGREE) }],
  ['both null', () => ({ parent_id: null, parent_external_key: null }), { parent: () => null }],
  ['id null, key set', () => ({ parent_id: null, parent_external_key: 'WHS-01' }), { fields: () => ambiguous(MIXED) }],
  ['id set, key null', (f) => ({ parent_id: f.missing, parent_external_key: null }), { fields: () => ambiguous(MIXED) }],
  ['id only', (f) => ({ parent_id: f.whs.id }), { parent: (f) => f.whs.id }],
  [
    'id only, missing',
    (f) => ({ parent_id: f.missing }),
    { fields: (f) => [{ field: 'parent_id', code: 'fk_not_found', message: `parent_id ${f.missing} not found` }] },
  ],
  [
    'id only, soft-deleted',
    (f) => ({ parent_id: f.gone.id }),
    { fields: (f) => [{ field: 'parent_id', code: 'fk_not_found', message: `parent_id ${f.gone.id} not found` }] },
  ],
  [
    'id only, 0 (bounds before lookup)',
    () => ({ parent_id: 0 }),
    { fields: () => [{ field: 'parent_id', code: 'too_small', message: 'parent_id must be >= 1', params: { min: 1 } }] },
  ],
  ['id only, null', () => ({ parent_id: null }), { parent: () => null }],
  ['key only', () => ({ parent_external_key: 'WHS-01' }), { parent: (f) => f.whs.id }],
  [
    'key only, unknown',
    () => ({ parent_external_key: 'NOPE' }),
    { fields: () => [{ field: 'parent_external_key', code: 'fk_not_found', message: 'parent_external_key "NOPE" not found' }] },
  ],
  [
    'key only, soft-deleted',
    () => ({ parent_external_key: 'GONE' }),
    { fields: () => [{ field: 'parent_external_key', code: 'fk_not_found', message: 'parent_external_key "GONE" not found' }] },
  ],
  ['key only, null', () => ({ parent_external_key: null }), { parent: () => null }],
];

async function check(f: Fx, r: Awaited<ReturnType<Fx['call']>>, want: Expect, ok: number) {
  if ('parent' in want) {
    expect(r.status, r.text).toBe(ok);
    expect(r.body.data.parent_id).toBe(want.parent(f));
  } else {
    expect(fieldsOf(r)).toEqual(want.fields(f));
    expect(r.body.error.type).toBe('validation_error');
  }
}

describe('parent pair order', () => {
  test.each(CASES)('POST: %s', async (_label, body, want) => {
    const f = await fixture(c);
    const before = (await f.call('GET', '/api/v1/locations?limit=200')).body.total_count;
    const r = await f.call('POST', '/api/v1/locations', { name: 'New', ...body(f) });
    await check(f, r, want, 201);
    const after = (await f.call('GET', '/api/v1/locations?limit=200')).body.total_count;
    expect(after).toBe(before + ('parent' in want ? 1 : 0));
  });

  test.each(CASES)('PATCH: %s', async (_label, body, want) => {
    const f = await fixture(c);
    const r = await f.call('PATCH', `/api/v1/locations/${f.child.id}`, body(f));
    await check(f, r, want, 200);
    const now = (await f.call('GET', `/api/v1/locations/${f.child.id}`)).body.data;
    expect(now.parent_id).toBe('parent' in want ? want.parent(f) : f.other.id);
  });

  test('POST: reconciliation runs before struct validation, resolution before the validity window', async () => {
    const f = await fixture(c);
    // a bad name does not hide the disagreement (reconciliation comes first)
    const r1 = await f.call('POST', '/api/v1/locations', { name: '', parent_id: f.other.id, parent_external_key: 'WHS-01' });
    expect(fieldsOf(r1)).toEqual(ambiguous(DISAGREE));
    // a bad name hides a missing parent_id sent alone (struct validation comes first)
    const r2 = await f.call('POST', '/api/v1/locations', { name: '', parent_id: f.missing });
    expect(fieldsOf(r2).map((e) => e.field)).toEqual(['name']);
    // a missing parent hides an inverted window (resolution comes first on create)
    const win = { valid_from: '2030-01-01T00:00:00Z', valid_to: '2029-01-01T00:00:00Z' };
    const r3 = await f.call('POST', '/api/v1/locations', { name: 'X', parent_id: f.missing, ...win });
    expect(fieldsOf(r3).map((e) => e.code)).toEqual(['fk_not_found']);
  });

  test('PATCH: echo checks come before reconciliation; the validity window before resolution', async () => {
    const f = await fixture(c);
    const r1 = await f.call('PATCH', `/api/v1/locations/${f.child.id}`, { external_key: 'X', parent_id: f.other.id, parent_external_key: 'WHS-01' });
    expect(fieldsOf(r1).map((e) => e.code)).toEqual(['invalid_context']);
    const win = { valid_from: '2030-01-01T00:00:00Z', valid_to: '2029-01-01T00:00:00Z' };
    const r2 = await f.call('PATCH', `/api/v1/locations/${f.child.id}`, { parent_id: f.missing, ...win });
    expect(fieldsOf(r2).map((e) => e.field)).toEqual(['valid_to']);
  });
});
