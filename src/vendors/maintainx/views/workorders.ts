/** Work orders as MaintainX shows them: the list item and the single object, with their expansions; comments. */
import type { Mx } from '../http.js';
import { workOrderCosts } from '../ops/workorders.js';
import type { Json, Row } from '../store/index.js';
import { embedAssetAndLocation, filesView } from './common.js';

/** A work order (GET /workorders/{id} with `mode` one; a list item with `mode` list), with what `expand` asks for. */
export function workOrderView(mx: Mx, origin: string, row: Row, expand: Set<string>, mode: 'list' | 'one'): Json {
  const d = row.data;
  const one = mode === 'one';
  // List items are the single-GET object minus attachments/progress (the list schema also leaves out assetId,
  // assigneeIds, teamIds, isParent, parentId and externalData: a gap in the spec, see docs/fidelity.md).
  const o: Json = {
    id: row.id,
    sequentialId: row.seq,
    organizationId: row.orgId,
    title: d.title,
    status: d.status,
    priority: d.priority,
    description: d.description ?? null,
    type: d.type ?? null,
    assetId: d.assetId ?? null,
    locationId: d.locationId ?? null,
    assigneeIds: d.assigneeIds ?? [],
    teamIds: d.teamIds ?? [],
    categories: d.categories ?? [],
    ...(one || expand.has('vendor_ids') ? { vendorIds: d.vendorIds ?? [] } : {}),
    dueDate: d.dueDate ?? null,
    dueDateIsFullDay: d.dueDateIsFullDay ?? false,
    startDate: d.startDate ?? null,
    completedAt: d.completedAt ?? null,
    completerId: d.completerId ?? null,
    creatorId: d.creatorId ?? null,
    requesterId: d.requesterId ?? null,
    parentId: d.parentId ?? null,
    isParent: d.isParent ?? false,
    partStatus: d.partStatus,
    lastMessageSentAt: d.lastMessageSentAt ?? null,
    recurrenceInfo: d.recurrenceInfo ?? null,
    previousId: d.previousId ?? null,
    nextId: d.nextId ?? null,
    externalData: d.externalData ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
  if (mode === 'one') {
    const files = filesView(mx, origin, row);
    o.attachments = files.attachments;
    o.thumbnail = files.thumbnail;
    o.progress = progress(mx, row);
  } else if (expand.has('thumbnail')) {
    const t = filesView(mx, origin, row).thumbnail;
    if (t) o.thumbnail = t;
  }
  if (expand.has('estimated_time')) o.estimatedTime = d.estimatedTime ?? null;
  if (expand.has('extra_fields')) o.extraFields = d.extraFields ?? {};
  if (expand.has('assignees')) {
    o.assignees = [
      ...((d.assigneeIds as number[]) ?? []).map((id) => ({ type: 'USER', id })),
      ...((d.teamIds as number[]) ?? []).map((id) => ({ type: 'TEAM', id })),
    ];
  }
  embedAssetAndLocation(mx, o, row, expand, true);
  if (expand.has('parts')) {
    o.parts = ((d.parts as Json[]) ?? []).map((p) => {
      const part = mx.store.records.get('part', p.partId as number, [row.orgId]);
      const d = part?.data ?? {};
      return {
        id: p.partId, name: d.name ?? '', description: d.description ?? null, area: d.area ?? null, unitCost: d.unitCost ?? null,
        availableQuantity: d.availableQuantity ?? 0, minimumQuantity: d.minimumQuantity ?? 0, barcode: d.barcode ?? null,
        quantityUsed: p.quantityUsed ?? 0, copyOnRecurring: p.copyOnRecurring ?? 'Default', locationId: p.locationId ?? null,
        ...(expand.has('part_extra_fields') ? { partExtraFields: d.extraFields ?? {} } : {}),
      };
    });
  }
  if ((one || expand.has('procedure')) && d.procedure) o.procedure = procedureView(mx, origin, row);
  if (expand.has('times')) o.times = [];
  if (expand.has('time_items')) o.timeItems = workOrderCosts(mx, row).filter((r) => r.type === 'TIME');
  if (expand.has('expenditures')) o.expenditures = workOrderCosts(mx, row).filter((r) => r.type === 'EXPENSE');
  return o;
}

function procedureView(mx: Mx, origin: string, row: Row): Json {
  const proc = row.data.procedure as Json;
  const files = filesView(mx, origin, row).byField;
  return {
    ...proc,
    fields: (proc.fields as Json[]).map((f, i) => (files.has(i) ? { ...f, value: { ...(f.value as Json), attachment: files.get(i) } } : f)),
  };
}

function progress(mx: Mx, row: Row): Json {
  const subs = mx.store.records.children('workOrder', row.id);
  const n = (s: string) => subs.filter((r) => r.data.status === s).length;
  return { openCount: n('OPEN'), inProgressCount: n('IN_PROGRESS'), onHoldCount: n('ON_HOLD'), doneCount: n('DONE') };
}


/** The single-GET work-order object (for other resources that embed it). */
export const fullWorkOrderView = (mx: Mx, origin: string, row: Row): Json => workOrderView(mx, origin, row, new Set(), 'one');

export const commentView = (r: Row): Json => ({ id: r.id, authorId: r.data.authorId, content: r.data.content, createdAt: r.createdAt });
