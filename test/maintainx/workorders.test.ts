import { describe, expect, it } from 'vitest';
import { BOREALIS, MEMBER, MULTI, makeSuite } from './helpers.js';

describe('maintainx work orders', () => {
  const { call, suite } = makeSuite();

  it('create → 200 {id}; get → {workOrder} with per-organization sequentialId, ms timestamps, defaults', async () => {
    const before = await call('GET', '/v1/workorders?limit=200&show_upcoming=true');
    const maxSeq = Math.max(...before.body.workOrders.map((w: any) => w.sequentialId));
    const r = await call('POST', '/v1/workorders', { body: { title: 'Replace pump seal' } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['id']);
    expect(Number.isInteger(r.body.id)).toBe(true);
    const g = await call('GET', `/v1/workorders/${r.body.id}`);
    expect(g.status).toBe(200);
    const wo = g.body.workOrder;
    expect(wo).toMatchObject({ id: r.body.id, title: 'Replace pump seal', status: 'OPEN', priority: 'NONE', organizationId: 1, creatorId: 1, partStatus: 'NO_PARTS', deletedAt: null });
    expect(wo.sequentialId).toBe(maxSeq + 1);
    expect(wo.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // Sequential ids are per organization: Borealis has its own counter.
    const b = await call('POST', '/v1/workorders', { key: BOREALIS, body: { title: 'Borealis job' } });
    const bg = await call('GET', `/v1/workorders/${b.body.id}`, { key: BOREALIS });
    expect(bg.body.workOrder.sequentialId).toBe(46);
    const bySeq = await call('GET', `/v1/workorders/46?useSequentialId=true`, { key: BOREALIS });
    expect(bySeq.body.workOrder.id).toBe(b.body.id);
  });

  it('create validates with the vendor messages', async () => {
    const missing = await call('POST', '/v1/workorders', { body: { description: 'no title' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ errors: [{ error: "should have required property 'title'", fieldPath: 'title', fieldValue: null }] });
    const prio = await call('POST', '/v1/workorders', { body: { title: 'x', priority: 'Happy Birthday' } });
    expect(prio.body).toEqual({ errors: [{ error: 'Invalid priority', fieldPath: 'priority', fieldValue: 'Happy Birthday' }] });
    const type = await call('POST', '/v1/workorders', { body: { title: 42 } });
    expect(type.body).toEqual({ errors: [{ error: 'should be string', fieldPath: 'title', fieldValue: 42 }] });
    const asset = await call('POST', '/v1/workorders', { body: { title: 'x', assetId: 999999 } });
    expect(asset.body).toEqual({ errors: [{ error: 'assetId is not valid', fieldPath: 'assetId', fieldValue: 999999 }] });
    const excl = await call('POST', '/v1/workorders', { body: { title: 'x', isParent: true, parentId: 80 } });
    expect(excl.status).toBe(400);
    const json = await call('POST', '/v1/workorders', { raw: '{"title":', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(json.body.errors[0].error).toBe('Request body is not valid JSON');
    const ct = await call('POST', '/v1/workorders', { raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ct.status).toBe(400);
    expect(ct.body.errors[0].error).toBe('Content-Type must be application/json');
    const arr = await call('POST', '/v1/workorders', { body: [1, 2] });
    expect(arr.body).toEqual({ errors: [{ error: 'should be object', fieldPath: null, fieldValue: null }] });
  });

  it('assignees, categories (labels, created on the fly), expand', async () => {
    const team = await call('POST', '/v1/teams', { body: { name: 'Pump crew' } });
    const assetId = (await call('GET', '/v1/assets?limit=1')).body.assets[0].id;
    const locationId = (await call('GET', '/v1/locations?limit=1')).body.locations[0].id;
    const r = await call('POST', '/v1/workorders', {
      body: { title: 'Assigned', assignees: [{ type: 'USER', id: 2 }, { type: 'USER', id: 'priya.natarajan@acme.example' }, { type: 'TEAM', id: team.body.id }], categories: ['Damage', 'Brand new'], assetId, locationId, estimatedTime: 5400 },
    });
    expect(r.body).toEqual({ id: expect.any(Number) });
    const g = await call('GET', `/v1/workorders/${r.body.id}?expand=assignees&expand=asset&expand=location&expand=estimated_time`);
    const wo = g.body.workOrder;
    expect(wo.assigneeIds).toEqual([2, 3]);
    expect(wo.teamIds).toEqual([team.body.id]);
    expect(wo.assignees).toEqual([{ type: 'USER', id: 2 }, { type: 'USER', id: 3 }, { type: 'TEAM', id: team.body.id }]);
    expect(wo.categories).toEqual(['Damage', 'Brand new']);
    expect(wo.asset.id).toBe(assetId);
    expect(wo.location.id).toBe(locationId);
    expect(wo.estimatedTime).toBe(5400);
    const plain = await call('GET', `/v1/workorders/${r.body.id}`);
    expect(plain.body.workOrder).not.toHaveProperty('assignees');
    expect(plain.body.workOrder).not.toHaveProperty('estimatedTime');
    const cats = await call('GET', '/v1/categories?limit=200');
    expect(cats.body.categories.map((c: any) => c.label)).toContain('Brand new');
    const badExpand = await call('GET', `/v1/workorders/${r.body.id}?expand=everything`);
    expect(badExpand.status).toBe(400);
    expect(badExpand.body.error).toMatch(/^expand must be equal to one of the allowed values/);
  });

  it('PATCH → {workOrder}; 404 strings per operation; status only through /status', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Patch me' } });
    const p = await call('PATCH', `/v1/workorders/${body.id}`, { body: { priority: 'HIGH', dueDate: '2026-03-01T12:00:00.000Z', status: 'DONE' } });
    expect(p.status).toBe(200);
    expect(p.body.workOrder).toMatchObject({ priority: 'HIGH', dueDate: '2026-03-01T12:00:00.000Z', status: 'OPEN' });
    expect((await call('PATCH', '/v1/workorders/999999', { body: { title: 'x' } })).body).toEqual({ error: 'Work Order Not Found' });
    expect((await call('GET', '/v1/workorders/999999')).body).toEqual({ error: 'Not Found.' });
    expect((await call('DELETE', '/v1/workorders/999999')).body).toEqual({ error: 'workOrder Not Found' });
    expect((await call('PATCH', '/v1/workorders/999999/status', { body: { status: 'DONE' } })).body).toEqual({ error: 'Work Order Not Found' });
    const bad = await call('GET', '/v1/workorders/abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'id must be integer' });
  });

  it('PATCH /status sets completedAt/completerId on DONE; invalid status uses the spec message', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Status' } });
    const bad = await call('PATCH', `/v1/workorders/${body.id}/status`, { body: { status: 'Happy Birthday' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errors: [{ error: 'Invalid status', fieldPath: 'status', fieldValue: 'Happy Birthday' }] });
    suite.clock.advance(5);
    const done = await call('PATCH', `/v1/workorders/${body.id}/status`, { key: MEMBER, body: { status: 'DONE' } });
    expect(done.status).toBe(200);
    expect(done.body.workOrder.status).toBe('DONE');
    expect(done.body.workOrder.completerId).toBe(2);
    expect(done.body.workOrder.completedAt).toBe(done.body.workOrder.updatedAt);
    const ps = await call('PATCH', `/v1/workorders/${body.id}/partStatus`, { body: { partStatus: 'KITTED' } });
    expect(ps.body.workOrder.partStatus).toBe('KITTED');
    const badPs = await call('PATCH', `/v1/workorders/${body.id}/partStatus`, { body: { partStatus: 'Happy Birthday' } });
    expect(badPs.body).toEqual({ errors: [{ error: 'Invalid part status', fieldPath: 'partStatus', fieldValue: 'Happy Birthday' }] });
  });

  it('DELETE → 204, then 404; deleted work orders leave lists', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Delete me' } });
    const d = await call('DELETE', `/v1/workorders/${body.id}`);
    expect(d.status).toBe(204);
    expect(d.text).toBe('');
    expect((await call('GET', `/v1/workorders/${body.id}`)).status).toBe(404);
    const all = await call('GET', '/v1/workorders?limit=200&show_upcoming=true');
    expect(all.body.workOrders.map((w: any) => w.id)).not.toContain(body.id);
  });

  it('comments: 201 {id}, list, lastMessageSentAt without bumping updatedAt', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Comment me' } });
    const before = (await call('GET', `/v1/workorders/${body.id}`)).body.workOrder;
    suite.clock.advance(60);
    const c = await call('POST', `/v1/workorders/${body.id}/comments`, { body: { content: 'On my way' } });
    expect(c.status).toBe(201);
    expect(Object.keys(c.body)).toEqual(['id']);
    const missing = await call('POST', `/v1/workorders/${body.id}/comments`, { body: {} });
    expect(missing.body).toEqual({ errors: [{ error: "should have required property 'content'", fieldPath: 'content', fieldValue: null }] });
    const list = await call('GET', `/v1/workorders/${body.id}/comments`);
    expect(list.body.comments).toEqual([{ id: c.body.id, authorId: 1, content: 'On my way', createdAt: expect.any(String) }]);
    expect(list.body.nextCursor).toBeNull();
    const after = (await call('GET', `/v1/workorders/${body.id}`)).body.workOrder;
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(after.lastMessageSentAt).toBe(list.body.comments[0].createdAt);
    expect((await call('GET', '/v1/workorders/999999/comments')).status).toBe(404);
  });

  it('costs in cents: EXPENSE and TIME rows, totals', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Cost me' } });
    const e = await call('POST', `/v1/workorders/${body.id}/costs`, { body: { type: 'EXPENSE', costType: 'TRAVEL', costPerUnit: 2500, description: 'Mileage' } });
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ type: 'EXPENSE', costPerUnit: 2500, rowTotal: 2500, total: 2500, quantity: 1 });
    const t = await call('POST', `/v1/workorders/${body.id}/costs`, { body: { type: 'TIME', costType: 'WORK', durationTotal: 5400, hourlyRate: 6000 } });
    expect(t.body).toMatchObject({ type: 'TIME', durationTotal: 5400, quantity: 1.5, rowTotal: 9000, total: 11500 });
    const bad = await call('POST', `/v1/workorders/${body.id}/costs`, { body: { type: 'GIFT' } });
    expect(bad.body).toEqual({ errors: [{ error: "should have required properties 'type', 'costType'", fieldPath: 'type', fieldValue: null }] });
    const list = await call('GET', `/v1/workorders/${body.id}/costs`);
    expect(list.body.costs.total).toBe(11500);
    expect(list.body.costs.rows).toHaveLength(2);
    const exp = await call('GET', `/v1/workorders/${body.id}?expand=expenditures&expand=time_items`);
    expect(exp.body.workOrder.expenditures).toHaveLength(1);
    expect(exp.body.workOrder.timeItems).toHaveLength(1);
  });

  it('sub-work-orders and progress', async () => {
    const parent = await call('POST', '/v1/workorders', { body: { title: 'Parent', isParent: true } });
    const a = await call('POST', '/v1/workorders', { body: { title: 'Child A', parentId: parent.body.id } });
    await call('POST', '/v1/workorders', { body: { title: 'Child B', parentId: parent.body.id } });
    await call('PATCH', `/v1/workorders/${a.body.id}/status`, { body: { status: 'DONE' } });
    const subs = await call('GET', `/v1/workorders/${parent.body.id}/subworkorders`);
    expect(subs.status).toBe(200);
    expect(subs.body.subworkorders.map((w: any) => w.title)).toEqual(['Child A', 'Child B']);
    const p = await call('GET', `/v1/workorders/${parent.body.id}`);
    expect(p.body.workOrder.progress).toEqual({ openCount: 1, inProgressCount: 0, onHoldCount: 0, doneCount: 1 });
    const types = await call('GET', '/v1/workorders?parentSubWorkOrderTypes=SUB_WORK_ORDER&limit=200');
    expect(types.body.workOrders.map((w: any) => w.title).sort()).toEqual(['Child A', 'Child B']);
    const badParent = await call('POST', '/v1/workorders', { body: { title: 'x', parentId: 999999 } });
    expect(badParent.body.errors[0]).toMatchObject({ error: 'parentId is not valid', fieldPath: 'parentId' });
  });

  it('attachments and thumbnail stored in SQLite with the 1 MB limit', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Photo' } });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const up = await call('PUT', `/v1/workorders/${body.id}/attachments/pump.png`, { raw: png, headers: { 'content-type': 'image/png' } });
    expect(up.status).toBe(201);
    expect(up.body.filename).toBe('pump.png');
    const file = await suite.app('maintainx').request(new URL(up.body.publicUrl).pathname);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
    const th = await call('PUT', `/v1/workorders/${body.id}/thumbnail/thumb.jpg`, { raw: png, headers: { 'content-type': 'image/jpeg' } });
    expect(th.status).toBe(201);
    const g = await call('GET', `/v1/workorders/${body.id}`);
    expect(g.body.workOrder.attachments.map((a: any) => a.fileName)).toEqual(['pump.png']);
    expect(g.body.workOrder.thumbnail).toMatchObject({ fileName: 'thumb.jpg', mimeType: 'image/jpeg' });
    const big = await call('PUT', `/v1/workorders/${body.id}/attachments/big.bin`, { raw: new Uint8Array(1_048_577), headers: { 'content-type': 'application/octet-stream' } });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: 'Attachment size must not exceed 1mB' });
    const type = await call('PUT', `/v1/workorders/${body.id}/attachments/x.weird`, { raw: png, headers: { 'content-type': 'application/x-not-a-type' } });
    expect(type.status).toBe(400);
    expect(type.body).toBe('Bad arguments.');
    const thType = await call('PUT', `/v1/workorders/${body.id}/thumbnail/x.weird`, { raw: png, headers: { 'content-type': 'application/x-not-a-type' } });
    expect(thType.body).toEqual({ errors: [{ error: 'Bad arguments: unsupported Content-Type', fieldPath: null, fieldValue: 'application/x-not-a-type' }] });
    const del = await call('DELETE', `/v1/workorders/${body.id}/attachments/pump.png`);
    expect(del.status).toBe(204);
    expect((await call('DELETE', `/v1/workorders/${body.id}/attachments/pump.png`)).body).toEqual({ error: 'Attachment Not Found' });
    expect((await call('PUT', '/v1/workorders/999999/thumbnail/a.png', { raw: png, headers: { 'content-type': 'image/png' } })).body).toEqual({ error: 'Work Order Not Found' });
  });

  it('list filters: statuses (repeated keys), priorities, assets, categories by label or id, title, dates', async () => {
    const open = await call('GET', '/v1/workorders?statuses=OPEN&statuses=DONE&limit=200');
    expect(open.status).toBe(200);
    expect(open.body.workOrders.length).toBeGreaterThan(0);
    expect(open.body.workOrders.every((w: any) => ['OPEN', 'DONE'].includes(w.status))).toBe(true);
    const bad = await call('GET', '/v1/workorders?statuses=COMPLETE');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^statuses must be equal to one of the allowed values/);
    const high = await call('GET', '/v1/workorders?priorities=HIGH&limit=200');
    expect(high.body.workOrders.every((w: any) => w.priority === 'HIGH')).toBe(true);
    const cat = (await call('GET', '/v1/categories?limit=200')).body.categories.find((c: any) => c.label === 'Safety');
    const byLabel = await call('GET', '/v1/workorders?categories=Safety&limit=200');
    const byId = await call('GET', `/v1/workorders?categories=${cat.id}&limit=200`);
    expect(byLabel.body.workOrders.length).toBeGreaterThan(0);
    expect(byId.body.workOrders.map((w: any) => w.id)).toEqual(byLabel.body.workOrders.map((w: any) => w.id));
    const title = await call('GET', '/v1/workorders?title=bearings&limit=200');
    expect(title.body.workOrders.every((w: any) => /bearings/i.test(w.title))).toBe(true);
    const since = await call('GET', '/v1/workorders?updatedAt%5Bgte%5D=2030-01-01T00:00:00.000Z');
    expect(since.body.workOrders).toEqual([]);
    const badDate = await call('GET', '/v1/workorders?updatedAt[gte]=yesterday');
    expect(badDate.status).toBe(400);
    expect(badDate.body).toEqual({ error: 'updatedAt[gte] must match format "date-time"' });
    const sorted = await call('GET', '/v1/workorders?sort=-createdAt&limit=200');
    const created = sorted.body.workOrders.map((w: any) => w.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    expect((await call('GET', '/v1/workorders?sort=title')).status).toBe(400);
    const multi = await call('GET', '/v1/workorders?limit=5', { key: MULTI, headers: { 'x-organization-id': '2' } });
    expect(multi.body.workOrders.every((w: any) => w.organizationId === 2)).toBe(true);
  });

  it('limit bounds and bad cursors → 400 {error}', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'limit=-1', 'limit=99999999999']) {
      const r = await call('GET', `/v1/workorders?${q}`);
      expect(r.status, q).toBe(400);
      expect(typeof r.body.error).toBe('string');
    }
    for (const cur of ['garbage', 'eyJhIjoxfQ', '!!!', 'WyJpZCIsbnVsbCwiYSJd']) {
      const r = await call('GET', `/v1/workorders?cursor=${cur}`);
      expect(r.status, cur).toBe(400);
      expect(r.body).toEqual({ error: 'Invalid cursor' });
    }
    const first = await call('GET', '/v1/workorders?limit=2');
    const mismatch = await call('GET', `/v1/workorders?limit=2&sort=-updatedAt&cursor=${first.body.nextCursor}`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toEqual({ error: 'Cursor does not match the sort of this query' });
  });
});

