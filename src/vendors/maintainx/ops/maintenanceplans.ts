/**
 * Maintenance plans and their work-order blueprints (stored as the spec describes; views/maintenanceplans.ts presents
 * them), and work permits signed through their external link. Plans do not generate work orders (see docs/fidelity.md).
 */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { ref, refs, write, type Actor } from './common.js';

const bad = (field: string, value: unknown) => validation([{ error: `${field} is not valid`, fieldPath: field, fieldValue: typeof value === 'object' ? null : (value as any) }]);

export function createBlueprint(mx: Mx, actor: Actor, b: Json): Row {
  const org = actor.orgId;
  refs(mx, org, 'procedureTemplate', 'procedureBlueprintIds', b.procedureBlueprintIds);
  refs(mx, org, 'user', 'userIds', b.userIds);
  refs(mx, org, 'team', 'teamIds', b.teamIds);
  refs(mx, org, 'vendor', 'vendorIds', b.vendorIds);
  refs(mx, org, 'category', 'tagIds', b.tagIds);
  ((b.partsUsed as Json[]) ?? []).forEach((p, i) => ref(mx, org, 'part', `partsUsed.${i}.partId`, p.partId));
  ((b.customFieldValues as Json[]) ?? []).forEach((v, i) => ref(mx, org, 'customField', `customFieldValues.${i}.workOrderFieldId`, v.workOrderFieldId));
  if (String(b.title).trim() === '') throw validation([{ error: 'title should not be empty', fieldPath: 'title', fieldValue: b.title as string }]);
  return write(mx, () =>
    mx.store.records.insert('woBlueprint', org, {
      title: b.title, description: b.description ?? null, estimatedTime: b.estimatedTime ?? null, procedureBlueprintIds: b.procedureBlueprintIds ?? [],
      userIds: b.userIds ?? [], teamIds: b.teamIds ?? [], priority: b.priority ?? 'NONE', partsUsed: b.partsUsed ?? [], tagIds: b.tagIds ?? [],
      vendorIds: b.vendorIds ?? [], customFieldValues: b.customFieldValues ?? [], creatorId: actor.userId,
    }),
  );
}

function blueprint(mx: Mx, org: number, field: string, id: unknown): Row {
  const r = typeof id === 'number' ? mx.store.records.get('woBlueprint', id, [org]) : null;
  if (!r) throw bad(field, id);
  return r;
}

function planAssets(mx: Mx, org: number, field: string, list: Json[] | undefined): Json[] {
  return (list ?? []).map((a, i) => {
    ref(mx, org, 'asset', `${field}.${i}.assetId`, a.assetId);
    return { id: mx.store.records.nextSeq(org, 'planAsset'), assetId: a.assetId };
  });
}

export function createPlan(mx: Mx, actor: Actor, b: Json): Row {
  const org = actor.orgId;
  if (String(b.name).trim() === '') throw validation([{ error: 'name should not be empty', fieldPath: 'name', fieldValue: b.name as string }]);
  return write(mx, () => {
    const main = blueprint(mx, org, 'workOrderBlueprintId', b.workOrderBlueprintId);
    const intervals = ((b.intervals as Json[]) ?? []).map((x, i) => {
      blueprint(mx, org, `intervals.${i}.workOrderBlueprintId`, x.workOrderBlueprintId);
      return { id: mx.store.records.nextSeq(org, 'planInterval'), interval: x.interval, workOrderBlueprintId: x.workOrderBlueprintId };
    });
    return mx.store.records.insert('maintenancePlan', org, {
      name: b.name, startDate: b.startDate ?? null, workOrderStartDatePadding: b.workOrderStartDatePadding ?? null,
      workOrderStartDateOffset: b.workOrderStartDateOffset ?? { value: 0, unit: 'DAY' }, workOrderStartDateFixedDay: null,
      blueprintEstimatedTime: main.data.estimatedTime ?? null, triggerType: 'CALENDAR', intervalStrategy: 'FIXED', recurrence: b.recurrence,
      planningHorizon: b.planningHorizon, workOrderBlueprintId: main.id, assets: planAssets(mx, org, 'planAssets', b.planAssets as Json[] | undefined), intervals,
      nextCycleOccurrence: b.nextCycleOccurrence ?? null, nextScheduledWorkOrderDueDate: b.startDate ?? null, lastPlannedDueDate: null,
      nextWorkOrderGenerationAt: null, lastWorkOrderGeneratedAt: null, creatorId: actor.userId, edited: false,
    });
  });
}

