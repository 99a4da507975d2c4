/** Meter triggers, their work order templates and the templates' files (the firing itself: ops/metertriggers.ts). */
import type { Hono } from 'hono';
import { deleteRecord } from '../ops/common.js';
import { removeFile } from '../ops/files.js';
import { createMeterTrigger, updateMeterTrigger, updateTriggerTemplate } from '../ops/metertriggers.js';
import { notFound } from '../errors.js';
import { body, lazyActorOf, originOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { expandParam, intList } from '../query.js';
import type { Json, Row } from '../store/index.js';
import { storeUpload } from './shared.js';
import { meterTriggerItemView, meterTriggerView } from '../views/metertriggers.js';

export function meterTriggerRoutes(app: Hono<Env>, mx: Mx): void {
  const need = (c: C, key: string): Row => {
    const r = mx.store.records.get('meterTrigger', pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };
  const templateOf = (c: C, key: string): Row => {
    const t = need(c, key);
    const w = typeof t.data.workOrderTemplateId === 'number' ? mx.store.records.get('woTemplate', t.data.workOrderTemplateId, [t.orgId]) : null;
    if (!w) throw notFound(notFoundMessage(key));
    return w;
  };
  app.post('/metertriggers', async (c) => {
    const b = await body(c, 'POST /metertriggers');
    const row = createMeterTrigger(mx, lazyActorOf(c), b.meterTrigger as Json, b.workOrderTemplate as Json | undefined);
    return c.json({ id: row.id }, 201);
  });

  app.get('/metertriggers', async (c) => {
    const meters = intList(params(c), 'meters');

    return c.json(
      await page(c, mx, { kind: 'meterTrigger', listKey: 'meterTriggers', orgIds: c.env.orgIds, filters: meters ? [{ in: '$.meterId', values: meters }] : [], present: meterTriggerItemView }),
    );
  });

  app.get('/metertriggers/:id', (c) => {
    const expand = expandParam(params(c), ['work_order_template']);
    return c.json({ meterTrigger: meterTriggerView(mx, originOf(c), need(c, 'GET /metertriggers/{id}'), expand) });
  });

  app.patch('/metertriggers/:id', async (c) => {
    const r = need(c, 'PATCH /metertriggers/{id}');
    const b = await body(c, 'PATCH /metertriggers/{id}');
    updateMeterTrigger(mx, lazyActorOf(c), r, (b.meterTrigger ?? {}) as Json);
    return c.body(null, 204);
  });

  app.delete('/metertriggers/:id', (c) => {
    deleteRecord(mx, need(c, 'DELETE /metertriggers/{id}'));
    return c.body(null, 204);
  });

  app.patch('/metertriggers/:id/workordertemplates', async (c) => {
    const w = templateOf(c, 'PATCH /metertriggers/{id}/workordertemplates');
    const b = await body(c, 'PATCH /metertriggers/{id}/workordertemplates');
    updateTriggerTemplate(mx, lazyActorOf(c), w, b);
    return c.body(null, 204);
  });

  app.put('/metertriggers/:id/thumbnail/:filename', async (c) => {
    const key = 'PUT /metertriggers/{id}/thumbnail/{filename}';
    return storeUpload(mx, c, templateOf(c, key), key, 'thumbnail');
  });
  app.put('/metertriggers/:id/workordertemplates/attachments/:filename', async (c) => {
    const key = 'PUT /metertriggers/{id}/workordertemplates/attachments/{filename}';
    return storeUpload(mx, c, templateOf(c, key), key, 'attachment');
  });
  app.delete('/metertriggers/:id/workordertemplates/attachments/:filename', (c) => {
    const key = 'DELETE /metertriggers/{id}/workordertemplates/attachments/{filename}';
    const w = templateOf(c, key);
    if (!removeFile(mx, w, 'attachment', c.req.param('filename'), false)) throw notFound(notFoundMessage(key));
    return c.body(null, 204);
  });
}
