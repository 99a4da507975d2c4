/** Procedures: inline procedures of work orders, copies of procedure templates. */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store.js';

/** The rows of a procedure template, in their order. */
export function templateRows(mx: Mx, tpl: Row): Row[] {
  return mx.store
    .children('procedureTemplateRow', tpl.id)
    .sort((a, b) => (a.data.index as number) - (b.data.index as number) || a.id - b.id);
}

/** An inline procedure from a create/update body, with field ids. */
export function procedureOf(mx: Mx, org: number, p: Json): Json {
  return {
    id: mx.store.nextSeq(org, 'procedure'),
    templateIds: null,
    title: p.title,
    maxScore: 0,
    score: 0,
    fields: ((p.fields as Json[]) ?? []).map((f) => ({
      id: mx.store.nextSeq(org, 'procedureField'),
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
  const tpl = mx.store.get('procedureTemplate', templateId, [org]);
  if (!tpl) throw validation([{ error: 'procedureTemplateId is not valid', fieldPath: 'procedureTemplateId', fieldValue: templateId }]);
  return {
    id: mx.store.nextSeq(tpl.orgId, 'procedure'),
    templateIds: [tpl.id],
    title: tpl.data.title,
    maxScore: 0,
    score: 0,
    fields: templateRows(mx, tpl).map((r) => ({
      id: mx.store.nextSeq(tpl.orgId, 'procedureField'),
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
