/** Property tests: the query grammar is total, and garbage input never yields a 5xx. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  QueryError,
  decodeCursor,
  encodeCursor,
  limitParam,
  nextPageUrl,
  parseParams,
  sortParam,
  toIso,
} from '../../src/vendors/maintainx/query.js';
import { makeSuite } from './helpers.js';

const onlyQueryErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
  }
};

describe('maintainx query grammar (pure)', () => {
  it('parseParams keeps repeated keys in order and decodes bracketed names', () => {
    const p = parseParams('statuses=OPEN&statuses=DONE&updatedAt%5Bgte%5D=2024-01-01T00:00:00.000Z&title=a+b');
    expect(p.get('statuses')).toEqual(['OPEN', 'DONE']);
    expect(p.get('updatedAt[gte]')).toEqual(['2024-01-01T00:00:00.000Z']);
    expect(p.get('title')).toEqual(['a b']);
  });

  it('parseParams throws only QueryError on any input', () => {
    fc.assert(fc.property(fc.string(), (s) => onlyQueryErrors(() => parseParams(s))), { numRuns: 500 });
  });

  it('round-trips arbitrary repeated values', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c[gte]'), fc.string()), { maxLength: 8 }), (pairs) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const p = parseParams(qs);
        for (const k of ['a', 'b', 'c[gte]']) {
          const want = pairs.filter(([x]) => x === k).map(([, v]) => v);
          expect(p.get(k) ?? []).toEqual(want);
        }
      }),
    );
  });

  it('cursors round-trip and garbage cursors are QueryErrors', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), fc.nat(), (sort, value, id) => {
        const c = encodeCursor({ sort, value, id });
        expect(decodeCursor(c, sort)).toEqual({ sort, value, id });
        expect(() => decodeCursor(c, sort + 'x')).toThrow(QueryError);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => onlyQueryErrors(() => decodeCursor(s, 'id'))), { numRuns: 500 });
    fc.assert(fc.property(fc.uint8Array(), (b) => onlyQueryErrors(() => decodeCursor(Buffer.from(b).toString('base64url'), 'id'))));
  });

  it('limit is 1..200 (default 100) and sort accepts only the allow-list', () => {
    expect(limitParam(parseParams(''))).toBe(100);
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const n = limitParam(parseParams(`limit=${encodeURIComponent(s)}`));
          expect(n >= 1 && n <= 200 && String(n) === s.replace(/^0+(?=\d)/, '')).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(QueryError);
        }
      }),
    );
    expect(sortParam(parseParams('sort=-updatedAt'), ['updatedAt'], { field: 'id', desc: false })).toEqual({ field: 'updatedAt', desc: true });
    fc.assert(fc.property(fc.string(), (s) => onlyQueryErrors(() => sortParam(parseParams(`sort=${encodeURIComponent(s)}`), ['updatedAt'], { field: 'id', desc: false }))));
  });

  it('toIso accepts RFC 3339 date-times only and normalises to milliseconds UTC', () => {
    expect(toIso('2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00.000Z');
    expect(toIso('2024-01-01T02:00:00+02:00')).toBe('2024-01-01T00:00:00.000Z');
    expect(toIso('yesterday')).toBeNull();
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => { expect(toIso(d.toISOString())).toBe(d.toISOString()); }));
    fc.assert(fc.property(fc.string(), (s) => { const r = toIso(s); expect(r === null || !Number.isNaN(Date.parse(r))).toBe(true); }));
  });

  it('nextPageUrl replaces the cursor and keeps every other parameter', () => {
    expect(nextPageUrl('/v1/workorders', '?cursor=old&statuses=OPEN&statuses=DONE', 'NEW')).toBe('/v1/workorders?statuses=OPEN&statuses=DONE&cursor=NEW');
  });
});

describe('maintainx garbage input never yields a 5xx', () => {
  const { call } = makeSuite({ rateLimit: false });
  const lists = ['/v1/workorders', '/v1/assets', '/v1/locations', '/v1/users', '/v1/parts', '/v1/meters', '/v1/assetstatuses', '/v1/organizations', '/v1/workorders/100/comments'];
  const keys = ['limit', 'cursor', 'sort', 'expand', 'statuses', 'priorities', 'assets', 'categories', 'updatedAt[gte]', 'createdAt[lte]', 'title', 'show_upcoming', 'useSequentialId', 'locationId', 'email', 'onlyAssignable', 'assetId', 'level', 'measurementType', '%', '[', 'x'];

  it('fuzzed query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...lists),
        fc.array(fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.string(), fc.integer().map(String), fc.constant('%zz'), fc.constant('9'.repeat(40)))), { maxLength: 6 }),
        async (path, pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${v.includes('%zz') ? v : encodeURIComponent(v)}`).join('&');
          const r = await call('GET', `${path}?${qs}`);
          expect(r.status, `${path}?${qs}`).toBeLessThan(500);
          if (r.status === 400) expect(typeof r.body.error === 'string' || Array.isArray(r.body.errors)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  const writes: Array<[string, string]> = [
    ['POST', '/v1/workorders'], ['PATCH', '/v1/workorders/{wo}'], ['PATCH', '/v1/workorders/{wo}/status'], ['POST', '/v1/workorders/{wo}/costs'],
    ['POST', '/v1/workorders/{wo}/comments'], ['POST', '/v1/assets'], ['PATCH', '/v1/assets/{asset}'], ['POST', '/v1/locations'], ['POST', '/v1/users'],
    ['POST', '/v1/teams'], ['POST', '/v1/parts'], ['POST', '/v1/meters'], ['POST', '/v1/meterreadings'], ['POST', '/v1/subscriptions'],
    ['POST', '/v1/customfields/assets'], ['PATCH', '/v1/customfields/assets/{cf}'], ['POST', '/v1/vendors'], ['POST', '/v1/categories'],
    ['POST', '/v1/assets/{asset}/status'], ['PATCH', '/v1/teams/{team}'], ['POST', '/v1/teams/{team}/members'],
    ['POST', '/v1/purchaseorders'], ['PATCH', '/v1/purchaseorders/{po}'], ['PATCH', '/v1/purchaseorders/{po}/fulfillment'],
    ['PATCH', '/v1/purchaseorders/{po}/status'], ['POST', '/v1/workrequests'], ['POST', '/v1/models'],
  ];
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    ids.wo = (await call('GET', '/v1/workorders?limit=1')).body.workOrders[0].id;
    ids.asset = (await call('GET', '/v1/assets?limit=1')).body.assets[0].id;
    ids.team = (await call('GET', '/v1/teams?limit=1')).body.teams[0].id;
    const vendor = (await call('GET', '/v1/vendors?limit=1')).body.vendors[0].id;
    ids.po = (await call('POST', '/v1/purchaseorders', { body: { vendorId: vendor, items: [{ name: 'x', quantityOrdered: 1 }] } })).body.id;
    ids.cf = (await call('POST', '/v1/customfields/assets', { body: { fields: [{ label: 'Fuzz', type: 'oneline' }] } })).body[0].id;
    for (const w of writes) w[1] = w[1].replace(/\{(\w+)\}/g, (_, k) => String(ids[k]));
  });

  it('fuzzed JSON bodies (wrong types, extra keys, deep nesting)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), fc.jsonValue({ maxDepth: 4 }), async ([method, path], value) => {
        const r = await call(method, path, { body: value });
        expect(r.status, `${method} ${path} ${JSON.stringify(value).slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.record({ title: fc.anything(), name: fc.anything(), status: fc.anything(), assignees: fc.anything(), categories: fc.anything(), assetId: fc.anything(), fields: fc.anything(), type: fc.anything(), url: fc.anything() }, { requiredKeys: [] }),
        async ([method, path], value) => {
          let raw: string;
          try {
            raw = JSON.stringify(value) ?? 'null';
          } catch {
            return;
          }
          const r = await call(method, path, { raw, headers: { 'content-type': 'application/json' } });
          expect(r.status, `${method} ${path} ${raw.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('raw garbage bodies, huge and deep JSON, odd content types', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const [raw, type] of [
      [deep, 'application/json'],
      ['{"title": "' + 'x'.repeat(2_000_000) + '"}', 'application/json'],
      ['\u0000\u0001garbage', 'application/json'],
      ['{"title":"x"}', 'text/plain'],
      ['', 'application/json'],
      ['null', 'application/json'],
    ] as const) {
      for (const [method, path] of writes.slice(0, 6)) {
        const r = await call(method, path, { raw, headers: { 'content-type': type } });
        expect(r.status, `${method} ${path} ${type} ${raw.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }
    }
  });

  it('random paths and methods under /v1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(fc.oneof(fc.constantFrom('workorders', 'assets', 'comments', 'status', 'attachments', 'thumbnail', 'members', '1', '0', '-1', '99999999999999999999', '%2F', '..'), fc.string({ minLength: 1, maxLength: 8 }).map(encodeURIComponent)), { minLength: 1, maxLength: 5 }),
        async (method, segments) => {
          // `call` also checks the answer against the document (paths outside it must be plain 404s).
          const r = await call(method, `/v1/${segments.join('/')}`, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
          expect(r.status, `${method} /v1/${segments.join('/')}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('garbage path ids and headers', async () => {
    await fc.assert(
      // '.' and '..' are dot segments: the URL parser removes them, so they would not reach the id route at all.
      fc.asyncProperty(fc.string({ minLength: 1 }).filter((s) => s !== '.' && s !== '..'), fc.string(), async (id, org) => {
        const r = await call('GET', `/v1/workorders/${encodeURIComponent(id)}`, { headers: /^[\x21-\x7e]*$/.test(org) ? { 'x-organization-id': org } : {} });
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});

describe('maintainx every built operation survives garbage', () => {
  const { call } = makeSuite({ rateLimit: false, webhookRetries: 0 });

  it('random JSON bodies and query strings on every built operation never give a 5xx', async () => {
    const { operations } = await import('../../src/vendors/maintainx/openapi.js');
    const wo = (await call('GET', '/v1/workorders?limit=1')).body.workOrders[0].id;
    const ops = operations().filter((o) => o.built);
    const first = async (path: string, key: string) => (await call('GET', `/v1${path}?limit=1`)).body[key][0].id as number;
    const ids: Record<string, number> = {
      workorders: wo, assets: await first('/assets', 'assets'), locations: await first('/locations', 'locations'), parts: await first('/parts', 'parts'),
      vendors: await first('/vendors', 'vendors'), teams: await first('/teams', 'teams'), meters: await first('/meters', 'meters'),
      categories: await first('/categories', 'categories'), users: 2, assetcustomstatuses: (await call('POST', '/v1/assetcustomstatuses', { body: { label: 'F', baseAssetStatus: 'ONLINE' } })).body.id,
      purchaseorders: (await call('POST', '/v1/purchaseorders', { body: { vendorId: await first('/vendors', 'vendors'), items: [{ name: 'x', quantityOrdered: 1 }] } })).body.id,
      workrequests: (await call('POST', '/v1/workrequests', { body: { title: 'F' } })).body.id,
    };
    const pathFor = (p: string) => {
      const resource = p.split('/')[1];
      return p.replace('{entity}', 'assets').replace('{filename}', 'f.png').replace(/\{(\w+)\}/g, (_: string, k: string) => (k === 'index' ? '0' : k === 'id' || k === 'assetId' || k === 'meterId' ? String(ids[resource] ?? 999999) : '999999'));
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops),
        fc.jsonValue({ maxDepth: 3 }),
        fc.array(fc.tuple(fc.constantFrom('limit', 'cursor', 'expand', 'sort', 'statuses', 'skipWebhook', 'x'), fc.string()), { maxLength: 3 }),
        async (op, value, query) => {
          const qs = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const url = `/v1${pathFor(op.path)}${qs ? '?' + qs : ''}`;
          const init = op.method === 'GET' || op.method === 'DELETE' ? {} : op.method === 'PUT' ? { raw: JSON.stringify(value) ?? '', headers: { 'content-type': 'image/png' } } : { body: value };
          const r = await call(op.method, url, init);
          expect(r.status, `${op.method} ${url} ${JSON.stringify(value)?.slice(0, 120)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 400 },
    );
  });
});
