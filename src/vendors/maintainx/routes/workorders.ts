/** Work orders: CRUD, status, part status, comments, costs, sub-work-orders, attachments. */
import type { Hono } from 'hono';
import { notFound, validation } from '../errors.js';
import { body, orgOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import {
  boolParam,
  enumList,
  expandParam,
  intList,
  one,
  sortParam,
  stringList,
} from '../query.js';
import type { Json, Row } from '../store.js';
import { setRequestStatus } from './workrequests.js';
import { procedureFromTemplate } from './procedures.js';
import { attachmentRoutes, attachmentsOf, dateFilters, embedAssetAndLocation, pick, ref, refs, skip, storeUpload } from './shared.js';

export const STATUSES = ['OPEN', 'IN_PROGRESS', 'ON_HOLD', 'DONE', 'CANCELED', 'SKIPPED'] as const;
export const PRIORITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const PART_STATUSES = ['NO_PARTS', 'ASSIGNED', 'RESERVED', 'KITTED', 'STAGED', 'ISSUED'] as const;
const LIST_EXPAND = ['thumbnail', 'assignees', 'categories', 'parts', 'asset', 'location', 'procedure', 'vendor_ids', 'times', 'time_items', 'expenditures', 'extra_fields', 'part_extra_fields', 'asset_extra_fields', 'location_extra_fields', 'estimated_time'];
const GET_EXPAND = ['assignees', 'asset', 'estimated_time', 'location', 'parts', 'times', 'time_items', 'expenditures', 'extra_fields', 'part_extra_fields', 'asset_extra_fields', 'location_extra_fields'];
const PATCH_EXPAND = ['assignees', 'asset', 'estimated_time', 'location', 'parts', 'times', 'time_items', 'expenditures', 'extra_fields'];
const SUB_EXPAND = ['assignees', 'asset', 'categories', 'estimated_time', 'location', 'parts', 'procedure', 'times', 'time_items', 'expenditures', 'extra_fields', 'part_extra_fields', 'asset_extra_fields', 'location_extra_fields'];
const WRITABLE = ['title', 'description', 'priority', 'type', 'assetId', 'locationId', 'dueDate', 'startDate', 'estimatedTime', 'externalData', 'extraFields', 'vendorIds', 'requesterId', 'recurrenceInfo'];
/** Fields named in webhook `newWorkOrder` objects. */
const WEBHOOK_FIELDS = ['assetId', 'assigneeIds', 'categories', 'description', 'dueDate', 'estimatedTime', 'extraFields', 'locationId', 'parts', 'priority', 'startDate', 'teamIds', 'title', 'vendorIds'];
/** WORK_ORDER_CHANGE `oneOfProperties` names per document field. */
const CHANGE_PROPS: Record<string, string> = {
  assetId: 'ASSET', assigneeIds: 'ASSIGNEES', categories: 'CATEGORIES', description: 'DESCRIPTION', dueDate: 'DUE_DATE',
  estimatedTime: 'ESTIMATED_TIME', extraFields: 'EXTRA_FIELDS', locationId: 'LOCATION', parts: 'PARTS', priority: 'PRIORITY',
  startDate: 'START_DATE', teamIds: 'TEAMS', title: 'TITLE', vendorIds: 'VENDORS',
};

export function webhookView(row: Row): Json {
  const out: Json = {};
  for (const k of WEBHOOK_FIELDS) out[k] = row.data[k] ?? null;
  return out;
}

function present(mx: Mx, c: C, row: Row, expand: Set<string>, mode: 'list' | 'one'): Json {
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
    externalData: d.externalData ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
  if (mode === 'one') {
    const files = attachmentsOf(mx, c, row);
    o.attachments = files.attachments;
    o.thumbnail = files.thumbnail;
    o.progress = progress(mx, row);
  } else if (expand.has('thumbnail')) {
    const t = attachmentsOf(mx, c, row).thumbnail;
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
      const part = mx.store.get('part', p.partId as number, [row.orgId]);
      const d = part?.data ?? {};
      return {
        id: p.partId, name: d.name ?? '', description: d.description ?? null, area: d.area ?? null, unitCost: d.unitCost ?? null,
        availableQuantity: d.availableQuantity ?? 0, minimumQuantity: d.minimumQuantity ?? 0, barcode: d.barcode ?? null,
        quantityUsed: p.quantityUsed ?? 0, copyOnRecurring: p.copyOnRecurring ?? 'Default', locationId: p.locationId ?? null,
        ...(expand.has('part_extra_fields') ? { partExtraFields: d.extraFields ?? {} } : {}),
      };
    });
  }
  if ((one || expand.has('procedure')) && d.procedure) o.procedure = procedureView(mx, c, row);
  if (expand.has('times')) o.times = [];
  if (expand.has('time_items')) o.timeItems = costs(mx, row).filter((r) => r.type === 'TIME');
  if (expand.has('expenditures')) o.expenditures = costs(mx, row).filter((r) => r.type === 'EXPENSE');
  return o;
}

