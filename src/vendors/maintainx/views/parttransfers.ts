/** A part transfer request as both organizations see it. */
import type { Json, Row } from '../store/index.js';

export function partTransferView(r: Row): Json {
  const d = r.data;
  return {
    id: r.id, quantityReceived: d.quantityReceived ?? null, quantityRequested: d.quantityRequested, quantityTransferred: d.quantityTransferred ?? null,
    requestMessage: d.requestMessage ?? null, responseMessage: d.responseMessage ?? null, status: d.status, sourcePartId: d.sourcePartId,
    destinationPartId: d.destinationPartId, transferrerId: d.transferrerId ?? null, requesterId: d.requesterId,
    destinationOrganizationId: r.orgId, sourceOrganizationId: d.sourceOrganizationId,
    ...(typeof d.sourceLocationId === 'number' ? { sourceLocationId: d.sourceLocationId } : {}),
    destinationLocations: d.destinationLocations ?? [],
  };
}
