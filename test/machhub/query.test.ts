import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListQuery, parseListQueryBody, QueryError } from '../../src/vendors/machhub/query.js';
import { Records, compileWhere } from '../../src/vendors/machhub/store/records.js';
import { makeSuite } from './helpers.js';
import { evaluate } from './reference.js';

const q = (s: string) => parseListQuery(new URLSearchParams(s).entries());

describe('query parser', () => {
  it('parses the SDK capture query exactly', () => {
    const parsed = q(
      'filter%5Bstatus%5D%5B%3D%5D%5Bstring%5D=active&filter%5Bprice%5D%5B%3E%5D%5Bnumber%5D=10&filter%5BinStock%5D%5B%3D%5D%5Bboolean%5D=true&filter%5Btags%5D%5BIN%5D%5Bobject%5D=a%2Cb&filter%5Bdt%5D%5B%3E%3D%5D%5Bobject%5D=Thu+Jan+01+2026+00%3A00%3A00+GMT%2B0000+%28Coordinated+Universal+Time%29&filter%5Bname%5D%5BCONTAINS%5D%5Bstring%5D=wid+get%26x&filter%5BorderLines.itemId%5D%5BARRAY_WHERE_%3D%5D%5Bstring%5D=acme.items%3AI1&sort=%5Bprice%5D%5Bdesc%5D&limit=20&offset=40&expand=categoryId%2CsupplierId&fields=id%2Cname&filter_or%5B0%5D%5Bstate%5D%5B%3D%5D%5Bstring%5D=open&filter_or%5B1%5D%5Bstate%5D%5B%3D%5D%5Bstring%5D=pending&filter_or%5B2%5D%5BorderLines.qty%5D%5BARRAY_WHERE_%3E%5D%5Bnumber%5D=5',
    );
    const strip = (c: any) => ({ path: c.path, op: c.op, sub: c.sub, value: c.value });
    expect(parsed.and.map(strip)).toEqual([
      { path: ['status'], op: 'eq', sub: undefined, value: 'active' },
      { path: ['price'], op: 'gt', sub: undefined, value: 10 },
      { path: ['inStock'], op: 'eq', sub: undefined, value: true },
      { path: ['tags'], op: 'in', sub: undefined, value: ['a', 'b'] },
      { path: ['dt'], op: 'gte', sub: undefined, value: '2026-01-01T00:00:00.000Z' },
      { path: ['name'], op: 'contains', sub: undefined, value: 'wid get&x' },
      { path: ['orderLines'], op: 'eq', sub: ['itemId'], value: 'acme.items:I1' },
    ]);
    expect(parsed.or.map(strip)).toEqual([
      { path: ['state'], op: 'eq', sub: undefined, value: 'open' },
      { path: ['state'], op: 'eq', sub: undefined, value: 'pending' },
      { path: ['orderLines'], op: 'gt', sub: ['qty'], value: 5 },
    ]);
    expect(parsed).toMatchObject({ sort: { path: ['price'], dir: 'desc' }, limit: 20, offset: 40, expand: ['categoryId', 'supplierId'], fields: [['id'], ['name']] });
  });

  it('accepts every SurrealDB operator the SDK can emit and the named aliases', () => {
    const ops = ['=', '!=', '==', '?=', '*=', '~', '!~', '?~', '*~', '<', '<=', '>', '>=', 'CONTAINS', 'CONTAINSNOT', 'CONTAINSALL', 'CONTAINSANY', 'CONTAINSNONE', 'INSIDE', 'NOTINSIDE', 'ALLINSIDE', 'ANYINSIDE', 'NONEINSIDE', '@@', '@0@', '@1@', '@2@', '@3@', 'IN', 'NOT IN', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains'];
    for (const op of ops) expect(() => q(new URLSearchParams({ [`filter[x][${op}][string]`]: 'v' }).toString()), op).not.toThrow();
    expect(q('filter[x][NOT+IN][string]=a,b').and[0]).toMatchObject({ op: 'nin', value: ['a', 'b'] });
  });

  it('a same field/op/type filter given twice keeps the last value (the SDK overwrites the object key)', () => {
    expect(q('filter[a][%3D][string]=1&filter[a][%3D][string]=2').and.map((c) => c.value)).toEqual(['2']);
  });

  it('coerces by type token', () => {
    expect(q('filter[a][%3D][number]=1.5').and[0].value).toBe(1.5);
    expect(q('filter[a][%3D][boolean]=false').and[0].value).toBe(false);
    expect(q('filter[a][%3D][object]=null').and[0].value).toBeNull();
    expect(q('filter[a][IN][number]=1,2,3').and[0].value).toEqual([1, 2, 3]);
    expect(q('filter[a][IN][string]=x').and[0].value).toEqual(['x']);
  });

  it.each([
    ['filter[a][%3D][number]=abc', 'filter[a][=][number]', 'is not a number'],
    ['filter[a][%3D][number]=', 'filter[a][=][number]', 'is not a number'],
    ['filter[a][%3D][boolean]=yes', 'filter[a][=][boolean]', 'is not a boolean'],
    ['filter[a][LIKE][string]=x', 'filter[a][LIKE][string]', 'unsupported operator'],
    ['filter[a][%3D][date]=x', 'filter[a][=][date]', 'unsupported type'],
    ['filter[a;drop][%3D][string]=x', 'filter[a;drop][=][string]', 'must be dot-separated names'],
    ['filter[a][ARRAY_WHERE_%3D][string]=x', 'filter[a][ARRAY_WHERE_=][string]', 'ARRAY_WHERE_ needs'],
    ['filter[a.b][ARRAY_WHERE_~][string]=x', 'filter[a.b][ARRAY_WHERE_~][string]', 'not allowed in ARRAY_WHERE_'],
    ['filter[a][%3D]=x', 'filter[a][=]', 'unsupported query parameter'],
    ['sort=price', 'sort', 'expected [field][asc|desc]'],
    ['sort=[price][up]', 'sort', 'expected [field][asc|desc]'],
    ['limit=-1', 'limit', 'not a non-negative integer'],
    ['offset=1.5', 'offset', 'not a non-negative integer'],
    ['skip=5', 'skip', 'unsupported query parameter'],
    ['expand=a.b', 'expand', 'only top-level'],
  ])('%s → QueryError naming %s', (query, param, reason) => {
    try {
      q(query);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      expect((e as QueryError).param).toBe(param);
      expect((e as Error).message).toContain(reason);
      expect((e as Error).message.startsWith(`invalid query parameter ${param}: `)).toBe(true);
    }
  });

  it('the PATCH form takes native JSON values (arrays comma-joined)', () => {
    const p = parseListQueryBody({ 'filter[a][IN][object]': ['x', 'y'], 'filter[n][>][number]': 3, limit: 5 });
    expect(p.and.map((c) => c.value)).toEqual([['x', 'y'], 3]);
    expect(p.limit).toBe(5);
    expect(() => parseListQueryBody({ 'filter[a][=][object]': { x: 1 } })).toThrow(QueryError);
  });

  it('compiled SQL never contains a value or a field name, only placeholders', () => {
    fc.assert(
      fc.property(fc.string().map((v) => `ZQX${v}`), fc.constantFrom('=', '!=', '~', 'CONTAINS', 'IN', 'CONTAINSALL', '@@', '>'), (value, op) => {
        const parsed = parseListQuery([[`filter[secretfield.sub][${op}][string]`, value], [`filter_or[0][lines.secretsub][ARRAY_WHERE_=][string]`, value]]);
        const { sql, params } = compileWhere(parsed);
        expect(sql).not.toContain('secretfield');
        expect(sql).not.toContain('secretsub');
        expect(sql).not.toContain('ZQX');
        expect(params.length).toBe((sql.match(/\?/g) ?? []).length);
        expect(params.some((p) => typeof p === 'string' && p.includes('ZQX'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- property: SQL evaluation agrees with the reference evaluator
const STR = fc.constantFrom('', 'a', 'A', 'ab', 'b', 'abc', 'Widget', 'wid', 'é', 'x y', 'I1', 'acme.items:I1', '10', 'true');
const NUM = fc.integer({ min: -3, max: 3 }).map((n) => n / 2);
const LINK = fc.constantFrom('I1', 'I2', 'I3').map((ID) => ({ Table: 'acme.items', ID }));
const SCALAR = fc.oneof(STR, NUM, fc.boolean(), fc.constant(null), LINK);
const FIELD = fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: SCALAR }, { weight: 2, arbitrary: fc.array(fc.oneof(STR, NUM, LINK, fc.boolean()), { maxLength: 4 }) });
const RECORD = fc.record({
  s: FIELD,
  n: FIELD,
  b: FIELD,
  arr: FIELD,
  obj: fc.option(fc.record({ x: FIELD, y: FIELD }), { nil: undefined }),
  lines: fc.option(fc.array(fc.record({ itemId: fc.oneof(LINK, STR), qty: fc.oneof(NUM, STR), tag: fc.option(STR, { nil: undefined }) }), { maxLength: 3 }), { nil: undefined }),
});
const OPS = ['=', '!=', '<', '<=', '>', '>=', '?=', '*=', '~', '!~', '?~', '*~', 'CONTAINS', 'CONTAINSNOT', 'CONTAINSALL', 'CONTAINSANY', 'CONTAINSNONE', 'INSIDE', 'NOTINSIDE', 'ALLINSIDE', 'ANYINSIDE', 'NONEINSIDE', '@@', 'IN', 'NOT IN', 'eq', 'ne', 'gt', 'lte', 'nin', 'contains'];
const BASIC = ['=', '!=', '<', '<=', '>', '>=', 'CONTAINS', 'IN'];
const VALUE = fc.oneof(
  STR.map((v) => ['string', v] as const),
  NUM.map((v) => ['number', String(v)] as const),
  fc.boolean().map((v) => ['boolean', String(v)] as const),
  fc.constantFrom('null', 'a,b', 'I1,acme.items:I2', 'Thu Jan 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)').map((v) => ['object', v] as const),
  fc.array(NUM, { minLength: 1, maxLength: 3 }).map((v) => ['number', v.join(',')] as const),
  fc.array(STR.filter((s) => !s.includes(',')), { minLength: 1, maxLength: 3 }).map((v) => ['string', v.join(',')] as const),
);
const LISTY = new Set(['CONTAINSALL', 'CONTAINSANY', 'CONTAINSNONE', 'INSIDE', 'NOTINSIDE', 'ALLINSIDE', 'ANYINSIDE', 'NONEINSIDE', 'IN', 'NOT IN', 'nin']);
const valueFor = (op: string) => (LISTY.has(op) ? VALUE : SINGLE);
const SINGLE = fc.oneof(
  STR.map((v) => ['string', v] as const),
  NUM.map((v) => ['number', String(v)] as const),
  fc.boolean().map((v) => ['boolean', String(v)] as const),
  fc.constantFrom('null', 'a', 'Thu Jan 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)').map((v) => ['object', v] as const),
);
const PLAIN = fc.constantFrom(...OPS).chain((op) => fc.tuple(fc.constantFrom('s', 'n', 'b', 'arr', 'obj.x', 'obj.y', 'missing'), fc.constant(op), valueFor(op))).map(([f, op, [t, v]]) => [`[${f}][${op}][${t}]`, v] as const);
const ARRAYW = fc.constantFrom(...BASIC).chain((op) => fc.tuple(fc.constantFrom('lines.itemId', 'lines.qty', 'lines.tag', 'arr.x'), fc.constant(op), valueFor(op))).map(([f, op, [t, v]]) => [`[${f}][ARRAY_WHERE_${op}][${t}]`, v] as const);
const COND = fc.oneof({ weight: 3, arbitrary: PLAIN }, { weight: 1, arbitrary: ARRAYW });

describe('filters: SQL agrees with the reference evaluator', () => {
  const { suite, req } = makeSuite();
  const inst = suite.instance('machhub');
  const records = new Records(inst.ctx.handle);
  let seq = 0;
  const stats = { evaluated: 0, discriminating: 0, rejected: 0 };

  it('random records × random filter expressions (filter AND filter_or)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(RECORD, { minLength: 3, maxLength: 12 }), fc.array(fc.tuple(fc.array(COND, { maxLength: 2 }), fc.array(COND, { maxLength: 3 })), { minLength: 1, maxLength: 8 }), async (recs, queries) => {
        const collection = `prop_${++seq}`;
        const table = records.ensure('domains:acme', 'acme', collection, '2026-01-01T00:00:00.000Z', Infinity);
        const docs = recs.map((r, i) => JSON.parse(JSON.stringify({ id: { Table: table, ID: `r${i}` }, ...r })));
        records.insertMany(table, docs.map((d, i) => ({ id: `r${i}`, data: JSON.stringify(d) })));
        for (const [and, or] of queries) {
        const params = new URLSearchParams();
        and.forEach(([k, v]) => params.append(`filter${k}`, v));
        or.forEach(([k, v], i) => params.append(`filter_or[${i}]${k}`, v));
        let parsed;
        try {
          parsed = parseListQuery(params.entries());
        } catch (e) {
          expect(e).toBeInstanceOf(QueryError);
          const bad = await req('GET', `/machhub/${collection}/all?${params}`);
          expect(bad.status).toBe(400);
          expect(bad.text).toBe((e as Error).message);
          stats.rejected++;
          continue;
        }
        const expected = evaluate(docs, parsed).map((d: any) => d.id.ID);
        stats.evaluated++;
        if (expected.length > 0 && expected.length < docs.length) stats.discriminating++;
        const r = await req('GET', `/machhub/${collection}/all?${params}`);
        expect(r.status, r.text).toBe(200);
        expect(r.json.map((d: any) => d.id.ID)).toEqual(expected);
        const c = await req('GET', `/machhub/${collection}/count?${params}`);
        expect(c.json).toEqual({ count: expected.length });
        }
      }),
      { numRuns: 150 },
    );
    // The generator must exercise real selections, not only errors or all/nothing answers.
    expect(stats.evaluated).toBeGreaterThan(300);
    expect(stats.discriminating).toBeGreaterThan(50);
  });
});

describe('garbage in query parameters never gives a 5xx', () => {
  const { req } = makeSuite();
  const junk = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('[', ']', '[][][]', "'; DROP TABLE x; --", '%00', '\u0000', 'ARRAY_WHERE_', '__proto__', 'constructor'));

  it('random keys and values on /all, /count and getOne', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(junk, junk.map((j) => `filter[${j}][=][string]`), junk.map((j) => `filter[a][${j}][string]`), junk.map((j) => `filter[a][=][${j}]`), fc.constantFrom('sort', 'limit', 'offset', 'expand', 'fields')), junk), { maxLength: 4 }),
        fc.constantFrom('/machhub/products/all', '/machhub/products/count', '/machhub/acme.products:PROD-001'),
        async (pairs, path) => {
          const qs = new URLSearchParams(pairs as [string, string][]).toString();
          const r = await req('GET', `${path}?${qs}`);
          expect(r.status, `${path}?${qs} → ${r.text}`).toBeLessThan(500);
          if (r.status >= 400) expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the PATCH twins with random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.constantFrom('all', 'count'), async (body, which) => {
        const r = await req('PATCH', `/machhub/products/${which}`, { body });
        expect(r.status).toBeLessThan(500);
        if (r.status === 200) expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      }),
      { numRuns: 150 },
    );
  });
});

