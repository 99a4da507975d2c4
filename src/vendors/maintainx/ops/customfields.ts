/** Custom fields of an entity type (assets, parts, work orders…): create in bulk, update (and re-order), delete. */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { write } from './common.js';

/** The organization's live fields of `entity`, in their order. */
export function customFieldsOf(mx: Mx, org: number, entity: string): Row[] {
  return mx.store.records.find('customField', org, { eq: '$.entity', value: entity }).sort((a, b) => (a.data.sortOrder as number) - (b.data.sortOrder as number) || a.id - b.id);
}

/** POST /customfields/{entity}: the new fields after the existing ones; a label may not repeat. */
export function createCustomFields(mx: Mx, org: number, entity: string, fields: Json[]): Row[] {
  const existing = customFieldsOf(mx, org, entity);
  const created: Row[] = [];
  write(mx, () => {
    let order = existing.reduce((m, r) => Math.max(m, r.data.sortOrder as number), 0);
    fields.forEach((f, i) => {
      if ([...existing, ...created].some((r) => r.data.label === f.label)) {
        throw validation([{ error: 'A custom field with this label already exists', fieldPath: `fields.${i}.label`, fieldValue: f.label as string }]);
      }
      order += 1;
      created.push(mx.store.records.insert('customField', org, { entity, label: f.label, type: f.type, options: f.options ?? [], required: f.required ?? false, unlisted: f.unlisted ?? false, includeInRecurrence: f.includeInRecurrence ?? false, sortOrder: order }));
    });
  });
  return created;
}

/** PATCH /customfields/{entity}/{id}: `sortIndex` moves the field there and renumbers the others. */
export function updateCustomField(mx: Mx, r: Row, f: Json): void {
  const data = { ...r.data };
  for (const k of ['label', 'type', 'options', 'includeInRecurrence', 'required', 'unlisted']) if (k in f) data[k] = f[k];
  write(mx, () => {
    mx.store.records.update(r, data);
    if (typeof f.sortIndex === 'number') {
      const others = customFieldsOf(mx, r.orgId, r.data.entity as string).filter((x) => x.id !== r.id);
      const idx = Math.max(0, Math.min(others.length, f.sortIndex));
      others.splice(idx, 0, r);
      others.forEach((x, i) => {
        const cur = x.id === r.id ? mx.store.records.get('customField', r.id, [r.orgId])! : x;
        mx.store.records.update(cur, { ...cur.data, sortOrder: i + 1 });
      });
    }
  });
}
