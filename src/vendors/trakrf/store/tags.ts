/** Named queries on `tags`: the tags embedded in assets and locations, and the org-wide uniqueness of a live tag. */
import type { VendorDb } from '../../../core/db.js';
import type { Owner, TagRow } from './rows.js';

const OWNER_COLUMN: Record<Owner, string> = { asset: 'asset_id', location: 'location_id' };

export class TagStore {
  constructor(private readonly h: VendorDb) {}

  /** The live tags of each owner, oldest first; `effectiveAt` also applies the validity window at that instant. */
  ofOwners(owner: Owner, ids: number[], effectiveAt: number | null): Map<number, TagRow[]> {
    const out = new Map<number, TagRow[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const col = OWNER_COLUMN[owner];
    const window = effectiveAt !== null ? 'AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)' : '';
    // INDEXED BY: with stale statistics (say, from a bulk generation before the org grew through the API) SQLite
    // chose a scan of every tag over the owner index, making each read and write O(table).
    const rows = this.h
      .prepare(
        `SELECT id, ${col} AS owner, tag_type, value FROM tags INDEXED BY tags_${owner}
         WHERE ${col} IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL ${window}
         ORDER BY created_at, seq, id`,
      )
      .all(JSON.stringify(ids), ...(effectiveAt !== null ? [effectiveAt, effectiveAt] : [])) as Array<TagRow & { owner: number }>;
    for (const r of rows) out.get(r.owner)!.push({ id: r.id, tag_type: r.tag_type, value: r.value });
    return out;
  }

  /** Every live tag of one owner, validity window ignored. */
  live(owner: Owner, id: number): TagRow[] {
    return this.ofOwners(owner, [id], null).get(id)!;
  }

  /** The live tag with this type and value in the org (at most one: the `tags_live` unique index). */
  holder(orgId: number, tagType: string, value: string): { id: number; asset_id: number | null; location_id: number | null } | undefined {
    return this.h
      .prepare('SELECT id, asset_id, location_id FROM tags WHERE org_id = ? AND tag_type = ? AND value = ? AND deleted_at IS NULL')
      .get(orgId, tagType, value) as { id: number; asset_id: number | null; location_id: number | null } | undefined;
  }

  /** A new active tag, effective from its creation (`deleted_at`: a seeded tag of a deleted asset). */
  insert(row: { id: number; org_id: number; owner: Owner; owner_id: number; tag_type: string; value: string; created_at: number; seq: number; deleted_at?: number | null }): void {
    this.h
      .prepare(
        `INSERT INTO tags (id, org_id, ${OWNER_COLUMN[row.owner]}, tag_type, value, is_active, valid_from, created_at, seq, deleted_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
      )
      .run(row.id, row.org_id, row.owner_id, row.tag_type, row.value, row.created_at, row.created_at, row.seq, row.deleted_at ?? null);
  }

  /** Soft-deletes one live tag of this owner; false when there is none. */
  remove(orgId: number, owner: Owner, ownerId: number, tagId: number, now: number): boolean {
    return (
      this.h
        .prepare(`UPDATE tags SET deleted_at = ? WHERE id = ? AND org_id = ? AND ${OWNER_COLUMN[owner]} = ? AND deleted_at IS NULL`)
        .run(now, tagId, orgId, ownerId).changes > 0
    );
  }

  /** Soft-deletes every live tag of an owner (the owner's delete cascades). */
  removeAll(owner: Owner, ownerId: number, now: number): void {
    this.h.prepare(`UPDATE tags SET deleted_at = ? WHERE ${OWNER_COLUMN[owner]} = ? AND deleted_at IS NULL`).run(now, ownerId);
  }
}
