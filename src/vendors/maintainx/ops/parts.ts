/**
 * Part stock: every change of a part's quantity goes through here and emits PART_QUANTITY_CHANGE (and PART_CHANGE);
 * which PART_CHANGE properties an update touches.
 */
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { partWebhookView } from '../views/webhooks.js';

export type StockOrigin = 'PURCHASE_ORDER' | 'WORK_ORDER' | 'MANUAL_RESTOCK' | 'PART_TRANSFER' | 'CYCLE_COUNT';

/**
 * Moves the part's available quantity by `delta` (call inside `write`). Stock never goes below zero: a removal of
 * more than is available takes what there is (the spec documents no error for it).
 */
export function moveStock(mx: Mx, part: Row, delta: number, origin: StockOrigin, userId: number | null, opts: { locationId?: number | null; skip?: boolean } = {}): Row {
  const old = Number(part.data.availableQuantity ?? 0);
  const next = Math.max(0, old + delta);
  if (next === old) return part;
  const data: Json = { ...part.data, availableQuantity: next };
  const locationId = opts.locationId ?? (part.data.locationId as number | null) ?? null;
  if (locationId !== null && Array.isArray(part.data.locations)) {
    data.locations = (part.data.locations as Array<Record<string, unknown>>).map((l) =>
      l.locationId === locationId ? { ...l, availableQuantity: Math.max(0, Number(l.availableQuantity ?? 0) + next - old) } : l,
    );
  }
  const updated = mx.store.records.update(part, data);
  mx.hooks.emit(
    part.orgId,
    'PART_QUANTITY_CHANGE',
    {
      partId: part.id, quantityDiff: next - old, oldQuantity: old, newQuantity: next, ...(userId !== null ? { userId } : {}), triggeredFrom: origin,
      locations: locationId !== null ? [{ locationId, quantityDiff: next - old, oldQuantity: old, newQuantity: next }] : [],
    },
    { skip: opts.skip },
  );
  mx.hooks.emit(part.orgId, 'PART_CHANGE', { partId: part.id, newPart: partWebhookView(updated) }, { skip: opts.skip, changed: ['AVAILABLE_QUANTITY'] });
  return updated;
}

/** PART_CHANGE property names whose fields differ between two part documents. */
export function partChanges(before: Json, after: Json): string[] {
  const fields: Record<string, string> = {
    AREA: 'area', ASSETS: 'assetIds', AVAILABLE_QUANTITY: 'availableQuantity', BARCODE: 'barcode', DESCRIPTION: 'description', EXTRA_FIELDS: 'extraFields',
    LOCATION: 'locationId', LOCATIONS: 'locations', MAXIMUM_QUANTITY: 'maximumQuantity', MINIMUM_QUANTITY: 'minimumQuantity', NAME: 'name',
    PART_TYPES: 'partTypes', TEAMS: 'teamIds', UNIT_COST: 'unitCost', VENDORS: 'vendors',
  };
  return Object.entries(fields).filter(([, f]) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null)).map(([p]) => p);
}
