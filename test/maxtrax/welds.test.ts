import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem, makeSuite } from './helpers.js';

const STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED'] as const;
type Status = (typeof STATUSES)[number];

const { call, login, suite } = makeSuite();
afterAll(() => suite.close());
beforeEach(() => suite.reset());

let tokens: Record<string, string> = {};
let welderIds: Record<string, string> = {};
beforeAll(async () => {
  for (const role of ['inspector', 'ndt_technician', 'welder', 'admin']) tokens[role] = (await login(role)).token;
  tokens.welder2 = (await login('welder', 'acme', 1)).token;
  const sub = (t: string) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()).sub as string;
  welderIds = { welder: sub(tokens.welder), welder2: sub(tokens.welder2) };
});

async function weldIn(status: Status): Promise<{ id: string; welderId: string | null; status: Status }> {
  const r = await call('GET', `/welds?status=${status}&pageSize=1`, { token: tokens.admin });
  expect(r.json.items.length, status).toBe(1);
  return r.json.items[0];
}

describe('GET /welds', () => {
  it('pages with page/pageSize and an object envelope', async () => {
    const p1 = await call('GET', '/welds?pageSize=50', { token: tokens.inspector });
    expect(p1.json).toMatchObject({ page: 1, pageSize: 50, totalItems: 120, totalPages: 3 });
    expect(p1.json.items).toHaveLength(50);
    const p3 = await call('GET', '/welds?page=3&pageSize=50', { token: tokens.inspector });
    expect(p3.json.items).toHaveLength(20);
    const p4 = await call('GET', '/welds?page=4&pageSize=50', { token: tokens.inspector });
    expect(p4.json.items).toEqual([]);
    const all = [...p1.json.items, ...(await call('GET', '/welds?page=2&pageSize=50', { token: tokens.inspector })).json.items, ...p3.json.items];
    expect(new Set(all.map((w: { id: string }) => w.id)).size).toBe(120);
    expect(Object.keys(p1.json.items[0])).toEqual(['id', 'isoId', 'weldNumber', 'type', 'size', 'schedule', 'status', 'welderId', 'wps', 'createdAt', 'updatedAt']);
  });

  it('filters by ISO, status (one or a comma list) and welder', async () => {
    const iso = (await call('GET', '/isos?pageSize=1', { token: tokens.inspector })).json.items[0];
    const byIso = await call('GET', `/welds?isoId=${iso.id}`, { token: tokens.inspector });
    expect(byIso.json.totalItems).toBe(10);
    expect(byIso.json.items.every((w: { isoId: string }) => w.isoId === iso.id)).toBe(true);
    const rej = await call('GET', '/welds?status=REJECTED', { token: tokens.inspector });
    const rep = await call('GET', '/welds?status=REPAIR', { token: tokens.inspector });
    const both = await call('GET', '/welds?status=REJECTED,REPAIR', { token: tokens.inspector });
    expect(both.json.totalItems).toBe(rej.json.totalItems + rep.json.totalItems);
    const mine = await call('GET', `/welds?welderId=${welderIds.welder}`, { token: tokens.inspector });
    expect(mine.json.totalItems).toBeGreaterThan(0);
    expect(mine.json.items.every((w: { welderId: string }) => w.welderId === welderIds.welder)).toBe(true);
    const none = await call('GET', '/welds?isoId=nope', { token: tokens.inspector });
    expect(none.json.totalItems).toBe(0);
  });

  it('refuses bad and unknown query parameters', async () => {
    const t = { token: tokens.inspector };
    expectProblem(await call('GET', '/welds?sort=id', t), 400, 'invalid-query', 'Unknown query parameter: sort. Allowed: page, pageSize, isoId, status, welderId.');
    expectProblem(await call('GET', '/welds?page=0', t), 400, 'invalid-query', 'page must be a positive integer.');
    expectProblem(await call('GET', '/welds?page=abc', t), 400, 'invalid-query', 'page must be a positive integer.');
    expectProblem(await call('GET', '/welds?pageSize=201', t), 400, 'invalid-query', 'pageSize must be an integer from 1 to 200.');
    expectProblem(await call('GET', '/welds?status=DONE', t), 400, 'invalid-query', 'status must be one or more of PENDING, ACCEPTED, REJECTED, REPAIR, VOIDED (comma-separated); got "DONE".');
    expectProblem(await call('GET', '/welds?status=pending', t), 400, 'invalid-query');
    expectProblem(await call('GET', '/welds?page=1&page=2', t), 400, 'invalid-query', 'Query parameter page is given more than once.');
    expectProblem(await call('GET', '/welds?isoId=', t), 400, 'invalid-query', 'isoId must be a non-empty id.');
  });

  it('array envelope with X-Total-Count and Link when configured', async () => {
    const s = makeSuite({ listEnvelope: 'array', defaultPageSize: 20 });
    const { token } = await s.login();
    const r = await s.call('GET', '/welds?page=2', { token });
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json).toHaveLength(20);
    expect(r.headers.get('x-total-count')).toBe('120');
    expect(r.headers.get('link')).toBe(
      '</welds?page=3&pageSize=20>; rel="next", </welds?page=1&pageSize=20>; rel="prev", </welds?page=1&pageSize=20>; rel="first", </welds?page=6&pageSize=20>; rel="last"',
    );
    s.suite.close();
  });
});

