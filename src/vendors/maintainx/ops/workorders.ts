/**
 * Work-order operations: create (from a body, a work request, a template), update, status, part status, comments,
 * costs, e-mails, procedure removal. Each validates everything first and writes in one transaction (`write`).
 */
import { notFound, validation } from '../errors.js';
import type { Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import type { Json, Row } from '../store/index.js';
import { categoryRef, webhookView } from '../views/webhooks.js';
import { moveStock } from './parts.js';
import { nextOccurrence } from './recurrence.js';
import { slashCommand } from './events.js';
import { pick, ref, refs, write, type Actor } from './common.js';
import { procedureFromTemplate, procedureOf } from './procedures.js';

export const STATUSES = ['OPEN', 'IN_PROGRESS', 'ON_HOLD', 'DONE', 'CANCELED', 'SKIPPED'] as const;
export const PRIORITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const PART_STATUSES = ['NO_PARTS', 'ASSIGNED', 'RESERVED', 'KITTED', 'STAGED', 'ISSUED'] as const;
const WRITABLE = ['title', 'description', 'priority', 'type', 'assetId', 'locationId', 'dueDate', 'startDate', 'estimatedTime', 'externalData', 'extraFields', 'vendorIds', 'requesterId', 'recurrenceInfo'];
/** WORK_ORDER_CHANGE `oneOfProperties` names per document field. */
const CHANGE_PROPS: Record<string, string> = {
  assetId: 'ASSET', assigneeIds: 'ASSIGNEES', categories: 'CATEGORIES', description: 'DESCRIPTION', dueDate: 'DUE_DATE',
  estimatedTime: 'ESTIMATED_TIME', extraFields: 'EXTRA_FIELDS', locationId: 'LOCATION', parts: 'PARTS', priority: 'PRIORITY',
  startDate: 'START_DATE', teamIds: 'TEAMS', title: 'TITLE', vendorIds: 'VENDORS',
};

const userByEmail = (mx: Mx, orgId: number, email: string): number | undefined => mx.store.records.find('user', orgId, { eq: '$.email', value: email })[0]?.id;

/** Validates references and turns `assignees`/`categories`/`partsUsed` into the stored document; returns the changed properties. */
function apply(mx: Mx, actor: Actor, data: Json, b: Json): string[] {
  const org = actor.orgId;
  const old = JSON.parse(JSON.stringify(data)) as Json;
  if (b.title !== undefined && String(b.title).trim() === '') {
    throw validation([{ error: 'title should not be empty', fieldPath: 'title', fieldValue: b.title as string }]);
  }
  ref(mx, org, 'asset', 'assetId', b.assetId);
  ref(mx, org, 'location', 'locationId', b.locationId);
  refs(mx, org, 'vendor', 'vendorIds', b.vendorIds);
  const input = { ...b };
  if (typeof b.requesterId === 'string') {
    const u = userByEmail(mx, org, b.requesterId);
    if (u === undefined) throw validation([{ error: 'requesterId is not valid', fieldPath: 'requesterId', fieldValue: b.requesterId }]);
    input.requesterId = u;
  } else ref(mx, org, 'user', 'requesterId', b.requesterId);
  pick(data, input, WRITABLE);
  if (b.assignees !== undefined) {
    const users: number[] = [];
    const teams: number[] = [];
    (b.assignees as Json[]).forEach((a, i) => {
      let id = a.id;
      if (typeof id === 'string') id = userByEmail(mx, org, id);
      const kind = a.type === 'TEAM' ? 'team' : 'user';
      if (typeof id !== 'number' || !mx.store.records.get(kind, id, [org])) {
        throw validation([{ error: 'assignees is not valid', fieldPath: `assignees.${i}.id`, fieldValue: typeof a.id === 'object' ? null : (a.id as any) }]);
      }
      (kind === 'team' ? teams : users).push(id);
    });
    data.assigneeIds = [...new Set(users)];
    data.teamIds = [...new Set(teams)];
  }
  if (b.partsUsed !== undefined) {
    const parts = (b.partsUsed as Json[]).map((p, i) => {
      ref(mx, org, 'part', `partsUsed.${i}.partId`, p.partId);
      return { partId: p.partId, quantityUsed: p.quantityUsed ?? 0, locationId: p.locationId ?? null, copyOnRecurring: p.copyOnRecurring ?? 'Default' };
    });
    data.parts = parts;
    if (parts.length && data.partStatus === 'NO_PARTS') data.partStatus = 'ASSIGNED';
  }
  if (b.procedure !== undefined) data.procedure = b.procedure === null ? null : procedureOf(mx, org, b.procedure as Json);
  if (b.procedureTemplateId != null) data.procedure = procedureFromTemplate(mx, org, b.procedureTemplateId as number);
  // Unknown category labels are created; this is the last step of validation-free writes.
  if (b.categories !== undefined) {
    const labels = [...new Set(b.categories as string[])];
    for (const label of labels) {
      if (mx.store.records.find('category', org, { eq: '$.label', value: label }).length === 0) mx.store.records.insert('category', org, { label, description: '' });
    }
    data.categories = labels;
  }
  return Object.keys(CHANGE_PROPS).filter((k) => JSON.stringify(old[k] ?? null) !== JSON.stringify(data[k] ?? null)).map((k) => CHANGE_PROPS[k]);
}

/** Parts used by a work order come out of stock; parts removed (or used less) go back. */
function syncStock(mx: Mx, actor: Actor, before: Json[], after: Json[]): void {
  const used = (list: Json[]) => {
    const m = new Map<number, number>();
    for (const p of list) m.set(p.partId as number, (m.get(p.partId as number) ?? 0) + Number(p.quantityUsed ?? 0));
    return m;
  };
  const a = used(before);
  const b = used(after);
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const delta = (a.get(id) ?? 0) - (b.get(id) ?? 0);
    const part = delta !== 0 ? mx.store.records.get('part', id, [actor.orgId]) : null;
    if (part) moveStock(mx, part, delta, 'WORK_ORDER', actor.userId, { skip: actor.skipWebhook });
  }
}

