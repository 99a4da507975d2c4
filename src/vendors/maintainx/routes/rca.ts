/** Root cause analysis reports: read-only in the API; the demo data has two per organization. */
import type { Hono } from 'hono';
import { notFound } from '../errors.js';
import { originOf, page, params, pathId, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { boolParam, dateParam, enumList, expandParam, intList } from '../query.js';
import type { Filter } from '../store/index.js';
import { rcaView } from '../views/rca.js';

export function rcaRoutes(app: Hono<Env>, mx: Mx): void {
  app.get('/rootcauseanalysisreports', async (c) => {
    const p = params(c);
    const expand = expandParam(p, ['main_asset', 'main_asset_status', 'problems']);
    const filters: Filter[] = [];
    const assets = intList(p, 'assets');
    if (assets) {
      filters.push({ in: '$.mainAssetId', values: assets });
    }
    const statuses = enumList(p, 'statuses', ['DONE', 'DRAFT'] as const);
    if (statuses) {
      filters.push({ in: '$.status', values: statuses });
    }
    const creators = intList(p, 'creators');
    if (creators) {
      filters.push({ in: '$.creatorId', values: creators });
    }
    const archived = boolParam(p, 'archived');
    if (archived !== undefined) filters.push(archived ? { notNull: '$.archivedAt' } : { isNull: '$.archivedAt' });
    for (const [param, op] of [['createdAfter', '>='], ['createdBefore', '<=']] as const) {
      const v = dateParam(p, param);
      if (v !== undefined) {
        filters.push({ cmp: 'created_at', op, value: v });
      }
    }
    const origin = originOf(c);
    return c.json(await page(c, mx, { kind: 'rcaReport', listKey: 'rootCauseAnalysisReports', orgIds: c.env.orgIds, filters, present: (r) => rcaView(mx, origin, r, expand, true) }));
  });

  app.get('/rootcauseanalysisreports/:id', (c) => {
    const expand = expandParam(params(c), ['main_asset', 'main_asset_status', 'problems', 'work_orders']);
    const r = mx.store.records.get('rcaReport', pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage('GET /rootcauseanalysisreports/{id}'));
    return c.json({ rootCauseAnalysisReport: rcaView(mx, originOf(c), r, expand, false) });
  });
}
