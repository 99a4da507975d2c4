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
import { actorOf, body, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { expandParam } from '../query.js';
import type { Json, Row } from '../store/index.js';
import { attachmentsOf, storeUpload } from './shared.js';

const rowsOf = templateRows;

export function procedureRoutes(app: Hono<Env>, mx: Mx): void {
  const presentRow = (c: C, r: Row): Json => {
    const files = attachmentsOf(mx, c, r).attachments;
    return {
      id: r.id, label: r.data.label, type: r.data.type, description: r.data.description ?? null, choices: r.data.choices ?? null,
      meterId: r.data.meterId ?? null, isDateAndTime: r.data.isDateAndTime ?? false, attachmentId: (files[0]?.id as number) ?? null,
      attachments: files, urls: r.data.urls ?? [],
    };
  };
  const present = (c: C, t: Row, rows: boolean): Json => ({
    id: t.id, title: t.data.title, createdAt: t.createdAt, deletedAt: t.deletedAt, updatedAt: t.updatedAt,
    ...(rows ? { rows: rowsOf(mx, t).map((r) => presentRow(c, r)) } : {}),
  });
  const need = (c: C, kind: string, key: string): Row => {
    const r = mx.store.records.get(kind, pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };

  app.post('/proceduretemplates', async (c) => {
    const b = await body(c, 'POST /proceduretemplates');
    const tpl = createProcedureTemplate(mx, actorOf(c), b);
    return c.json({ id: tpl.id, fields: rowsOf(mx, tpl).map((r) => presentRow(c, r)) }, 201);
  });

  app.get('/proceduretemplates', async (c) => {
    const expand = expandParam(params(c), ['rows']);
    return c.json(
      await page(c, mx, { kind: 'procedureTemplate', listKey: 'procedureTemplates', orgIds: c.env.orgIds, present: (t) => ({ id: t.id, title: t.data.title, ...(expand.has('rows') ? { rows: rowsOf(mx, t).map((r) => presentRow(c, r)) } : {}) }) }),
    );
  });

  app.get('/proceduretemplates/:id', (c) => {
    const expand = expandParam(params(c), ['rows']);
    return c.json({ procedureTemplate: present(c, need(c, 'procedureTemplate', 'GET /proceduretemplates/{id}'), expand.has('rows')) });
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
    return c.json({ row: presentRow(c, updateTemplateRow(mx, r, b)) });
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
