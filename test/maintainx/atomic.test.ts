/**
 * A rejected request changes nothing (issue 11.7, 16 §1): every table is byte-identical after a 4xx, and every write
 * the operations layer makes happens inside one transaction.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operations } from '../../src/vendors/maintainx/openapi.js';
import { Store } from '../../src/vendors/maintainx/store/index.js';
import { dumpTables } from '../support/db-dump.js';
import { makeSuite } from './helpers.js';

type Suite = ReturnType<typeof makeSuite>;

/** Every table as comparable text (BLOBs as hex): equal dumps mean an unchanged database. */
const dump = (s: Suite): string =>
  JSON.stringify(dumpTables(s.ctx.handle.db), (_k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v));

describe('maintainx: a rejected request leaves every table unchanged', () => {
  it('POST /workorders with an unknown workRequestId creates no category and consumes no sequence number', async () => {
    const s = makeSuite({ rateLimit: false });
    const before = dump(s);
    const r = await s.call('POST', '/v1/workorders', {
      body: { title: 'x', categories: ['A category nobody has'], procedure: { title: 'P', fields: [{ type: 'TEXT', label: 'a' }] }, workRequestId: 987654 },
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ error: 'workRequestId is not valid', fieldPath: 'workRequestId', fieldValue: 987654 }] });
    expect(dump(s)).toBe(before);
    expect((await s.call('GET', '/v1/categories?limit=200')).body.categories.map((c: { label: string }) => c.label)).not.toContain('A category nobody has');
  });

  it('a purchase order with a bad vendor or part consumes no item number; a batch of readings with one unknown meter records none', async () => {
    const s = makeSuite({ rateLimit: false });
    const before = dump(s);
    const po = await s.call('POST', '/v1/purchaseorders', { body: { vendorId: 999999, items: [{ name: 'x', quantityOrdered: 1 }], costs: [{ name: 'c', type: 'FIXED', amount: 1 }] } });
    expect(po.status).toBe(400);
    const meter = (await s.call('GET', '/v1/meters?limit=1')).body.meters[0].id;
    const batch = await s.call('POST', '/v1/meterreadings', { body: [{ meterId: meter, value: 1 }, { meterId: 999999, value: 2 }] });
    expect(batch.status).toBe(404);
    expect(dump(s)).toBe(before);
  });

  it('writes outside an operation transaction are refused by the store', () => {
    const s = makeSuite();
    expect(() => new Store(s.ctx).records.insert('category', 1, { label: 'x' })).toThrow(/outside a transaction/);
  });

  it('property: random invalid writes on every built write operation leave every table byte-identical', async () => {
    const s = makeSuite({ rateLimit: false, webhookRetries: 0 });
    const { call } = s;
    const first = async (path: string, key: string) => (await call('GET', `/v1${path}?limit=1`)).body[key][0].id as number;
    const ids: Record<string, number> = {
      workorders: await first('/workorders', 'workOrders'), assets: await first('/assets', 'assets'), locations: await first('/locations', 'locations'),
      parts: await first('/parts', 'parts'), vendors: await first('/vendors', 'vendors'), teams: await first('/teams', 'teams'), meters: await first('/meters', 'meters'),
      categories: await first('/categories', 'categories'), users: 2,
    };
    const writes = operations().filter((o) => o.built && o.method !== 'GET');
    expect(writes.length).toBeGreaterThan(60);
    const pathFor = (p: string, real: boolean) => {
      const resource = p.split('/')[1];
      return p.replace('{entity}', 'assets').replace('{filename}', 'f.png').replace(/\{(\w+)\}/g, (_: string, k: string) => (k === 'index' ? '0' : real ? String(ids[resource] ?? 999999) : '999999'));
    };
    // Bodies that pass the schema but name something that does not exist, mixed with creatable values (new category
    // labels, inline procedures, items) so a write made before the failing check would show.
    const bad = fc.constantFrom(999999, -1, 0);
    const nearlyValid = fc.record(
      {
        title: fc.constantFrom('t', ''),
        name: fc.constant('n'),
        label: fc.constant('l'),
        categories: fc.constant(['A brand new category']),
        procedure: fc.constant({ title: 'P', fields: [{ type: 'TEXT', label: 'f' }] }),
        assetId: bad, locationId: bad, workRequestId: bad, procedureTemplateId: bad, parentId: bad, vendorId: bad, meterId: bad,
        partsUsed: bad.map((partId) => [{ partId, quantityUsed: 1 }]),
        items: fc.constant([{ name: 'i', quantityOrdered: 1 }]),
        costs: fc.constant([{ name: 'c', type: 'FIXED', amount: 1 }]),
        assignees: bad.map((id) => [{ type: 'USER', id }]),
        memberIds: bad.map((id) => [id]),
        status: fc.constantFrom('DONE', 'NOPE'),
      },
      { requiredKeys: [] },
    );
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), fc.boolean(), fc.oneof(nearlyValid, fc.jsonValue({ maxDepth: 2 })), async (op, real, value) => {
        const url = `/v1${pathFor(op.path, real)}`;
        const before = dump(s);
        const init = op.method === 'DELETE' ? {} : op.method === 'PUT' ? { raw: 'x', headers: { 'content-type': real ? 'image/png' : 'text/html' } } : { body: value };
        const r = await call(op.method, url, init);
        expect(r.status, `${op.method} ${url}`).toBeLessThan(500);
        if (r.status >= 400) {
          rejected++;
          expect(dump(s), `${op.method} ${url} ${JSON.stringify(value)?.slice(0, 200)} → ${r.status}`).toBe(before);
        }
      }),
      { numRuns: 250 },
    );
    expect(rejected).toBeGreaterThan(100);
  });
});
