/** Root cause analysis reports, with their main asset, its status and their work orders when expanded. */
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { embeddedAsset } from './common.js';
import { fullWorkOrderView } from './workorders.js';

/** A root cause analysis report (`list`: as list items show it, with the organization). */
export function rcaView(mx: Mx, origin: string, r: Row, expand: Set<string>, list: boolean): Json {
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
    o.workOrders = ((d.workOrderIds as number[]) ?? []).map((id) => mx.store.records.get('workOrder', id, [r.orgId])).filter((w): w is Row => !!w).map((w) => fullWorkOrderView(mx, origin, w));
  }
  return o;
}
