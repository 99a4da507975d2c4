/** Location operations (trakrf.md §8.2): reads with parent keys and tags, the hierarchy's rules, writes in one transaction. */
import { conflict } from '../errors.js';
import type { CreateInput, PatchInput } from '../writes.js';
import type { OrgMemo } from '../memo.js';
import type { LocationListQuery, LocationRow, ParentedLocationRow, TrakrfStore } from '../store/index.js';
import { locationView, type LocationView } from '../views.js';
import { checkKeyFree, memoTotal, newRow, touchTime } from './common.js';
import { insertInlineTags } from './tags.js';

/** Rows with their tags (`effectiveAt`: only tags effective then, as a detail GET shows them, §6.2). */
function views(store: TrakrfStore, rows: ParentedLocationRow[], effectiveAt: number | null): LocationView[] {
  const tags = store.tags.ofOwners(
    'location',
    rows.map((r) => r.id),
    effectiveAt,
  );
  return rows.map((r) => locationView(r, tags.get(r.id)!));
}

export function listLocations(store: TrakrfStore, counts: OrgMemo, q: LocationListQuery): { data: LocationView[]; total: number } {
  const now = store.now();
  const total = memoTotal(counts, 'locations', q, () => store.locations.count(q, now));
  return { data: views(store, store.locations.page(q, now), null), total };
}

export function getLocation(store: TrakrfStore, orgId: number, id: number): LocationView | undefined {
  const row = store.locations.withParent(orgId, id);
  return row && views(store, [row], store.now())[0];
}

/** Tree endpoints: live rows only, no validity filter, fixed orders (trakrf.md §6.2). */
export function locationTree(store: TrakrfStore, kind: 'ancestors' | 'children' | 'descendants', id: number, limit: number, offset: number): { data: LocationView[]; total: number } {
  const all = store.locations.tree(kind, id);
  return { data: views(store, all.slice(offset, offset + limit), null), total: all.length };
}

export function createLocation(store: TrakrfStore, orgId: number, input: CreateInput, parentId: number | null): LocationView {
  return store.transaction(() => {
    const row = { ...newRow(store, store.locations, 'location', orgId, input), parent_id: parentId };
    store.locations.insert(row);
    insertInlineTags(store, orgId, 'location', row.id, input.tags, row.created_at);
    return getLocation(store, orgId, row.id)!;
  });
}

/** Merge-patch; a new parent may not be the location itself or one of its descendants (409). */
export function updateLocation(store: TrakrfStore, orgId: number, row: LocationRow, patch: PatchInput, parentId: number | null | undefined): LocationView {
  return store.transaction(() => {
    if (parentId !== undefined && parentId !== null) {
      if (parentId === row.id) throw conflict(`parent_id ${parentId} would create a self-referential cycle`);
      if (store.locations.descendantIds(row.id).includes(parentId)) {
        throw conflict(`parent_id ${parentId} would create a cycle through location ${row.id}`);
      }
    }
    store.locations.update(row.id, {
      name: patch.name ?? row.name,
      description: patch.description === undefined ? row.description : patch.description,
      is_active: patch.is_active === undefined ? row.is_active : patch.is_active ? 1 : 0,
      valid_from: patch.valid_from ?? row.valid_from,
      valid_to: patch.valid_to === undefined ? row.valid_to : patch.valid_to,
      parent_id: parentId === undefined ? row.parent_id : parentId,
      updated_at: touchTime(store.now(), row.updated_at),
    });
    return getLocation(store, orgId, row.id)!;
  });
}

/** 409 while live children or placed assets exist (children checked first); else soft delete + tag cascade. */
export function deleteLocation(store: TrakrfStore, orgId: number, id: number): void {
  store.transaction(() => {
    if (store.locations.hasLiveChildren(id)) {
      throw conflict('location has descendant locations; reassign or remove them before deleting (cascade is not supported)');
    }
    if (store.scans.hasAssetPlacedAt(orgId, id, store.cut(store.now()))) {
      throw conflict('location has assets placed at it; move or remove them before deleting (cascade is not supported)');
    }
    const now = store.now();
    store.locations.softDelete(id, now);
    store.tags.removeAll('location', id, now);
  });
}

export function renameLocation(store: TrakrfStore, orgId: number, row: LocationRow, key: string): { data: LocationView; descendant_count_affected: number } {
  return store.transaction(() => {
    let affected = 0;
    if (key !== row.external_key) {
      checkKeyFree(store.locations, 'location', orgId, key, row.id);
      store.locations.setKey(row.id, key, touchTime(store.now(), row.updated_at));
      affected = store.locations.descendantIds(row.id).length;
    }
    return { data: getLocation(store, orgId, row.id)!, descendant_count_affected: affected };
  });
}
