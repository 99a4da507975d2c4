/** Custom fields, webhook subscriptions, organizations, versions. */
import type { Hono } from 'hono';
import { deleteRecord } from '../ops/common.js';
import { createCustomFields, customFieldsOf, updateCustomField } from '../ops/customfields.js';
import { createSubscription, deleteSubscription, updateSubscription } from '../ops/subscriptions.js';
import { notFound, validation } from '../errors.js';
import { actorOf, body, orgOf, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { decodeCursor, encodeCursor, limitParam, nextPageUrl, one } from '../query.js';
import type { Json } from '../store/index.js';
import { customFieldView, organizationView, subscriptionView } from '../views/misc.js';
import { randomHex } from '../../../core/secrets.js';
import { need } from './shared.js';

const ENTITIES = ['assets', 'locations', 'parts', 'workOrders', 'vendors', 'purchaseOrders', 'lineItemPurchaseOrders'];

export function miscRoutes(app: Hono<Env>, mx: Mx): void {
  // ---- custom fields ------------------------------------------------------------------------------------------
  const entity = (c: C): string => {
    const e = c.req.param('entity') ?? '';
    if (!ENTITIES.includes(e)) throw validation([{ error: `entity must be equal to one of the allowed values: ${ENTITIES.join(', ')}`, fieldPath: 'entity', fieldValue: e }]);
    return e;
  };
  app.post('/customfields/:entity', async (c) => {
    const e = entity(c);
    const b = await body(c, 'POST /customfields/{entity}');
    const created = createCustomFields(mx, orgOf(c), e, b.fields as Json[]);
    return c.json(created.map(customFieldView), 200);
  });
  app.get('/customfields/:entity', (c) => c.json(customFieldsOf(mx, orgOf(c), entity(c)).map(customFieldView)));
  const field = (c: C, key: string) => {
    const e = entity(c);
    const r = mx.store.records.get('customField', pathId(c), [orgOf(c)]);
    if (!r || r.data.entity !== e) throw notFound(notFoundMessage(key));
    return r;
  };
  app.patch('/customfields/:entity/:id', async (c) => {
    const r = field(c, 'PATCH /customfields/{entity}/{id}');
    const b = await body(c, 'PATCH /customfields/{entity}/{id}');
    updateCustomField(mx, r, b.field as Json);
    return c.body(null, 204);
  });
  app.delete('/customfields/:entity/:id', (c) => {
    deleteRecord(mx, field(c, 'DELETE /customfields/{entity}/{id}'));
    return c.body(null, 204);
  });

  // ---- subscriptions ------------------------------------------------------------------------------------------
  app.post('/subscriptions', async (c) => {
    const b = await body(c, 'POST /subscriptions').catch((err) => {
      // The body is a oneOf over 46 event types: name the failing field instead of ajv's oneOf noise.
      if (err?.status === 400) {
        const raw = err.body?.errors?.[0];
        if (raw && raw.fieldPath === null) throw err;
        throw validation([{ error: 'Invalid type', fieldPath: 'type', fieldValue: null }]);
      }
      throw err;
    });
    const secret = randomHex(32);
    const r = createSubscription(mx, actorOf(c), b, secret);
    return c.json({ id: r.id, status: 'VALID', secret }, 201);
  });
  app.get('/subscriptions/:id', (c) => c.json({ subscription: subscriptionView(need(mx, c, 'subscription', 'GET /subscriptions/{id}')) }));
  app.patch('/subscriptions/:id', async (c) => {
    const r = need(mx, c, 'subscription', 'PATCH /subscriptions/{id}');
    const b = await body(c, 'PATCH /subscriptions/{id}');
    return c.json({ subscription: subscriptionView(updateSubscription(mx, r, b)) });
  });
  app.delete('/subscriptions/:id', (c) => {
    deleteSubscription(mx, actorOf(c), need(mx, c, 'subscription', 'DELETE /subscriptions/{id}'));
    return c.body(null, 204);
  });
  app.get('/subscriptions/:id/secret', (c) => c.json({ secret: need(mx, c, 'subscription', 'GET /subscriptions/{id}/secret').data.secret }));

  // ---- organizations, versions --------------------------------------------------------------------------------
  app.get('/organizations', (c) => {
    const p = params(c);
    const limit = limitParam(p);
    const raw = one(p, 'cursor');
    const after = raw !== undefined ? decodeCursor(raw, 'id').id : 0;
    const rows = mx.store.orgs.page(c.env.keyOrgIds, after, limit + 1);
    const more = rows.length > limit;
    if (more) rows.pop();
    const next = more ? encodeCursor({ sort: 'id', value: rows[rows.length - 1].id, id: rows[rows.length - 1].id }) : null;
    const url = new URL(c.req.url);
    return c.json({
      organizations: rows.map(organizationView),
      nextCursor: next,
      nextPageUrl: next ? nextPageUrl(url.pathname, url.search, next) : null,
    });
  });
  app.get('/versions', (c) => c.json([{ version: '1' }]));
}