describe('GET /welds/{id}', () => {
  it('shows the weld with its inspection history', async () => {
    const w = await weldIn('ACCEPTED');
    const r = await call('GET', `/welds/${w.id}`, { token: tokens.ndt_technician });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ACCEPTED');
    expect(r.json.inspections.length).toBeGreaterThan(0);
    const last = r.json.inspections.at(-1);
    expect(Object.keys(last)).toEqual(['id', 'weldId', 'fromStatus', 'toStatus', 'reason', 'inspectorId', 'inspectorName', 'recordedAt']);
    expect(last).toMatchObject({ weldId: w.id, toStatus: 'ACCEPTED' });
    expect(r.json.inspections[0].fromStatus).toBe('PENDING');
  });

  it('404 for an unknown id; query parameters are refused', async () => {
    expectProblem(await call('GET', '/welds/does-not-exist', { token: tokens.admin }), 404, 'not-found', 'Weld does-not-exist was not found.');
    const w = await weldIn('PENDING');
    expectProblem(await call('GET', `/welds/${w.id}?expand=all`, { token: tokens.admin }), 400, 'invalid-query', 'Unknown query parameter: expand. This endpoint takes no query parameters.');
  });
});

describe('role rules', () => {
  it('welders see only the welds assigned to them', async () => {
    const r = await call('GET', '/welds?pageSize=200', { token: tokens.welder });
    expect(r.json.totalItems).toBeGreaterThan(0);
    expect(r.json.items.every((w: { welderId: string }) => w.welderId === welderIds.welder)).toBe(true);
    const all = await call('GET', `/welds?welderId=${welderIds.welder}&pageSize=200`, { token: tokens.admin });
    expect(r.json.totalItems).toBe(all.json.totalItems);
    expect((await call('GET', `/welds?welderId=${welderIds.welder}`, { token: tokens.welder })).status).toBe(200);
    expectProblem(await call('GET', `/welds?welderId=${welderIds.welder2}`, { token: tokens.welder }), 403, 'forbidden', "The welder role may not list another welder's welds.");
  });

  it("a welder reading another welder's weld is 403; their own is 200", async () => {
    const theirs = (await call('GET', `/welds?welderId=${welderIds.welder2}&pageSize=1`, { token: tokens.admin })).json.items[0];
    expectProblem(await call('GET', `/welds/${theirs.id}`, { token: tokens.welder }), 403, 'forbidden', `Weld ${theirs.id} is not assigned to you.`);
    const mine = (await call('GET', '/welds?pageSize=1', { token: tokens.welder })).json.items[0];
    expect((await call('GET', `/welds/${mine.id}`, { token: tokens.welder })).status).toBe(200);
  });

  it('unassigned welds are hidden from welders', async () => {
    const r = await call('GET', '/welds?pageSize=200', { token: tokens.admin });
    const unassigned = r.json.items.find((w: { welderId: string | null }) => w.welderId === null);
    expect(unassigned).toBeDefined();
    expectProblem(await call('GET', `/welds/${unassigned.id}`, { token: tokens.welder }), 403, 'forbidden');
  });

  it('NDT technicians read every weld', async () => {
    expect((await call('GET', '/welds', { token: tokens.ndt_technician })).json.totalItems).toBe(120);
  });

  it('welders and NDT technicians may not change status (403, nothing recorded)', async () => {
    const w = await weldIn('PENDING');
    for (const [role, token] of [['welder', tokens.welder], ['ndt_technician', tokens.ndt_technician]]) {
      expectProblem(await call('PATCH', `/welds/${w.id}/status`, { token, body: { status: 'ACCEPTED' } }), 403, 'forbidden', `The ${role} role may not change weld status.`);
    }
    const after = await call('GET', `/welds/${w.id}`, { token: tokens.admin });
    expect(after.json.status).toBe('PENDING');
    expect(after.json.inspections).toEqual([]);
  });

  it('inspectors may not void; admins may', async () => {
    const w = await weldIn('PENDING');
    expectProblem(await call('PATCH', `/welds/${w.id}/status`, { token: tokens.inspector, body: { status: 'VOIDED' } }), 403, 'forbidden', 'The inspector role may not set a weld to VOIDED.');
    const r = await call('PATCH', `/welds/${w.id}/status`, { token: tokens.admin, body: { status: 'VOIDED', reason: 'design change' } });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('VOIDED');
  });

  it('every role may read ISOs', async () => {
    for (const role of ['inspector', 'ndt_technician', 'welder', 'admin']) {
      expect((await call('GET', '/isos', { token: tokens[role] })).json.totalItems, role).toBe(12);
    }
  });
});

