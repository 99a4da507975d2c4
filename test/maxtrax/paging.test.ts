/**
 * Deep pages start from a seek mark instead of walking every skipped row (issue 15); they must hold exactly the rows
 * plain OFFSET paging gives, for every filter, across inserts and status changes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

const t = makeSuite({ maxPageSize: 200 });
afterAll(() => t.suite.close());
const db = () => t.suite.instances.get('maxtrax')!.ctx.handle.db;

function expected(where: string, params: unknown[], offset: number, limit: number): string[] {
  return db().prepare(`SELECT id FROM welds WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).pluck().all(...params, limit, offset) as string[];
}

async function allPages(token: string, query: string, pageSize: number): Promise<string[][]> {
  const pages: string[][] = [];
  for (let page = 1; ; page++) {
    const r = await t.call('GET', `/welds?${query}${query ? '&' : ''}page=${page}&pageSize=${pageSize}`, { token });
    expect(r.status).toBe(200);
    pages.push(r.json.items.map((w: { id: string }) => w.id));
    if (page >= r.json.totalPages) return pages;
  }
}

describe('MaxTrax deep pages', () => {
  it('every page equals plain OFFSET paging, for each filter, before and after writes', async () => {
    const gen = await t.suite.app('maxtrax').request('/__admin/generate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'acme', isos: 40, weldsPerIso: 25 }),
    });
    expect(gen.status).toBe(201);
    const { token } = await t.login('inspector');
    const iso = db().prepare("SELECT iso_id FROM welds WHERE tenant = 'acme' GROUP BY iso_id ORDER BY COUNT(*) DESC LIMIT 1").pluck().get() as string;
    const cases: Array<[string, string, unknown[]]> = [
      ['', "tenant = 'acme'", []],
      ['status=PENDING,REPAIR', "tenant = 'acme' AND status IN ('PENDING', 'REPAIR')", []],
      [`isoId=${iso}`, "tenant = 'acme' AND iso_id = ?", [iso]],
    ];
    const check = async () => {
      for (const [query, where, params] of cases) {
        for (const size of [7, 50, 200]) {
          const pages = await allPages(token, query, size);
          pages.forEach((ids, i) => expect(ids, `${query} page ${i + 1} of ${size}`).toEqual(expected(where, params, i * size, size)));
          expect(pages.flat().length).toBe((db().prepare(`SELECT COUNT(*) FROM welds WHERE ${where}`).pluck().get(...params) as number));
        }
      }
      // Past the end: an empty page, as before.
      expect((await t.call('GET', '/welds?page=9999&pageSize=50', { token })).json.items).toEqual([]);
    };
    await check();
    // A status change moves welds in and out of the status-filtered list; inserts shift every list.
    const pending = db().prepare("SELECT id FROM welds WHERE tenant = 'acme' AND status = 'PENDING' ORDER BY seq LIMIT 5 OFFSET 300").pluck().all() as string[];
    for (const id of pending) expect((await t.call('PATCH', `/welds/${id}/status`, { token, body: { status: 'ACCEPTED' } })).status).toBe(200);
    await check();
    const more = await t.suite.app('maxtrax').request('/__admin/generate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'acme', isos: 3, weldsPerIso: 50 }),
    });
    expect(more.status).toBe(201);
    await check();
  }, 60_000);
});
