/** Helpers shared by the data-plane route files: route chains, path ids, strict JSON bodies. */
import { requestHeader } from '../../../core/http.js';
import { jsonBody, notFound, paymentRequired, unsupportedMediaType, validationError } from '../errors.js';
import { JSON_HEADERS, json, query, rawQuery, readBody, respond, type C, type Services, type Step } from '../http.js';
import { parseTag } from '../writes.js';
import { parseListParams, parsePathId, type ListParams, type ListSpec } from '../query.js';
import { decodeObject, type Obj } from '../body.js';
import type { AssetListQuery } from '../store/index.js';
import { addTag, removeTag } from '../ops/tags.js';
import type { OrgMemo } from '../memo.js';

export function pathId(name: string, raw: string): number {
  const r = parsePathId(name, raw);
  if ('error' in r) throw validationError([r.error]);
  return r.id;
}

/** The strict body of a write: ≤ 1 MiB, UTF-8, a JSON object. */
export async function jsonObject(c: C): Promise<Obj> {
  return decodeObject(await readBody(c));
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
const MERGE_PATCH_TYPES = new Set(['application/merge-patch+json', 'application/merge-patch+json; charset=utf-8']);

/**
 * The write group's `ContentType` check: POST needs exactly application/json (charset variant allowed, exact
 * string compare); PATCH also passes with application/json here and is narrowed by `requireMergePatch` after the
 * scope check; DELETE is not checked.
 */
export const writeContentType: Step = (c) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const ct = requestHeader(c, 'content-type') ?? '';
    if (!JSON_TYPES.has(ct) && !(method === 'PATCH' && MERGE_PATCH_TYPES.has(ct))) {
      throw unsupportedMediaType('Content-Type must be application/json');
    }
  }
};

/** `RequireMergePatchCT` on PATCH. */
export const requireMergePatch: Step = (c) => {
  if (c.req.method === 'PATCH' && !MERGE_PATCH_TYPES.has(requestHeader(c, 'content-type') ?? '')) {
    throw unsupportedMediaType('Content-Type must be application/merge-patch+json on PATCH operations');
  }
};

/** `SubscriptionRequired`: writes of an org whose subscription is off get 402 (trakrf.md §4.1). */
export function subscriptionRequired(active: (orgId: number) => boolean): Step {
  return (c) => {
    if (!active(c.get('auth').orgId)) throw paymentRequired();
  };
}

/** Retired pre-launch lookup paths: 404 with a pointer, for every method, before auth. */
export const RETIRED: Record<string, string> = {
  '/api/v1/assets/lookup': 'This endpoint has been removed. Use GET /api/v1/assets?external_key= to find an asset by external_key.',
  '/api/v1/locations/lookup': 'This endpoint has been removed. Use GET /api/v1/locations?external_key= to find a location by external_key.',
  '/api/v1/locations/current': 'This endpoint has moved. Use GET /api/v1/reports/asset-locations.',
};

/**
 * A list endpoint's 200: the query string parsed against `spec` (400 on any error), `list` run for the caller's org,
 * the list envelope rendered once and memoized until the next write or validity boundary of the org (`pages`), so
 * it is always what the query would return now. The memo key is the org and the raw query string: the page is a
 * pure function of them and the data, so a repeated request skips parsing too.
 */
export function listPage(
  c: C,
  pages: OrgMemo,
  resource: string,
  spec: ListSpec,
  list: (params: ListParams, orgId: number) => { data: unknown[]; total: number },
): Response {
  const orgId = c.get('auth').orgId;
  const body = pages.get(`${resource}-page\u0000${orgId}\u0000${rawQuery(c)}`, orgId, () => {
    const { params, errors } = parseListParams(query(c), spec);
    if (errors.length) throw validationError(errors);
    const { data, total } = list(params, orgId);
    // Encoded once: a page is served many times, and a string body is encoded again on every write.
    return Buffer.from(jsonBody({ data, limit: params.limit, offset: params.offset, total_count: total }));
  });
  return respond(c, body, 200, JSON_HEADERS);
}

/** The filters assets and locations share (trakrf.md §6), as the store's list queries take them. */
export function commonListQuery(params: ListParams, orgId: number): AssetListQuery {
  return {
    orgId,
    limit: params.limit,
    offset: params.offset,
    externalKeys: params.lists.external_key ?? [],
    isActive: params.bools.is_active,
    includeDeleted: params.bools.include_deleted ?? false,
    q: params.values.q,
    sort: params.sort,
  };
}

/**
 * Tag attach/detach under an asset or a location (trakrf.md §8.1, §8.2): the parent's `:write` scope, 201 with a
 * `Location` header, 409 on a live duplicate, 404 `Tag not found on this <kind>`.
 */
export function tagRoutes(
  { table, store, chains }: Services,
  kind: 'asset' | 'location',
  live: (orgId: number, rawId: string) => { id: number },
): void {
  const Kind = kind === 'asset' ? 'Asset' : 'Location';
  const param = `${kind}_id`;
  const base = `/api/v1/${kind}s/{${param}}/tags`;
  table.on('POST', base, `add${Kind}Tag`, chains.write(`add${Kind}Tag`), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = live(orgId, c.req.param(param)!);
    const tag = addTag(store, orgId, kind, row.id, parseTag(await jsonObject(c)));
    return json(c, { data: tag }, 201, { Location: `/api/v1/${kind}s/${row.id}/tags/${tag.id}` });
  });
  table.on('DELETE', `${base}/{tag_id}`, `remove${Kind}Tag`, chains.write(`remove${Kind}Tag`), (c) => {
    const orgId = c.get('auth').orgId;
    // both path ids are parsed (400) before either is looked up (404)
    pathId(param, c.req.param(param)!);
    const tagId = pathId('tag_id', c.req.param('tag_id')!);
    const row = live(orgId, c.req.param(param)!);
    if (!removeTag(store, orgId, kind, row.id, tagId)) throw notFound(`Tag not found on this ${kind}`);
    return respond(c, null, 204);
  });
}
