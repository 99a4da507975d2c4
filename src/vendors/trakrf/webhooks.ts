/**
 * `asset.moved` webhooks (trakrf.md §11; runtime: trakrf/platform backend/internal/assetevent and internal/webhook).
 * One webhook per org. A stored scan that places a live asset at a location other than its previous sighting (the
 * latest scan strictly before its minute bucket) is delivered after the ingesting request has answered: signed
 * `sha256=HMAC(secret, ts + "." + body)`, 5 s timeout, 2xx required (redirects are failures), retried ≈1 s and ≈5 s
 * later (±20% uniform jitter, same delivery id), then dropped. Retry timers run on real time; timestamps on the
 * suite clock. The secret is kept as the vendor keeps it (it must be presented to sign), shown in full only once.
 */
import { createHmac } from 'node:crypto';
import { randomHex } from '../../core/secrets.js';
import type { VendorContext } from '../../core/vendor.js';
import { FixtureError } from '../../core/vendor.js';
import type { Rng } from '../../core/rng.js';
import type { DeliveryRow, TrakrfStore, WebhookRow } from './store/index.js';

const WEBHOOK_EVENT = 'asset.moved';
export const SECRET_PREFIX = 'whsec_';

/** A stored scan to evaluate: the asset, the location it was read at, the minute bucket it was stored in. */
export interface StoredScan {
  assetId: number;
  locationId: number | null;
  bucket: number;
  /** Set when an earlier read replaced the bucket's row: the location that row had. */
  replaced?: { locationId: number | null };
}

