/**
 * The TrakRF store: the named queries of each table over the vendor's database, the change counter and the validity
 * boundaries memoized reads are checked against (memo.ts), and the one transaction wrapper the operations use.
 */
import type { Clock } from '../../../core/clock.js';
import type { VendorDb } from '../../../core/db.js';
import type { MemoSource } from '../memo.js';
import { scanSource } from './scan-links.js';
import { ApiKeyStore } from './api-keys.js';
import { AssetStore } from './assets.js';
import { LocationStore } from './locations.js';
import { MetaStore } from './meta.js';
import { OrgStore } from './orgs.js';
import { ScanStore } from './scans.js';
import { TagStore } from './tags.js';
import { WebhookStore } from './webhooks.js';

export type * from './rows.js';

export class TrakrfStore implements MemoSource {
  readonly meta: MetaStore;
  readonly orgs: OrgStore;
  readonly apiKeys: ApiKeyStore;
  readonly assets: AssetStore;
  readonly locations: LocationStore;
  readonly tags: TagStore;
  readonly scans: ScanStore;
  readonly webhooks: WebhookStore;

  /**
   * @param retentionMs history retention (`asset_scans` retention policy, 365 days in the backend's migration
   * 000008): scans older than this, on the suite clock, are gone from every read (applied at read time).
   */
  constructor(
    private readonly h: VendorDb,
    private readonly clock: Clock,
    readonly retentionMs: number,
  ) {
    this.meta = new MetaStore(h);
    this.orgs = new OrgStore(h);
    this.apiKeys = new ApiKeyStore(h);
    this.assets = new AssetStore(h);
    this.locations = new LocationStore(h);
    this.tags = new TagStore(h);
    this.scans = new ScanStore(h);
    this.webhooks = new WebhookStore(h);
  }

  /** Runs fn in one (IMMEDIATE) transaction. */
  transaction<T>(fn: () => T): T {
    return this.h.transaction(fn);
  }

  /** Drops what the store keeps in memory (every reset, all or one tenant). */
  clearCache(): void {
    this.apiKeys.clear();
  }

  /** The connection's change counter: any write moves it (memoized reads compare it). */
  changes(): number {
    return this.h.totalChanges();
  }

  now(): number {
    return this.clock.nowMs();
  }

  /** The retention cut-off at `now`: scans observed before it are gone. */
  cut(now: number): number {
    return now - this.retentionMs;
  }

  /** The next instant at which any asset, location or tag of the org enters or leaves its validity window, or a scan leaves retention. */
  nextBoundary(orgId: number, now: number): number {
    const row = this.h
      .prepare(
        `SELECT MIN(t) AS t FROM (
           SELECT MIN(valid_from) AS t FROM assets WHERE org_id = @o AND valid_from > @now
           UNION ALL SELECT MIN(valid_to) FROM assets WHERE org_id = @o AND valid_to > @now
           UNION ALL SELECT MIN(valid_from) FROM locations WHERE org_id = @o AND valid_from > @now
           UNION ALL SELECT MIN(valid_to) FROM locations WHERE org_id = @o AND valid_to > @now
           UNION ALL SELECT MIN(valid_from) FROM tags WHERE org_id = @o AND valid_from > @now
           UNION ALL SELECT MIN(valid_to) FROM tags WHERE org_id = @o AND valid_to > @now
           UNION ALL SELECT MIN(observed_at) + @r + 1 FROM scans WHERE org_id = @so AND observed_at >= @now - @r)`,
      )
      .get({ o: orgId, so: scanSource(this.h, orgId).org, now, r: this.retentionMs }) as { t: number | null };
    return row.t ?? Number.POSITIVE_INFINITY;
  }

  /** Whether the database answers (readiness). */
  ping(): boolean {
    try {
      this.h.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  /** Refreshes the planner's statistics (after bulk generation). */
  analyze(): void {
    this.h.db.exec('ANALYZE');
  }
}
