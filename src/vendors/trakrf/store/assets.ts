/** Named queries on `assets`. */
import type { VendorDb } from '../../../core/db.js';
import { KeyedStore } from './keyed.js';
import type { AssetListQuery, AssetRow } from './rows.js';
import { Where } from './filters.js';

export class AssetStore extends KeyedStore<AssetRow> {
  constructor(h: VendorDb) {
    super(h, 'assets');
  }

  /** The WHERE clause of a list query at `now` (validity window applied) and its parameters. */
  private where(q: AssetListQuery, now: number): Where {
    const w = new Where('a', q.orgId, now, q.includeDeleted).in('a.external_key', q.externalKeys);
    if (q.isActive !== undefined) w.add('a.is_active = ?', q.isActive ? 1 : 0);
    return w.search(this.h.db, 'a', 'asset_id', true, q.q, now);
  }

  count(q: AssetListQuery, now: number): number {
    const { sql, params } = this.where(q, now);
    return (this.h.prepare(`SELECT COUNT(*) AS n FROM assets a WHERE ${sql}`).get(...params) as { n: number }).n;
  }

  /** One page of a list query (`sort` fields are checked by the caller), external_key order by default. */
  page(q: AssetListQuery, now: number): AssetRow[] {
    const { sql, params } = this.where(q, now);
    const order = q.sort.length ? q.sort.map((s) => `a.${s.field} ${s.desc ? 'DESC' : 'ASC'}`).join(', ') : 'a.external_key ASC';
    return this.h.prepare(`SELECT a.* FROM assets a WHERE ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as AssetRow[];
  }

  /** Soft-deletes a live asset of the org; false when there is none. */
  softDelete(orgId: number, id: number, now: number): boolean {
    return this.h.prepare('UPDATE assets SET deleted_at = ? WHERE id = ? AND org_id = ? AND deleted_at IS NULL').run(now, id, orgId).changes > 0;
  }
}
