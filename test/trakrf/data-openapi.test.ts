import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { TrakrfApi } from '../../src/vendors/trakrf/index.js';
import { setup } from './data-helpers.js';
import { checkRecordedAgainstSpec, problems, spec } from './data-openapi-recorder.js';
import { documented, served } from '../support/routes.js';

const c = setup();
checkRecordedAgainstSpec();

/** Served under /api but deliberately outside the public spec: the spec itself and its redirects (trakrf.md §1). */
const NOT_IN_SPEC = ['GET /api/openapi.json', 'GET /api/openapi.yaml', 'GET /api/v1/openapi.json', 'GET /api/v1/openapi.yaml'];

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('openapi/trakrf.json and the served routes', () => {
  test('every operation in the doc is served, and every served route is in the doc, with the same operationId', () => {
    const table = (c.suite.instance('trakrf').runtime.api as TrakrfApi).table;
    const inDoc = documented(spec, { operationIds: true });
    expect(served(table.defs, { operationIds: true })).toEqual([...inDoc, ...NOT_IN_SPEC].sort());
    expect(inDoc.length).toBe(23);
  });

  test('the doc is the vendor’s published spec (same paths, parameters, schemas, required fields and enums)', () => {
    // sha256 of the canonical (key-sorted) JSON of specs/trakrf.openapi.json as published (file sha256 e3a98ce3…3b15)
    const hash = createHash('sha256').update(canonical(spec)).digest('hex');
    expect(hash).toBe(PUBLISHED_CANONICAL_SHA256);
  });

  test('x-required-scopes per operation (trakrf.md §8)', () => {
    const scopes: Record<string, string[]> = {};
    for (const ops of Object.values(spec.paths)) for (const op of Object.values(ops as any) as any[]) scopes[op.operationId] = op['x-required-scopes'];
    expect(scopes).toMatchObject({
      listAssets: ['assets:read'],
      createAsset: ['assets:write'],
      updateAsset: ['assets:write'],
      addAssetTag: ['assets:write'],
      removeLocationTag: ['locations:write'],
      listLocationDescendants: ['locations:read'],
      listAssetHistory: ['tracking:read'],
      listAssetLocations: ['tracking:read'],
      getCurrentOrg: [],
      createToken: [],
    });
  });

  test('the served document is the file, and the response check can fail', async () => {
    const r = await c.raw('GET', '/api/openapi.json');
    expect(canonical(JSON.parse(r.text)) === canonical(spec)).toBe(true);
    const good = await c.call('GET', '/api/v1/assets?limit=1');
    const rec = (body: unknown, status = 200) => ({ method: 'GET', path: '/api/v1/assets', status, headers: Object.fromEntries(good.headers), body });
    expect(problems(rec(good.body))).toEqual([]);
    const broken = structuredClone(good.body);
    delete broken.data[0].tags;
    broken.data[0].valid_from = 'yesterday';
    expect(problems(rec(broken)).join('\n')).toMatch(/tags|valid_from/);
    expect(problems(rec({ error: { type: 'nope' } }, 400)).length).toBeGreaterThan(0);
    expect(problems({ ...rec(good.body), headers: { 'content-type': 'text/plain' } }).length).toBeGreaterThan(0);
  });
});

const PUBLISHED_CANONICAL_SHA256 = '59a855126bd2e690b1c152887dc2361e41ca8a96acef49f8e08adf2772055e86';
