/** Work requests and work request portals (what they write: ops/resources.ts). */
import type { Hono } from 'hono';
import { params, type Env, type Mx } from '../http.js';
import { WORK_REQUEST_PORTALS, WORK_REQUESTS } from '../ops/resources.js';
import { enumList, intList, one } from '../query.js';
import { crud } from './resources.js';
import { portalView, workRequestView } from '../views/workrequests.js';

const STATUSES = ['PENDING', 'REJECTED', 'APPROVED', 'DONE'] as const;

export function workRequestRoutes(app: Hono<Env>, mx: Mx): void {
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
    view: workRequestView,
    attachments: true,
  });

  // ---- work request portals -----------------------------------------------------------------------------------
  crud(app, mx, {
    writes: WORK_REQUEST_PORTALS, base: '/workrequestportals', one: 'workRequestPortal', many: 'workRequestPortals', createStatus: 201,
    view: portalView,
  });
}
