import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeObject } from '../../src/vendors/trakrf/body.js';
import { parseRfc3339Ms as parseTimestamp } from '../../src/core/time.js';
import { validationError, field } from '../../src/vendors/trakrf/errors.js';
import { parseListParams, parseQuery, parseSort } from '../../src/vendors/trakrf/query.js';
import { ASSET_LIST } from '../../src/vendors/trakrf/routes/assets.js';
import { LOCATION_LIST } from '../../src/vendors/trakrf/routes/locations.js';
import { REPORT_LIST } from '../../src/vendors/trakrf/routes/tracking.js';
import { setup, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

describe('pure parsers', () => {
  test('parseTimestamp agrees with Date for every instant in any offset, millis truncated', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -62135596800000 + 86_400_000, max: 253402300799999 - 86_400_000 }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.integer({ min: 0, max: 999 }),
        (ms, offsetMin, micros) => {
          const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const off = offsetMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const text = `${local}${String(micros).padStart(3, '0')}${off}`;
          expect(parseTimestamp(text)).toBe(ms);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('parseTimestamp never throws and rejects what is not RFC 3339', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseTimestamp(s);
        if (r !== null) expect(/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}/.test(s)).toBe(true);
      }),
    );
  });

  test('parseSort: every accepted field is allowed; every rejected token is reported', () => {
    const token = fc.oneof(fc.constantFrom('name', '-name', 'external_key', ' -created_at ', 'updated_at', ''), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), (tokens) => {
        const errors: any[] = [];
        const out = parseSort(tokens.join(','), ASSET_LIST.sortFields, errors);
        for (const s of out) expect(ASSET_LIST.sortFields).toContain(s.field);
        for (const e of errors) expect(e.message.startsWith('unknown sort field: ')).toBe(true);
        const nonEmpty = tokens.join(',').split(',').filter((t) => t.trim() !== '');
        // each field once, at its first occurrence with that occurrence's direction (a repeat cannot change the order)
        const parsed = nonEmpty.map((t) => t.trim()).map((t) => ({ field: t.startsWith('-') ? t.slice(1).trim() : t, desc: t.startsWith('-') }));
        const valid = parsed.filter((p) => ASSET_LIST.sortFields.includes(p.field));
        expect(out).toEqual(valid.filter((p, i) => valid.findIndex((q) => q.field === p.field) === i));
        expect(errors.length).toBe(parsed.length - valid.length);
      }),
    );
  });

  test('parseListParams never throws; limit/offset always within range when there are no errors', () => {
    const key = fc.constantFrom('limit', 'offset', 'sort', 'q', 'external_key', 'is_active', 'include_deleted', 'parent_id', 'asset_id', 'location_external_key', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 12 })), { maxLength: 8 }), fc.constantFrom(ASSET_LIST, LOCATION_LIST, REPORT_LIST), (pairs, spec) => {
        const qs = new URLSearchParams(pairs).toString();
        const { params, errors } = parseListParams(parseQuery(qs), spec);
        if (errors.length === 0) {
          expect(params.limit).toBeGreaterThanOrEqual(1);
          expect(params.limit).toBeLessThanOrEqual(200);
          expect(params.offset).toBeGreaterThanOrEqual(0);
        }
        for (const e of errors) expect(typeof e.message).toBe('string');
      }),
    );
  });

  test('decodeObject: any bytes either give a plain object or a bad_request', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.json().map((j) => new TextEncoder().encode(j))), (bytes) => {
        try {
          const o = decodeObject(bytes);
          expect(typeof o === 'object' && o !== null && !Array.isArray(o)).toBe(true);
        } catch (e: any) {
          expect(e.type).toBe('bad_request');
        }
      }),
    );
  });

  test('validation detail: first message plus "(and N more …)"', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (msgs) => {
        const e = validationError(msgs.map((m) => field('f', 'invalid_value', m)));
        const n = msgs.length - 1;
        expect(e.detail).toBe(n === 0 ? msgs[0] : `${msgs[0]} (and ${n} more validation ${n === 1 ? 'error' : 'errors'})`);
      }),
    );
  });
});