/** NEW_CATEGORY_ON_WORK_ORDER for the categories a write added. */
function categoryEvent(mx: Mx, actor: Actor, row: Row, before: string[]): void {
  const added = ((row.data.categories as string[]) ?? []).filter((l) => !before.includes(l));
  const newCategories = added.map((l) => categoryRef(mx, row.orgId, l)).filter((c): c is Json => c !== null);
  if (newCategories.length) mx.hooks.emit(row.orgId, 'NEW_CATEGORY_ON_WORK_ORDER', { workOrderId: row.id, newCategories }, { skip: actor.skipWebhook });
}

/** The work order `id` of the organization (by sequential id when asked), or the operation's 404. */
export function workOrderOf(mx: Mx, orgIds: number[], id: number, key: string, bySeq = false): Row {
  const row = bySeq ? mx.store.records.getBySeq('workOrder', id, orgIds) : mx.store.records.get('workOrder', id, orgIds);
  if (!row) throw notFound(notFoundMessage(key));
  return row;
}

/** POST /workorders → the new work order. */
export function createWorkOrder(mx: Mx, actor: Actor, b: Json): Row {
  const org = actor.orgId;
  if (b.isParent === true && b.parentId != null) {
    throw validation([{ error: 'isParent and parentId are mutually exclusive', fieldPath: 'parentId', fieldValue: b.parentId as number }]);
  }
  return write(mx, () => {
    ref(mx, org, 'workOrder', 'parentId', b.parentId);
    let request: Row | null = null;
    if (b.workRequestId != null) {
      request = mx.store.records.get('workRequest', b.workRequestId as number, [org]);
      if (!request || request.data.workOrderId != null || request.data.requestStatus !== 'PENDING') {
        throw validation([{ error: 'workRequestId is not valid', fieldPath: 'workRequestId', fieldValue: b.workRequestId as number }]);
      }
    }
    const data: Json = {
      status: 'OPEN', priority: 'NONE', partStatus: 'NO_PARTS', creatorId: actor.userId, assigneeIds: [], teamIds: [], categories: [],
      vendorIds: [], extraFields: {}, isParent: b.isParent === true, parentId: b.parentId ?? null,
    };
    if (b.repeatability !== undefined) data.recurrenceInfo = b.repeatability;
    apply(mx, actor, data, b);
    if (request) data.workRequestId = request.id;
    const row = mx.store.records.insert('workOrder', org, data, { seq: mx.store.records.nextSeq(org, 'workOrder'), parentId: (b.parentId as number) ?? null });
    syncStock(mx, actor, [], (data.parts as Json[]) ?? []);
    if (request) setRequestStatus(mx, request, 'APPROVED', { workOrderId: row.id }, actor.skipWebhook);
    if (b.parentId != null) {
      const parent = mx.store.records.get('workOrder', b.parentId as number, [org])!;
      if (!parent.data.isParent) mx.store.records.update(parent, { ...parent.data, isParent: true });
    }
    mx.hooks.emit(org, 'NEW_WORK_ORDER', { workOrderId: row.id, newWorkOrder: webhookView(mx, row) }, { skip: actor.skipWebhook || b.skipRestHook === true });
    categoryEvent(mx, actor, row, []);
    return row;
  });
}

