/** Assets (trakrf.md §8.1): list, create, get, merge-patch, soft delete, rename, tags. */
import { notFound } from '../errors.js';
import { json, noQueryParams, respond, type Services } from '../http.js';
import type { ListSpec } from '../query.js';
import { parseCreate, parsePatch, parseRename } from '../writes.js';
import { commonListQuery, jsonObject, listPage, pathId, tagRoutes } from './common.js';
import { createAsset, deleteAsset, getAsset, listAssets, renameAsset, updateAsset } from '../ops/assets.js';

export const ASSET_LIST: ListSpec = {
  sortFields: ['external_key', 'name', 'created_at', 'updated_at'],
  filters: { external_key: 'external_key', is_active: 'bool', include_deleted: 'bool', q: 'text' },
};

export function assetRoutes(services: Services): void {
  const { table, store, chains, pages, counts, ctx } = services;
  const live = (orgId: number, raw: string) => {
    const row = store.assets.get(orgId, pathId('asset_id', raw));
    if (!row) throw notFound('Asset not found');
    return row;
  };

  table.on('GET', '/api/v1/assets', 'listAssets', chains.read('listAssets'), (c) =>
    listPage(c, pages, 'assets', ASSET_LIST, (params, orgId) => listAssets(store, counts, commonListQuery(params, orgId))),
  );

  table.on('POST', '/api/v1/assets', 'createAsset', chains.write('createAsset'), async (c) => {
    const input = parseCreate('asset', await jsonObject(c), ctx.clock.nowMs());
    const asset = createAsset(store, c.get('auth').orgId, input);
    return json(c, { data: asset }, 201, { Location: `/api/v1/assets/${asset.id}` });
  });

  table.on('GET', '/api/v1/assets/{asset_id}', 'getAsset', [...chains.read('getAsset'), noQueryParams], (c) => {
    const asset = getAsset(store, c.get('auth').orgId, pathId('asset_id', c.req.param('asset_id')!));
    if (!asset) throw notFound('Asset not found');
    return json(c, { data: asset });
  });

  table.on('PATCH', '/api/v1/assets/{asset_id}', 'updateAsset', chains.write('updateAsset'), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = live(orgId, c.req.param('asset_id')!);
    const patch = parsePatch('asset', await jsonObject(c), { ...row, tags: store.tags.live('asset', row.id) });
    return json(c, { data: updateAsset(store, orgId, row, patch) });
  });

  table.on('DELETE', '/api/v1/assets/{asset_id}', 'deleteAsset', chains.write('deleteAsset'), (c) => {
    const id = pathId('asset_id', c.req.param('asset_id')!);
    if (!deleteAsset(store, c.get('auth').orgId, id)) throw notFound('Asset not found');
    return respond(c, null, 204);
  });

  table.on('POST', '/api/v1/assets/{asset_id}/rename', 'renameAsset', chains.write('renameAsset'), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = live(orgId, c.req.param('asset_id')!);
    const key = parseRename(await jsonObject(c));
    return json(c, { data: renameAsset(store, orgId, row, key), descendant_count_affected: 0 });
  });

  tagRoutes(services, 'asset', live);
}
