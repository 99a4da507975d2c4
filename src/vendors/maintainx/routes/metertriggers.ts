/**
 * Meter triggers: each new reading of the meter is checked against the trigger's condition; a trigger that fires
 * moves to TRIGGERED (METER_TRIGGER_STATE_CHANGE) and creates a work order from its work order template.
 */
import type { Hono } from 'hono';
import { write } from '../ops/common.js';
import { notFound, validation } from '../errors.js';
import { body, orgOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { expandParam, intList } from '../query.js';
import type { Json, Row } from '../store/index.js';
import { attachmentsOf, ref, refs, storeUpload } from './shared.js';

const TRIGGER_FIELDS = ['meterId', 'amount', 'condition', 'dataPoints', 'description', 'minDateForProcessing', 'name', 'nextTriggerValue', 'period'];

export function meterTriggerRoutes(app: Hono<Env>, mx: Mx): void {
  const present = (c: C, t: Row, expand: Set<string>): Json => {
    const d = t.data;
    const o: Json = {
      id: t.id, meterId: d.meterId, organizationId: t.orgId, amount: d.amount, condition: d.condition, createdAt: t.createdAt, creatorId: d.creatorId,
      dataPoints: d.dataPoints ?? null, deletedAt: t.deletedAt, description: d.description ?? null, minDateForProcessing: d.minDateForProcessing ?? null,
      name: d.name, nextTriggerValue: d.nextTriggerValue ?? null, period: d.period ?? null, state: d.state, updatedAt: t.updatedAt,
      workOrderTemplateId: d.workOrderTemplateId ?? null,
    };
    if (expand.has('work_order_template') && typeof d.workOrderTemplateId === 'number') {
      const w = mx.store.records.get('woTemplate', d.workOrderTemplateId, [t.orgId]);
      if (w) o.workOrderTemplate = presentTemplate(c, w);
    }
    return o;
  };
  const presentTemplate = (c: C, w: Row): Json => {
    const files = attachmentsOf(mx, c, w);
    return {
      id: w.id, createdAt: w.createdAt, creatorId: w.data.creatorId ?? null, deletedAt: w.deletedAt, organizationId: w.orgId,
      procedureTemplateId: w.data.procedureTemplateId ?? null, title: w.data.title, updatedAt: w.updatedAt,
      data: { ...(w.data.data as Json), attachmentIds: files.attachments.map((a) => a.id) },
    };
  };
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
  const checkTemplate = (c: C, w: Json | undefined) => {
    if (!w) return;
    if (w.procedureTemplateId != null) ref(mx, orgOf(c), 'procedureTemplate', 'workOrderTemplate.procedureTemplateId', w.procedureTemplateId);
    const d = (w.data ?? {}) as Json;
    ref(mx, orgOf(c), 'asset', 'workOrderTemplate.data.assetId', d.assetId);
    ref(mx, orgOf(c), 'location', 'workOrderTemplate.data.locationId', d.locationId);
    refs(mx, orgOf(c), 'user', 'workOrderTemplate.data.assigneeIds', d.assigneeIds);
    refs(mx, orgOf(c), 'team', 'workOrderTemplate.data.teamIds', d.teamIds);
  };
  const checkTrigger = (c: C, t: Json) => {
    if (t.meterId !== undefined) ref(mx, orgOf(c), 'meter', 'meterTrigger.meterId', t.meterId);
    if (t.workOrderTemplateId !== undefined) ref(mx, orgOf(c), 'woTemplate', 'meterTrigger.workOrderTemplateId', t.workOrderTemplateId);
    const dp = t.dataPoints as { numerator?: number; denominator?: number } | undefined;
    if (dp && (dp.numerator! > dp.denominator! || dp.denominator! < 1)) {
      throw validation([{ error: 'dataPoints.numerator must be between 1 and dataPoints.denominator', fieldPath: 'meterTrigger.dataPoints', fieldValue: null }]);
    }
  };

  app.post('/metertriggers', async (c) => {
    const b = await body(c, 'POST /metertriggers');
    const t = b.meterTrigger as Json;
    checkTrigger(c, t);
    const w = b.workOrderTemplate as Json | undefined;
    checkTemplate(c, w);
    const org = orgOf(c);
    const row = write(mx, () => {
      let templateId = t.workOrderTemplateId as number | undefined;
      let name = t.name as string;
      if (templateId === undefined) {
        const tpl = mx.store.records.insert('woTemplate', org, { title: (t.name as string) ?? w?.title, procedureTemplateId: w?.procedureTemplateId ?? null, data: w?.data ?? {}, creatorId: c.env.userId });
        templateId = tpl.id;
      } else {
        name = mx.store.records.get('woTemplate', templateId, [org])!.data.title as string; // the spec: the name follows the linked template
      }
      const data: Json = { creatorId: c.env.userId, state: 'INSUFFICIENT_DATA', workOrderTemplateId: templateId, dataPoints: null };
      for (const k of TRIGGER_FIELDS) if (k in t) data[k] = t[k];
      data.name = name;
      return mx.store.records.insert('meterTrigger', org, data);
    });
    return c.json({ id: row.id }, 201);
  });

  app.get('/metertriggers', async (c) => {
    const meters = intList(params(c), 'meters');

    return c.json(
      await page(c, mx, { kind: 'meterTrigger', listKey: 'meterTriggers', orgIds: c.env.orgIds, filters: meters ? [{ in: '$.meterId', values: meters }] : [], present: (t) => ({ id: t.id, name: t.data.name, meterId: t.data.meterId }) }),
    );
  });

  app.get('/metertriggers/:id', (c) => {
    const expand = expandParam(params(c), ['work_order_template']);
    return c.json({ meterTrigger: present(c, need(c, 'GET /metertriggers/{id}'), expand) });
  });

  app.patch('/metertriggers/:id', async (c) => {
    const r = need(c, 'PATCH /metertriggers/{id}');
    const b = await body(c, 'PATCH /metertriggers/{id}');
    const t = (b.meterTrigger ?? {}) as Json;
    checkTrigger(c, t);
    const data = { ...r.data };
    for (const k of [...TRIGGER_FIELDS, 'workOrderTemplateId']) if (k in t) data[k] = t[k];
    if ('workOrderTemplateId' in t) data.name = mx.store.records.get('woTemplate', t.workOrderTemplateId as number, [r.orgId])!.data.title;
    if ('condition' in t || 'amount' in t) data.state = 'INSUFFICIENT_DATA';
    write(mx, () => mx.store.records.update(r, data));
    return c.body(null, 204);
  });

  app.delete('/metertriggers/:id', (c) => {
    const r = need(c, 'DELETE /metertriggers/{id}');
    write(mx, () => mx.store.records.softDelete(r));
    return c.body(null, 204);
  });

  app.patch('/metertriggers/:id/workordertemplates', async (c) => {
    const w = templateOf(c, 'PATCH /metertriggers/{id}/workordertemplates');
    const b = await body(c, 'PATCH /metertriggers/{id}/workordertemplates');
    checkTemplate(c, b);
    const data = { ...w.data };
    if (b.title !== undefined) data.title = b.title;
    if (b.procedureTemplateId !== undefined) data.procedureTemplateId = b.procedureTemplateId;
    if (b.data !== undefined) data.data = { ...(w.data.data as Json), ...(b.data as Json) };
    write(mx, () => mx.store.records.update(w, data));
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
    if (!write(mx, () => mx.store.files.delete(w.id, 'attachment', c.req.param('filename')))) throw notFound(notFoundMessage(key));
    return c.body(null, 204);
  });
}