export function sign(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** `"1000,5000"` → [1000, 5000]: the retry ladder in ms (the vendor's is 1 s, 5 s). */
function parseRetryDelays(value: string): number[] {
  const parts = String(value).split(',').map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.length > 5 || out.some((n, i) => parts[i] === '' || !Number.isInteger(n) || n < 0 || n > 60_000)) {
    throw new FixtureError('--trakrf-webhook-retry-delays must be up to 5 comma-separated integers of milliseconds (0..60000), e.g. 1000,5000');
  }
  return out;
}

/** The vendor's dispatcher: a bounded queue (a full one drops the event) and a few workers (dispatcher.go). */
const QUEUE_SIZE = 1024;
const WORKERS = 4;
/** Delivery records kept per org for GET /__admin/webhooks/deliveries (ours; older ones are pruned). */
const DELIVERIES_KEPT = 1000;

interface Job {
  wh: WebhookRow;
  deliveryId: string;
  occurredMs: number;
  body: string;
  gen: number;
  orgGen: number;
}

export class TrakrfWebhooks {
  private readonly inflight = new Set<Promise<void>>();
  private readonly queue: Job[] = [];
  private tenantReset = false;
  private readonly sleepers = new Map<() => void, number>();
  private generation = 0;
  private readonly orgGeneration = new Map<number, number>();
  private readonly jitterRng: Rng;
  readonly retryDelays: number[];
  readonly timeoutMs: number;

  constructor(
    private readonly ctx: VendorContext,
    private readonly store: TrakrfStore,
  ) {
    this.jitterRng = ctx.rng.fork('webhook-jitter');
    this.retryDelays = parseRetryDelays(String(ctx.config.webhookRetryDelays));
    this.timeoutMs = Number(ctx.config.webhookTimeoutMs);
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs < 1 || this.timeoutMs > 60_000) {
      throw new FixtureError('--trakrf-webhook-timeout-ms must be an integer from 1 to 60000');
    }
    // Reset hooks run after a per-tenant reset too: that one has already stopped its own org's deliveries.
    ctx.onReset(() => {
      if (this.tenantReset) {
        this.tenantReset = false;
        return;
      }
      this.queue.length = 0;
      this.generation++;
      this.orgGeneration.clear();
      this.wake();
    });
  }

  /** Stops deliveries in flight for one org (per-tenant reset; call it last, once the reset cannot fail). */
  resetOrg(orgId: number): void {
    this.tenantReset = true;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].wh.org_id === orgId) this.queue.splice(i, 1);
    this.orgGeneration.set(orgId, (this.orgGeneration.get(orgId) ?? 0) + 1);
    this.wake(orgId);
  }

  // ---- registrations -------------------------------------------------------------------------------------------

  list(orgId?: number): WebhookRow[] {
    return this.store.webhooks.list(orgId);
  }

  get(id: number): WebhookRow | undefined {
    return this.store.webhooks.get(id);
  }

  forOrg(orgId: number): WebhookRow | undefined {
    return this.store.webhooks.forOrg(orgId);
  }

  /** Registers the org's webhook with a new secret. */
  create(orgId: number, url: string, enabled: boolean): WebhookRow {
    return this.get(this.store.webhooks.insert(orgId, url, SECRET_PREFIX + randomHex(32), enabled, this.ctx.clock.nowMs()))!;
  }

  update(id: number, patch: { url?: string; enabled?: boolean }): WebhookRow {
    const cur = this.get(id)!;
    this.store.webhooks.update(id, patch.url ?? cur.url, patch.enabled === undefined ? cur.enabled : patch.enabled ? 1 : 0, this.ctx.clock.nowMs());
    return this.get(id)!;
  }

  delete(id: number): void {
    this.store.webhooks.delete(id);
  }

  deliveries(orgId?: number): DeliveryRow[] {
    return this.store.webhooks.deliveries(orgId);
  }

  /** Resolves once every delivery started so far has finished (delivered or dropped). */
  async idle(): Promise<void> {
    this.pump();
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  // ---- detection -----------------------------------------------------------------------------------------------

  /**
   * Evaluates scans that were stored (after their transaction committed), in the backend's order: no webhook /
   * disabled / unpaid org → nothing; a read without a location → nothing; previous sighting (latest scan strictly
   * before the bucket) at the same location → nothing; otherwise one event, `from_location` null for a first
   * sighting, a previous read without a location, or a since-deleted origin. A read that replaced its minute's row
   * (an earlier read arriving later) is a move from the replaced location, as the backend's same-minute override.
   */
  evaluate(orgId: number, scans: readonly StoredScan[]): void {
    const wh = this.forOrg(orgId);
    if (!wh || wh.enabled !== 1) return;
    if (this.store.orgs.get(orgId)?.subscription_active !== 1) return;
    const occurred = this.ctx.clock.nowMs();
    const cut = this.store.cut(occurred);
    const location = (id: number) => {
      const l = this.store.locations.get(orgId, id);
      return l && { id: l.id, name: l.name };
    };
    for (const s of scans) {
      if (s.locationId === null) continue;
      const fromId = s.replaced ? s.replaced.locationId : (this.store.scans.previousLocation(s.assetId, s.bucket, cut) ?? null);
      if (fromId === s.locationId) continue;
      const a = this.store.assets.get(orgId, s.assetId);
      const to = location(s.locationId);
      if (!a || !to) continue;
      const from = fromId === null ? null : (location(fromId) ?? null);
      this.enqueue(wh, occurred, { asset: { id: a.id, external_key: a.external_key, name: a.name }, from_location: from, to_location: to });
    }
    this.store.webhooks.pruneDeliveries(orgId, DELIVERIES_KEPT);
  }

  private enqueue(wh: WebhookRow, occurredMs: number, data: unknown): void {
    const deliveryId = this.ctx.rng.uuid();
    const body = JSON.stringify({ event: WEBHOOK_EVENT, delivery_id: deliveryId, occurred_at: goTime(occurredMs), data });
    const now = this.ctx.clock.nowMs();
    const full = this.queue.length >= QUEUE_SIZE;
    this.store.webhooks.insertDelivery({
      delivery_id: deliveryId,
      org_id: wh.org_id,
      webhook_id: wh.id,
      url: wh.url,
      body,
      occurred_at: occurredMs,
      state: full ? 'dropped' : 'pending',
      error: full ? `delivery queue full (${QUEUE_SIZE} waiting): dropped` : null,
      created_at: now,
      updated_at: now,
    });
    if (full) return;
    this.queue.push({ wh, deliveryId, occurredMs, body, gen: this.generation, orgGen: this.orgGeneration.get(wh.org_id) ?? 0 });
    this.pump();
  }

  /** Starts queued deliveries while fewer than WORKERS run (a worker also waits out its job's retries). */
  private pump(): void {
    while (this.inflight.size < WORKERS && this.queue.length) {
      const job = this.queue.shift()!;
      const p: Promise<void> = this.run(job.wh, job.deliveryId, job.occurredMs, job.body, job.gen, job.orgGen)
        // A delivery outliving its database (closed suite) must never crash the process.
        .catch((err: Error) => this.ctx.log(`trakrf: webhook delivery ${job.deliveryId} abandoned: ${err.message}`))
        .finally(() => {
          this.inflight.delete(p);
          this.pump();
        });
      this.inflight.add(p);
    }
  }

  private live(generation: number, orgId: number, orgGeneration: number): boolean {
    return generation === this.generation && (this.orgGeneration.get(orgId) ?? 0) === orgGeneration;
  }

  private async run(wh: WebhookRow, deliveryId: string, occurredMs: number, body: string, gen: number, orgGen: number): Promise<void> {
    // Let the ingesting response go out first.
    await new Promise((r) => setImmediate(r));
    for (let attempt = 0; ; attempt++) {
      if (!this.live(gen, wh.org_id, orgGen)) return;
      const r = await this.send(wh, deliveryId, occurredMs, body);
      if (!this.live(gen, wh.org_id, orgGen)) return;
      const last = attempt >= this.retryDelays.length;
      const state = r.error === null ? 'delivered' : last ? 'failed' : 'retrying';
      this.store.webhooks.updateDelivery(deliveryId, { state, attempts: attempt + 1, response_status: r.status, error: r.error, updated_at: this.ctx.clock.nowMs() });
      if (r.error === null || last) return;
      await this.sleep(this.jitter(this.retryDelays[attempt]), wh.org_id);
    }
  }

  /** Waits before a retry; a reset of the org (or a full one) ends the wait at once, freeing the worker. */
  private sleep(ms: number, orgId: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.set(wake, orgId);
    });
  }

  private wake(orgId?: number): void {
    for (const [wake, org] of [...this.sleepers]) if (orgId === undefined || org === orgId) wake();
  }

  /** ±20% uniform, as the vendor's dispatcher spreads retries. */
  private jitter(ms: number): number {
    if (ms <= 0) return ms;
    return Math.round(ms * 0.8 + this.jitterRng.float() * ms * 0.4);
  }

  private send(wh: { org_id: number; url: string; secret: string }, deliveryId: string, occurredMs: number, body: string) {
    const ts = String(Math.floor(occurredMs / 1000));
    return this.ctx.outbound.send({
      tenant: wh.org_id,
      url: wh.url,
      body,
      timeoutMs: this.timeoutMs,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'TrakRF-Webhooks/1',
        'X-TrakRF-Event': WEBHOOK_EVENT,
        'X-TrakRF-Delivery': deliveryId,
        'X-TrakRF-Timestamp': ts,
        'X-TrakRF-Signature': sign(wh.secret, ts, body),
      },
    });
  }

  /** The vendor's test fire: a synthetic move, one attempt, no retries, not listed as a delivery. */
  async testFire(wh: WebhookRow): Promise<{ status_code: number; error?: string }> {
    const occurred = this.ctx.clock.nowMs();
    const deliveryId = this.ctx.rng.uuid();
    const data = {
      asset: { id: 1, external_key: 'TEST-ASSET', name: 'Test Asset (webhook test fire)' },
      from_location: { id: 1, name: 'Test Origin' },
      to_location: { id: 2, name: 'Test Destination' },
    };
    const body = JSON.stringify({ event: WEBHOOK_EVENT, delivery_id: deliveryId, occurred_at: goTime(occurred), data });
    const r = await this.send(wh, deliveryId, occurred, body);
    return r.error === null ? { status_code: r.status ?? 0 } : { status_code: r.status ?? 0, error: r.error };
  }
}

/** Go's `time.Time` JSON encoding (RFC 3339 with nanoseconds, trailing zeros trimmed) of a UTC instant. */
function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso.replace(/0+Z$/, 'Z');
}