describe('maintainx work-order procedures and emails', () => {
  const { call } = makeSuite();

  it('inline procedure: stored with field ids, field attachments, detach', async () => {
    const r = await call('POST', '/v1/workorders', {
      body: { title: 'With procedure', procedure: { title: 'Daily check', fields: [{ label: 'Photo of gauge', type: 'FILE' }, { label: 'Pressure', type: 'NUMBER' }] } },
    });
    const g = await call('GET', `/v1/workorders/${r.body.id}`);
    const proc = g.body.workOrder.procedure;
    expect(proc).toMatchObject({ title: 'Daily check', fields: [{ label: 'Photo of gauge', type: 'FILE', value: {} }, { label: 'Pressure', type: 'NUMBER' }] });
    expect(proc.fields[0].id).not.toBe(proc.fields[1].id);
    const up = await call('PUT', `/v1/workorders/${r.body.id}/procedure/fields/0/attachment/gauge.jpg`, { raw: new Uint8Array([9, 9]), headers: { 'content-type': 'image/jpeg' } });
    expect(up.status).toBe(201);
    const withFile = (await call('GET', `/v1/workorders/${r.body.id}`)).body.workOrder.procedure.fields[0];
    expect(withFile.value.attachment).toMatchObject({ fileName: 'gauge.jpg', mimeType: 'image/jpeg' });
    expect((await call('PUT', `/v1/workorders/${r.body.id}/procedure/fields/7/attachment/x.jpg`, { raw: new Uint8Array([1]), headers: { 'content-type': 'image/jpeg' } })).body).toEqual({ error: 'attachment Not Found' });
    expect((await call('DELETE', `/v1/workorders/${r.body.id}/procedure/fields/0/attachment`)).status).toBe(204);
    expect((await call('DELETE', `/v1/workorders/${r.body.id}/procedure/fields/0/attachment`)).body).toEqual({ error: 'attachment Not Found' });
    const list = await call('GET', `/v1/workorders?expand=procedure&limit=200`);
    expect(list.body.workOrders.find((w: any) => w.id === r.body.id).procedure.title).toBe('Daily check');
    expect((await call('DELETE', `/v1/workorders/${r.body.id}/procedure`)).status).toBe(204);
    expect((await call('GET', `/v1/workorders/${r.body.id}`)).body.workOrder).not.toHaveProperty('procedure');
    expect((await call('DELETE', `/v1/workorders/${r.body.id}/procedure`)).body).toEqual({ error: 'Not found' });
    const bad = await call('POST', '/v1/workorders', { body: { title: 'x', procedure: { title: 'p', fields: [{ label: 'a', type: 'DANCE' }] } } });
    expect(bad.body.errors[0]).toMatchObject({ error: 'Invalid type', fieldPath: 'procedure.fields.0.type' });
    const tpl = await call('POST', '/v1/workorders', { body: { title: 'x', procedureTemplateId: 5 } });
    expect(tpl.body).toEqual({ errors: [{ error: 'procedureTemplateId is not valid', fieldPath: 'procedureTemplateId', fieldValue: 5 }] });
  });

  it('POST …/emails: 201 {id}; bad addresses use the spec message', async () => {
    const { body } = await call('POST', '/v1/workorders', { body: { title: 'Mail me' } });
    const ok = await call('POST', `/v1/workorders/${body.id}/emails`, { body: { emails: ['tech@acme.example'], customMessage: 'FYI', exportOptions: { costs: 'SUMMARY' } } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ id: expect.any(Number) });
    const bad = await call('POST', `/v1/workorders/${body.id}/emails`, { body: { emails: ['not-an-email'] } });
    expect(bad.body).toEqual({ errors: [{ error: 'An error occurred while sending the email', fieldPath: 'emails', fieldValue: 'not-an-email' }] });
    expect((await call('POST', '/v1/workorders/999999/emails', { body: { emails: ['a@b.co'] } })).body).toEqual({ error: 'Work Order Not Found' });
  });
});