describe('parser round trip (what the SDK builder emits parses back to what it meant)', () => {
  const seg = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/).filter((s) => !['__proto__', 'constructor', 'prototype'].includes(s));
  const scalar = fc.oneof(fc.string().filter((s) => !s.includes(',')), fc.integer({ min: -1e6, max: 1e6 }), fc.boolean());
  const SINGLE_OPS: [string, string][] = [['=', 'eq'], ['!=', 'ne'], ['<', 'lt'], ['>=', 'gte'], ['~', 'fuzzy'], ['CONTAINS', 'contains'], ['?=', 'anyeq'], ['@@', 'match']];

  it('filter / orFilter / filterInArray / sort / limit / offset / expand', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(seg, { minLength: 1, maxLength: 3 }), fc.constantFrom(...SINGLE_OPS), scalar), { maxLength: 5 }),
        fc.array(fc.tuple(seg, seg, fc.constantFrom<[string, string]>(['=', 'eq'], ['>', 'gt'], ['CONTAINS', 'contains']), scalar), { maxLength: 3 }),
        fc.option(fc.tuple(seg, fc.constantFrom('asc', 'desc'))),
        fc.option(fc.nat({ max: 1e6 })),
        fc.array(seg, { maxLength: 3 }),
        (filters, orFilters, sort, limit, expand) => {
          // Build the parameters exactly as SDK collection.ts does: an object keyed by the bracket form.
          const params: Record<string, unknown> = {};
          for (const [path, [op], v] of filters) params[`filter[${path.join('.')}][${op}][${typeof v}]`] = v;
          if (sort) params.sort = `[${sort[0]}][${sort[1]}]`;
          if (limit !== null) params.limit = limit;
          if (expand.length) params.expand = expand.join(',');
          const usp = new URLSearchParams();
          for (const [k, v] of Object.entries(params)) usp.append(k, String(v));
          orFilters.forEach(([arr, sub, [op], v], i) => usp.append(`filter_or[${i}][${arr}.${sub}][ARRAY_WHERE_${op}][${typeof v}]`, String(v)));
          const q = parseListQuery(new URLSearchParams(usp.toString()).entries());
          const expectedAnd = Object.entries(params).filter(([k]) => k.startsWith('filter[')).map(([k, v]) => {
            const [, f, op] = /^filter\[(.*)\]\[(.*)\]\[(.*)\]$/.exec(k)!;
            return { path: f.split('.'), op: SINGLE_OPS.find((o) => o[0] === op)![1], value: v };
          });
          expect(q.and.map((c) => ({ path: c.path, op: c.op, value: c.value }))).toEqual(expectedAnd);
          expect(q.or.map((c) => ({ path: c.path, sub: c.sub, op: c.op, value: c.value }))).toEqual(
            orFilters.map(([arr, sub, [, op], v]) => ({ path: [arr], sub: [sub], op, value: v })),
          );
          expect(q.sort).toEqual(sort ? { path: [sort[0]], dir: sort[1] } : undefined);
          expect(q.limit).toEqual(limit ?? undefined);
          expect(q.expand).toEqual(expand);
        },
      ),
      { numRuns: 300 },
    );
  });
});
