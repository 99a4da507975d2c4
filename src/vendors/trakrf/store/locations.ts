/** Named queries on `locations`: rows, lists, the parent hierarchy and the tree endpoints. */
import type { VendorDb } from '../../../core/db.js';
import { KeyedStore } from './keyed.js';
import type { LocationListQuery, LocationRow, ParentedLocationRow } from './rows.js';
import { Where } from './filters.js';

const WITH_PARENT = 'SELECT l.*, p.external_key AS parent_key FROM locations l LEFT JOIN locations p ON p.id = l.parent_id';

export class LocationStore extends KeyedStore<LocationRow> {
  constructor(h: VendorDb) {
    super(h, 'locations');
  }

  /** A live location of the org with its parent's key. */
  withParent(orgId: number, id: number): ParentedLocationRow | undefined {
    return this.h.prepare(`${WITH_PARENT} WHERE l.id = ? AND l.org_id = ? AND l.deleted_at IS NULL`).get(id, orgId) as ParentedLocationRow | undefined;
  }

  /** Ids of every location of the org, in id order. */
  idsOf(orgId: number): number[] {
    return this.h.prepare('SELECT id FROM locations WHERE org_id = ?').pluck().all(orgId) as number[];
  }

  /** Ids of the org's live locations in external_key order. */
  liveIds(orgId: number): number[] {
    return this.h.prepare('SELECT id FROM locations WHERE org_id = ? AND deleted_at IS NULL ORDER BY external_key').pluck().all(orgId) as number[];
  }

  private where(q: LocationListQuery, now: number): Where {
    const w = new Where('l', q.orgId, now, q.includeDeleted).in('l.external_key', q.externalKeys).in('l.parent_id', q.parentIds).in('p.external_key', q.parentKeys);
    if (q.isActive !== undefined) w.add('l.is_active = ?', q.isActive ? 1 : 0);
    return w.search(this.h.db, 'l', 'location_id', true, q.q, now);
  }

  count(q: LocationListQuery, now: number): number {
    const { sql, params } = this.where(q, now);
    return (this.h.prepare(`SELECT COUNT(*) AS n FROM locations l LEFT JOIN locations p ON p.id = l.parent_id WHERE ${sql}`).get(...params) as { n: number }).n;
  }

  page(q: LocationListQuery, now: number): ParentedLocationRow[] {
    const { sql, params } = this.where(q, now);
    const order = [...q.sort.map((s) => `l.${s.field} ${s.desc ? 'DESC' : 'ASC'}`), 'l.id ASC'];
    if (!q.sort.length) order.unshift('l.external_key ASC');
    return this.h.prepare(`${WITH_PARENT} WHERE ${sql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as ParentedLocationRow[];
  }

  softDelete(id: number, now: number): void {
    this.h.prepare('UPDATE locations SET deleted_at = ? WHERE id = ?').run(now, id);
  }

  hasLiveChildren(id: number): boolean {
    return this.h.prepare('SELECT 1 FROM locations WHERE parent_id = ? AND deleted_at IS NULL').get(id) !== undefined;
  }

  /** Live descendant ids of a location (excluding itself). */
  descendantIds(id: number): number[] {
    return this.h
      .prepare(
        `WITH RECURSIVE d(id) AS (
           SELECT id FROM locations WHERE parent_id = ? AND deleted_at IS NULL
           UNION SELECT l.id FROM locations l JOIN d ON l.parent_id = d.id WHERE l.deleted_at IS NULL)
         SELECT id FROM d`,
      )
      .pluck()
      .all(id) as number[];
  }

  /** Tree endpoints: live rows only, no validity filter, fixed orders (trakrf.md §6.2). */
  tree(kind: 'ancestors' | 'children' | 'descendants', id: number): ParentedLocationRow[] {
    let sql: string;
    if (kind === 'children') {
      sql = `${WITH_PARENT} WHERE l.parent_id = @id AND l.deleted_at IS NULL ORDER BY l.name ASC, l.id ASC`;
    } else if (kind === 'ancestors') {
      sql = `WITH RECURSIVE a(id, rdepth) AS (
               SELECT parent_id, 1 FROM locations WHERE id = @id AND parent_id IS NOT NULL
               UNION ALL SELECT l.parent_id, a.rdepth + 1 FROM locations l JOIN a ON l.id = a.id
               WHERE l.parent_id IS NOT NULL AND a.rdepth < 10000)
             ${WITH_PARENT} JOIN a ON a.id = l.id WHERE l.deleted_at IS NULL ORDER BY a.rdepth DESC, l.id ASC`;
    } else {
      // depth-first by the lower(external_key) path; char(1) sorts below every key character, so a node's subtree
      // comes before its next sibling (element-wise path comparison).
      sql = `WITH RECURSIVE d(id, path) AS (
               SELECT id, lower(external_key) FROM locations WHERE parent_id = @id AND deleted_at IS NULL
               UNION ALL SELECT l.id, d.path || char(1) || lower(l.external_key) FROM locations l JOIN d ON l.parent_id = d.id
               WHERE l.deleted_at IS NULL AND length(d.path) < 1000000)
             ${WITH_PARENT} JOIN d ON d.id = l.id ORDER BY d.path ASC, l.id ASC`;
    }
    return this.h.prepare(sql).all({ id }) as ParentedLocationRow[];
  }
}
