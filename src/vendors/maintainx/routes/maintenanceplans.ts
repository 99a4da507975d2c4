/** Maintenance plans, their work-order blueprints, and work permit signatures. */
import type { Hono } from 'hono';
import { MxError } from '../errors.js';
import { actorOf, body, page, pathId, type Env, type Mx } from '../http.js';
import { createBlueprint, createPlan, deletePlan, signWorkPermit, updatePlan } from '../ops/maintenanceplans.js';
import { maintenancePlanView } from '../views/maintenanceplans.js';
import { need } from './shared.js';

export function maintenancePlanRoutes(app: Hono<Env>, mx: Mx): void {
  app.post('/maintenanceplans/workorderblueprints', async (c) => {
    const b = await body(c, 'POST /maintenanceplans/workorderblueprints');
    return c.json({ id: createBlueprint(mx, actorOf(c), b).id }, 201);
  });
  app.post('/maintenanceplans', async (c) => {
    const b = await body(c, 'POST /maintenanceplans');
    return c.json({ id: createPlan(mx, actorOf(c), b).id }, 201);
  });
  app.get('/maintenanceplans', async (c) =>
    c.json(await page(c, mx, { kind: 'maintenancePlan', listKey: 'maintenancePlans', orgIds: c.env.orgIds, present: maintenancePlanView })),
  );
  app.get('/maintenanceplans/:id', (c) => c.json({ maintenancePlan: maintenancePlanView(need(mx, c, 'maintenancePlan', 'GET /maintenanceplans/{id}')) }));
  app.patch('/maintenanceplans/:id', async (c) => {
    const row = need(mx, c, 'maintenancePlan', 'PATCH /maintenanceplans/{id}');
    const b = await body(c, 'PATCH /maintenanceplans/{id}');
    return c.json({ maintenancePlan: maintenancePlanView(updatePlan(mx, actorOf(c), row, b)) });
  });
  app.delete('/maintenanceplans/:id', (c) => {
    deletePlan(mx, need(mx, c, 'maintenancePlan', 'DELETE /maintenanceplans/{id}'));
    return c.body(null, 204);
  });

  app.post('/workPermits/:id/sign', async (c) => {
    const id = pathId(c);
    const b = await body(c, 'POST /workPermits/{id}/sign');
    const signed = signWorkPermit(mx, id, b);
    if (!signed) throw new MxError(403, { errors: [{ error: 'Forbidden', fieldPath: null, fieldValue: null }] });
    return c.json({ success: true, workPermit: { id: signed.permit.id, status: signed.permit.data.status }, workOrder: { id: signed.workOrderId, blockedByWorkPermitReason: null } }, 201);
  });
}
