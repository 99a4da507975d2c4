/** Work requests and work request portals (what they write: ops/resources.ts). */
import type { Hono } from 'hono';
import { params, type C, type Env, type Mx } from '../http.js';
import { WORK_REQUEST_PORTALS, WORK_REQUESTS } from '../ops/resources.js';
import { enumList, intList, one } from '../query.js';
import type { Json, Row } from '../store/index.js';
import { crud } from './resources.js';
import { fileFields, embedAssetAndLocation } from './shared.js';

const STATUSES = ['PENDING', 'REJECTED', 'APPROVED', 'DONE'] as const;

export function workRequestRoutes(app: Hono<Env>, mx: Mx, presentWorkOrder: (c: C, row: Row) => Json): void {
  const EXPAND = ['asset', 'location', 'work_order', 'extra_fields'] as const;
  crud(app, mx, {
    writes: WORK_REQUESTS, base: '/workrequests', one: 'workRequest', many: 'workRequests', createStatus: 200,
    listExpand: EXPAND,
    getExpand: EXPAND,
    listFilters(c, filters) {
      const p = params(c);
      const title = one(p, 'title');
      if (title !== undefined) {
        filters.push({ contains: '$.title', text: title });
      }
      for (const [param, field] of [['assets', 'assetId'], ['locations', 'locationId']] as const) {
        const ids = intList(p, param);
        if (ids) {
          filters.push({ in: `$.${field}`, values: ids });
        }
      }
      for (const [param, field, values] of [['priorities', 'priority', ['NONE', 'LOW', 'MEDIUM', 'HIGH']], ['statuses', 'requestStatus', STATUSES]] as const) {
        const v = enumList(p, param, values as readonly string[]);
        if (v) {
          filters.push({ in: `$.${field}`, values: v });
        }
      }
    },
    present(c, r, _mode, expand) {
      const d = r.data;
      const o: Json = {
        id: r.id, title: d.title, priority: d.priority ?? 'NONE', description: d.description ?? null, requestStatus: d.requestStatus,
        assetId: d.assetId ?? null, locationId: d.locationId ?? null, workOrderId: d.workOrderId ?? null, sendEmailNotification: false,
        approverTeamId: d.approverTeamId ?? null, creatorContactInfo: d.creatorContactInfo ?? null, createdAt: r.createdAt, updatedAt: r.updatedAt,
        ...fileFields(mx, c, r),
      };
      if (o.thumbnail === null) delete o.thumbnail; // not nullable in the schema
      if (expand.has('extra_fields')) o.extraFields = d.extraFields ?? {};
      embedAssetAndLocation(mx, o, r, expand);
      if (expand.has('work_order') && typeof d.workOrderId === 'number') {
        const w = mx.store.records.get('workOrder', d.workOrderId, [r.orgId]);
        if (w) o.workOrder = presentWorkOrder(c, w);
      }
      return o;
    },
    attachments: true,
  });

  // ---- work request portals -----------------------------------------------------------------------------------
  crud(app, mx, {
    writes: WORK_REQUEST_PORTALS, base: '/workrequestportals', one: 'workRequestPortal', many: 'workRequestPortals', createStatus: 201,
    present: (_c, r) => ({
      id: r.id, title: r.data.title, portalUrl: r.data.portalUrl, welcomeText: r.data.welcomeText ?? null, descriptionPlaceholder: r.data.descriptionPlaceholder ?? null,
      contactInformation: r.data.contactInformation ?? null, assetId: r.data.assetId ?? null, locationId: r.data.locationId ?? null,
      emailOnly: r.data.emailOnly ?? false, sendEmailNotification: r.data.sendEmailNotification ?? false,
    }),
  });
}
