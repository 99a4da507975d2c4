/** Tracking reads computed from stored scans (trakrf.md §7.4, §7.5): asset history and the asset-locations report. */
import { notFound, validationError } from '../errors.js';
import { json, query, type Services } from '../http.js';
import { parseListParams, type ListSpec } from '../query.js';
import { pathId } from './common.js';
import { assetHistory, assetLocations } from '../ops/scans.js';

const HISTORY_LIST: ListSpec = {
  sortFields: ['event_observed_at'],
  filters: { from: 'timestamp', to: 'timestamp' },
};

export const REPORT_LIST: ListSpec = {
  sortFields: ['asset_last_seen', 'asset_external_key', 'location_external_key'],
  filters: {
    location_id: 'id',
    location_external_key: 'external_key',
    asset_id: 'id',
    asset_external_key: 'external_key',
    q: 'text',
    include_deleted: 'bool',
  },
  exclusive: [
    ['location_id', 'location_external_key'],
    ['asset_id', 'asset_external_key'],
  ],
};

export function trackingRoutes({ table, store, counts, chains }: Services): void {
  table.on('GET', '/api/v1/assets/{asset_id}/history', 'listAssetHistory', chains.read('listAssetHistory'), (c) => {
    const orgId = c.get('auth').orgId;
    const row = store.assets.get(orgId, pathId('asset_id', c.req.param('asset_id')!));
    if (!row) throw notFound('Asset not found');
    const { params, errors } = parseListParams(query(c), HISTORY_LIST);
    if (errors.length) throw validationError(errors);
    const { data, total } = assetHistory(store, {
      orgId,
      assetId: row.id,
      limit: params.limit,
      offset: params.offset,
      from: params.times.from?.getTime(),
      to: params.times.to?.getTime(),
      sort: params.sort,
    });
    return json(c, { data, limit: params.limit, offset: params.offset, total_count: total });
  });

  table.on('GET', '/api/v1/reports/asset-locations', 'listAssetLocations', chains.read('listAssetLocations'), (c) => {
    const { params, errors } = parseListParams(query(c), REPORT_LIST);
    if (errors.length) throw validationError(errors);
    const { data, total } = assetLocations(store, counts, {
      orgId: c.get('auth').orgId,
      limit: params.limit,
      offset: params.offset,
      assetIds: params.ids.asset_id ?? [],
      assetKeys: params.lists.asset_external_key ?? [],
      locationIds: params.ids.location_id ?? [],
      locationKeys: params.lists.location_external_key ?? [],
      includeDeleted: params.bools.include_deleted ?? false,
      q: params.values.q,
      sort: params.sort,
    });
    return json(c, { data, limit: params.limit, offset: params.offset, total_count: total });
  });
}
