/**
 * Named queries on `scans` (one row per asset per minute bucket): ingestion, an asset's history, the asset-locations
 * report, and where an asset was last placed. `cut` is the retention cut-off: rows before it are gone from reads. A
 * sandbox still reading its source's rows (scan-links.ts) reads them through its id map.
 */
import type { VendorDb } from '../../../core/db.js';
import { logScansWritten } from '../schema.js';
import { beforeScanWrite, mappedId, scanSource, sourceId } from './scan-links.js';
import type { HistoryQuery, HistoryRow, ReportQuery, ReportRow } from './rows.js';
import { Where } from './filters.js';

const REPORT_SORT: Record<string, string> = {
  asset_last_seen: 'r.seen',
  asset_external_key: 'r.asset_external_key',
  location_external_key: 'r.location_external_key',
};

export class ScanStore {
  constructor(private readonly h: VendorDb) {}

  /**
   * Stores one read in its minute bucket: within a minute the earliest read's location wins, whatever order the
   * reads arrive in. Returns whether the row was written.
   */
  upsert(orgId: number, assetId: number, bucket: number, locationId: number | null, at: number): boolean {
    return (
      this.h
        .prepare(
          `INSERT INTO scans (org_id, asset_id, observed_at, location_id, first_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(asset_id, observed_at) DO UPDATE SET location_id = excluded.location_id, first_at = excluded.first_at
           WHERE excluded.first_at < COALESCE(scans.first_at, scans.observed_at)`,
        )
        .run(orgId, assetId, bucket, locationId, at).changes > 0
    );
  }

  /** Before scans of the org are written: it, and every sandbox still reading its rows, get their own copies. */
  beforeWrite(orgId: number): void {
    beforeScanWrite(this.h, orgId);
  }

  /** A seeded read (its minute bucket already taken: the first read of a minute stays). */
  insertSeeded(orgId: number, assetId: number, bucket: number, locationId: number): void {
    this.h.prepare('INSERT OR IGNORE INTO scans (org_id, asset_id, observed_at, location_id) VALUES (?, ?, ?, ?)').run(orgId, assetId, bucket, locationId);
  }

  /** The bucket's row before a write to it, if any. */
  bucket(assetId: number, bucket: number): { location_id: number | null } | undefined {
    return this.h.prepare('SELECT location_id FROM scans WHERE asset_id = ? AND observed_at = ?').get(assetId, bucket) as { location_id: number | null } | undefined;
  }

  /** Where the asset was read last before `bucket` (within retention): its location, null for a read without one, undefined when never. */
  previousLocation(assetId: number, bucket: number, cut: number): number | null | undefined {
    const row = this.h
      .prepare('SELECT location_id FROM scans WHERE asset_id = ? AND observed_at < ? AND observed_at >= ? ORDER BY observed_at DESC LIMIT 1')
      .get(assetId, bucket, cut) as { location_id: number | null } | undefined;
    return row && row.location_id;
  }

  /** Scans have no write-log trigger (bulk ingestion): every batch written logs itself here, from its earliest bucket. */
  logWritten(orgId: number, since: number): void {
    logScansWritten(this.h.db, orgId, since);
  }

  historyCount(q: HistoryQuery, cut: number): number {
    const sql = `SELECT COUNT(*) AS n FROM scans s WHERE s.asset_id = @a AND s.observed_at >= @cut ${historyRange(q)}`;
    return (this.h.prepare(sql).get(named(sql, this.historyParams(q, cut, 0))) as { n: number }).n;
  }

  /**
   * One page of an asset's history. observed_at is unique per asset (minute buckets), so the documented location_id
   * tiebreak never applies; the page walks the primary key and each row looks up its successor inside the window.
   */
  history(q: HistoryQuery, cut: number, now: number): HistoryRow[] {
    const linked = scanSource(this.h, q.orgId).linked;
    const loc = linked ? mappedId('@org', 's.location_id') : 's.location_id';
    const desc = q.sort.length ? q.sort[0].desc : true;
    const sql = `SELECT s.observed_at, ${loc} AS location_id, loc.external_key AS location_external_key,
        (SELECT MIN(n.observed_at) FROM scans n WHERE n.asset_id = s.asset_id AND n.observed_at > s.observed_at
           ${q.to !== undefined ? 'AND n.observed_at <= @to' : ''}) AS next_at
      FROM scans s LEFT JOIN locations loc ON loc.id = ${loc} AND loc.deleted_at IS NULL
           AND loc.valid_from <= @now AND (loc.valid_to IS NULL OR loc.valid_to > @now)
      WHERE s.asset_id = @a AND s.observed_at >= @cut ${historyRange(q)}
      ORDER BY s.observed_at ${desc ? 'DESC' : 'ASC'} LIMIT @limit OFFSET @offset`;
    return this.h.prepare(sql).all(named(sql, this.historyParams(q, cut, now))) as HistoryRow[];
  }