describe('PATCH /welds/{id}/status: the workflow', () => {
  const ALLOWED: Record<Status, Status[]> = {
    PENDING: ['ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED'],
    REJECTED: ['REPAIR', 'ACCEPTED', 'VOIDED'],
    REPAIR: ['ACCEPTED', 'REJECTED', 'VOIDED'],
    ACCEPTED: [],
    VOIDED: [],
  };

  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'allowed' : '409'}`, async () => {
        suite.reset();
        const w = await weldIn(from);
        const before = (await call('GET', `/welds/${w.id}`, { token: tokens.admin })).json;
        suite.clock.freeze(true);
        const r = await call('PATCH', `/welds/${w.id}/status`, { token: tokens.admin, body: { status: to, reason: 'r' } });
        suite.clock.freeze(false);
        if (allowed) {
          expect(r.status).toBe(200);
          expect(r.json.status).toBe(to);
          expect(r.json.inspections).toHaveLength(before.inspections.length + 1);
          expect(r.json.inspections.at(-1)).toMatchObject({ fromStatus: from, toStatus: to, reason: 'r', inspectorName: 'Ada Admin' });
          expect(r.json.updatedAt).toBe(r.json.inspections.at(-1).recordedAt);
        } else {
          const list = ALLOWED[from].join(', ');
          expectProblem(r, 409, 'invalid-status-transition',
            `Weld ${w.id} cannot move from ${from} to ${to}. ` + (list ? `Allowed from ${from}: ${list}.` : `${from} is a final status.`));
          expect(r.json).toMatchObject({ currentStatus: from, requestedStatus: to });
          expect((await call('GET', `/welds/${w.id}`, { token: tokens.admin })).json).toEqual(before);
        }
      });
    }
  }

  it('an inspector drives the repair workflow to acceptance; the audit trail records each step', async () => {
    const w = await weldIn('PENDING');
    const path = `/welds/${w.id}/status`;
    const t = { token: tokens.inspector };
    expect((await call('PATCH', path, { ...t, body: { status: 'REJECTED', reason: 'Porosity' } })).json.status).toBe('REJECTED');
    suite.clock.advance(60);
    expect((await call('PATCH', path, { ...t, body: { status: 'REPAIR' } })).json.status).toBe('REPAIR');
    suite.clock.advance(60);
    const done = await call('PATCH', path, { ...t, body: { status: 'ACCEPTED', reason: null } });
    expect(done.json.status).toBe('ACCEPTED');
    expect(done.json.inspections.map((i: { fromStatus: string; toStatus: string; reason: string | null; inspectorName: string }) => [i.fromStatus, i.toStatus, i.reason, i.inspectorName])).toEqual([
      ['PENDING', 'REJECTED', 'Porosity', 'Irene Inspector'],
      ['REJECTED', 'REPAIR', null, 'Irene Inspector'],
      ['REPAIR', 'ACCEPTED', null, 'Irene Inspector'],
    ]);
    const times = done.json.inspections.map((i: { recordedAt: string }) => Date.parse(i.recordedAt));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(60_000);
    // Visible on the weld and in the list.
    expect((await call('GET', `/welds/${w.id}`, t)).json.inspections).toEqual(done.json.inspections);
    expect((await call('GET', '/welds?status=ACCEPTED&pageSize=200', t)).json.items.some((x: { id: string }) => x.id === w.id)).toBe(true);
  });

  it('validates the body: 422 for bad status or reason, unknown fields', async () => {
    const w = await weldIn('PENDING');
    const path = `/welds/${w.id}/status`;
    const t = { token: tokens.inspector };
    expectProblem(await call('PATCH', path, { ...t, body: {} }), 422, 'validation-failed', 'status: is required');
    expectProblem(await call('PATCH', path, { ...t, body: { status: 'accepted' } }), 422, 'validation-failed', 'status: must be one of PENDING, ACCEPTED, REJECTED, REPAIR, VOIDED');
    expectProblem(await call('PATCH', path, { ...t, body: { status: 'ACCEPTED', reason: 5 } }), 422, 'validation-failed', 'reason: must be a string');
    expectProblem(await call('PATCH', path, { ...t, body: { status: 'ACCEPTED', reason: 'x'.repeat(2001) } }), 422, 'validation-failed', 'reason: must be at most 2000 characters');
    expectProblem(await call('PATCH', path, { ...t, body: { status: 'ACCEPTED', note: 'x' } }), 422, 'validation-failed', 'Unknown field: note.');
    expectProblem(await call('PATCH', path, { ...t, raw: 'status=ACCEPTED', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported-media-type');
    expectProblem(await call('PATCH', path, { ...t, raw: '{', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-request');
    expectProblem(await call('PATCH', '/welds/nope/status', { ...t, body: { status: 'ACCEPTED' } }), 404, 'not-found', 'Weld nope was not found.');
    expect((await call('GET', `/welds/${w.id}`, t)).json.inspections).toEqual([]);
  });
});

describe('ISOs', () => {
  it('lists and reads ISOs with weld counts by status', async () => {
    const list = await call('GET', '/isos?pageSize=5&page=2', { token: tokens.welder });
    expect(list.json).toMatchObject({ page: 2, pageSize: 5, totalItems: 12, totalPages: 3 });
    const iso = list.json.items[0];
    expect(Object.keys(iso)).toEqual(['id', 'isoNumber', 'revision', 'lineNumber', 'area', 'testPackage', 'createdAt', 'updatedAt']);
    const one = await call('GET', `/isos/${iso.id}`, { token: tokens.welder });
    expect(one.json).toMatchObject(iso);
    const counts = one.json.weldCounts;
    expect(Object.keys(counts)).toEqual(['PENDING', 'ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED']);
    expect(Object.values(counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(10);
    expectProblem(await call('GET', '/isos?status=PENDING', { token: tokens.welder }), 400, 'invalid-query', 'Unknown query parameter: status. Allowed: page, pageSize.');
    expectProblem(await call('GET', '/isos/nope', { token: tokens.welder }), 404, 'not-found', 'ISO nope was not found.');
  });
});
