/**
 * Meter triggers: create, update and delete them and their work order templates; each new reading of the meter is
 * checked against the trigger's condition, and a trigger that fires moves to TRIGGERED (METER_TRIGGER_STATE_CHANGE)
 * and creates a work order from its work order template.
 */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { ref, refs, write, type Actor } from './common.js';
import { createFromTemplate, meterRecurrences } from './workorders.js';

const TRIGGER_FIELDS = ['meterId', 'amount', 'condition', 'dataPoints', 'description', 'minDateForProcessing', 'name', 'nextTriggerValue', 'period'];

/** The references of a work order template body (`workOrderTemplate` of a trigger, or the template's own PATCH). */
function checkTemplate(mx: Mx, org: number, w: Json | undefined): void {
  if (!w) return;
  if (w.procedureTemplateId != null) ref(mx, org, 'procedureTemplate', 'workOrderTemplate.procedureTemplateId', w.procedureTemplateId);
  const d = (w.data ?? {}) as Json;
  ref(mx, org, 'asset', 'workOrderTemplate.data.assetId', d.assetId);
  ref(mx, org, 'location', 'workOrderTemplate.data.locationId', d.locationId);
  refs(mx, org, 'user', 'workOrderTemplate.data.assigneeIds', d.assigneeIds);
  refs(mx, org, 'team', 'workOrderTemplate.data.teamIds', d.teamIds);
}

function checkTrigger(mx: Mx, org: number, t: Json): void {
  if (t.meterId !== undefined) ref(mx, org, 'meter', 'meterTrigger.meterId', t.meterId);
  if (t.workOrderTemplateId !== undefined) ref(mx, org, 'woTemplate', 'meterTrigger.workOrderTemplateId', t.workOrderTemplateId);
  const dp = t.dataPoints as { numerator?: number; denominator?: number } | undefined;
  if (dp && (dp.numerator! > dp.denominator! || dp.denominator! < 1)) {
    throw validation([{ error: 'dataPoints.numerator must be between 1 and dataPoints.denominator', fieldPath: 'meterTrigger.dataPoints', fieldValue: null }]);
  }
}

/** POST /metertriggers: the trigger, and its work order template unless it names an existing one. */
export function createMeterTrigger(mx: Mx, actor: Actor, t: Json, w: Json | undefined): Row {
  const org = actor.orgId;
  checkTrigger(mx, org, t);
  checkTemplate(mx, org, w);
  return write(mx, () => {
    let templateId = t.workOrderTemplateId as number | undefined;
    let name = t.name as string;
    if (templateId === undefined) {
      const tpl = mx.store.records.insert('woTemplate', org, { title: (t.name as string) ?? w?.title, procedureTemplateId: w?.procedureTemplateId ?? null, data: w?.data ?? {}, creatorId: actor.userId });
      templateId = tpl.id;
    } else {
      name = mx.store.records.get('woTemplate', templateId, [org])!.data.title as string; // the spec: the name follows the linked template
    }
    const data: Json = { creatorId: actor.userId, state: 'INSUFFICIENT_DATA', workOrderTemplateId: templateId, dataPoints: null };
    for (const k of TRIGGER_FIELDS) if (k in t) data[k] = t[k];
    data.name = name;
    return mx.store.records.insert('meterTrigger', org, data);
  });
}

/** PATCH /metertriggers/{id}: a new condition or amount starts over from INSUFFICIENT_DATA. */
export function updateMeterTrigger(mx: Mx, actor: Actor, r: Row, t: Json): void {
  checkTrigger(mx, actor.orgId, t);
  const data = { ...r.data };
  for (const k of [...TRIGGER_FIELDS, 'workOrderTemplateId']) if (k in t) data[k] = t[k];
  if ('workOrderTemplateId' in t) data.name = mx.store.records.get('woTemplate', t.workOrderTemplateId as number, [r.orgId])!.data.title;
  if ('condition' in t || 'amount' in t) data.state = 'INSUFFICIENT_DATA';
  write(mx, () => mx.store.records.update(r, data));
}

/** PATCH /metertriggers/{id}/workordertemplates: `data` is merged into the template's. */
export function updateTriggerTemplate(mx: Mx, actor: Actor, w: Row, b: Json): void {
  checkTemplate(mx, actor.orgId, b);
  const data = { ...w.data };
  if (b.title !== undefined) data.title = b.title;
  if (b.procedureTemplateId !== undefined) data.procedureTemplateId = b.procedureTemplateId;
  if (b.data !== undefined) data.data = { ...(w.data.data as Json), ...(b.data as Json) };
  write(mx, () => mx.store.records.update(w, data));
}

/** Evaluates every live trigger of `meter` after a new reading `value` (previous reading `prev`); call inside `write`. */
export function onReading(mx: Mx, meter: Row, value: number, prev: number | null, skip: boolean): void {
  meterRecurrences(mx, meter, value, skip);
  for (const t of mx.store.records.find('meterTrigger', meter.orgId, { eq: '$.meterId', value: meter.id })) {
    const d = t.data;
    if (typeof d.minDateForProcessing === 'string' && d.minDateForProcessing > mx.store.nowIso()) continue;
    const amount = d.amount as number;
    let fires = false;
    const data: Json = { ...d };
    switch (d.condition) {
      case 'IS_GREATER':
      case 'IS_LESS':
      case 'IS_EQUAL': {
        const test = (v: number) => (d.condition === 'IS_GREATER' ? v > amount : d.condition === 'IS_LESS' ? v < amount : v === amount);
        const dp = d.dataPoints as { numerator: number; denominator: number } | null;
        if (dp && dp.denominator > 0) {
          const recent = mx.store.records.children('meterReading', meter.id).slice(-dp.denominator).map((r) => Number(r.data.value));
          fires = recent.length >= dp.denominator && recent.filter(test).length >= dp.numerator;
        } else fires = test(value);
        break;
      }
      case 'INCREMENTED_BY':
      case 'DECREMENTED_BY': {
        const up = d.condition === 'INCREMENTED_BY';
        // First reading sets the baseline unless nextTriggerValue was given.
        if (typeof d.nextTriggerValue !== 'number') data.nextTriggerValue = up ? value + amount : value - amount;
        else if (up ? value >= (d.nextTriggerValue as number) : value <= (d.nextTriggerValue as number)) {
          fires = true;
          data.nextTriggerValue = up ? value + amount : value - amount;
        }
        break;
      }
      case 'INCREMENTED_BY_BASED_ON_LAST_READING':
        fires = prev !== null && value - prev >= amount;
        break;
      case 'DECREMENTED_BY_BASED_ON_LAST_READING':
        fires = prev !== null && prev - value >= amount;
        break;
    }
    const state = fires ? 'TRIGGERED' : 'STABLE';
    data.state = state;
    mx.store.records.update(t, data);
    if (state !== d.state) {
      mx.hooks.emit(t.orgId, 'METER_TRIGGER_STATE_CHANGE', { meterTriggerId: t.id, meterId: meter.id, oldState: d.state, newState: state }, { skip });
    }
    if (fires) {
      const template = typeof d.workOrderTemplateId === 'number' ? mx.store.records.get('woTemplate', d.workOrderTemplateId, [t.orgId]) : null;
      if (template) createFromTemplate(mx, t.orgId, template, d.name as string, skip);
    }
  }
}
