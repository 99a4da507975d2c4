/**
 * Meter triggers: each new reading of the meter is checked against the trigger's condition; a trigger that fires
 * moves to TRIGGERED (METER_TRIGGER_STATE_CHANGE) and creates a work order from its work order template.
 */
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { createFromTemplate, meterRecurrences } from './workorders.js';

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
