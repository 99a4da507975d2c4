/** Maintenance plans as MaintainX shows them. */
import type { Json, Row } from '../store/index.js';

export function maintenancePlanView(r: Row): Json {
  const d = r.data;
  return {
    id: r.id, name: d.name, organizationId: r.orgId, startDate: d.startDate ?? null, workOrderStartDatePadding: d.workOrderStartDatePadding ?? null,
    workOrderStartDateOffset: d.workOrderStartDateOffset, workOrderStartDateFixedDay: d.workOrderStartDateFixedDay ?? null,
    blueprintEstimatedTime: d.blueprintEstimatedTime ?? null, triggerType: d.triggerType, intervalStrategy: d.intervalStrategy, recurrence: d.recurrence,
    planningHorizon: d.planningHorizon, workOrderBlueprintId: d.workOrderBlueprintId, assets: d.assets ?? [], intervals: d.intervals ?? [],
    nextCycleOccurrence: d.nextCycleOccurrence ?? null, nextScheduledWorkOrderDueDate: d.nextScheduledWorkOrderDueDate ?? null,
    lastPlannedDueDate: d.lastPlannedDueDate ?? null, nextWorkOrderGenerationAt: d.nextWorkOrderGenerationAt ?? null,
    lastWorkOrderGeneratedAt: d.lastWorkOrderGeneratedAt ?? null, creatorId: d.creatorId, createdAt: r.createdAt,
    updatedAt: d.edited ? r.updatedAt : null, archivedAt: r.deletedAt,
  };
}
