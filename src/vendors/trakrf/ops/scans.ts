/**
 * Scans (trakrf.md §7.4, §7.5): ingestion at minute granularity, an asset's history and the asset-locations report.
 * Ingestion returns the stored scans for the asset.moved evaluation the caller runs after the commit.
 */
import type { OrgMemo } from '../memo.js';
import type { HistoryQuery, ReportQuery, TrakrfStore } from '../store/index.js';
import { historyItem, reportItem, type HistoryItem, type ReportItem } from '../views.js';
import type { StoredScan } from '../webhooks.js';
import { memoTotal } from './common.js';

export interface ScanInput {
  assetId: number;
  locationId: number | null;
  at: number;
}

/**
 * Stores scans in one transaction: one row per asset per minute; within a minute the earliest read's location wins,
 * whatever order the reads arrive in. Returns how many rows were written and, unless `events` is false (bulk
 * generation), each written one as a StoredScan for the webhook evaluation.
 */
export function ingestScans(store: TrakrfStore, orgId: number, scans: readonly ScanInput[], events = true): { written: number; stored: StoredScan[] } {
  const stored: StoredScan[] = [];
  const written = store.transaction(() => {
    store.scans.beforeWrite(orgId);
    let n = 0;
    let since = Number.POSITIVE_INFINITY;
    for (const s of scans) {
      const bucket = Math.floor(s.at / 60_000) * 60_000;
      const before = events ? store.scans.bucket(s.assetId, bucket) : undefined;
      if (!store.scans.upsert(orgId, s.assetId, bucket, s.locationId, s.at)) continue;
      n++;
      if (bucket < since) since = bucket;
      if (events) stored.push({ assetId: s.assetId, locationId: s.locationId, bucket, ...(before ? { replaced: { locationId: before.location_id } } : {}) });
    }
    if (n) store.scans.logWritten(orgId, since);
    return n;
  });
  return { written, stored };
}

export function assetHistory(store: TrakrfStore, q: HistoryQuery): { data: HistoryItem[]; total: number } {
  const now = store.now();
  const cut = store.cut(now);
  return { data: store.scans.history(q, cut, now).map(historyItem), total: store.scans.historyCount(q, cut) };
}

/** The report: each asset's last sighting and how long it has dwelt there (its current run of reads at that place). */
export function assetLocations(store: TrakrfStore, counts: OrgMemo, q: ReportQuery): { data: ReportItem[]; total: number } {
  const now = store.now();
  const cut = store.cut(now);
  const total = memoTotal(counts, 'report', q, () => store.scans.reportCount(q, cut, now));
  const data = store.scans.reportPage(q, cut, now).map((r) => reportItem(r, r.src_location === null ? r.seen : (store.scans.runStart(r, cut) ?? r.seen)));
  return { data, total };
}
