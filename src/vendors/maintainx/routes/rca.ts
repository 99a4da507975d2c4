/** Root cause analysis reports: read-only in the API; the demo data has two per organization. */
import type { Hono } from 'hono';
import { notFound } from '../errors.js';
import { page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { boolParam, dateParam, enumList, expandParam, intList } from '../query.js';
import type { Filter, Json, Row } from '../store/index.js';
import { embeddedAsset } from './shared.js';

export function rcaRoutes(app: Hono<Env>, mx: Mx, workOrderView: (c: C, row: Row) => Json): void {
  const present = (c: C, r: Row, expand: Set<string>, list: boolean): Json => {
    const d = r.data;
    const o: Json = {
      id: r.id, ...(list ? { organizationId: r.orgId } : {}), status: d.status, mainAssetId: d.mainAssetId, mainAssetStatusId: d.mainAssetStatusId ?? null,
      createdAt: r.createdAt, updatedAt: d.updaterId ? r.updatedAt : null, completedAt: d.completedAt ?? null,
      incidentStartedAt: d.incidentStartedAt ?? null, incidentEndedAt: d.incidentEndedAt ?? null,
      incidentDuration: d.incidentStartedAt && d.incidentEndedAt ? Math.round((Date.parse(d.incidentEndedAt as string) - Date.parse(d.incidentStartedAt as string)) / 1000) : null,
      repairTime: d.repairTime ?? null, notes: d.notes ? { text: d.notes } : null, creatorId: d.creatorId, updaterId: d.updaterId ?? null,
      archivedAt: d.archivedAt ?? null, relatedAssetIds: d.relatedAssetIds ?? [], workOrderIds: d.workOrderIds ?? [],
    };
    if (expand.has('main_asset')) {
      const a = mx.store.records.get('asset', d.mainAssetId as number, [r.orgId]);
      if (a) o.mainAsset = embeddedAsset(a);
    }
    if (expand.has('main_asset_status') && typeof d.mainAssetStatusId === 'number') {
      const s = mx.store.records.get('assetStatus', d.mainAssetStatusId, [r.orgId]);
      if (s) o.mainAssetStatus = { id: s.id, status: s.data.status, downtimeType: s.data.downtimeType ?? null, startedAt: s.data.startedAt, endedAt: s.data.endedAt ?? null, createdAt: s.createdAt, updatedAt: s.updatedAt };
    }
    if (expand.has('problems')) o.problems = d.problems ?? [];
    if (expand.has('work_orders')) {
      o.workOrders = ((d.workOrderIds as number[]) ?? []).map((id) => mx.store.records.get('workOrder', id, [r.orgId])).filter((w): w is Row => !!w).map((w) => workOrderView(c, w));
    }
    return o;
  };

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
    return c.json(await page(c, mx, { kind: 'rcaReport', listKey: 'rootCauseAnalysisReports', orgIds: c.env.orgIds, filters, present: (r) => present(c, r, expand, true) }));
  });

  app.get('/rootcauseanalysisreports/:id', (c) => {
    const expand = expandParam(params(c), ['main_asset', 'main_asset_status', 'problems', 'work_orders']);
    const r = mx.store.records.get('rcaReport', pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage('GET /rootcauseanalysisreports/{id}'));
    return c.json({ rootCauseAnalysisReport: present(c, r, expand, false) });
  });
}