/** A work order generated from a (meter trigger's) work order template. Template `dueDate.offset` is in seconds. */
export function createFromTemplate(mx: Mx, org: number, template: Row, title: string, skip = false): Row {
  return write(mx, () => {
    const t = (template.data.data ?? {}) as Json;
    const now = mx.ctx.clock.nowMs();
    const due = t.dueDate as { type?: string; offset?: number } | null | undefined;
    const data: Json = {
      title: title ?? template.data.title ?? 'Meter trigger', status: 'OPEN', priority: t.priority ?? 'NONE', partStatus: 'NO_PARTS', creatorId: template.data.creatorId ?? null,
      description: t.description ?? null, assetId: t.assetId ?? null, locationId: t.locationId ?? null, assigneeIds: t.assigneeIds ?? [], teamIds: t.teamIds ?? [],
      vendorIds: t.vendorIds ?? [], categories: [], extraFields: {}, isParent: false, parentId: null, meterTriggered: true,
      dueDate: due && typeof due.offset === 'number' ? new Date(now + due.offset * 1000).toISOString() : null,
    };
    if (Array.isArray(t.partsUsed) && t.partsUsed.length) {
      data.parts = (t.partsUsed as Json[]).map((p) => ({ partId: p.partId, quantityUsed: p.quantityUsed ?? 0, locationId: p.locationId ?? null, copyOnRecurring: 'Default' }));
      data.partStatus = 'ASSIGNED';
    }
    if (typeof template.data.procedureTemplateId === 'number' && mx.store.records.get('procedureTemplate', template.data.procedureTemplateId, [org])) {
      data.procedure = procedureFromTemplate(mx, org, template.data.procedureTemplateId);
    } else if (t.procedure) data.procedure = procedureOf(mx, org, t.procedure as Json);
    const row = mx.store.records.insert('workOrder', org, data, { seq: mx.store.records.nextSeq(org, 'workOrder') });
    mx.hooks.emit(org, 'NEW_WORK_ORDER', { workOrderId: row.id, newWorkOrder: webhookView(mx, row) }, { skip });
    return row;
  });
}

