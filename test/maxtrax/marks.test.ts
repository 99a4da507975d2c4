/**
 * Seek marks stay bounded and exact (issue 15): under random reads at any depth and random status changes, every
 * page equals plain OFFSET paging; marks per list and over all lists stay within their limits; two marks are never
 * more than two steps apart (what a page skips); and a list's first walk takes several bounded `seek` calls.
 * Small limits here so thinning, eviction and slicing all happen on a thousand rows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WELD_STATUSES, type WeldStatus } from '../../src/vendors/maxtrax/model.js';
import { ListIndex, type ListQuery, type MarkLimits } from '../../src/vendors/maxtrax/store/lists.js';
import type { WeldRow } from '../../src/vendors/maxtrax/store/rows.js';
import { Statements } from '../../src/vendors/maxtrax/store/statements.js';
import { makeSuite, random } from './helpers.js';

const t = makeSuite();
afterAll(() => t.suite.close());
const handle = () => t.suite.instances.get('maxtrax')!.ctx.handle;
const db = () => handle().db;

function whereOf(q: ListQuery): { where: string; params: unknown[] } {
  let where = 'tenant = ?';
  const params: unknown[] = [q.tenant];
  if (q.isoId !== undefined) (where += ' AND iso_id = ?'), params.push(q.isoId);
  if (q.welderId !== undefined) (where += ' AND welder_id = ?'), params.push(q.welderId);
  if (q.statuses?.length) (where += ` AND status IN (${q.statuses.map(() => '?').join(', ')})`), params.push(...q.statuses);
  return { where, params };
}

function expectedIds(q: ListQuery, offset: number, limit: number): string[] {
  const { where, params } = whereOf(q);
  return db().prepare(`SELECT id FROM welds WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).pluck().all(...params, limit, offset) as string[];
}

const LIMITS: MarkLimits = { step: 4, maxMarks: 16, budget: 48, slice: 32 };

describe('MaxTrax seek marks', () => {
  it('stay exact and within their bounds under random reads and status changes', async () => {
    const gen = await t.suite.app('maxtrax').request('/__admin/generate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'acme', isos: 40, weldsPerIso: 25 }),
    });
    expect(gen.status).toBe(201);
    const index = new ListIndex(new Statements(handle()), LIMITS);
    const iso = db().prepare("SELECT iso_id FROM welds WHERE tenant = 'acme' GROUP BY iso_id ORDER BY COUNT(*) DESC LIMIT 1").pluck().get() as string;
    const welder = db().prepare("SELECT welder_id FROM welds WHERE tenant = 'acme' AND welder_id IS NOT NULL LIMIT 1").pluck().get() as string;
    const queries: ListQuery[] = [
      { table: 'welds', tenant: 'acme' },
      { table: 'welds', tenant: 'acme', statuses: ['PENDING', 'REPAIR'] },
      { table: 'welds', tenant: 'acme', statuses: ['ACCEPTED'] },
      { table: 'welds', tenant: 'acme', isoId: iso },
      { table: 'welds', tenant: 'acme', isoId: iso, statuses: ['REJECTED', 'PENDING'] },
      { table: 'welds', tenant: 'acme', welderId: welder, statuses: ['VOIDED', 'PENDING', 'ACCEPTED'] },
    ];
    const ids = db().prepare("SELECT id FROM welds WHERE tenant = 'acme'").pluck().all() as string[];
    const next = random(1502);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

    // The unfiltered list (1,000+ rows) takes several bounded walks before its first page: each walks at most a
    // slice or one step (whichever is longer), so at least this many.
    let calls = 1;
    while (!index.seek(queries[0])) calls++;
    expect(calls).toBeGreaterThanOrEqual(Math.floor(ids.length / Math.max(LIMITS.slice, index.inspect(queries[0])!.step)));
    expect(calls).toBeGreaterThan(5);

    const check = (q: ListQuery) => {
      const m = index.inspect(q);
      if (!m) return;
      const { where, params } = whereOf(q);
      const before = db().prepare(`SELECT COUNT(*) FROM welds WHERE ${where} AND seq < ?`).pluck();
      expect(m.seqs.length).toBeLessThanOrEqual(LIMITS.maxMarks);
      for (let i = 1; i < m.seqs.length; i++) {
        expect(m.ranks[i], `rank of mark ${i}`).toBe(before.get(...params, m.seqs[i]));
        expect(m.ranks[i] - m.ranks[i - 1]).toBeLessThanOrEqual(2 * m.step);
      }
      if (m.total !== undefined) expect(m.total).toBe(db().prepare(`SELECT COUNT(*) FROM welds WHERE ${where}`).pluck().get(...params));
    };

    for (let op = 0; op < 600; op++) {
      if (next() < 0.3) {
        const id = pick(ids);
        const from = db().prepare('SELECT status FROM welds WHERE id = ?').pluck().get(id) as WeldStatus;
        const to = pick(WELD_STATUSES);
        const weld = db().prepare('UPDATE welds SET status = ? WHERE id = ? RETURNING *').get(to, id) as WeldRow;
        index.statusChanged(weld, from);
      } else {
        const q = pick(queries);
        const total = (db().prepare(`SELECT COUNT(*) FROM welds WHERE ${whereOf(q).where}`).pluck().get(...whereOf(q).params)) as number;
        const offset = Math.floor(next() * (total + 10));
        const limit = 1 + Math.floor(next() * 60);
        while (!index.seek(q));
        const page = index.page<WeldRow>(q, offset, limit);
        expect(page.total).toBe(total);
        expect(page.rows.map((r) => r.id), `offset ${offset} limit ${limit} of ${JSON.stringify(q)}`).toEqual(expectedIds(q, offset, limit));
      }
      expect(index.markCount()).toBeLessThanOrEqual(LIMITS.budget);
      if (op % 25 === 0) for (const q of queries) check(q);
    }
    // The unfiltered list outgrew 16 marks at step 4: it was thinned to a longer step.
    index.seek(queries[0]);
    expect(index.inspect(queries[0])!.step).toBeGreaterThan(LIMITS.step);
  }, 60_000);

  it("a large list's first read gives the event loop turns while its marks are walked", async () => {
    // 40,000 more welds: the unfiltered list needs three slices of 16,384 index rows.
    const gen = await t.suite.app('maxtrax').request('/__admin/generate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'acme', isos: 400, weldsPerIso: 100 }),
    });
    expect(gen.status).toBe(201);
    const { token } = await t.login('inspector');
    expect((await t.call('GET', '/isos?pageSize=1', { token })).status).toBe(200); // the token's signature is checked once
    const turnsDuring = async (page: number) => {
      let turns = 0;
      let done = false;
      const tick = () => {
        if (done) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const r = await t.call('GET', `/welds?page=${page}&pageSize=50`, { token });
      done = true;
      expect(r.status).toBe(200);
      expect(r.json.items.map((w: { id: string }) => w.id)).toEqual(expectedIds({ table: 'welds', tenant: 'acme' }, (page - 1) * 50, 50));
      return turns;
    };
    const first = await turnsDuring(701);
    // Marks walked: another page of the same list answers without waiting for the event loop.
    const again = await turnsDuring(702);
    expect(first).toBeGreaterThanOrEqual(again + 2);
  }, 60_000);
});
