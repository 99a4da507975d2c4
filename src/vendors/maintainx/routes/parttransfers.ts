/**
 * Part transfer requests between organizations: the requesting (destination) organization asks another
 * organization (the source) for units of one of its parts. The source approves (stock leaves its part) or declines;
 * the destination completes (stock arrives) or cancels. Both organizations see the request.
 */
import type { Hono } from 'hono';
import { write } from '../ops/common.js';
import { moveStock as movePartStock } from '../ops/parts.js';
import { notFound, validation } from '../errors.js';
import { body, orgOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { enumList } from '../query.js';
import type { Json, Row } from '../store/index.js';
import { ref, skip } from './shared.js';

type Status = 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELED' | 'COMPLETED';

export function partTransferRoutes(app: Hono<Env>, mx: Mx): void {
  const present = (r: Row): Json => {
    const d = r.data;
    return {
      id: r.id, quantityReceived: d.quantityReceived ?? null, quantityRequested: d.quantityRequested, quantityTransferred: d.quantityTransferred ?? null,
      requestMessage: d.requestMessage ?? null, responseMessage: d.responseMessage ?? null, status: d.status, sourcePartId: d.sourcePartId,
      destinationPartId: d.destinationPartId, transferrerId: d.transferrerId ?? null, requesterId: d.requesterId,
      destinationOrganizationId: r.orgId, sourceOrganizationId: d.sourceOrganizationId,
      ...(typeof d.sourceLocationId === 'number' ? { sourceLocationId: d.sourceLocationId } : {}),
      destinationLocations: d.destinationLocations ?? [],
    };
  };
  const need = (c: C, key: string): Row => {
    const r = mx.store.records.getShared('partTransferRequest', pathId(c), c.env.orgIds, 'sourceOrganizationId');
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };
  const moveStock = (c: C, partId: number, org: number, delta: number) => {
    const part = mx.store.records.get('part', partId, [org]);
    if (part) movePartStock(mx, part, delta, 'PART_TRANSFER', c.env.userId, { skip: skip(c) });
  };
  /** PART_TRANSFER, sent to the organization whose action it is (source for approvals, destination otherwise). */
  const transferEvent = (c: C, r: Row, data: Json, triggeredFrom: string, quantity: number) => {
    const source = mx.store.records.get('part', r.data.sourcePartId as number, [r.data.sourceOrganizationId as number]);
    const locations = ((data.destinationLocations as Json[]) ?? []).filter((l) => typeof l.locationId === 'number').map((l) => ({ locationId: l.locationId, locationQuantity: l.quantity }));
    mx.hooks.emit(
      orgOf(c),
      'PART_TRANSFER',
      {
        triggeredFrom, transferRequestId: r.id, userId: c.env.userId, quantity, totalQuantity: quantity,
        sourceData: { partId: r.data.sourcePartId, orgId: r.data.sourceOrganizationId, ...(typeof source?.data.unitCost === 'number' ? { partUnitCost: source.data.unitCost } : {}), ...(typeof data.sourceLocationId === 'number' ? { locationId: data.sourceLocationId } : {}) },
        destinationData: { partId: r.data.destinationPartId, orgId: r.orgId, locations },
      },
      { skip: skip(c) },
    );
  };
  const invalid = (status: unknown) => validation([{ error: 'status is not valid', fieldPath: 'status', fieldValue: status as string }]);

  app.post('/parttransferrequests', async (c) => {
    const b = await body(c, 'POST /parttransferrequests');
    const dest = orgOf(c);
    ref(mx, orgOf(c), 'part', 'destinationPartId', b.destinationPartId);
    // The source part belongs to another organization of the same key (a key never reaches other organizations).
    const sourceOrgs = c.env.keyOrgIds.filter((o) => o !== dest);
    const source = mx.store.records.get('part', b.sourcePartId as number, sourceOrgs);
    if (!source) throw notFound(notFoundMessage('POST /parttransferrequests'));
    if ((b.quantityRequested as number) < 1) throw validation([{ error: 'quantityRequested should be >= 1', fieldPath: 'quantityRequested', fieldValue: b.quantityRequested as number }]);
    const r = write(mx, () =>
      mx.store.records.insert('partTransferRequest', dest, {
        status: 'PENDING', quantityRequested: b.quantityRequested, requestMessage: b.requestMessage ?? null, sourcePartId: source.id,
        destinationPartId: b.destinationPartId, sourceOrganizationId: source.orgId, requesterId: c.env.userId,
      }),
    );
    return c.json({ id: r.id }, 201);
  });

  app.get('/parttransferrequests', async (c) => {
    const statuses = enumList(params(c), 'statuses', ['APPROVED', 'CANCELED', 'COMPLETED', 'DECLINED', 'PENDING'] as const);
    return c.json(
      await page(c, mx, {
        kind: 'partTransferRequest', listKey: 'partTransferRequests', orgIds: c.env.orgIds, alsoOrgField: 'sourceOrganizationId',
        filters: statuses ? [{ in: '$.status', values: statuses }] : [],
        present,
      }),
    );
  });

  app.get('/parttransferrequests/:id', (c) => c.json({ partTransferRequest: present(need(c, 'GET /parttransferrequests/{id}')) }));

  app.patch('/parttransferrequests/:id', async (c) => {
    const r = need(c, 'PATCH /parttransferrequests/{id}');
    const b = await body(c, 'PATCH /parttransferrequests/{id}');
    const acting = orgOf(c);
    const isSource = acting === r.data.sourceOrganizationId;
    const isDest = acting === r.orgId;
    const from = r.data.status as Status;
    const to = b.status as Status;
    const data: Json = { ...r.data, status: to };
    if (b.responseMessage !== undefined) data.responseMessage = b.responseMessage;
    const updated = write(mx, () => {
      if (from === 'PENDING' && to === 'APPROVED' && isSource) {
        const qty = (b.quantity as number | null | undefined) ?? (r.data.quantityRequested as number);
        if (b.sourceLocationId !== undefined) ref(mx, orgOf(c), 'location', 'sourceLocationId', b.sourceLocationId);
        data.quantityTransferred = qty;
        data.sourceLocationId = b.sourceLocationId ?? null;
        data.transferrerId = c.env.userId;
        moveStock(c, r.data.sourcePartId as number, r.data.sourceOrganizationId as number, -qty);
        transferEvent(c, r, data, 'REQUEST_APPROVAL', qty);
      } else if (from === 'PENDING' && to === 'DECLINED' && isSource) {
        // nothing moves
      } else if ((from === 'PENDING' || from === 'APPROVED') && to === 'CANCELED' && isDest) {
        if (from === 'APPROVED') {
          moveStock(c, r.data.sourcePartId as number, r.data.sourceOrganizationId as number, r.data.quantityTransferred as number);
          transferEvent(c, r, data, 'FULFILLMENT_CANCELLATION', r.data.quantityTransferred as number);
        }
      } else if (from === 'APPROVED' && to === 'COMPLETED' && isDest) {
        const locations = (b.destinationLocations as Json[] | undefined) ?? [{ quantity: (b.quantity as number | null | undefined) ?? r.data.quantityTransferred }];
        locations.forEach((l, i) => {
          if (l.locationId !== undefined) ref(mx, orgOf(c), 'location', `destinationLocations.${i}.locationId`, l.locationId);
        });
        const received = locations.reduce((s, l) => s + Number(l.quantity), 0);
        data.destinationLocations = locations.map((l) => ({ ...(l.locationId !== undefined ? { locationId: l.locationId } : {}), quantity: l.quantity }));
        data.quantityReceived = received;
        moveStock(c, r.data.destinationPartId as number, r.orgId, received);
        transferEvent(c, r, data, 'FULFILLMENT_APPROVAL', received);
      } else if (to !== from || !(isSource || isDest)) {
        throw invalid(to);
      }
      return mx.store.records.update(r, data);
    });
    return c.json({ partTransferRequest: present(updated) });
  });
}
