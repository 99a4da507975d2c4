import { describe, expect, it } from 'vitest';
import { parseListQuery } from '../../src/vendors/machhub/query.js';
import { fieldIndexName, MAX_FIELD_INDEXES, Records } from '../../src/vendors/machhub/records.js';
import { enc, makeSuite } from './helpers.js';

const q = (s: string) => parseListQuery(new URLSearchParams(s).entries());
const STATUSES = ['active', 'inactive', 'discontinued'];

describe('field indexes of collections', () => {
  const { suite, req } = makeSuite();
  const inst = suite.instance('machhub');
  const records = new Records(inst.ctx.handle);
  const indexesOf = (table: string) =>
    (inst.ctx.handle.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE '%/%' ORDER BY name").pluck().all(table) as string[]);

  function fill(collection: string, n: number): string {
    const table = records.ensure('domains:acme', 'acme', collection, '2026-01-01T00:00:00.000Z', Infinity);
    const rows = Array.from({ length: n }, (_, i) => {
      const id = `r${String(i).padStart(5, '0')}`;
      return { id, data: JSON.stringify({ id: { Table: table, ID: id }, sku: `SKU-${i}`, status: STATUSES[i % 3], price: (i * 37) % 1000, inStock: i % 2 === 0 }) };
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

  it(`at most ${MAX_FIELD_INDEXES} per collection; fields past it still answer exactly`, async () => {
    const table = records.ensure('domains:acme', 'acme', 'idx_cap', '2026-01-01T00:00:00.000Z', Infinity);
    const doc = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i]));
    records.insertMany(table, [{ id: 'a', data: JSON.stringify({ id: { Table: table, ID: 'a' }, ...doc }) }]);
    for (let i = 0; i < 20; i++) {
      const r = await req('GET', `/machhub/idx_cap/count?${enc(`filter[f${i}][=][number]`)}=${i}`);
      expect(r.json).toEqual({ count: 1 });
    }
    expect(indexesOf(table)).toHaveLength(MAX_FIELD_INDEXES);
    expect(indexesOf(table)).not.toContain(fieldIndexName(table, ['f19']));
  });

  it('fields that differ only in case get their own index', async () => {
    const table = records.ensure('domains:acme', 'acme', 'idx_case', '2026-01-01T00:00:00.000Z', Infinity);
    records.insertMany(table, [
      { id: 'a', data: JSON.stringify({ id: { Table: table, ID: 'a' }, Price: 1, price: 2 }) },
      { id: 'b', data: JSON.stringify({ id: { Table: table, ID: 'b' }, Price: 2, price: 1 }) },
    ]);
    expect((await req('GET', `/machhub/idx_case/all?${enc('filter[Price][=][number]')}=1`)).json.map((d: any) => d.id.ID)).toEqual(['a']);
    expect((await req('GET', `/machhub/idx_case/all?${enc('filter[price][=][number]')}=1`)).json.map((d: any) => d.id.ID)).toEqual(['b']);
    expect(indexesOf(table)).toHaveLength(2);
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

  it('reset: indexes built since seeding go with it, answers stay the same, and the next query builds them again', async () => {
    const f = `${enc('filter[state][=][string]')}=open&sort=${enc('[price][desc]')}`;
    const before = await req('GET', `/machhub/products/all?${f}`);
    expect(indexesOf('acme.products')).toContain('acme.products/state');
    inst.reset();
    expect(indexesOf('acme.products')).toEqual([]);
    const again = await req('GET', `/machhub/products/all?${f}`);
    expect(again.text).toBe(before.text);
    expect(indexesOf('acme.products')).toEqual(['acme.products/price', 'acme.products/state']);
    // A tenant reset keeps the seeded table (and its indexes) and rewrites its rows; a collection created since is
    // dropped, its indexes with it.
    expect((await req('POST', '/machhub/later', { body: { n: 1 } })).status).toBe(200);
    expect((await req('GET', `/machhub/later/count?${enc('filter[n][=][number]')}=1`)).json).toEqual({ count: 1 });
    expect(indexesOf('acme.later')).toEqual(['acme.later/n']);
    expect((await req('DELETE', '/machhub/products:PROD-001')).status).toBe(200);
    inst.reset('domains:acme');
    expect(indexesOf('acme.later')).toEqual([]);
    expect((await req('GET', `/machhub/products/all?${f}`)).text).toBe(before.text);
    expect((await req('GET', `/machhub/later/count?${enc('filter[n][=][number]')}=1`)).json).toEqual({ count: 0 });
  });
});