describe('maintainx change polling', () => {
  const { call, suite } = makeSuite();
  it('updatedAt[gte] returns exactly what changed since the watermark; show_upcoming reveals future starts', async () => {
    suite.clock.advance(120);
    const mark = suite.clock.now().toISOString();
    suite.clock.advance(1);
    const a = await call('POST', '/v1/workorders', { body: { title: 'New since mark' } });
    const old = (await call('GET', '/v1/workorders?limit=1')).body.workOrders[0];
    await call('PATCH', `/v1/workorders/${old.id}`, { body: { description: 'touched' } });
    const changed = await call('GET', `/v1/workorders?updatedAt[gte]=${mark}&sort=updatedAt`);
    expect(changed.body.workOrders.map((w: any) => w.id)).toEqual([a.body.id, old.id]);
    const created = await call('GET', `/v1/workorders?createdAt[gte]=${mark}`);
    expect(created.body.workOrders.map((w: any) => w.id)).toEqual([a.body.id]);
    const future = new Date(suite.clock.nowMs() + 86_400_000).toISOString();
    const f = await call('POST', '/v1/workorders', { body: { title: 'Starts tomorrow', startDate: future, dueDate: future } });
    const hidden = await call('GET', `/v1/workorders?createdAt[gte]=${mark}`);
    expect(hidden.body.workOrders.map((w: any) => w.id)).not.toContain(f.body.id);
    const shown = await call('GET', `/v1/workorders?createdAt[gte]=${mark}&show_upcoming=true`);
    expect(shown.body.workOrders.map((w: any) => w.id)).toContain(f.body.id);
  });
});

