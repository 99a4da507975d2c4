/** Procedure templates and their rows; work orders copy a template into their inline procedure. */
import type { Hono } from 'hono';
import {
  clearTemplateRowAttachments,
  createProcedureTemplate,
  deleteProcedureTemplate,
  deleteTemplateRow,
  templateRows,
  updateProcedureTemplate,
  updateTemplateRow,
} from '../ops/procedures.js';
import { notFound } from '../errors.js';
import { actorOf, body, originOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { expandParam } from '../query.js';
import type { Row } from '../store/index.js';
import { storeUpload } from './shared.js';
import { procedureTemplateItemView, procedureTemplateView, templateRowView } from '../views/procedures.js';

const rowsOf = templateRows;

export function procedureRoutes(app: Hono<Env>, mx: Mx): void {
  const need = (c: C, kind: string, key: string): Row => {
    const r = mx.store.records.get(kind, pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };

  app.post('/proceduretemplates', async (c) => {
    const b = await body(c, 'POST /proceduretemplates');
    const tpl = createProcedureTemplate(mx, actorOf(c), b);
    const origin = originOf(c);
    return c.json({ id: tpl.id, fields: rowsOf(mx, tpl).map((r) => templateRowView(mx, origin, r)) }, 201);
  });

  app.get('/proceduretemplates', async (c) => {
    const expand = expandParam(params(c), ['rows']);
    const origin = originOf(c);
    return c.json(
      await page(c, mx, { kind: 'procedureTemplate', listKey: 'procedureTemplates', orgIds: c.env.orgIds, present: (t) => procedureTemplateItemView(mx, origin, t, expand.has('rows')) }),
    );
  });

  app.get('/proceduretemplates/:id', (c) => {
    const expand = expandParam(params(c), ['rows']);
    return c.json({ procedureTemplate: procedureTemplateView(mx, originOf(c), need(c, 'procedureTemplate', 'GET /proceduretemplates/{id}'), expand.has('rows')) });
  });

  app.patch('/proceduretemplates/:id', async (c) => {
    const t = need(c, 'procedureTemplate', 'PATCH /proceduretemplates/{id}');
    const b = await body(c, 'PATCH /proceduretemplates/{id}');
    updateProcedureTemplate(mx, t, b);
    return c.body(null, 204);
  });

  app.delete('/proceduretemplates/:id', (c) => {
    deleteProcedureTemplate(mx, need(c, 'procedureTemplate', 'DELETE /proceduretemplates/{id}'));
    return c.body(null, 204);
  });

  app.patch('/proceduretemplaterows/:id', async (c) => {
    const r = need(c, 'procedureTemplateRow', 'PATCH /proceduretemplaterows/{id}');
    const b = await body(c, 'PATCH /proceduretemplaterows/{id}');
    return c.json({ row: templateRowView(mx, originOf(c), updateTemplateRow(mx, r, b)) });
  });

  app.delete('/proceduretemplaterows/:id', (c) => {
    deleteTemplateRow(mx, need(c, 'procedureTemplateRow', 'DELETE /proceduretemplaterows/{id}'));
    return c.body(null, 204);
  });

  app.put('/proceduretemplaterows/:id/attachments/:filename', async (c) => {
    const key = 'PUT /proceduretemplaterows/{id}/attachments/{filename}';
    return storeUpload(mx, c, need(c, 'procedureTemplateRow', key), key, 'attachment');
  });

  app.delete('/proceduretemplaterows/:id/attachments', (c) => {
    clearTemplateRowAttachments(mx, need(c, 'procedureTemplateRow', 'DELETE /proceduretemplaterows/{id}/attachments'));
    return c.body(null, 204);
  });
}
