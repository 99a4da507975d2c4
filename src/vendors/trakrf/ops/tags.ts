/** Tags attached to assets and locations (trakrf.md §8.1, §8.2): a live tag is unique in its org. */
import { conflict } from '../errors.js';
import type { TagInput } from '../body.js';
import type { Owner, TrakrfStore } from '../store/index.js';
import type { TagView } from '../views.js';

/** Inserts one tag (the caller checked that it is not live elsewhere), stamped with the shared id sequence. */
function insertTag(store: TrakrfStore, orgId: number, owner: Owner, ownerId: number, tag: TagInput, now: number): TagView {
  const { id, seq } = store.meta.next();
  store.tags.insert({ id, org_id: orgId, owner, owner_id: ownerId, tag_type: tag.tag_type, value: tag.value, created_at: now, seq });
  return { id, tag_type: tag.tag_type, value: tag.value };
}

/** Tags sent inline on create (inside the create's transaction): any duplicate (in the org or within the request) → one generic 409. */
export function insertInlineTags(store: TrakrfStore, orgId: number, owner: Owner, ownerId: number, tags: TagInput[], now: number): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const k = `${t.tag_type}\u0000${t.value}`;
    if (seen.has(k) || store.tags.holder(orgId, t.tag_type, t.value)) throw conflict('one or more tags already exist');
    seen.add(k);
  }
  for (const t of tags) insertTag(store, orgId, owner, ownerId, t, now);
}

/** POST /{assets|locations}/{id}/tags: 409 naming the holder when the tag is live anywhere in the org. */
export function addTag(store: TrakrfStore, orgId: number, owner: Owner, ownerId: number, tag: TagInput): TagView {
  return store.transaction(() => {
    const holder = store.tags.holder(orgId, tag.tag_type, tag.value);
    if (holder) {
      const kind: Owner = holder.asset_id !== null ? 'asset' : 'location';
      const row = kind === 'asset' ? store.assets.byId(holder.asset_id!) : store.locations.byId(holder.location_id!);
      throw conflict(
        row
          ? `tag ${tag.tag_type}:${tag.value} already exists — it is attached to ${kind} "${row.name}" (${row.external_key}); remove it there before attaching here`
          : `tag ${tag.tag_type}:${tag.value} already exists`,
      );
    }
    return insertTag(store, orgId, owner, ownerId, tag, store.now());
  });
}

/** DELETE /{assets|locations}/{id}/tags/{tag_id}: false when the tag is not live on this owner. */
export function removeTag(store: TrakrfStore, orgId: number, owner: Owner, ownerId: number, tagId: number): boolean {
  return store.tags.remove(orgId, owner, ownerId, tagId, store.now());
}
