/**
 * Purchase orders: REQUESTED on creation, the spec's status-transition table, fulfillment that receives items into
 * part stock (and moves the order to PARTIALLY_FULFILLED / COMPLETED), comments, e-mails (recorded), attachments.
 */
import type { Hono } from 'hono';
import {
  addPurchaseOrderComment,
  createPurchaseOrder,
  deletePurchaseOrder,
  emailPurchaseOrder,
  receivePurchaseOrderItems,
  setPurchaseOrderStatus,
  updatePurchaseOrder,
} from '../ops/purchaseorders.js';
import { notFound } from '../errors.js';
import { actorOf, body, originOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { sortParam } from '../query.js';
import type { Filter, Json, Row } from '../store/index.js';
import { purchaseOrderItemView, purchaseOrderView } from '../views/purchaseorders.js';
import { attachmentRoutes, customFieldFilter, dateFilters } from './shared.js';

export function purchaseOrderRoutes(app: Hono<Env>, mx: Mx): void {
  const present = (c: C, r: Row): Json => purchaseOrderView(mx, originOf(c), r);
  const need = (c: C, key: string): Row => {
    const r = mx.store.records.get('purchaseOrder', pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };

  app.post('/purchaseorders', async (c) => {
    const b = await body(c, 'POST /purchaseorders');
    return c.json(createPurchaseOrder(mx, actorOf(c), originOf(c), b), 201);
  });

  app.get('/purchaseorders', async (c) => {
    const p = params(c);
    const filters: Filter[] = [];
    dateFilters(c, filters);
    customFieldFilter(c, filters);
    const sort = sortParam(p, ['id', 'createdAt', 'updatedAt'], { field: 'id', desc: false });
    return c.json(await page(c, mx, { kind: 'purchaseOrder', listKey: 'purchaseOrders', orgIds: c.env.orgIds, filters, sort, present: purchaseOrderItemView }));
  });

  app.get('/purchaseorders/:id', (c) => c.json({ purchaseOrder: present(c, need(c, 'GET /purchaseorders/{id}')) }));

  app.patch('/purchaseorders/:id', async (c) => {
    const r = need(c, 'PATCH /purchaseorders/{id}');
    const b = await body(c, 'PATCH /purchaseorders/{id}');
    return c.json({ purchaseOrder: present(c, updatePurchaseOrder(mx, actorOf(c), originOf(c), r, b)) });
  });

  app.patch('/purchaseorders/:id/status', async (c) => {
    const r = need(c, 'PATCH /purchaseorders/{id}/status');
    const b = await body(c, 'PATCH /purchaseorders/{id}/status');
    return c.json({ purchaseOrder: present(c, setPurchaseOrderStatus(mx, actorOf(c), originOf(c), r, b)) });
  });

  app.patch('/purchaseorders/:id/fulfillment', async (c) => {
    const r = need(c, 'PATCH /purchaseorders/{id}/fulfillment');
    const b = await body(c, 'PATCH /purchaseorders/{id}/fulfillment');
    return c.json({ purchaseOrder: present(c, receivePurchaseOrderItems(mx, actorOf(c), originOf(c), r, b)) });
  });

  app.delete('/purchaseorders/:id', (c) => {
    deletePurchaseOrder(mx, need(c, 'DELETE /purchaseorders/{id}'));
    return c.body(null, 204);
  });

  app.post('/purchaseorders/:id/comments', async (c) => {
    const r = need(c, 'POST /purchaseorders/{id}/comments');
    const b = await body(c, 'POST /purchaseorders/{id}/comments');
    return c.json({ id: addPurchaseOrderComment(mx, actorOf(c), r, b.content).id }, 201);
  });

  app.post('/purchaseorders/:id/emails', async (c) => {
    const r = need(c, 'POST /purchaseorders/{id}/emails');
    const b = await body(c, 'POST /purchaseorders/{id}/emails');
    return c.json({ id: emailPurchaseOrder(mx, actorOf(c), r, b).id }, 201);
  });

  attachmentRoutes(app, mx, '/purchaseorders', 'purchaseOrder');
}
