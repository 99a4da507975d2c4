/** Procedures: inline procedures of work orders, copies of procedure templates. */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { ref, write, type Actor } from './common.js';

/** The rows of a procedure template, in their order. */
export function templateRows(mx: Mx, tpl: Row): Row[] {
  return mx.store.records
    .children('procedureTemplateRow', tpl.id)
    .sort((a, b) => (a.data.index as number) - (b.data.index as number) || a.id - b.id);
}

/** An inline procedure from a create/update body, with field ids. */
export function procedureOf(mx: Mx, org: number, p: Json): Json {
  return {
    id: mx.store.records.nextSeq(org, 'procedure'),
    templateIds: null,
    title: p.title,
    maxScore: 0,
    score: 0,
    fields: ((p.fields as Json[]) ?? []).map((f) => ({
      id: mx.store.records.nextSeq(org, 'procedureField'),
      parentId: null,
      required: false,
      description: f.description ?? null,
      type: f.type,
      label: f.label,
      ...(Array.isArray(f.choices) ? { choices: f.choices } : {}),
      value: {},
    })),
  };
}

/** The inline procedure a work order gets from `procedureTemplateId`. */
export function procedureFromTemplate(mx: Mx, org: number, templateId: number): Json {
  const tpl = mx.store.records.get('procedureTemplate', templateId, [org]);
  if (!tpl) throw validation([{ error: 'procedureTemplateId is not valid', fieldPath: 'procedureTemplateId', fieldValue: templateId }]);
  return {
    id: mx.store.records.nextSeq(tpl.orgId, 'procedure'),
    templateIds: [tpl.id],
    title: tpl.data.title,
    maxScore: 0,
    score: 0,
    fields: templateRows(mx, tpl).map((r) => ({
      id: mx.store.records.nextSeq(tpl.orgId, 'procedureField'),
      parentId: null,
      procedureTemplateId: tpl.id,
      procedureTemplateFieldId: r.id,
      required: false,
      description: r.data.description ?? null,
      type: r.data.type,
      label: r.data.label,
      ...(Array.isArray(r.data.choices) ? { choices: r.data.choices } : {}),
      value: {},
    })),
  };
}

const ROW_FIELDS = ['label', 'type', 'description', 'choices', 'urls', 'meterId', 'isDateAndTime', 'index'];

/** A template row's stored fields from a body (`meterId` checked). */
function rowData(mx: Mx, org: number, f: Json, i: number, prefix: string): Json {
  if (f.meterId != null) ref(mx, org, 'meter', `${prefix}.${i}.meterId`, f.meterId);
  const d: Json = {};
  for (const k of ROW_FIELDS) if (k in f) d[k] = f[k];
  d.index ??= i;
  return d;
}

/** POST /proceduretemplates → the template (its rows from `fields`). */
export function createProcedureTemplate(mx: Mx, actor: Actor, b: Json): Row {
  const org = actor.orgId;
  const fields = b.fields as Json[];
  fields.forEach((f, i) => rowData(mx, org, f, i, 'fields'));
  return write(mx, () => {
    const t = mx.store.records.insert('procedureTemplate', org, { title: b.title, description: null, creatorId: actor.userId });
    fields.forEach((f, i) => mx.store.records.insert('procedureTemplateRow', org, rowData(mx, org, f, i, 'fields'), { parentId: t.id }));
    return t;
  });
}

/** PATCH /proceduretemplates/{id}: `fields` is the new row list (known ids updated, new rows made, the rest removed). */
export function updateProcedureTemplate(mx: Mx, t: Row, b: Json): void {
  write(mx, () => {
    const data = { ...t.data };
    if (b.title !== undefined) data.title = b.title;
    if (b.description !== undefined) data.description = b.description;
    if (Array.isArray(b.fields)) {
      const existing = templateRows(mx, t);
      const keep = new Set<number>();
      (b.fields as Json[]).forEach((f, i) => {
        if (typeof f.id === 'number') {
          const r = existing.find((x) => x.id === f.id);
          if (!r) throw validation([{ error: 'Bad request', fieldPath: `fields.${i}.id`, fieldValue: f.id }]);
          keep.add(r.id);
          mx.store.records.update(r, { ...r.data, ...rowData(mx, t.orgId, f, i, 'fields'), index: (f.index as number) ?? i });
        } else {
          keep.add(mx.store.records.insert('procedureTemplateRow', t.orgId, rowData(mx, t.orgId, f, i, 'fields'), { parentId: t.id }).id);
        }
      });
      for (const r of existing) if (!keep.has(r.id)) mx.store.records.softDelete(r);
    }
    mx.store.records.update(t, data);
  });
}

export function deleteProcedureTemplate(mx: Mx, t: Row): void {
  write(mx, () => {
    for (const r of templateRows(mx, t)) mx.store.records.softDelete(r);
    mx.store.records.softDelete(t);
  });
}

/** PATCH /proceduretemplaterows/{id} → the row. */
export function updateTemplateRow(mx: Mx, r: Row, b: Json): Row {
  return write(mx, () => mx.store.records.update(r, { ...r.data, ...rowData(mx, r.orgId, b, (r.data.index as number) ?? 0, 'row') }));
}

export function deleteTemplateRow(mx: Mx, r: Row): void {
  write(mx, () => mx.store.records.softDelete(r));
}

/** DELETE /proceduretemplaterows/{id}/attachments. */
export function clearTemplateRowAttachments(mx: Mx, r: Row): void {
  write(mx, () => {
    mx.store.files.deleteSlot(r.id, 'attachment');
    mx.store.records.update(r, r.data);
  });
}