describe('garbage over HTTP never gives a 5xx', () => {
  const envelopeOk = (r: { status: number; body: any; text: string }) => {
    expect(r.status, r.text).toBeLessThan(500);
    if (r.status >= 400) {
      expect(Object.keys(r.body.error).slice(0, 6)).toEqual(['type', 'title', 'status', 'detail', 'instance', 'request_id']);
    }
  };
  // keep the per-key bucket from running dry: 2 s of refill per request
  const tick = () => c.suite.clock.advance(2);

  const jsonValue = fc.jsonValue({ maxDepth: 3 });
  const keys = fc.constantFrom(
    'name', 'external_key', 'description', 'metadata', 'is_active', 'valid_from', 'valid_to', 'tags', 'parent_id',
    'parent_external_key', 'id', 'created_at', 'updated_at', 'deleted_at', 'location_id', 'tag_type', 'value', 'zz',
  );
  const bodyArb = fc.oneof(
    fc.dictionary(keys, jsonValue, { maxKeys: 6 }),
    fc.record({ name: fc.string({ maxLength: 20 }), tags: fc.array(fc.dictionary(fc.constantFrom('tag_type', 'value', 'x'), jsonValue), { maxLength: 3 }) }),
    jsonValue,
  );

  test('fuzzed JSON bodies on every write', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const locs = await c.call('GET', '/api/v1/locations?limit=1');
    const aid = list.body.data[0].id;
    const lid = locs.body.data[0].id;
    const targets: Array<[string, string]> = [
      ['POST', '/api/v1/assets'],
      ['PATCH', `/api/v1/assets/${aid}`],
      ['POST', `/api/v1/assets/${aid}/rename`],
      ['POST', `/api/v1/assets/${aid}/tags`],
      ['POST', '/api/v1/locations'],
      ['PATCH', `/api/v1/locations/${lid}`],
      ['POST', `/api/v1/locations/${lid}/rename`],
      ['POST', `/api/v1/locations/${lid}/tags`],
    ];
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), bodyArb, async ([m, p], body) => {
        tick();
        const r = await c.call(m, p, JSON.stringify(body));
        seen.add(r.status);
        envelopeOk(r);
      }),
      { numRuns: 300 },
    );
    // the fuzz reaches the handlers: some writes succeed, some fail validation
    expect([...seen].some((s) => s < 300)).toBe(true);
    expect(seen.has(400)).toBe(true);
  });

  test('fuzzed raw bytes and content types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''), async (bytes, ct) => {
        tick();
        const r = await c.raw('POST', '/api/v1/locations', {
          body: bytes,
          headers: { Authorization: `Bearer ${await c.token()}`, ...(ct ? { 'Content-Type': ct } : {}) },
        });
        envelopeOk(r);
      }),
      { numRuns: 150 },
    );
  });

  test('fuzzed query strings and path ids on every read', async () => {
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const aid = list.body.data[0].id;
    const paths = ['/api/v1/assets', '/api/v1/locations', '/api/v1/reports/asset-locations', `/api/v1/assets/${aid}/history`, `/api/v1/assets/${aid}`];
    const qk = fc.constantFrom('limit', 'offset', 'sort', 'q', 'external_key', 'is_active', 'include_deleted', 'parent_id', 'parent_external_key', 'asset_id', 'asset_external_key', 'location_id', 'location_external_key', 'from', 'to', 'x');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.array(fc.tuple(qk, fc.string({ maxLength: 16 })), { maxLength: 5 }), async (p, pairs) => {
        tick();
        const qs = new URLSearchParams(pairs).toString();
        envelopeOk(await c.call('GET', qs ? `${p}?${qs}` : p));
      }),
      { numRuns: 250 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 24 }), fc.constantFrom('assets', 'locations'), async (id, kind) => {
        tick();
        const seg = encodeURIComponent(id) || '0';
        envelopeOk(await c.call('GET', `/api/v1/${kind}/${seg}/${kind === 'assets' ? 'history' : 'children'}`));
      }),
      { numRuns: 100 },
    );
  });
});
