/** The token endpoint, /orgs/me, and the asset read path. */
import type { MiddlewareHandler } from 'hono';
import { TrakrfError, notFound, validationError } from '../errors.js';
import { json, noQueryParams, query, type RouteTable, type TrakrfEnv } from '../http.js';
import { parseListParams, parsePathId, type ListSpec } from '../query.js';
import type { TrakrfAuth } from '../auth.js';
import type { TrakrfStore } from '../store.js';

export const ASSET_LIST: ListSpec = {
  sortFields: ['external_key', 'name', 'created_at', 'updated_at'],
  filters: { external_key: 'external_key', is_active: 'bool', include_deleted: 'bool', q: 'text' },
};

/** Route chain helpers shared by every data-plane route file. */
export interface Chains {
  /** EitherAuth → RateLimit → RequireScope (public reads). */
  read(operationId: string): MiddlewareHandler<TrakrfEnv>[];
  /** `APIKeyAuth` → RateLimit (→ handler checks). */
  apiKey: MiddlewareHandler<TrakrfEnv>[];
}

export function pathId(name: string, raw: string): number {
  const r = parsePathId(name, raw);
  if ('error' in r) throw validationError([r.error]);
  return r.id;
}

export function readRoutes(table: RouteTable, auth: TrakrfAuth, store: TrakrfStore, chains: Chains): void {
  table.on('POST', '/api/v1/oauth/token', 'createToken', (c) => auth.token(c));

  table.on('GET', '/api/v1/orgs/me', 'getCurrentOrg', ...chains.apiKey, noQueryParams, (c) => {
    const { orgId, clientId, scopes } = c.get('auth');
    const org = store.org(orgId);
    if (!org) {
      throw new TrakrfError(
        'missing_org_context',
        'This request requires an active organization context. Select an organization or re-authenticate.',
      );
    }
    // Emitted from a Go map: keys in alphabetical order.
    return json({ data: { api_key_id: clientId, id: org.id, name: org.name, scopes } });
  });

  table.on('GET', '/api/v1/assets', 'listAssets', ...chains.read('listAssets'), (c) => {
    const { params, errors } = parseListParams(query(c), ASSET_LIST);
    if (errors.length) throw validationError(errors);
    const { data, total } = store.listAssets({
      orgId: c.get('auth').orgId,
      limit: params.limit,
      offset: params.offset,
      externalKeys: params.lists.external_key ?? [],
      isActive: params.bools.is_active,
      includeDeleted: params.bools.include_deleted ?? false,
      q: params.values.q,
      sort: params.sort,
    });
    return json({ data, limit: params.limit, offset: params.offset, total_count: total });
  });

  table.on('GET', '/api/v1/assets/{asset_id}', 'getAsset', ...chains.read('getAsset'), noQueryParams, (c) => {
    const id = pathId('asset_id', c.req.param('asset_id')!);
    const asset = store.getAsset(c.get('auth').orgId, id);
    if (!asset) throw notFound('Asset not found');
    return json({ data: asset });
  });
}
