/** The shapes webhook payloads carry (a work order, a part, a category reference). */
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';

/** A work order as webhook payloads carry it (`newWorkOrder`, `WorkOrder`): categories and parts as objects. */
export function webhookView(mx: Mx, row: Row): Json {
  const d = row.data;
  const labels = (d.categories as string[]) ?? [];
  const categories = labels.map((name) => categoryRef(mx, row.orgId, name)).filter((c): c is Json => c !== null);
  return {
    assetId: d.assetId ?? null,
    assigneeIds: d.assigneeIds ?? [],
    categories,
    description: d.description ?? null,
    dueDate: d.dueDate ?? null,
    estimatedTime: d.estimatedTime ?? null,
    extraFields: d.extraFields ?? {},
    locationId: d.locationId ?? null,
    parts: ((d.parts as Json[]) ?? []).map((p) => {
      const part = mx.store.records.get('part', p.partId as number, [row.orgId]);
      return { id: p.partId, quantityUsed: p.quantityUsed ?? 0, unitCost: (part?.data.unitCost as number | null) ?? null, locationId: p.locationId ?? null, copyOnRecurring: p.copyOnRecurring ?? 'Default' };
    }),
    priority: d.priority ?? 'NONE',
    startDate: d.startDate ?? null,
    teamIds: d.teamIds ?? [],
    title: d.title,
    vendorIds: d.vendorIds ?? [],
  };
}

/** `{id, name, description}` of the category labelled `name` in the organization. */
export function categoryRef(mx: Mx, orgId: number, name: string): Json | null {
  const c = mx.store.records.find('category', orgId, { eq: '$.label', value: name })[0];
  return c ? { id: c.id, name, description: (c.data.description as string) ?? '' } : null;
}

/** A part as webhook payloads carry it (`newPart`, `deletedPart`). */
export function partWebhookView(row: Row): Json {
  const d = row.data;
  return {
    id: row.id, name: d.name, description: d.description ?? null, area: d.area ?? null, unitCost: d.unitCost ?? null,
    availableQuantity: d.availableQuantity ?? 0, inStockQuantity: d.availableQuantity ?? 0, minimumQuantity: d.minimumQuantity ?? 0,
    maximumQuantity: d.maximumQuantity ?? null, barcode: d.barcode ?? null, locationId: d.locationId ?? null, locations: d.locations ?? [],
    partTypes: d.partTypes ?? [], assetIds: d.assetIds ?? [], teamIds: d.teamIds ?? [], extraFields: d.extraFields ?? {}, vendors: d.vendors ?? [],
  };
}
