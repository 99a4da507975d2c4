/** Procedure templates and their rows; work orders copy a template into their inline procedure. */
import type { Hono } from 'hono';
import { write } from '../ops/common.js';
import { templateRows } from '../ops/procedures.js';
import { notFound, validation } from '../errors.js';
import { body, orgOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { expandParam } from '../query.js';
import type { Json, Row } from '../store.js';
import { attachmentsOf, ref, storeUpload } from './shared.js';

const ROW_FIELDS = ['label', 'type', 'description', 'choices', 'urls', 'meterId', 'isDateAndTime', 'index'];

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
  const rowData = (c: C, f: Json, i: number, prefix: string): Json => {
    if (f.meterId != null) ref(mx, orgOf(c), 'meter', `${prefix}.${i}.meterId`, f.meterId);
    const d: Json = {};
    for (const k of ROW_FIELDS) if (k in f) d[k] = f[k];
    d.index ??= i;
    return d;
  };
  const need = (c: C, kind: string, key: string): Row => {
    const r = mx.store.get(kind, pathId(c), c.env.orgIds);
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };

  app.post('/proceduretemplates', async (c) => {
    const b = await body(c, 'POST /proceduretemplates');
    const org = orgOf(c);
    const fields = b.fields as Json[];
    fields.forEach((f, i) => rowData(c, f, i, 'fields'));
    const tpl = write(mx, () => {
      const t = mx.store.insert('procedureTemplate', org, { title: b.title, description: null, creatorId: c.env.userId });
      fields.forEach((f, i) => mx.store.insert('procedureTemplateRow', org, rowData(c, f, i, 'fields'), { parentId: t.id }));
      return t;
    });
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
    write(mx, () => {
      const data = { ...t.data };
      if (b.title !== undefined) data.title = b.title;
      if (b.description !== undefined) data.description = b.description;
      if (Array.isArray(b.fields)) {
        // The list is the template's new row list: known ids are updated, new rows created, the rest removed.
        const existing = rowsOf(mx, t);
        const keep = new Set<number>();
        (b.fields as Json[]).forEach((f, i) => {
          if (typeof f.id === 'number') {
            const r = existing.find((x) => x.id === f.id);
            if (!r) throw validation([{ error: 'Bad request', fieldPath: `fields.${i}.id`, fieldValue: f.id }]);
            keep.add(r.id);
            mx.store.update(r, { ...r.data, ...rowData(c, f, i, 'fields'), index: (f.index as number) ?? i });
          } else {
            keep.add(mx.store.insert('procedureTemplateRow', t.orgId, rowData(c, f, i, 'fields'), { parentId: t.id }).id);
          }
        });
        for (const r of existing) if (!keep.has(r.id)) mx.store.softDelete(r);
      }
      mx.store.update(t, data);
    });
    return c.body(null, 204);
  });

  app.delete('/proceduretemplates/:id', (c) => {
    const t = need(c, 'procedureTemplate', 'DELETE /proceduretemplates/{id}');
    write(mx, () => {
      for (const r of rowsOf(mx, t)) mx.store.softDelete(r);
      mx.store.softDelete(t);
    });
    return c.body(null, 204);
  });

  app.patch('/proceduretemplaterows/:id', async (c) => {
    const r = need(c, 'procedureTemplateRow', 'PATCH /proceduretemplaterows/{id}');
    const b = await body(c, 'PATCH /proceduretemplaterows/{id}');
    const updated = write(mx, () => mx.store.update(r, { ...r.data, ...rowData(c, b, (r.data.index as number) ?? 0, 'row') }));
    return c.json({ row: presentRow(c, updated) });
  });

  app.delete('/proceduretemplaterows/:id', (c) => {
    const r = need(c, 'procedureTemplateRow', 'DELETE /proceduretemplaterows/{id}');
    write(mx, () => mx.store.softDelete(r));
    return c.body(null, 204);
  });

  app.put('/proceduretemplaterows/:id/attachments/:filename', async (c) => {
    const key = 'PUT /proceduretemplaterows/{id}/attachments/{filename}';
    return storeUpload(mx, c, need(c, 'procedureTemplateRow', key), key, 'attachment');
  });

  app.delete('/proceduretemplaterows/:id/attachments', (c) => {
    const r = need(c, 'procedureTemplateRow', 'DELETE /proceduretemplaterows/{id}/attachments');
    write(mx, () => {
      mx.store.deleteSlot(r.id, 'attachment');
      mx.store.update(r, r.data);
    });
    return c.body(null, 204);
  });
}