/** The next work order of a recurring one (once: a work order has at most one next). */
function spawnNext(mx: Mx, actor: Actor, row: Row, dueAt?: Date): Row {
  const rule = row.data.recurrenceInfo as Json | null | undefined;
  if (!rule || typeof row.data.nextId === 'number') return row;
  const base = new Date((row.data.dueDate as string | null) ?? mx.store.nowIso());
  const due = dueAt ?? nextOccurrence(rule, base);
  if (!due) return row;
  const shift = due.getTime() - base.getTime();
  const d = row.data;
  const parts = ((d.parts as Json[]) ?? []).filter((p) => p.copyOnRecurring !== 'NoCopy');
  const data: Json = {
    title: d.title, description: d.description ?? null, priority: d.priority ?? 'NONE', type: d.type ?? null, status: 'OPEN',
    partStatus: parts.length ? 'ASSIGNED' : 'NO_PARTS', creatorId: d.creatorId ?? null, assetId: d.assetId ?? null, locationId: d.locationId ?? null,
    assigneeIds: d.assigneeIds ?? [], teamIds: d.teamIds ?? [], categories: d.categories ?? [], vendorIds: d.vendorIds ?? [], extraFields: d.extraFields ?? {},
    estimatedTime: d.estimatedTime ?? null, isParent: false, parentId: null, recurrenceInfo: rule, previousId: row.id, parts,
    dueDate: due.toISOString(), startDate: typeof d.startDate === 'string' ? new Date(Date.parse(d.startDate) + shift).toISOString() : null,
  };
  const next = mx.store.records.insert('workOrder', row.orgId, data, { seq: mx.store.records.nextSeq(row.orgId, 'workOrder') });
  syncStock(mx, actor, [], parts);
  mx.hooks.emit(row.orgId, 'NEW_WORK_ORDER', { workOrderId: next.id, newWorkOrder: webhookView(mx, next) }, { skip: actor.skipWebhook });
  return mx.store.records.update(row, { ...row.data, nextId: next.id }, false);
}

/**
 * `automationMeterTrigger` recurrences: a reading of the meter that moved by a condition's value since
 * `lastTriggerValue` (the first reading sets it) creates the next work order of the chain, due
 * `newDueDateOffsetSeconds` after now. Call inside `write`.
 */
export function meterRecurrences(mx: Mx, meter: Row, value: number, skip: boolean): void {
  const chain = mx.store.records.find('workOrder', meter.orgId, { eq: '$.recurrenceInfo.automationMeterTrigger.automationTriggerInput.meterId', value: meter.id }, { isNull: '$.nextId' });
  for (const wo of chain) {
    const rule = wo.data.recurrenceInfo as Json;
    const auto = rule.automationMeterTrigger as Json;
    const last = auto.lastTriggerValue as number | undefined;
    const conditions = ((auto.automationTriggerInput as Json).conditions as Json[]) ?? [];
    const fires =
      typeof last === 'number' &&
      conditions.some((c) => (c.operator === 'increasedBy' ? value - last >= Number(c.value) : c.operator === 'decreasedBy' ? last - value >= Number(c.value) : false));
    if (typeof last === 'number' && !fires) continue;
    const withLast = { ...rule, automationMeterTrigger: { ...auto, lastTriggerValue: value } };
    const row = mx.store.records.update(wo, { ...wo.data, recurrenceInfo: withLast }, false);
    if (!fires) continue;
    const offset = Number(auto.newDueDateOffsetSeconds ?? 0);
    spawnNext(mx, { orgId: wo.orgId, userId: (wo.data.creatorId as number) ?? 0, skipWebhook: skip }, row, new Date(mx.ctx.clock.nowMs() + offset * 1000));
  }
}

/** PATCH /workorders/{id}. */
export function updateWorkOrder(mx: Mx, actor: Actor, row: Row, b: Json): Row {
  return write(mx, () => {
    const data = { ...row.data };
    const oldAssignees = (row.data.assigneeIds as number[]) ?? [];
    const oldTeams = (row.data.teamIds as number[]) ?? [];
    const changed = apply(mx, actor, data, b);
    const updated = mx.store.records.update(row, data);
    syncStock(mx, actor, (row.data.parts as Json[]) ?? [], (data.parts as Json[]) ?? []);
    categoryEvent(mx, actor, updated, (row.data.categories as string[]) ?? []);
    if (changed.length) {
      const a = (data.assigneeIds as number[]) ?? [];
      const t = (data.teamIds as number[]) ?? [];
      mx.hooks.emit(
        row.orgId,
        'WORK_ORDER_CHANGE',
        {
          workOrderId: row.id,
          newWorkOrder: webhookView(mx, updated),
          addedAssigneeIds: a.filter((x) => !oldAssignees.includes(x)),
          removedAssigneeIds: oldAssignees.filter((x) => !a.includes(x)),
          addedTeamIds: t.filter((x) => !oldTeams.includes(x)),
          removedTeamIds: oldTeams.filter((x) => !t.includes(x)),
        },
        { skip: actor.skipWebhook, changed },
      );
    }
    return updated;
  });
}

