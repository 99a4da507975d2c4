/** Meter triggers and their work order templates. */
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { filesView } from './common.js';

/** A meter trigger (GET /metertriggers/{id}), with its work order template when expanded. */
export function meterTriggerView(mx: Mx, origin: string, t: Row, expand: Set<string>): Json {
  const d = t.data;
  const o: Json = {
    id: t.id, meterId: d.meterId, organizationId: t.orgId, amount: d.amount, condition: d.condition, createdAt: t.createdAt, creatorId: d.creatorId,
    dataPoints: d.dataPoints ?? null, deletedAt: t.deletedAt, description: d.description ?? null, minDateForProcessing: d.minDateForProcessing ?? null,
    name: d.name, nextTriggerValue: d.nextTriggerValue ?? null, period: d.period ?? null, state: d.state, updatedAt: t.updatedAt,
    workOrderTemplateId: d.workOrderTemplateId ?? null,
  };
  if (expand.has('work_order_template') && typeof d.workOrderTemplateId === 'number') {
    const w = mx.store.records.get('woTemplate', d.workOrderTemplateId, [t.orgId]);
    if (w) o.workOrderTemplate = triggerTemplateView(mx, origin, w);
  }
  return o;
}

/** A work order template as a meter trigger shows it. */
export function triggerTemplateView(mx: Mx, origin: string, w: Row): Json {
  const files = filesView(mx, origin, w);
  return {
    id: w.id, createdAt: w.createdAt, creatorId: w.data.creatorId ?? null, deletedAt: w.deletedAt, organizationId: w.orgId,
    procedureTemplateId: w.data.procedureTemplateId ?? null, title: w.data.title, updatedAt: w.updatedAt,
    data: { ...(w.data.data as Json), attachmentIds: files.attachments.map((a) => a.id) },
  };
}

export const meterTriggerItemView = (t: Row): Json => ({ id: t.id, name: t.data.name, meterId: t.data.meterId });
