/** Maintenance plans, work-order blueprints and work permit signatures: the spec's shapes and statuses (16 §2). */
import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

describe('maintainx maintenance plans', () => {
  const { call } = makeSuite({ rateLimit: false });

  it('blueprint → plan: create 201 {id}, get, list, patch (assets, intervals), delete; 400s and 404s from the spec', async () => {
    const asset = (await call('GET', '/v1/assets?limit=1')).body.assets[0].id;
    const bp = await call('POST', '/v1/maintenanceplans/workorderblueprints', { body: { title: 'Quarterly PM', estimatedTime: 3600, priority: 'HIGH' } });
    expect(bp.status).toBe(201);
    expect(bp.body).toEqual({ id: expect.any(Number) });
    const bad = await call('POST', '/v1/maintenanceplans/workorderblueprints', { body: { title: 'x', userIds: [999999] } });
    expect(bad.body).toEqual({ errors: [{ error: 'userIds is not valid', fieldPath: 'userIds.0', fieldValue: 999999 }] });
    const body = {
      name: 'Compressor PM', recurrence: { type: 'WEEKLY', interval: 2, days: ['MONDAY'] }, startDate: '2027-01-04T08:00:00.000Z',
      workOrderBlueprintId: bp.body.id, planningHorizon: { value: 3, unit: 'MONTH' }, planAssets: [{ assetId: asset }], intervals: [{ interval: 4, workOrderBlueprintId: bp.body.id }],
    };
    const plan = await call('POST', '/v1/maintenanceplans', { body });
    expect(plan.status).toBe(201);
    const g = await call('GET', `/v1/maintenanceplans/${plan.body.id}`);
    expect(g.body.maintenancePlan).toMatchObject({
      id: plan.body.id, name: 'Compressor PM', organizationId: 1, triggerType: 'CALENDAR', intervalStrategy: 'FIXED', recurrence: body.recurrence,
      blueprintEstimatedTime: 3600, assets: [{ id: expect.any(Number), assetId: asset }], intervals: [{ id: expect.any(Number), interval: 4, workOrderBlueprintId: bp.body.id }],
      nextScheduledWorkOrderDueDate: body.startDate, creatorId: 1, updatedAt: null, archivedAt: null,
    });
    const list = await call('GET', '/v1/maintenanceplans?limit=200');
    expect(list.body.maintenancePlans.map((p: any) => p.id)).toContain(plan.body.id);
    const planAsset = g.body.maintenancePlan.assets[0].id;
    const interval = g.body.maintenancePlan.intervals[0].id;
    const p = await call('PATCH', `/v1/maintenanceplans/${plan.body.id}`, {
      body: { name: 'Compressor PM v2', removedPlanAssetIds: [planAsset], addedUpdatedIntervals: [{ id: interval, interval: 8, workOrderBlueprintId: bp.body.id }] },
    });
    expect(p.body.maintenancePlan).toMatchObject({ name: 'Compressor PM v2', assets: [], intervals: [{ id: interval, interval: 8 }], updatedAt: expect.any(String) });
    expect((await call('PATCH', `/v1/maintenanceplans/${plan.body.id}`, { body: { removedIntervalIds: [424242] } })).status).toBe(400);
    expect((await call('POST', '/v1/maintenanceplans', { body: { ...body, workOrderBlueprintId: 999999 } })).body.errors[0]).toMatchObject({ error: 'workOrderBlueprintId is not valid' });
    expect((await call('DELETE', `/v1/maintenanceplans/${plan.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/maintenanceplans/${plan.body.id}`)).body).toEqual({ error: 'Not Found.' });
    expect((await call('PATCH', `/v1/maintenanceplans/${plan.body.id}`, { body: {} })).body).toEqual({ error: 'maintenance plan Not Found' });
    expect((await call('DELETE', `/v1/maintenanceplans/${plan.body.id}`)).body).toEqual({ error: 'maintenancePlan Not Found' });
  });

  it('work permits are signed through their external link, without an API key; a wrong link is 403 Forbidden', async () => {
    const wo = (await call('POST', '/v1/workorders', { body: { title: 'Hot work' } })).body.id;
    const permit = (await call('POST', '/__admin/work-permits', { key: null, body: { work_order_id: wo } })).body;
    expect(permit).toMatchObject({ id: expect.any(Number), work_order_id: wo, status: 'PENDING', externalLinkUuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const wrong = await call('POST', `/v1/workPermits/${permit.id}/sign`, { key: null, body: { externalLinkUuid: '00000000-0000-4000-8000-000000000000', signerName: 'Eve' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ errors: [{ error: 'Forbidden', fieldPath: null, fieldValue: null }] });
    const ok = await call('POST', `/v1/workPermits/${permit.id}/sign`, { key: null, body: { externalLinkUuid: permit.externalLinkUuid, signerName: 'John Doe' } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ success: true, workPermit: { id: permit.id, status: 'APPROVED' }, workOrder: { id: wo, blockedByWorkPermitReason: null } });
    expect((await call('POST', `/v1/workPermits/${permit.id}/sign`, { key: null, body: { externalLinkUuid: permit.externalLinkUuid } })).status).toBe(400);
  });
});