export function deleteWorkOrder(mx: Mx, actor: Actor, row: Row): void {
  write(mx, () => {
    mx.store.records.softDelete(row);
    mx.hooks.emit(row.orgId, 'WORK_ORDER_DELETE', { workOrderId: row.id, WorkOrder: webhookView(mx, row) }, { skip: actor.skipWebhook });
  });
}

export function setWorkOrderStatus(mx: Mx, actor: Actor, row: Row, status: string): Row {
  return write(mx, () => {
    const data: Json = { ...row.data, status };
    const now = mx.store.nowIso();
    if (status === 'DONE' && row.data.status !== 'DONE') {
      data.completedAt = now;
      data.completerId = actor.userId;
    }
    if (status === 'IN_PROGRESS' && !row.data.startedAt) data.startedAt = now;
    let updated = mx.store.records.update(row, data, true, now);
    if (status === 'DONE' && row.data.status !== 'DONE') updated = spawnNext(mx, actor, updated);
    if (typeof row.data.workRequestId === 'number' && status === 'DONE') {
      const request = mx.store.records.get('workRequest', row.data.workRequestId, [row.orgId]);
      if (request) setRequestStatus(mx, request, 'DONE', {}, actor.skipWebhook);
    }
    if (row.data.status !== status) {
      const main = (s: unknown) => (s === 'CANCELED' || s === 'SKIPPED' ? 'DONE' : s);
      const sub = (s: unknown) => (s === 'CANCELED' || s === 'SKIPPED' ? s : undefined);
      mx.hooks.emit(
        row.orgId,
        'WORK_ORDER_STATUS_CHANGE',
        {
          workOrderId: row.id,
          oldStatus: main(row.data.status),
          newStatus: main(status),
          ...(sub(row.data.status) ? { oldSubStatus: sub(row.data.status) } : {}),
          ...(sub(status) ? { newSubStatus: sub(status) } : {}),
          userId: actor.userId,
          newWorkOrder: webhookView(mx, updated),
        },
        { skip: actor.skipWebhook },
      );
    }
    return updated;
  });
}

export function setWorkOrderPartStatus(mx: Mx, actor: Actor, row: Row, partStatus: string): Row {
  return write(mx, () => {
    const updated = mx.store.records.update(row, { ...row.data, partStatus });
    if (row.data.partStatus !== partStatus) {
      mx.hooks.emit(
        row.orgId,
        'WORK_ORDER_PART_STATUS_CHANGE',
        { workOrderId: row.id, oldPartStatus: row.data.partStatus, newPartStatus: partStatus, newWorkOrder: webhookView(mx, updated) },
        { skip: actor.skipWebhook },
      );
    }
    return updated;
  });
}

export function addWorkOrderComment(mx: Mx, actor: Actor, row: Row, content: string): Row {
  if (String(content).trim() === '') throw validation([{ error: 'content should not be empty', fieldPath: 'content', fieldValue: content }]);
  return write(mx, () => {
    const comment = mx.store.records.insert('woComment', row.orgId, { authorId: actor.userId, content }, { parentId: row.id });
    // Comments do not bump updatedAt (spec: "This doesn't include comments"); they set lastMessageSentAt.
    mx.store.records.update(row, { ...row.data, lastMessageSentAt: comment.createdAt }, false);
    mx.hooks.emit(
      row.orgId,
      'NEW_COMMENT_ON_WORK_ORDER',
      { workOrderId: row.id, type: 'COMMENT', comment: content, url: `https://app.getmaintainx.com/workorders/${row.id}` },
      { skip: actor.skipWebhook },
    );
    slashCommand(mx, row.orgId, actor.userId, comment.id, content, { id: row.id, type: 'WORK_ORDER', name: row.data.title as string }, actor.skipWebhook);
    return comment;
  });
}

