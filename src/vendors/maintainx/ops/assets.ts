/** Asset statuses (the status history of an asset, ASSET_STATUS_CHANGE), manufacturers and models. */
import { notFound, validation } from '../errors.js';
import type { Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import type { Json, Row } from '../store/index.js';
import { assetStatusView } from '../views/resources.js';
import { pick, write, type Actor } from './common.js';

/** POST /manufacturers, POST /models: a new name (a model under an existing manufacturer); names do not repeat. */
export function createNamed(mx: Mx, actor: Actor, kind: 'manufacturer' | 'model', b: Json): Row {
  const org = actor.orgId;
  if (kind === 'model' && !mx.store.records.get('manufacturer', b.manufacturerId as number, [org])) {
    throw notFound(notFoundMessage('POST /models'));
  }
  const dup = mx.store.records.find(kind, org, { eq: '$.name', value: b.name }, ...(kind === 'model' ? [{ eq: '$.manufacturerId', value: b.manufacturerId } as const] : []));
  if (dup.length) throw validation([{ error: 'name already exists', fieldPath: 'name', fieldValue: b.name as string }]);
  return write(mx, () => mx.store.records.insert(kind, org, kind === 'model' ? { name: b.name, manufacturerId: b.manufacturerId } : { name: b.name }));
}

/** A status body: a custom status implies its base status; only OFFLINE has a downtime type (UNPLANNED unless given). */
function normalizeStatus(mx: Mx, org: number, b: Json): void {
  if (b.customStatusId != null) {
    const cs = mx.store.records.get('assetCustomStatus', b.customStatusId as number, [org]);
    if (!cs) throw validation([{ error: 'customStatusId is not valid', fieldPath: 'customStatusId', fieldValue: b.customStatusId as number }]);
    b.status ??= cs.data.baseAssetStatus;
  }
  if (b.status === undefined) throw validation([{ error: "should have required property 'status'", fieldPath: 'status', fieldValue: null }]);
  if (b.status === 'OFFLINE' && b.downtimeType == null) b.downtimeType = 'UNPLANNED';
  if (b.status !== 'OFFLINE') b.downtimeType = null;
}

/** POST /assets/{assetId}/status: the open status ends where the new one starts. */
export function setAssetStatus(mx: Mx, actor: Actor, asset: Row, b: Json): Row {
  normalizeStatus(mx, actor.orgId, b);
  const startedAt = (b.startedAt as string) ?? mx.store.nowIso();
  return write(mx, () => {
    const open = mx.store.records.children('assetStatus', asset.id, { isNull: '$.endedAt' });
    // An asset without a recorded status is ONLINE since its creation (the webhook's oldStatus is required).
    const old = open.length
      ? assetStatusView(open[open.length - 1])
      : { status: 'ONLINE', downtimeType: null, customStatusId: null, startedAt: asset.createdAt, endedAt: startedAt, description: null, createdAt: asset.createdAt, updatedAt: asset.createdAt, deletedAt: null };
    for (const o of open) mx.store.records.update(o, { ...o.data, endedAt: startedAt });
    const s = mx.store.records.insert('assetStatus', asset.orgId, { status: b.status, downtimeType: b.downtimeType ?? null, customStatusId: b.customStatusId ?? null, startedAt, endedAt: b.endedAt ?? null, description: b.description ?? null, creatorId: actor.userId }, { parentId: asset.id });
    mx.store.records.update(asset, asset.data);
    mx.hooks.emit(asset.orgId, 'ASSET_STATUS_CHANGE', { assetId: asset.id, oldStatus: old, newStatus: assetStatusView(s) }, { skip: actor.skipWebhook });
    return s;
  });
}

/** PATCH /assetstatuses/{id}. */
export function updateAssetStatus(mx: Mx, actor: Actor, row: Row, b: Json): Row {
  const data = pick({ ...row.data }, b, ['status', 'customStatusId', 'downtimeType', 'startedAt', 'endedAt', 'description']);
  data.updaterId = actor.userId;
  return write(mx, () => mx.store.records.update(row, data));
}
