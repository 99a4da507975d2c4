import { describe, expect, it } from 'vitest';
import { parseListQuery } from '../../src/vendors/machhub/query.js';
import { compileWhere, fieldIndexName, MAX_FIELD_INDEXES, MIN_INDEXED_RECORDS, Records } from '../../src/vendors/machhub/store/records.js';
import { enc, makeSuite } from './helpers.js';

const q = (s: string) => parseListQuery(new URLSearchParams(s).entries());
const STATUSES = ['active', 'inactive', 'discontinued'];

describe('field indexes of collections', () => {
  const { suite, req } = makeSuite();
  const inst = suite.instance('machhub');
  const records = new Records(inst.ctx.handle);
  const indexesOf = (table: string) =>
    (inst.ctx.handle.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE '%/%' ORDER BY name").pluck().all(table) as string[]);

  const product = (i: number) => ({ sku: `SKU-${i}`, status: STATUSES[i % 3], price: (i * 37) % 1000, inStock: i % 2 === 0 });
  function fill(collection: string, n: number, doc: (i: number) => Record<string, unknown> = product): string {
    const table = records.ensure('domains:acme', 'acme', collection, '2026-01-01T00:00:00.000Z', Infinity);
    const rows = Array.from({ length: n }, (_, i) => {
      const id = `r${String(i).padStart(5, '0')}`;
      return { id, data: JSON.stringify({ id: { Table: table, ID: id }, ...doc(i) }) };
    });
    inst.ctx.handle.transaction(() => records.insertMany(table, rows));
    return table;
  }

  it('a filter or sort builds the field index, and the query plan uses it', async () => {
    const table = fill('idx_plan', 2000);
    expect(indexesOf(table)).toEqual([]);
    const r = await req('GET', `/machhub/idx_plan/all?${enc('filter[sku][=][string]')}=SKU-7&limit=5`);
    expect(r.json.map((d: any) => d.sku)).toEqual(['SKU-7']);
    expect(indexesOf(table)).toEqual([fieldIndexName(table, ['sku'])]);
    expect(records.plan(table, q('filter[sku][%3D][string]=SKU-7')).join(' | ')).toContain(`INDEX ${table}/sku`);
    expect(records.plan(table, q('sort=[price][desc]&limit=20')).join(' | ')).toContain(`INDEX ${table}/price`);
    const page = await req('GET', `/machhub/idx_plan/all?${enc('filter[status][=][string]')}=active&sort=${enc('[price][desc]')}&limit=3`);
    // Ties on price are broken by id, descending with the sort.
    const all = Array.from({ length: 2000 }, (_, i) => ({ id: `r${String(i).padStart(5, '0')}`, price: (i * 37) % 1000, status: STATUSES[i % 3] }))
      .filter((d) => d.status === 'active')
      .sort((a, b) => b.price - a.price || (a.id < b.id ? 1 : -1));
    expect(page.json.map((d: any) => d.id.ID)).toEqual(all.slice(0, 3).map((d) => d.id));
    expect(indexesOf(table)).toEqual([`${table}/price`, `${table}/sku`, `${table}/status`]);
    const c = await req('GET', `/machhub/idx_plan/count?${enc('filter[price][>=][number]')}=990`);
    expect(c.json).toEqual({ count: all.length ? 20 : 0 });
  });

  it(`at most ${MAX_FIELD_INDEXES} per collection; fields past it still answer exactly; small collections get none`, async () => {
    const table = fill('idx_cap', MIN_INDEXED_RECORDS, (i) => Object.fromEntries(Array.from({ length: 20 }, (_, f) => [`f${f}`, (i + f) % 50])));
    for (let f = 0; f < 20; f++) {
      const r = await req('GET', `/machhub/idx_cap/count?${enc(`filter[f${f}][=][number]`)}=7`);
      expect(r.json).toEqual({ count: MIN_INDEXED_RECORDS / 50 });
    }
    expect(indexesOf(table)).toHaveLength(MAX_FIELD_INDEXES);
    expect(indexesOf(table)).not.toContain(fieldIndexName(table, ['f19']));
    const small = fill('idx_small', MIN_INDEXED_RECORDS - 1);
    expect((await req('GET', `/machhub/idx_small/count?${enc('filter[status][=][string]')}=active`)).json).toEqual({ count: Math.ceil((MIN_INDEXED_RECORDS - 1) / 3) });
    expect(indexesOf(small)).toEqual([]);
  });

  it('fields that differ only in case get their own index', async () => {
    const table = fill('idx_case', MIN_INDEXED_RECORDS, (i) => ({ Price: i, price: -i }));
    expect((await req('GET', `/machhub/idx_case/all?${enc('filter[Price][=][number]')}=1`)).json.map((d: any) => d.id.ID)).toEqual(['r00001']);
    expect((await req('GET', `/machhub/idx_case/all?${enc('filter[price][=][number]')}=-2`)).json.map((d: any) => d.id.ID)).toEqual(['r00002']);
    expect(indexesOf(table)).toEqual([`${table}/^price`, `${table}/price`]);
  });

  it('an indexed query answers exactly what a scan of the same records answers (types, NULL, missing, links, order)', async () => {
    const VALUES = [null, 0, 1, 1.5, -2, 'a', 'A', 'b', '', '{x', '|', 'acme.items:I1', true, false, { Table: 'acme.items', ID: 'I1' }, { Table: 'acme.items', ID: 'I2' }, [1, 'a'], { x: 1 }];
    const table = fill('idx_exact', 3 * MIN_INDEXED_RECORDS, (i) => (i % 7 === 0 ? {} : { v: VALUES[i % VALUES.length], w: VALUES[(i * 5) % VALUES.length] }));
    const filters = [
      ...['=', '!=', '<', '<=', '>', '>='].flatMap((op) => [['string', 'a'], ['string', 'acme.items:I1'], ['string', ''], ['number', '1'], ['number', '0'], ['boolean', 'true'], ['boolean', 'false'], ['object', 'null']].map(([t, v]) => `${enc(`filter[v][${op}][${t}]`)}=${enc(v)}`)),
      `${enc('filter[v][IN][string]')}=a,b,acme.items:I2`,
      `${enc('filter[v][IN][number]')}=0,1.5`,
      `${enc('filter[v][NOT IN][string]')}=a`,
      `${enc('filter_or[0][v][=][string]')}=a&${enc('filter_or[1][w][>][number]')}=0`,
    ];
    const scan = (query: string) => {
      const q = parseListQuery(new URLSearchParams(query).entries());
      const where = compileWhere(q);
      const dir = q.sort?.dir === 'desc' ? 'DESC' : 'ASC';
      const order = q.sort ? `json_extract(data, '$."${q.sort.path[0]}"') ${dir}, id ${dir}` : 'rowid';
      return (inst.ctx.handle.db.prepare(`SELECT id FROM "${table}" NOT INDEXED WHERE ${where.sql} ORDER BY ${order}`).pluck().all(...where.params) as string[]);
    };
    for (const f of filters) {
      for (const sort of ['', `&sort=${enc('[w][asc]')}`, `&sort=${enc('[v][desc]')}`]) {
        const r = await req('GET', `/machhub/idx_exact/all?${f}${sort}&fields=id`);
        expect(r.status, r.text).toBe(200);
        expect(r.json.map((d: any) => d.id.ID), `${f}${sort}`).toEqual(scan(`${f}${sort}`));
      }
      expect((await req('GET', `/machhub/idx_exact/count?${f}`)).json).toEqual({ count: scan(f).length });
    }
    expect(indexesOf(table)).toEqual([`${table}/v`, `${table}/w`]);
  });

  it('a memoized count follows every write', async () => {
    const f = `${enc('filter[status][=][string]')}=active`;
    const before = (await req('GET', `/machhub/products/count?${f}`)).json.count as number;
    expect((await req('POST', '/machhub/products', { body: { status: 'active' } })).status).toBe(200);
    expect((await req('GET', `/machhub/products/count?${f}`)).json).toEqual({ count: before + 1 });
    expect((await req('DELETE', '/machhub/products:PROD-001')).status).toBe(200);
    const after = (await req('GET', '/machhub/products/count')).json.count as number;
    expect((await req('GET', '/machhub/products/count')).json).toEqual({ count: after });
    expect((await req('POST', '/machhub/products', { body: { status: 'inactive' } })).status).toBe(200);
    expect((await req('GET', '/machhub/products/count')).json).toEqual({ count: after + 1 });
  });

  it('reset: indexes go with the tables and the state they were built in, and the next query builds them again', async () => {
    const f = `${enc('filter[status][=][string]')}=active&sort=${enc('[price][desc]')}&limit=5`;
    const table = fill('idx_reset', MIN_INDEXED_RECORDS);
    const before = await req('GET', `/machhub/idx_reset/all?${f}`);
    expect(indexesOf(table)).toEqual([`${table}/price`, `${table}/status`]);
    // A tenant reset drops the collections created since seeding, their indexes with them.
    inst.reset('domains:acme');
    expect(indexesOf(table)).toEqual([]);
    expect((await req('GET', `/machhub/idx_reset/all?${f}`)).json).toEqual([]);
    fill('idx_reset', MIN_INDEXED_RECORDS);
    expect((await req('GET', `/machhub/idx_reset/all?${f}`)).text).toBe(before.text);
    expect(indexesOf(table)).toEqual([`${table}/price`, `${table}/status`]);
    // A full reset returns to the seeded image (a new connection): same again.
    inst.reset();
    expect(indexesOf(table)).toEqual([]);
    fill('idx_reset', MIN_INDEXED_RECORDS);
    expect((await req('GET', `/machhub/idx_reset/all?${f}`)).text).toBe(before.text);
    expect(indexesOf(table)).toEqual([`${table}/price`, `${table}/status`]);
  });
});