  /** A sandbox still reading its source's scans reads the source asset's rows, locations mapped to its own. */
  private historyParams(q: HistoryQuery, cut: number, now: number): Record<string, unknown> {
    const asset = scanSource(this.h, q.orgId).linked ? sourceId(this.h, q.orgId, q.assetId) : q.assetId;
    return { a: asset, org: q.orgId, from: q.from ?? null, to: q.to ?? null, now, cut, limit: q.limit, offset: q.offset };
  }

  /** The asset-locations report: its SQL and parameters (`count`, `page` run it). */
  private report(q: ReportQuery, cut: number, now: number): { sql: string; params: unknown[] } {
    const where = new Where('a', q.orgId, now, q.includeDeleted)
      .in('a.id', q.assetIds)
      .in('a.external_key', q.assetKeys)
      .in('loc.id', q.locationIds)
      .in('loc.external_key', q.locationKeys)
      .search(this.h.db, 'a', 'asset_id', false, q.q, now);
    // A sandbox still reading its source's scans groups the source's rows and maps the ids to its own; the run
    // lookups read the source's rows (src_*).
    const source = scanSource(this.h, q.orgId);
    const map = (column: string) => (source.linked ? mappedId('@org', column) : column);
    const sql = `
      WITH last AS (SELECT asset_id, MAX(observed_at) AS seen FROM scans WHERE org_id = @source AND observed_at >= ? - ${now - cut} GROUP BY asset_id),
      r AS (SELECT ${map('l.asset_id')} AS asset_id, l.asset_id AS src_asset, l.seen, ${map('s.location_id')} AS location_id, s.location_id AS src_location
            FROM last l JOIN scans s ON s.asset_id = l.asset_id AND s.observed_at = l.seen)
      SELECT r.asset_id, r.src_asset, r.src_location, r.seen, a.external_key AS asset_external_key, a.deleted_at AS asset_deleted_at,
             loc.id AS location_id, loc.external_key AS location_external_key
      FROM r JOIN assets a ON a.id = r.asset_id
      LEFT JOIN locations loc ON loc.id = r.location_id AND loc.deleted_at IS NULL AND loc.valid_from <= ? AND (loc.valid_to IS NULL OR loc.valid_to > ?)
      WHERE ${where.sql}`;
    return { sql, params: [now, now, now, ...where.params, { source: source.org, ...(source.linked ? { org: q.orgId } : {}) }] };
  }

  reportCount(q: ReportQuery, cut: number, now: number): number {
    const { sql, params } = this.report(q, cut, now);
    return (this.h.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;
  }

  reportPage(q: ReportQuery, cut: number, now: number): ReportRow[] {
    const { sql, params } = this.report(q, cut, now);
    const order = q.sort.length
      ? // Postgres order: NULLs last ascending, first descending (location_external_key can be null)
        [...q.sort.map((s) => `${REPORT_SORT[s.field]} ${s.desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`), 'r.asset_id ASC']
      : ['r.seen DESC', 'r.asset_id ASC'];
    return this.h.prepare(`SELECT * FROM (${sql}) r ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as ReportRow[];
  }

  /** The start of a report row's current run: scans since the last read at a different place (a null-location read breaks a run). */
  runStart(row: ReportRow, cut: number): number | null {
    return (
      this.h
        .prepare(
          `SELECT MIN(observed_at) AS start FROM scans WHERE asset_id = @id AND observed_at >= @cut AND observed_at > COALESCE(
             (SELECT MAX(observed_at) FROM scans WHERE asset_id = @id AND observed_at < @seen AND (location_id IS NOT @loc OR location_id IS NULL)),
             -9007199254740991)`,
        )
        .get({ id: row.src_asset, seen: row.seen, loc: row.src_location, cut }) as { start: number | null }
    ).start;
  }

  /** Whether a live asset of the org was last read (within retention) at this location. */
  hasAssetPlacedAt(orgId: number, locationId: number, cut: number): boolean {
    // A sandbox still reading its source's scans asks with the source's location id and maps the assets back.
    const linked = scanSource(this.h, orgId).linked;
    const placed = this.h
      .prepare(
        `SELECT 1 FROM (SELECT DISTINCT asset_id FROM scans WHERE location_id = @loc AND observed_at >= @cut) x
         JOIN assets a ON a.id = ${linked ? mappedId('@org', 'x.asset_id') : 'x.asset_id'} AND a.org_id = @org AND a.deleted_at IS NULL
         WHERE (SELECT s.location_id FROM scans s WHERE s.asset_id = x.asset_id ORDER BY s.observed_at DESC LIMIT 1) = @loc
         LIMIT 1`,
      )
      .get({ org: orgId, loc: linked ? sourceId(this.h, orgId, locationId) : locationId, cut });
    return placed !== undefined;
  }
}

const historyRange = (q: HistoryQuery) => `${q.from !== undefined ? 'AND s.observed_at >= @from' : ''} ${q.to !== undefined ? 'AND s.observed_at <= @to' : ''}`;

/** The named parameters a statement uses (better-sqlite3 refuses unused ones). */
const named = (sql: string, p: Record<string, unknown>) => Object.fromEntries(Object.keys(p).filter((k) => sql.includes('@' + k)).map((k) => [k, p[k]]));