export function workOrderCosts(mx: Mx, row: Row): Json[] {
  return mx.store.records.children('woCost', row.id).map((r) => ({ id: r.id, ...r.data }));
}

/** POST /workorders/{id}/costs → the cost row and the new total. */
export function addWorkOrderCost(mx: Mx, actor: Actor, row: Row, b: Json): { id: number; cost: Json; total: number } {
  let cost: Json;
  if (b.type === 'EXPENSE') {
    const cpu = (b.costPerUnit as number | null) ?? 0;
    cost = { type: 'EXPENSE', costType: b.costType, costPerUnit: cpu, description: b.description ?? null, quantity: 1, rowTotal: cpu, durationTotal: 0, userId: actor.userId, partId: null };
  } else {
    const seconds = (b.durationTotal as number | null) ?? 0;
    const rate = (b.hourlyRate as number | null) ?? 0;
    const hours = seconds / 3600;
    cost = { type: 'TIME', costType: b.costType, costPerUnit: rate, description: b.description ?? null, quantity: hours, rowTotal: Math.round(hours * rate), durationTotal: seconds, userId: actor.userId, partId: null };
  }
  return write(mx, () => {
    const r = mx.store.records.insert('woCost', row.orgId, cost, { parentId: row.id });
    const all = workOrderCosts(mx, row);
    const total = all.reduce((s, x) => s + (x.rowTotal as number), 0);
    mx.store.records.update(row, row.data);
    mx.hooks.emit(row.orgId, 'WORK_ORDER_CHANGE', { workOrderId: row.id, newWorkOrder: { ...webhookView(mx, row), costs: all } }, { skip: actor.skipWebhook, changed: ['COSTS'] });
    return { id: r.id, cost, total };
  });
}

export function emailWorkOrder(mx: Mx, actor: Actor, row: Row, b: Json): Row {
  const emails = (b.emails as string[] | undefined) ?? [];
  const bad = emails.findIndex((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (emails.length === 0 || bad >= 0) {
    throw validation([{ error: 'An error occurred while sending the email', fieldPath: 'emails', fieldValue: bad >= 0 ? emails[bad] : null }]);
  }
  // No mail leaves the fake: the email is recorded (with the work order) and acknowledged.
  return write(mx, () =>
    mx.store.records.insert('woEmail', row.orgId, { emails, customMessage: b.customMessage ?? null, exportOptions: b.exportOptions ?? null, senderId: actor.userId }, { parentId: row.id }),
  );
}

export function deleteWorkOrderProcedure(mx: Mx, row: Row): void {
  if (!row.data.procedure) throw notFound(notFoundMessage('DELETE /workorders/{id}/procedure'));
  write(mx, () => {
    const fields = (row.data.procedure as Json).fields as Json[];
    fields.forEach((_, i) => mx.store.files.deleteSlot(row.id, `procedure:${i}`));
    mx.store.records.update(row, { ...row.data, procedure: null });
  });
}

/** Moves a work request to `status` and emits WORK_REQUEST_STATUS_CHANGE. */
export function setRequestStatus(mx: Mx, row: Row, status: 'PENDING' | 'REJECTED' | 'APPROVED' | 'DONE', patch: Json = {}, skip = false): void {
  const old = row.data.requestStatus;
  mx.store.records.update(row, { ...row.data, ...patch, requestStatus: status });
  if (old !== status) mx.hooks.emit(row.orgId, 'WORK_REQUEST_STATUS_CHANGE', { requestId: row.id, oldStatus: old, newStatus: status }, { skip });
}