/** An inline procedure from a create/update body, with field ids. */
function procedureOf(mx: Mx, org: number, p: Json): Json {
  return {
    id: mx.store.nextSeq(org, 'procedure'),
    templateIds: null,
    title: p.title,
    maxScore: 0,
    score: 0,
    fields: ((p.fields as Json[]) ?? []).map((f) => ({
      id: mx.store.nextSeq(org, 'procedureField'),
      parentId: null,
      required: false,
      description: f.description ?? null,
      type: f.type,
      label: f.label,
      ...(Array.isArray(f.choices) ? { choices: f.choices } : {}),
      value: {},
    })),
  };
}

function procedureView(mx: Mx, c: C, row: Row): Json {
  const proc = row.data.procedure as Json;
  const files = attachmentsOf(mx, c, row, true).byField;
  return {
    ...proc,
    fields: (proc.fields as Json[]).map((f, i) => (files.has(i) ? { ...f, value: { ...(f.value as Json), attachment: files.get(i) } } : f)),
  };
}

function progress(mx: Mx, row: Row): Json {
  const subs = mx.store.children('workOrder', row.id);
  const n = (s: string) => subs.filter((r) => r.data.status === s).length;
  return { openCount: n('OPEN'), inProgressCount: n('IN_PROGRESS'), onHoldCount: n('ON_HOLD'), doneCount: n('DONE') };
}

function costs(mx: Mx, row: Row): Json[] {
  return mx.store.children('woCost', row.id).map((r) => ({ id: r.id, ...r.data }));
}

/** Validates references and turns `assignees`/`categories`/`partsUsed` into the stored document. */
function apply(mx: Mx, c: C, data: Json, b: Json): string[] {
  const before = JSON.stringify(data);
  const old = JSON.parse(before) as Json;
  if (b.title !== undefined && String(b.title).trim() === '') {
    throw validation([{ error: 'title should not be empty', fieldPath: 'title', fieldValue: b.title as string }]);
  }
  ref(mx, c, 'asset', 'assetId', b.assetId);
  ref(mx, c, 'location', 'locationId', b.locationId);
  refs(mx, c, 'vendor', 'vendorIds', b.vendorIds);
  if (typeof b.requesterId === 'string') {
    const u = mx.store.find('user', orgOf(c), `json_extract(data, '$.email') = ?`, [b.requesterId])[0];
    if (!u) throw validation([{ error: 'requesterId is not valid', fieldPath: 'requesterId', fieldValue: b.requesterId }]);
    b.requesterId = u.id;
  } else ref(mx, c, 'user', 'requesterId', b.requesterId);
  pick(data, b, WRITABLE);
  if (b.assignees !== undefined) {
    const users: number[] = [];
    const teams: number[] = [];
    (b.assignees as Json[]).forEach((a, i) => {
      let id = a.id;
      if (typeof id === 'string') id = mx.store.find('user', orgOf(c), `json_extract(data, '$.email') = ?`, [id])[0]?.id;
      const kind = a.type === 'TEAM' ? 'team' : 'user';
      if (typeof id !== 'number' || !mx.store.get(kind, id, [orgOf(c)])) {
        throw validation([{ error: 'assignees is not valid', fieldPath: `assignees.${i}.id`, fieldValue: typeof a.id === 'object' ? null : (a.id as any) }]);
      }
      (kind === 'team' ? teams : users).push(id);
    });
    data.assigneeIds = [...new Set(users)];
    data.teamIds = [...new Set(teams)];
  }
  if (b.categories !== undefined) {
    const labels = [...new Set(b.categories as string[])];
    for (const label of labels) {
      const exists = mx.store.find('category', orgOf(c), `json_extract(data, '$.label') = ?`, [label]).length > 0;
      if (!exists) mx.store.insert('category', orgOf(c), { label, description: '' });
    }
    data.categories = labels;
  }
  if (b.procedure !== undefined) data.procedure = b.procedure === null ? null : procedureOf(mx, orgOf(c), b.procedure as Json);
  if (b.procedureTemplateId != null) data.procedure = procedureFromTemplate(mx, c, b.procedureTemplateId as number);
  if (b.partsUsed !== undefined) {
    const parts = (b.partsUsed as Json[]).map((p, i) => {
      ref(mx, c, 'part', `partsUsed.${i}.partId`, p.partId);
      return { partId: p.partId, quantityUsed: p.quantityUsed ?? 0, locationId: p.locationId ?? null, copyOnRecurring: p.copyOnRecurring ?? 'Default' };
    });
    data.parts = parts;
    if (parts.length && data.partStatus === 'NO_PARTS') data.partStatus = 'ASSIGNED';
  }
  return Object.keys(CHANGE_PROPS).filter((k) => JSON.stringify(old[k] ?? null) !== JSON.stringify(data[k] ?? null)).map((k) => CHANGE_PROPS[k]);
}