describe('maintainx procedure templates', () => {
  const { call } = makeSuite();

  it('create 201 {id, fields}; rows; PATCH 204 replaces the row list; work orders copy the template', async () => {
    const t = await call('POST', '/v1/proceduretemplates', { body: { title: 'Ladder inspection', fields: [{ label: 'Rungs intact', type: 'INSPECTION_CHECK' }, { label: 'Photo', type: 'FILE' }] } });
    expect(t.status).toBe(201);
    expect(t.body.fields.map((f: any) => f.label)).toEqual(['Rungs intact', 'Photo']);
    const [r1, r2] = t.body.fields;
    const g = await call('GET', `/v1/proceduretemplates/${t.body.id}?expand=rows`);
    expect(g.body.procedureTemplate).toMatchObject({ id: t.body.id, title: 'Ladder inspection', deletedAt: null, rows: [{ id: r1.id }, { id: r2.id }] });
    expect((await call('GET', `/v1/proceduretemplates/${t.body.id}`)).body.procedureTemplate).not.toHaveProperty('rows');
    const list = await call('GET', '/v1/proceduretemplates?expand=rows');
    expect(list.body.procedureTemplates.find((x: any) => x.id === t.body.id).rows).toHaveLength(2);
    const p = await call('PATCH', `/v1/proceduretemplates/${t.body.id}`, { body: { title: 'Ladder check', fields: [{ id: r2.id, label: 'Photo of label' }, { label: 'Feet OK', type: 'YES_NO_NA' }] } });
    expect(p.status).toBe(204);
    const after = (await call('GET', `/v1/proceduretemplates/${t.body.id}?expand=rows`)).body.procedureTemplate;
    expect(after.title).toBe('Ladder check');
    expect(after.rows.map((r: any) => r.label)).toEqual(['Photo of label', 'Feet OK']);
    const row = await call('PATCH', `/v1/proceduretemplaterows/${r2.id}`, { body: { description: 'Show the serial plate' } });
    expect(row.body.row).toMatchObject({ id: r2.id, description: 'Show the serial plate' });
    const up = await call('PUT', `/v1/proceduretemplaterows/${r2.id}/attachments/plate.png`, { raw: new Uint8Array([1]), headers: { 'content-type': 'image/png' } });
    expect(up.status).toBe(201);
    expect((await call('PATCH', `/v1/proceduretemplaterows/${r2.id}`, { body: {} })).body.row.attachments).toHaveLength(1);
    expect((await call('DELETE', `/v1/proceduretemplaterows/${r2.id}/attachments`)).status).toBe(204);
    const w = await call('POST', '/v1/workorders', { body: { title: 'Inspect ladder', procedureTemplateId: t.body.id } });
    const proc = (await call('GET', `/v1/workorders/${w.body.id}`)).body.workOrder.procedure;
    expect(proc).toMatchObject({ title: 'Ladder check', templateIds: [t.body.id], fields: [{ label: 'Photo of label', procedureTemplateId: t.body.id, procedureTemplateFieldId: r2.id }, { label: 'Feet OK' }] });
    expect((await call('DELETE', `/v1/proceduretemplaterows/${r1.id}`)).body).toEqual({ error: 'procedureTemplateRow Not Found' });
    expect((await call('PATCH', '/v1/proceduretemplates/999999', { body: {} })).body).toEqual({ error: 'procedure template Not Found' });
    expect((await call('POST', '/v1/proceduretemplates', { body: { title: 'x' } })).body).toEqual({ errors: [{ error: "should have required property 'fields'", fieldPath: 'fields', fieldValue: null }] });
    expect((await call('DELETE', `/v1/proceduretemplates/${t.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/proceduretemplates/${t.body.id}`)).body).toEqual({ error: 'Not Found.' });
  });
});
