/** Work orders: CRUD, status, part status, comments, costs, sub-work-orders, attachments. */
import type { Hono } from 'hono';
import { notFound, validation } from '../errors.js';
import { actorOf, body, originOf, page, params, pathId, respondJson, type C, type Env, type Mx } from '../http.js';
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
import type { Filter, Json, Row } from '../store/index.js';
import { removeFile } from '../ops/files.js';
import {
  addWorkOrderComment,
  addWorkOrderCost,
  createWorkOrder,
  deleteWorkOrder,
  deleteWorkOrderProcedure,
  emailWorkOrder,
  PART_STATUSES,
  PRIORITIES,
  setWorkOrderPartStatus,
  setWorkOrderStatus,
  STATUSES,
  updateWorkOrder,
  workOrderCosts,
  workOrderOf,
} from '../ops/workorders.js';
import { attachmentRoutes, dateFilters, storeUpload } from './shared.js';
import { commentView, workOrderView } from '../views/workorders.js';

const LIST_EXPAND = ['thumbnail', 'assignees', 'categories', 'parts', 'asset', 'location', 'procedure', 'vendor_ids', 'times', 'time_items', 'expenditures', 'extra_fields', 'part_extra_fields', 'asset_extra_fields', 'location_extra_fields', 'estimated_time'];
const GET_EXPAND = ['assignees', 'asset', 'estimated_time', 'location', 'parts', 'times', 'time_items', 'expenditures', 'extra_fields', 'part_extra_fields', 'asset_extra_fields', 'location_extra_fields'];
const PATCH_EXPAND = ['assignees', 'asset', 'estimated_time', 'location', 'parts', 'times', 'time_items', 'expenditures', 'extra_fields'];
const SUB_EXPAND = ['assignees', 'asset', 'categories', 'estimated_time', 'location', 'parts', 'procedure', 'times', 'time_items', 'expenditures', 'extra_fields', 'part_extra_fields', 'asset_extra_fields', 'location_extra_fields'];
export function workOrderRoutes(app: Hono<Env>, mx: Mx): void {
  const byId = (c: C, key: string): Row =>
    workOrderOf(mx, c.env.orgIds, pathId(c), key, c.req.method === 'GET' && boolParam(params(c), 'useSequentialId') === true);
  const actor = actorOf;

  app.post('/workorders', async (c) => {
    const b = await body(c, 'POST /workorders');
    return c.json({ id: createWorkOrder(mx, actor(c), b).id }, 200);
  });

  app.get('/workorders', (c) => {
    const orgIds = c.env.orgIds;
    return respondJson(c, mx.memo.get(`list\u0000${orgIds.join(',')}\u0000${c.req.url}`, (nowIso) => listWorkOrders(c, nowIso)));
  });

  /** A page of work orders as of `nowIso`, and when time alone would change it: the next upcoming start date. */
  const listWorkOrders = (c: C, nowIso: string) => {
    const p = params(c);
    const expand = expandParam(p, LIST_EXPAND);
    const filters: Filter[] = [];
    const title = one(p, 'title');
    if (title !== undefined) filters.push({ contains: '$.title', text: title });
    const ids = (name: string, f: (values: number[]) => Filter) => {
      const v = intList(p, name);
      if (v) filters.push(f(v));
    };
    ids('assets', (values) => ({ in: '$.assetId', values }));
    ids('notAssets', (values) => ({ notIn: '$.assetId', values }));
    ids('locations', (values) => ({ in: '$.locationId', values }));
    ids('notLocations', (values) => ({ notIn: '$.locationId', values }));
    ids('parts', (values) => ({ has: '$.parts', key: 'partId', values }));
    ids('notParts', (values) => ({ hasNot: '$.parts', key: 'partId', values }));
    ids('vendors', (values) => ({ has: '$.vendorIds', values }));
    ids('notVendors', (values) => ({ hasNot: '$.vendorIds', values }));
    ids('assignees', (values) => ({ has: '$.assigneeIds', values }));
    ids('teams', (values) => ({ has: '$.teamIds', values }));
    const labels = (name: string) => {
      const v = stringList(p, name);
      if (!v) return undefined;
      return v.map((x) => {
        if (/^\d+$/.test(x)) return (mx.store.records.get('category', Number(x), c.env.orgIds)?.data.label as string) ?? `\u0000${x}`;
        return x;
      });
    };
    const cats = labels('categories');
    if (cats) filters.push({ has: '$.categories', values: cats });
    const notCats = labels('notCategories');
    if (notCats) filters.push({ hasNot: '$.categories', values: notCats });
    for (const [name, field, allowed] of [['priorities', '$.priority', PRIORITIES], ['statuses', '$.status', STATUSES], ['partStatuses', '$.partStatus', PART_STATUSES]] as const) {
      const v = enumList(p, name, allowed as readonly string[]);
      if (v) filters.push({ in: field, values: v });
    }
    const kinds = enumList(p, 'parentSubWorkOrderTypes', ['PARENT', 'SUB_WORK_ORDER', 'STANDALONE'] as const);
    if (kinds) {
      filters.push({
        anyOf: kinds.map((k): Filter =>
          k === 'PARENT' ? { isTrue: '$.isParent' } : k === 'SUB_WORK_ORDER' ? { notNull: 'parent_id' } : { allOf: [{ isNull: 'parent_id' }, { notTrue: '$.isParent' }] },
        ),
      });
    }
    const hideUpcoming = boolParam(p, 'show_upcoming') !== true;
    if (hideUpcoming) filters.push({ anyOf: [{ isNull: '$.startDate' }, { cmp: '$.startDate', op: '<=', value: nowIso }] });
    dateFilters(c, filters);
    const sort = sortParam(p, ['updatedAt', 'createdAt', 'dueDate', 'startedAt', 'completedAt'], { field: 'id', desc: false });
    const origin = originOf(c);
    const value = page(c, mx, { kind: 'workOrder', listKey: 'workOrders', orgIds: c.env.orgIds, filters, sort, present: (r) => workOrderView(mx, origin, r, expand, 'list') });
    return { value, until: hideUpcoming ? mx.store.records.nextStart(c.env.orgIds, nowIso) : null };
  };

  app.get('/workorders/:id', (c) => {
    const key = `one\u0000${c.env.orgIds.join(',')}\u0000${c.req.url}`;
    return respondJson(c, mx.memo.get(key, () => {
      const expand = expandParam(params(c), GET_EXPAND);
      const row = byId(c, 'GET /workorders/{id}');
      return { value: { workOrder: workOrderView(mx, originOf(c), row, expand, 'one') }, until: null };
    }));
  });

  app.patch('/workorders/:id', async (c) => {
    const expand = expandParam(params(c), PATCH_EXPAND);
    const row = byId(c, 'PATCH /workorders/{id}');
    const b = await body(c, 'PATCH /workorders/{id}');
    return c.json({ workOrder: workOrderView(mx, originOf(c), updateWorkOrder(mx, actor(c), row, b), expand, 'one') });
  });

  app.delete('/workorders/:id', (c) => {
    deleteWorkOrder(mx, actor(c), byId(c, 'DELETE /workorders/{id}'));
    return c.body(null, 204);
  });

  app.patch('/workorders/:id/status', async (c) => {
    const row = byId(c, 'PATCH /workorders/{id}/status');
    const b = await body(c, 'PATCH /workorders/{id}/status');
    if (b.status === undefined) throw validation([{ error: "should have required property 'status'", fieldPath: 'status', fieldValue: null }]);
    return c.json({ workOrder: workOrderView(mx, originOf(c), setWorkOrderStatus(mx, actor(c), row, b.status as string), new Set(), 'one') });
  });

  app.patch('/workorders/:id/partStatus', async (c) => {
    const row = byId(c, 'PATCH /workorders/{id}/partStatus');
    const b = await body(c, 'PATCH /workorders/{id}/partStatus');
    return c.json({ workOrder: workOrderView(mx, originOf(c), setWorkOrderPartStatus(mx, actor(c), row, b.partStatus as string), new Set(), 'one') });
  });

  app.post('/workorders/:id/comments', async (c) => {
    const row = byId(c, 'POST /workorders/{id}/comments');
    const b = await body(c, 'POST /workorders/{id}/comments');
    return c.json({ id: addWorkOrderComment(mx, actor(c), row, b.content as string).id }, 201);
  });

  app.get('/workorders/:id/comments', async (c) => {
    const row = byId(c, 'GET /workorders/{id}/comments');
    return c.json(
      await page(c, mx, {
        kind: 'woComment',
        listKey: 'comments',
        orgIds: [row.orgId],
        parentId: row.id,
        present: commentView,
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
    const { id, cost, total } = addWorkOrderCost(mx, actor(c), row, b);
    return c.json({ id, ...cost, total }, 201);
  });

  app.get('/workorders/:id/costs', (c) => {
    const row = byId(c, 'GET /workorders/{id}/costs');
    const rows = workOrderCosts(mx, row).map(({ id: _id, costType: _t, ...rest }) => rest);
    return c.json({ costs: { total: rows.reduce((s, x) => s + (x.rowTotal as number), 0), rows } });
  });

  app.get('/workorders/:id/subworkorders', async (c) => {
    const expand = expandParam(params(c), SUB_EXPAND);
    const row = byId(c, 'GET /workorders/{id}/subworkorders');
    const origin = originOf(c);
    return c.json(
      await page(c, mx, { kind: 'workOrder', listKey: 'subworkorders', orgIds: [row.orgId], parentId: row.id, present: (r) => workOrderView(mx, origin, r, expand, 'one') }),
    );
  });

  app.delete('/workorders/:id/procedure', (c) => {
    const row = byId(c, 'DELETE /workorders/{id}/procedure');
    deleteWorkOrderProcedure(mx, row);
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
    if (!removeFile(mx, row, `procedure:${index}`, null, true)) throw notFound(notFoundMessage(key));
    return c.body(null, 204);
  });

  app.post('/workorders/:id/emails', async (c) => {
    const row = byId(c, 'POST /workorders/{id}/emails');
    const b = await body(c, 'POST /workorders/{id}/emails');
    return c.json({ id: emailWorkOrder(mx, actor(c), row, b).id }, 201);
  });

  attachmentRoutes(app, mx, '/workorders', 'workOrder');
}