/** A work order generated from a (meter trigger's) work order template. Template `dueDate.offset` is in seconds. */
export function createFromTemplate(mx: Mx, c: C, org: number, template: Row, title: string): number {
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
  if (typeof template.data.procedureTemplateId === 'number' && mx.store.get('procedureTemplate', template.data.procedureTemplateId, [org])) {
    data.procedure = procedureFromTemplate(mx, c, template.data.procedureTemplateId);
  } else if (t.procedure) data.procedure = procedureOf(mx, org, t.procedure as Json);
  const row = mx.store.insert('workOrder', org, data, { seq: mx.store.nextSeq(org, 'workOrder') });
  mx.hooks.emit(org, 'NEW_WORK_ORDER', { workOrderId: row.id, newWorkOrder: webhookView(row) });
  return row.id;
}

/** The single-GET work-order object (for other resources that embed it). */
export const workOrderView = (mx: Mx, c: C, row: Row): Json => present(mx, c, row, new Set(), 'one');

export function workOrderRoutes(app: Hono<Env>, mx: Mx): void {
  const byId = (c: C, key: string): Row => {
    const useSeq = c.req.method === 'GET' && boolParam(params(c), 'useSequentialId') === true;
    const id = pathId(c);
    const row = useSeq ? mx.store.getBySeq('workOrder', id, c.get('orgIds')) : mx.store.get('workOrder', id, c.get('orgIds'));
    if (!row) throw notFound(notFoundMessage(key));
    return row;
  };

  app.post('/workorders', async (c) => {
    const b = await body(c, 'POST /workorders');
    if (b.isParent === true && b.parentId != null) {
      throw validation([{ error: 'isParent and parentId are mutually exclusive', fieldPath: 'parentId', fieldValue: b.parentId as number }]);
    }
    const org = orgOf(c);
    if (b.parentId != null) ref(mx, c, 'workOrder', 'parentId', b.parentId);
    const data: Json = {
      status: 'OPEN',
      priority: 'NONE',
      partStatus: 'NO_PARTS',
      creatorId: c.get('userId'),
      assigneeIds: [],
      teamIds: [],
      categories: [],
      vendorIds: [],
      extraFields: {},
      isParent: b.isParent === true,
      parentId: b.parentId ?? null,
    };
    if (b.repeatability !== undefined) data.recurrenceInfo = b.repeatability;
    apply(mx, c, data, b);
    let request: Row | null = null;
    if (b.workRequestId != null) {
      request = mx.store.get('workRequest', b.workRequestId as number, [org]);
      if (!request || request.data.workOrderId != null || request.data.requestStatus !== 'PENDING') {
        throw validation([{ error: 'workRequestId is not valid', fieldPath: 'workRequestId', fieldValue: b.workRequestId as number }]);
      }
      data.workRequestId = request.id;
    }
    const row = mx.ctx.handle.transaction(() => mx.store.insert('workOrder', org, data, { seq: mx.store.nextSeq(org, 'workOrder'), parentId: (b.parentId as number) ?? null }));
    if (request) setRequestStatus(mx, request, 'APPROVED', { workOrderId: row.id }, skip(c));
    if (b.parentId != null) {
      const parent = mx.store.get('workOrder', b.parentId as number, [org])!;
      if (!parent.data.isParent) mx.store.update(parent, { ...parent.data, isParent: true });
    }
    mx.hooks.emit(org, 'NEW_WORK_ORDER', { workOrderId: row.id, newWorkOrder: webhookView(row) }, { skip: skip(c) || b.skipRestHook === true });
    return c.json({ id: row.id }, 200);
  });

  app.get('/workorders', async (c) => {
    const p = params(c);
    const expand = expandParam(p, LIST_EXPAND);
    const where: string[] = [];
    const args: unknown[] = [];
    const inList = (expr: string, values: unknown[] | undefined, negate = false) => {
      if (!values) return;
      where.push(`${negate ? 'NOT ' : ''}(${expr} IN (SELECT value FROM json_each(?)))`);
      args.push(JSON.stringify(values));
    };
    const anyOf = (path: string, values: number[] | undefined, sub = '') => {
      if (!values) return;
      where.push(`EXISTS (SELECT 1 FROM json_each(data, '${path}') AS e WHERE ${sub || 'e.value'} IN (SELECT value FROM json_each(?)))`);
      args.push(JSON.stringify(values));
    };
    const title = one(p, 'title');
    if (title !== undefined) {
      where.push(`instr(lower(json_extract(data, '$.title')), lower(?)) > 0`);
      args.push(title);
    }
    inList(`COALESCE(json_extract(data, '$.assetId'), -1)`, intList(p, 'assets'));
    inList(`COALESCE(json_extract(data, '$.assetId'), -1)`, intList(p, 'notAssets'), true);
    inList(`COALESCE(json_extract(data, '$.locationId'), -1)`, intList(p, 'locations'));
    inList(`COALESCE(json_extract(data, '$.locationId'), -1)`, intList(p, 'notLocations'), true);
    anyOf('$.parts', intList(p, 'parts'), `json_extract(e.value, '$.partId')`);
    const notParts = intList(p, 'notParts');
    if (notParts) {
      where.push(`NOT EXISTS (SELECT 1 FROM json_each(data, '$.parts') AS e WHERE json_extract(e.value, '$.partId') IN (SELECT value FROM json_each(?)))`);
      args.push(JSON.stringify(notParts));
    }
    anyOf('$.vendorIds', intList(p, 'vendors'));
    const notVendors = intList(p, 'notVendors');
    if (notVendors) {
      where.push(`NOT EXISTS (SELECT 1 FROM json_each(data, '$.vendorIds') AS e WHERE e.value IN (SELECT value FROM json_each(?)))`);
      args.push(JSON.stringify(notVendors));
    }
    anyOf('$.assigneeIds', intList(p, 'assignees'));
    anyOf('$.teamIds', intList(p, 'teams'));
    const labels = (name: string) => {
      const v = stringList(p, name);
      if (!v) return undefined;
      return v.map((x) => {
        if (/^\d+$/.test(x)) return (mx.store.get('category', Number(x), c.get('orgIds'))?.data.label as string) ?? `\u0000${x}`;
        return x;
      });
    };
    const cats = labels('categories');
    if (cats) {
      where.push(`EXISTS (SELECT 1 FROM json_each(data, '$.categories') AS e WHERE e.value IN (SELECT value FROM json_each(?)))`);
      args.push(JSON.stringify(cats));
    }
    const notCats = labels('notCategories');
    if (notCats) {
      where.push(`NOT EXISTS (SELECT 1 FROM json_each(data, '$.categories') AS e WHERE e.value IN (SELECT value FROM json_each(?)))`);
      args.push(JSON.stringify(notCats));
    }
    inList(`json_extract(data, '$.priority')`, enumList(p, 'priorities', PRIORITIES));
    inList(`json_extract(data, '$.status')`, enumList(p, 'statuses', STATUSES));
    inList(`json_extract(data, '$.partStatus')`, enumList(p, 'partStatuses', PART_STATUSES));
    const kinds = enumList(p, 'parentSubWorkOrderTypes', ['PARENT', 'SUB_WORK_ORDER', 'STANDALONE'] as const);
    if (kinds) {
      const parts = kinds.map((k) =>
        k === 'PARENT' ? `json_extract(data, '$.isParent') = 1` : k === 'SUB_WORK_ORDER' ? 'parent_id IS NOT NULL' : `(parent_id IS NULL AND COALESCE(json_extract(data, '$.isParent'), 0) = 0)`,
      );
      where.push(parts.join(' OR '));
    }
    if (boolParam(p, 'show_upcoming') !== true) {
      where.push(`(json_extract(data, '$.startDate') IS NULL OR json_extract(data, '$.startDate') <= ?)`);
      args.push(mx.store.nowIso());
    }
    dateFilters(c, where, args);
    const sort = sortParam(p, ['updatedAt', 'createdAt', 'dueDate', 'startedAt', 'completedAt'], { field: 'id', desc: false });
    return c.json(
      await page(c, mx, { kind: 'workOrder', listKey: 'workOrders', orgIds: c.get('orgIds'), where, params: args, sort, present: (r) => present(mx, c, r, expand, 'list') }),
    );
  });

  app.get('/workorders/:id', (c) => {
    const expand = expandParam(params(c), GET_EXPAND);
    const row = byId(c, 'GET /workorders/{id}');
    return c.json({ workOrder: present(mx, c, row, expand, 'one') });
  });

  app.patch('/workorders/:id', async (c) => {
    const expand = expandParam(params(c), PATCH_EXPAND);
    const row = byId(c, 'PATCH /workorders/{id}');
    const b = await body(c, 'PATCH /workorders/{id}');
    const data = { ...row.data };
    const oldAssignees = (row.data.assigneeIds as number[]) ?? [];
    const oldTeams = (row.data.teamIds as number[]) ?? [];
    const changed = apply(mx, c, data, b);
    const updated = mx.store.update(row, data);
    if (changed.length) {
      const a = (data.assigneeIds as number[]) ?? [];
      const t = (data.teamIds as number[]) ?? [];
      mx.hooks.emit(
        row.orgId,
        'WORK_ORDER_CHANGE',
        {
          workOrderId: row.id,
          newWorkOrder: webhookView(updated),
          addedAssigneeIds: a.filter((x) => !oldAssignees.includes(x)),
          removedAssigneeIds: oldAssignees.filter((x) => !a.includes(x)),
          addedTeamIds: t.filter((x) => !oldTeams.includes(x)),
          removedTeamIds: oldTeams.filter((x) => !t.includes(x)),
        },
        { skip: skip(c), changed },
      );
    }
    return c.json({ workOrder: present(mx, c, updated, expand, 'one') });
  });

  app.delete('/workorders/:id', (c) => {
    const row = byId(c, 'DELETE /workorders/{id}');
    mx.store.softDelete(row);
    mx.hooks.emit(row.orgId, 'WORK_ORDER_DELETE', { workOrderId: row.id, WorkOrder: webhookView(row) }, { skip: skip(c) });
    return c.body(null, 204);
  });

  app.patch('/workorders/:id/status', async (c) => {
    const row = byId(c, 'PATCH /workorders/{id}/status');
    const b = await body(c, 'PATCH /workorders/{id}/status');
    if (b.status === undefined) throw validation([{ error: "should have required property 'status'", fieldPath: 'status', fieldValue: null }]);
    const data: Json = { ...row.data, status: b.status };
    const now = mx.store.nowIso();
    if (b.status === 'DONE' && row.data.status !== 'DONE') {
      data.completedAt = now;
      data.completerId = c.get('userId');
    }
    if (b.status === 'IN_PROGRESS' && !row.data.startedAt) data.startedAt = now;
    const updated = mx.store.update(row, data, true, now);
    if (typeof row.data.workRequestId === 'number' && b.status === 'DONE') {
      const request = mx.store.get('workRequest', row.data.workRequestId, [row.orgId]);
      if (request) setRequestStatus(mx, request, 'DONE', {}, skip(c));
    }
    if (row.data.status !== b.status) {
      const main = (s: unknown) => (s === 'CANCELED' || s === 'SKIPPED' ? 'DONE' : s);
      const sub = (s: unknown) => (s === 'CANCELED' || s === 'SKIPPED' ? s : undefined);
      mx.hooks.emit(
        row.orgId,
        'WORK_ORDER_STATUS_CHANGE',
        {
          workOrderId: row.id,
          oldStatus: main(row.data.status),
          newStatus: main(b.status),
          ...(sub(row.data.status) ? { oldSubStatus: sub(row.data.status) } : {}),
          ...(sub(b.status) ? { newSubStatus: sub(b.status) } : {}),
          userId: c.get('userId'),
          newWorkOrder: webhookView(updated),
        },
        { skip: skip(c) },
      );
    }
    return c.json({ workOrder: present(mx, c, updated, new Set(), 'one') });
  });

  app.patch('/workorders/:id/partStatus', async (c) => {
    const row = byId(c, 'PATCH /workorders/{id}/partStatus');
    const b = await body(c, 'PATCH /workorders/{id}/partStatus');
    const updated = mx.store.update(row, { ...row.data, partStatus: b.partStatus });
    if (row.data.partStatus !== b.partStatus) {
      mx.hooks.emit(
        row.orgId,
        'WORK_ORDER_PART_STATUS_CHANGE',
        { workOrderId: row.id, oldPartStatus: row.data.partStatus, newPartStatus: b.partStatus, newWorkOrder: webhookView(updated) },
        { skip: skip(c) },
      );
    }
    return c.json({ workOrder: present(mx, c, updated, new Set(), 'one') });
  });

  app.post('/workorders/:id/comments', async (c) => {
    const row = byId(c, 'POST /workorders/{id}/comments');
    const b = await body(c, 'POST /workorders/{id}/comments');
    if (String(b.content).trim() === '') {
      throw validation([{ error: 'content should not be empty', fieldPath: 'content', fieldValue: b.content as string }]);
    }
    const comment = mx.store.insert('woComment', row.orgId, { authorId: c.get('userId'), content: b.content }, { parentId: row.id });
    // Comments do not bump updatedAt (spec: "This doesn't include comments"); they set lastMessageSentAt.
    mx.store.update(row, { ...row.data, lastMessageSentAt: comment.createdAt }, false);
    mx.hooks.emit(
      row.orgId,
      'NEW_COMMENT_ON_WORK_ORDER',
      { workOrderId: row.id, type: 'COMMENT', comment: b.content, url: `https://app.getmaintainx.com/workorders/${row.id}` },
      { skip: skip(c) },
    );
    return c.json({ id: comment.id }, 201);
  });

  app.get('/workorders/:id/comments', async (c) => {
    const row = byId(c, 'GET /workorders/{id}/comments');
    return c.json(
      await page(c, mx, {
        kind: 'woComment',
        listKey: 'comments',
        orgIds: [row.orgId],
        parentId: row.id,
        present: (r) => ({ id: r.id, authorId: r.data.authorId, content: r.data.content, createdAt: r.createdAt }),
      }),
    );
  });

  app.post('/workorders/:id/costs', async (c) => {
    const row = byId(c, 'POST /workorders/{id}/costs');
    const b = await body<Json>(c, 'POST /workorders/{id}/costs').catch((err) => {
      // The body is a oneOf; report it the way the spec's example does.
      if (err?.status === 400 && (err.body as any)?.errors?.[0]?.error?.startsWith('should')) {
        throw validation([{ error: "should have required properties 'type', 'costType'", fieldPath: 'type', fieldValue: null }]);
      }
      throw err;
    });
    let cost: Json;
    if (b.type === 'EXPENSE') {
      const cpu = (b.costPerUnit as number | null) ?? 0;
      cost = { type: 'EXPENSE', costType: b.costType, costPerUnit: cpu, description: b.description ?? null, quantity: 1, rowTotal: cpu, durationTotal: 0, userId: c.get('userId'), partId: null };
    } else {
      const seconds = (b.durationTotal as number | null) ?? 0;
      const rate = (b.hourlyRate as number | null) ?? 0;
      const hours = seconds / 3600;
      cost = { type: 'TIME', costType: b.costType, costPerUnit: rate, description: b.description ?? null, quantity: hours, rowTotal: Math.round(hours * rate), durationTotal: seconds, userId: c.get('userId'), partId: null };
    }
    const r = mx.store.insert('woCost', row.orgId, cost, { parentId: row.id });
    const all = costs(mx, row);
    const total = all.reduce((s, x) => s + (x.rowTotal as number), 0);
    mx.store.update(row, row.data);
    mx.hooks.emit(row.orgId, 'WORK_ORDER_CHANGE', { workOrderId: row.id, newWorkOrder: { ...webhookView(row), costs: all } }, { skip: skip(c), changed: ['COSTS'] });
    return c.json({ id: r.id, ...cost, total }, 201);
  });

  app.get('/workorders/:id/costs', (c) => {
    const row = byId(c, 'GET /workorders/{id}/costs');
    const rows = costs(mx, row).map(({ id: _id, costType: _t, ...rest }) => rest);
    return c.json({ costs: { total: rows.reduce((s, x) => s + (x.rowTotal as number), 0), rows } });
  });

  app.get('/workorders/:id/subworkorders', async (c) => {
    const expand = expandParam(params(c), SUB_EXPAND);
    const row = byId(c, 'GET /workorders/{id}/subworkorders');
    return c.json(
      await page(c, mx, { kind: 'workOrder', listKey: 'subworkorders', orgIds: [row.orgId], parentId: row.id, present: (r) => present(mx, c, r, expand, 'one') }),
    );
  });

  app.delete('/workorders/:id/procedure', (c) => {
    const row = byId(c, 'DELETE /workorders/{id}/procedure');
    if (!row.data.procedure) throw notFound(notFoundMessage('DELETE /workorders/{id}/procedure'));
    const fields = (row.data.procedure as Json).fields as Json[];
    fields.forEach((_, i) => mx.store.deleteSlot(row.id, `procedure:${i}`));
    mx.store.update(row, { ...row.data, procedure: null });
    return c.body(null, 204);
  });

  const field = (c: C, key: string): { row: Row; index: number } => {
    const row = byId(c, key);
    const index = pathId(c, 'index');
    const fields = ((row.data.procedure as Json | null)?.fields as Json[]) ?? [];
    if (index >= fields.length) throw notFound(notFoundMessage(key));
    return { row, index };
  };
  app.put('/workorders/:id/procedure/fields/:index/attachment/:filename', async (c) => {
    const key = 'PUT /workorders/{id}/procedure/fields/{index}/attachment/{filename}';
    const { row, index } = field(c, key);
    const res = await storeUpload(mx, c, row, key, `procedure:${index}`);
    return res;
  });
  app.delete('/workorders/:id/procedure/fields/:index/attachment', (c) => {
    const key = 'DELETE /workorders/{id}/procedure/fields/{index}/attachment';
    const { row, index } = field(c, key);
    if (!mx.store.deleteSlot(row.id, `procedure:${index}`)) throw notFound(notFoundMessage(key));
    mx.store.update(row, row.data);
    return c.body(null, 204);
  });

  app.post('/workorders/:id/emails', async (c) => {
    const row = byId(c, 'POST /workorders/{id}/emails');
    const b = await body(c, 'POST /workorders/{id}/emails');
    const emails = (b.emails as string[] | undefined) ?? [];
    const bad = emails.findIndex((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
    if (emails.length === 0 || bad >= 0) {
      throw validation([{ error: 'An error occurred while sending the email', fieldPath: 'emails', fieldValue: bad >= 0 ? emails[bad] : null }]);
    }
    // No mail leaves the fake: the email is recorded (with the work order) and acknowledged.
    const r = mx.store.insert('woEmail', row.orgId, { emails, customMessage: b.customMessage ?? null, exportOptions: b.exportOptions ?? null, senderId: c.get('userId') }, { parentId: row.id });
    return c.json({ id: r.id }, 201);
  });

  attachmentRoutes(app, mx, '/workorders', 'workOrder');
}

