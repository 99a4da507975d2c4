/** A small smoke set over a real socket, and seed determinism. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Suite, startFakes, type RunningFakes } from '../../src/suite.js';
import { ADMIN } from './helpers.js';

describe('maintainx over a real port', () => {
  let fakes: RunningFakes;
  let base: string;
  beforeAll(async () => {
    fakes = await startFakes({ vendors: ['maintainx'], seed: 42 });
    base = fakes.urls.maintainx;
  });
  afterAll(async () => {
    await fakes.close();
  });

  it('a client switching only the base URL: list, create, read, headers', async () => {
    const h = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const list = await fetch(`${base}/v1/workorders?limit=2`, { headers: h });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect(list.headers.get('x-rate-limit-remaining')).toBe('99');
    const page = (await list.json()) as any;
    expect(page.workOrders).toHaveLength(2);
    const next = await fetch(`${base}${page.nextPageUrl}`, { headers: h });
    expect(((await next.json()) as any).workOrders[0].id).not.toBe(page.workOrders[0].id);
    const created = await fetch(`${base}/v1/workorders`, { method: 'POST', headers: h, body: JSON.stringify({ title: 'Over the wire' }) });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as any;
    const got = await fetch(`${base}/v1/workorders/${id}`, { headers: h });
    expect(((await got.json()) as any).workOrder.title).toBe('Over the wire');
    const state = await fetch(`${base}/__admin`);
    expect(((await state.json()) as any).tenants.map((t: any) => t.id)).toEqual([1, 2, 3]);
  });
});

describe('maintainx demo data', () => {
  it('the same seed gives the same demo data', async () => {
    const dump = async () => {
      const s = new Suite({ vendors: ['maintainx'], seed: 7 });
      const out: unknown[] = [];
      for (const p of ['/v1/workorders?limit=200&show_upcoming=true', '/v1/assets?limit=200&expand=status', '/v1/locations?limit=200', '/v1/parts?limit=200', '/v1/vendors?limit=200', '/v1/users?limit=200']) {
        const r = await s.app('maintainx').request(p, { headers: { authorization: `Bearer ${ADMIN}` } });
        out.push(await r.json());
      }
      s.close();
      return out;
    };
    const a = await dump();
    await new Promise((r) => setTimeout(r, 20));
    expect(await dump()).toEqual(a);
    const wos = (a[0] as any).workOrders;
    expect(new Set(wos.map((w: any) => w.status)).size).toBeGreaterThanOrEqual(4);
    expect(wos.length).toBe(45);
  });
});