export function updatePlan(mx: Mx, actor: Actor, row: Row, b: Json): Row {
  const org = actor.orgId;
  if (b.name !== undefined && String(b.name).trim() === '') throw validation([{ error: 'name should not be empty', fieldPath: 'name', fieldValue: b.name as string }]);
  return write(mx, () => {
    const d: Json = { ...row.data, edited: true };
    for (const k of ['name', 'recurrence', 'startDate', 'workOrderStartDatePadding', 'workOrderStartDateOffset', 'planningHorizon', 'nextCycleOccurrence']) if (b[k] !== undefined) d[k] = b[k];
    if (b.workOrderBlueprintId !== undefined) {
      const main = blueprint(mx, org, 'workOrderBlueprintId', b.workOrderBlueprintId);
      d.workOrderBlueprintId = main.id;
      d.blueprintEstimatedTime = main.data.estimatedTime ?? null;
    }
    if (b.nextWorkOrderToGenerateDueDate !== undefined) d.nextScheduledWorkOrderDueDate = b.nextWorkOrderToGenerateDueDate;
    let assets = (d.assets as Json[]) ?? [];
    for (const id of (b.removedPlanAssetIds as number[]) ?? []) {
      if (!assets.some((a) => a.id === id)) throw bad('removedPlanAssetIds', id);
      assets = assets.filter((a) => a.id !== id);
    }
    d.assets = [...assets, ...planAssets(mx, org, 'addedPlanAssets', b.addedPlanAssets as Json[] | undefined)];
    let intervals = (d.intervals as Json[]) ?? [];
    for (const id of (b.removedIntervalIds as number[]) ?? []) {
      if (!intervals.some((x) => x.id === id)) throw bad('removedIntervalIds', id);
      intervals = intervals.filter((x) => x.id !== id);
    }
    ((b.addedUpdatedIntervals as Json[]) ?? []).forEach((x, i) => {
      blueprint(mx, org, `addedUpdatedIntervals.${i}.workOrderBlueprintId`, x.workOrderBlueprintId);
      if (typeof x.id === 'number') {
        if (!intervals.some((y) => y.id === x.id)) throw bad(`addedUpdatedIntervals.${i}.id`, x.id);
        intervals = intervals.map((y) => (y.id === x.id ? { id: y.id, interval: x.interval, workOrderBlueprintId: x.workOrderBlueprintId } : y));
      } else intervals = [...intervals, { id: mx.store.records.nextSeq(org, 'planInterval'), interval: x.interval, workOrderBlueprintId: x.workOrderBlueprintId }];
    });
    d.intervals = intervals;
    return mx.store.records.update(row, d);
  });
}

export function deletePlan(mx: Mx, row: Row): void {
  write(mx, () => mx.store.records.softDelete(row));
}

/**
 * POST /workPermits/{id}/sign: anyone holding the permit's external link signs it (no API key, spec `security: []`);
 * an unknown permit or a link of another permit is 403 Forbidden (the spec documents no 404). One signature approves
 * the permit and unblocks its work order.
 */
export function signWorkPermit(mx: Mx, id: number, b: Json): { permit: Row; workOrderId: number } | null {
  return write(mx, () => {
    const permit = mx.store.records.getAnyOrg('workPermit', id);
    if (!permit || permit.data.externalLinkUuid !== b.externalLinkUuid) return null;
    if (String(b.signerName).trim() === '') throw validation([{ error: 'signerName should not be empty', fieldPath: 'signerName', fieldValue: b.signerName as string }]);
    const signatures = [...((permit.data.signatures as Json[]) ?? []), { signerName: b.signerName, signedAt: mx.store.nowIso() }];
    const updated = mx.store.records.update(permit, { ...permit.data, status: 'APPROVED', signatures });
    return { permit: updated, workOrderId: permit.data.workOrderId as number };
  });
}

/** Control plane: a work permit on a work order, pending its signature through the returned external link. */
export function createWorkPermit(mx: Mx, workOrder: Row): Row {
  return write(mx, () => mx.store.records.insert('workPermit', workOrder.orgId, { workOrderId: workOrder.id, status: 'PENDING', externalLinkUuid: mx.ctx.rng.uuid(), signatures: [] }));
}
