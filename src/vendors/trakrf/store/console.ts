/**
 * Named queries behind the web console's data tables (console.ts): one org's live assets and locations with their
 * tag values and scan counts, and its scans (a sandbox's through its link, store/scan-links.ts), a page at a time.
 */
import type { VendorDb } from '../../../core/db.js';
import { orgScans } from './scan-links.js';

type Row = Record<string, any>;

export class ConsoleQueries {
  constructor(private readonly h: VendorDb) {}

  private count(sql: string, ...params: unknown[]): number {
    return (this.h.db.prepare(sql).get(...params) as { n: number }).n;
  }

  assets(org: number, limit: number, offset: number): { total: number; rows: Row[] } {
    const rows = this.h.db
      .prepare(
        `SELECT a.id, a.external_key, a.name, a.is_active, a.updated_at,
           (SELECT group_concat(t.value, ' ') FROM tags t WHERE t.asset_id = a.id AND t.deleted_at IS NULL) AS tags,
           (SELECT count(*) FROM ${orgScans(this.h, org)} s WHERE s.asset_id = a.id) AS scans
         FROM assets a WHERE a.org_id = ? AND a.deleted_at IS NULL ORDER BY a.id LIMIT ? OFFSET ?`,
      )
      .all(org, limit, offset) as Row[];
    return { total: this.count('SELECT count(*) AS n FROM assets WHERE org_id = ? AND deleted_at IS NULL', org), rows };
  }

  locations(org: number, limit: number, offset: number): { total: number; rows: Row[] } {
    const rows = this.h.db
      .prepare(
        `SELECT l.id, l.external_key, l.name, l.is_active, p.id AS parent_id, p.name AS parent_name,
           (SELECT count(*) FROM ${orgScans(this.h, org)} s WHERE s.location_id = l.id) AS scans
         FROM locations l LEFT JOIN locations p ON p.id = l.parent_id
         WHERE l.org_id = ? AND l.deleted_at IS NULL ORDER BY l.id LIMIT ? OFFSET ?`,
      )
      .all(org, limit, offset) as Row[];
    return { total: this.count('SELECT count(*) AS n FROM locations WHERE org_id = ? AND deleted_at IS NULL', org), rows };
  }

  /** The org's scans, newest first, of one asset or at one location when given. */
  scans(org: number, asset: number | null, location: number | null, limit: number, offset: number): { total: number; rows: Row[] } {
    const where = 's.org_id = ? AND (? IS NULL OR s.asset_id = ?) AND (? IS NULL OR s.location_id = ?)';
    const params = [org, asset, asset, location, location];
    const scans = orgScans(this.h, org);
    const rows = this.h.db
      .prepare(
        `SELECT s.observed_at, s.asset_id, a.name AS asset_name, s.location_id, l.name AS location_name
         FROM ${scans} s LEFT JOIN assets a ON a.id = s.asset_id LEFT JOIN locations l ON l.id = s.location_id
         WHERE ${where} ORDER BY s.observed_at DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset) as Row[];
    return { total: this.count(`SELECT count(*) AS n FROM ${scans} s WHERE ${where}`, ...params), rows };
  }
}
