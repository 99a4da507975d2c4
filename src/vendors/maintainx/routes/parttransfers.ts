/** Part transfer requests between organizations (the rules: ops/parttransfers.ts); both organizations see one. */
import type { Hono } from 'hono';
import { createPartTransfer, updatePartTransfer } from '../ops/parttransfers.js';
import { notFound } from '../errors.js';
import { body, lazyActorOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { enumList } from '../query.js';
import type { Json, Row } from '../store/index.js';

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
  app.post('/parttransferrequests', async (c) => {
    const b = await body(c, 'POST /parttransferrequests');
    return c.json({ id: createPartTransfer(mx, lazyActorOf(c), c.env.keyOrgIds, b).id }, 201);
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
    const updated = updatePartTransfer(mx, lazyActorOf(c), r, b);
    return c.json({ partTransferRequest: present(updated) });
  });
}
