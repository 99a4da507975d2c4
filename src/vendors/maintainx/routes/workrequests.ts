/**
 * Work requests. The API has no status route: a request is PENDING until a work order is created from it
 * (`POST /workorders` with `workRequestId` → APPROVED, `workOrderId` set), and DONE when that work order is done.
 */
import type { Hono } from 'hono';
import { validation } from '../errors.js';
import { orgOf, params, type C, type Env, type Mx } from '../http.js';
import { enumList, intList, one } from '../query.js';
import type { Json, Row } from '../store/index.js';
import { crud } from './resources.js';
import { fileFields, embedAssetAndLocation, ref } from './shared.js';

const STATUSES = ['PENDING', 'REJECTED', 'APPROVED', 'DONE'] as const;

/** `creatorContactInfo` string → {type, value} (the spec: type inferred from the string). */
function contactInfo(v: unknown): Json | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  const value = v.trim();
  const type = /^[^\s@]+@[^\s@]+$/.test(value) ? 'EMAIL' : /^\+?[\d\s().-]{6,}$/.test(value) ? 'PHONE' : 'OTHER';
  return { type, value };
}

export function workRequestRoutes(app: Hono<Env>, mx: Mx, presentWorkOrder: (c: C, row: Row) => Json): void {
  const EXPAND = ['asset', 'location', 'work_order', 'extra_fields'] as const;
  crud(app, mx, {
    kind: 'workRequest', base: '/workrequests', one: 'workRequest', many: 'workRequests', createStatus: 200,
    fields: ['title', 'description', 'priority', 'assetId', 'locationId', 'extraFields', 'approverTeamId', 'creatorContactInfo'],
    defaults: () => ({ description: null, priority: 'NONE', assetId: null, locationId: null, extraFields: {}, approverTeamId: null, requestStatus: 'PENDING', workOrderId: null }),
    check(c, b) {
      ref(mx, orgOf(c), 'asset', 'assetId', b.assetId);
      ref(mx, orgOf(c), 'location', 'locationId', b.locationId);
      ref(mx, orgOf(c), 'team', 'approverTeamId', b.approverTeamId);
      if (b.title !== undefined && String(b.title).trim() === '') throw validation([{ error: 'title should not be empty', fieldPath: 'title', fieldValue: b.title as string }]);
      if ('creatorContactInfo' in b) b.creatorContactInfo = contactInfo(b.creatorContactInfo);
    },
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
    createEvent: 'NEW_WORK_REQUEST',
    createPayload: (r) => ({ workRequestId: r.id }),
    attachments: true,
  });

  // ---- work request portals -----------------------------------------------------------------------------------
  crud(app, mx, {
    kind: 'workRequestPortal', base: '/workrequestportals', one: 'workRequestPortal', many: 'workRequestPortals', createStatus: 201,
    fields: ['title', 'welcomeText', 'descriptionPlaceholder', 'contactInformation', 'locationId', 'assetId', 'emailOnly', 'sendEmailNotification'],
    // The public portal page lives on the vendor's app host; the fake only hands out a stable address.
    defaults: () => ({ welcomeText: null, descriptionPlaceholder: null, contactInformation: null, locationId: null, assetId: null, emailOnly: false, sendEmailNotification: false, portalUrl: `https://app.getmaintainx.com/request-portal/${mx.ctx.rng.uuid()}` }),
    check(c, b) {
      ref(mx, orgOf(c), 'asset', 'assetId', b.assetId);
      ref(mx, orgOf(c), 'location', 'locationId', b.locationId);
    },
    present: (_c, r) => ({
      id: r.id, title: r.data.title, portalUrl: r.data.portalUrl, welcomeText: r.data.welcomeText ?? null, descriptionPlaceholder: r.data.descriptionPlaceholder ?? null,
      contactInformation: r.data.contactInformation ?? null, assetId: r.data.assetId ?? null, locationId: r.data.locationId ?? null,
      emailOnly: r.data.emailOnly ?? false, sendEmailNotification: r.data.sendEmailNotification ?? false,
    }),
  });
}
