/** Locations (trakrf.md §8.2): CRUD, the parent hierarchy, rename, tags and the tree endpoints. */
import { notFound, validationError } from '../errors.js';
import { json, noQueryParams, query, respond, type C, type Services } from '../http.js';
import { parseListParams, type ListSpec } from '../query.js';
import { parseCreate, parsePatch, parseRename, type ParentLookup } from '../writes.js';
import { commonListQuery, jsonObject, listPage, pathId, tagRoutes } from './common.js';
import { createLocation, deleteLocation, getLocation, listLocations, locationTree, renameLocation, updateLocation } from '../ops/locations.js';

export const LOCATION_LIST: ListSpec = {
  sortFields: ['external_key', 'name', 'created_at'],
  filters: {
    external_key: 'external_key',
    parent_id: 'id',
    parent_external_key: 'external_key',
    is_active: 'bool',
    include_deleted: 'bool',
    q: 'text',
  },
  exclusive: [['parent_id', 'parent_external_key']],
};

const TREE_LIST: ListSpec = { sortFields: [], filters: {}, noSort: true };

export function locationRoutes(services: Services): void {
  const { table, store, chains, pages, counts, ctx } = services;
  const live = (orgId: number, raw: string) => {
    const row = store.locations.get(orgId, pathId('location_id', raw));
    if (!row) throw notFound('Location not found');
    return row;
  };
  const parents = (orgId: number): ParentLookup => ({
    byId: (id) => store.locations.get(orgId, id)?.id,
    byKey: (key) => store.locations.liveByKey(orgId, key)?.id,
  });

  table.on('GET', '/api/v1/locations', 'listLocations', chains.read('listLocations'), (c) =>
    listPage(c, pages, 'locations', LOCATION_LIST, (params, orgId) =>
      listLocations(store, counts, {
        ...commonListQuery(params, orgId),
        parentIds: params.ids.parent_id ?? [],
        parentKeys: params.lists.parent_external_key ?? [],
      }),
    ),
  );

  table.on('POST', '/api/v1/locations', 'createLocation', chains.write('createLocation'), async (c) => {
    const orgId = c.get('auth').orgId;
    const input = parseCreate('location', await jsonObject(c), ctx.clock.nowMs(), parents(orgId));
    const location = createLocation(store, orgId, input, input.parentId ?? null);
    return json(c, { data: location }, 201, { Location: `/api/v1/locations/${location.id}` });
  });

  table.on('GET', '/api/v1/locations/{location_id}', 'getLocation', [...chains.read('getLocation'), noQueryParams], (c) => {
    const location = getLocation(store, c.get('auth').orgId, pathId('location_id', c.req.param('location_id')!));
    if (!location) throw notFound('Location not found');
    return json(c, { data: location });
  });

  table.on('PATCH', '/api/v1/locations/{location_id}', 'updateLocation', chains.write('updateLocation'), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = live(orgId, c.req.param('location_id')!);
    const patch = parsePatch('location', await jsonObject(c), { ...row, tags: store.tags.live('location', row.id) }, parents(orgId));
    return json(c, { data: updateLocation(store, orgId, row, patch, patch.parentId) });
  });

  table.on('DELETE', '/api/v1/locations/{location_id}', 'deleteLocation', chains.write('deleteLocation'), (c) => {
    const orgId = c.get('auth').orgId;
    const row = live(orgId, c.req.param('location_id')!);
    deleteLocation(store, orgId, row.id);
    return respond(c, null, 204);
  });

  for (const kind of ['ancestors', 'children', 'descendants'] as const) {
    const op = `listLocation${kind[0].toUpperCase()}${kind.slice(1)}`;
    table.on('GET', `/api/v1/locations/{location_id}/${kind}`, op, chains.read(op), (c: C) => {
      const row = live(c.get('auth').orgId, c.req.param('location_id')!);
      const { params, errors } = parseListParams(query(c), TREE_LIST);
      if (errors.length) throw validationError(errors);
      const { data, total } = locationTree(store, kind, row.id, params.limit, params.offset);
      return json(c, { data, limit: params.limit, offset: params.offset, total_count: total });
    });
  }

  table.on('POST', '/api/v1/locations/{location_id}/rename', 'renameLocation', chains.write('renameLocation'), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = live(orgId, c.req.param('location_id')!);
    return json(c, renameLocation(store, orgId, row, parseRename(await jsonObject(c))));
  });

  tagRoutes(services, 'location', live);
}
