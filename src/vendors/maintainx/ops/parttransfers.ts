/**
 * Part transfer requests between organizations: the requesting (destination) organization asks another
 * organization (the source) for units of one of its parts. The source approves (stock leaves its part) or declines;
 * the destination completes (stock arrives) or cancels. Both organizations see the request.
 */
import { notFound, validation } from '../errors.js';
import type { Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import type { Json, Row } from '../store/index.js';
import { ref, write, type Actor } from './common.js';
import { moveStock } from './parts.js';

type Status = 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELED' | 'COMPLETED';

/** POST /parttransferrequests: the source part belongs to another organization of the same key. */
export function createPartTransfer(mx: Mx, actor: Actor, keyOrgIds: number[], b: Json): Row {
  const dest = actor.orgId;
  ref(mx, dest, 'part', 'destinationPartId', b.destinationPartId);
  // A key never reaches other organizations.
  const sourceOrgs = keyOrgIds.filter((o) => o !== dest);
  const source = mx.store.records.get('part', b.sourcePartId as number, sourceOrgs);
  if (!source) throw notFound(notFoundMessage('POST /parttransferrequests'));
  if ((b.quantityRequested as number) < 1) throw validation([{ error: 'quantityRequested should be >= 1', fieldPath: 'quantityRequested', fieldValue: b.quantityRequested as number }]);
  return write(mx, () =>
    mx.store.records.insert('partTransferRequest', dest, {
      status: 'PENDING', quantityRequested: b.quantityRequested, requestMessage: b.requestMessage ?? null, sourcePartId: source.id,
      destinationPartId: b.destinationPartId, sourceOrganizationId: source.orgId, requesterId: actor.userId,
    }),
  );
}

/** PATCH /parttransferrequests/{id}: a status change allowed to the acting organization, moving stock as it goes. */
export function updatePartTransfer(mx: Mx, actor: Actor, r: Row, b: Json): Row {
  const acting = actor.orgId;
  const isSource = acting === r.data.sourceOrganizationId;
  const isDest = acting === r.orgId;
  const from = r.data.status as Status;
  const to = b.status as Status;
  const data: Json = { ...r.data, status: to };
  if (b.responseMessage !== undefined) data.responseMessage = b.responseMessage;
  const move = (partId: number, org: number, delta: number) => {
    const part = mx.store.records.get('part', partId, [org]);
    if (part) moveStock(mx, part, delta, 'PART_TRANSFER', actor.userId, { skip: actor.skipWebhook });
  };
  return write(mx, () => {
    if (from === 'PENDING' && to === 'APPROVED' && isSource) {
      const qty = (b.quantity as number | null | undefined) ?? (r.data.quantityRequested as number);
      if (b.sourceLocationId !== undefined) ref(mx, acting, 'location', 'sourceLocationId', b.sourceLocationId);
      data.quantityTransferred = qty;
      data.sourceLocationId = b.sourceLocationId ?? null;
      data.transferrerId = actor.userId;
      move(r.data.sourcePartId as number, r.data.sourceOrganizationId as number, -qty);
      transferEvent(mx, actor, r, data, 'REQUEST_APPROVAL', qty);
    } else if (from === 'PENDING' && to === 'DECLINED' && isSource) {
      // nothing moves
    } else if ((from === 'PENDING' || from === 'APPROVED') && to === 'CANCELED' && isDest) {
      if (from === 'APPROVED') {
        move(r.data.sourcePartId as number, r.data.sourceOrganizationId as number, r.data.quantityTransferred as number);
        transferEvent(mx, actor, r, data, 'FULFILLMENT_CANCELLATION', r.data.quantityTransferred as number);
      }
    } else if (from === 'APPROVED' && to === 'COMPLETED' && isDest) {
      const locations = (b.destinationLocations as Json[] | undefined) ?? [{ quantity: (b.quantity as number | null | undefined) ?? r.data.quantityTransferred }];
      locations.forEach((l, i) => {
        if (l.locationId !== undefined) ref(mx, acting, 'location', `destinationLocations.${i}.locationId`, l.locationId);
      });
      const received = locations.reduce((s, l) => s + Number(l.quantity), 0);
      data.destinationLocations = locations.map((l) => ({ ...(l.locationId !== undefined ? { locationId: l.locationId } : {}), quantity: l.quantity }));
      data.quantityReceived = received;
      move(r.data.destinationPartId as number, r.orgId, received);
      transferEvent(mx, actor, r, data, 'FULFILLMENT_APPROVAL', received);
    } else if (to !== from || !(isSource || isDest)) {
      throw validation([{ error: 'status is not valid', fieldPath: 'status', fieldValue: to as string }]);
    }
    return mx.store.records.update(r, data);
  });
}

/** PART_TRANSFER, sent to the organization whose action it is (source for approvals, destination otherwise). */
function transferEvent(mx: Mx, actor: Actor, r: Row, data: Json, triggeredFrom: string, quantity: number): void {
  const source = mx.store.records.get('part', r.data.sourcePartId as number, [r.data.sourceOrganizationId as number]);
  const locations = ((data.destinationLocations as Json[]) ?? []).filter((l) => typeof l.locationId === 'number').map((l) => ({ locationId: l.locationId, locationQuantity: l.quantity }));
  mx.hooks.emit(
    actor.orgId,
    'PART_TRANSFER',
    {
      triggeredFrom, transferRequestId: r.id, userId: actor.userId, quantity, totalQuantity: quantity,
      sourceData: { partId: r.data.sourcePartId, orgId: r.data.sourceOrganizationId, ...(typeof source?.data.unitCost === 'number' ? { partUnitCost: source.data.unitCost } : {}), ...(typeof data.sourceLocationId === 'number' ? { locationId: data.sourceLocationId } : {}) },
      destinationData: { partId: r.data.destinationPartId, orgId: r.orgId, locations },
    },
    { skip: actor.skipWebhook },
  );
}
