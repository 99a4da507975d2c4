/** Named queries on `orgs`, and the org-wide copies behind sandboxes and per-tenant resets. */
import { copyRows, syncRows, withIdMap, type VendorDb } from '../../../core/db.js';
import { beforeTenantReset, link as linkScans } from './scan-links.js';
import { ORG_TABLES, dirtyRows } from '../schema.js';
import type { OrgRow } from './rows.js';

export class OrgStore {
  constructor(private readonly h: VendorDb) {}

  /** A new org (`id`: the next free one unless given). */
  insert(name: string, subscriptionActive: boolean, createdAt: number, id: number | null = null): OrgRow {
    return this.h
      .prepare('INSERT INTO orgs (id, name, subscription_active, created_at) VALUES (?, ?, ?, ?) RETURNING *')
      .get(id, name, subscriptionActive ? 1 : 0, createdAt) as OrgRow;
  }

  get(id: number): OrgRow | undefined {
    return this.h.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
  }

  all(): OrgRow[] {
    return this.h.prepare('SELECT * FROM orgs ORDER BY id').all() as OrgRow[];
  }

  setSubscription(id: number, active: boolean): void {
    this.h.prepare('UPDATE orgs SET subscription_active = ? WHERE id = ?').run(active ? 1 : 0, id);
  }

  /** Ids of the org's locations, assets and tags (a sandbox maps each to a new one). */
  dataIds(orgId: number): number[] {
    return this.h
      .prepare('SELECT id FROM locations WHERE org_id = @from UNION ALL SELECT id FROM assets WHERE org_id = @from UNION ALL SELECT id FROM tags WHERE org_id = @from')
      .pluck()
      .all({ from: orgId }) as number[];
  }

  /**
   * Copies the locations, assets and tags of `from` into `to` under the ids `pairs` maps them to, and links `to` to
   * the scan history of `from` (shared until either writes scans, scan-links.ts).
   */
  copyData(from: number, to: number, pairs: ReadonlyArray<readonly [number, number]>): void {
    const db = this.h.db;
    db.pragma('defer_foreign_keys = ON');
    withIdMap(db, pairs, (mapped) => {
      const params = { from, org: to };
      copyRows(db, 'locations', 'org_id = @from', { id: mapped('id'), org_id: '@org', parent_id: mapped('parent_id') }, params);
      copyRows(db, 'assets', 'org_id = @from', { id: mapped('id'), org_id: '@org' }, params);
      copyRows(db, 'tags', 'org_id = @from', { id: mapped('id'), org_id: '@org', asset_id: mapped('asset_id'), location_id: mapped('location_id') }, params);
      linkScans(this.h, to, from, 'temp.vf_idmap');
    });
  }

  /**
   * Per-tenant reset: the org's rows of every table that was written since seeding back to those of the seeded image
   * (attached as `seeded`). False when the org is in neither.
   */
  resetFromSeeded(id: number, seeded: string): boolean {
    const db = this.h.db;
    const known = (schema: string) => db.prepare(`SELECT 1 FROM "${schema}".orgs WHERE id = ?`).get(id) !== undefined;
    if (!known('main') && !known(seeded)) return false;
    db.pragma('defer_foreign_keys = ON');
    beforeTenantReset(this.h, id, dirtyRows(db, 'scans', 'org_id', id) !== null);
    for (const [table, column] of ORG_TABLES) {
      const rows = dirtyRows(db, table, column, id);
      if (rows) syncRows(db, seeded, table, rows.where, rows.params);
    }
    if (db.prepare("SELECT 1 FROM main.sqlite_master WHERE name = 'tenant_dirty'").get()) db.prepare('DELETE FROM tenant_dirty WHERE org = ?').run(String(id));
    return true;
  }
}
