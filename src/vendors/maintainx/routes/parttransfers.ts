/** Part transfer requests between organizations (the rules: ops/parttransfers.ts); both organizations see one. */
import type { Hono } from 'hono';
import { createPartTransfer, updatePartTransfer } from '../ops/parttransfers.js';
import { notFound } from '../errors.js';
import { body, lazyActorOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { enumList } from '../query.js';
import type { Row } from '../store/index.js';
import { partTransferView } from '../views/parttransfers.js';

export function partTransferRoutes(app: Hono<Env>, mx: Mx): void {
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
        present: partTransferView,
      }),
    );
  });

  app.get('/parttransferrequests/:id', (c) => c.json({ partTransferRequest: partTransferView(need(c, 'GET /parttransferrequests/{id}')) }));

  app.patch('/parttransferrequests/:id', async (c) => {
    const r = need(c, 'PATCH /parttransferrequests/{id}');
    const b = await body(c, 'PATCH /parttransferrequests/{id}');
    const updated = updatePartTransfer(mx, lazyActorOf(c), r, b);
    return c.json({ partTransferRequest: partTransferView(updated) });
  });
}
