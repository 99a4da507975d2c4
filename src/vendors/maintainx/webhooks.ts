/**
 * Outbound webhooks: each event is matched against the organization's subscriptions, recorded as a delivery, and
 * POSTed after the API request has answered (never blocking it), signed per the official spec:
 * `x-maintainx-webhook-body-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` and
 * `x-maintainx-webhook-uri-signature: t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<url>")>`.
 * Timeout and retries use real timers (configurable); timestamps use the suite clock.
 */
import { createHmac } from 'node:crypto';
import type { Mx } from './http.js';
import type { Json } from './store.js';

export function sign(secret: string, t: number, payload: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex')}`;
}

export class Webhooks {
  private readonly inflight = new Set<Promise<void>>();
  private generation = 0;

  constructor(private readonly mx: () => Mx) {}

  /** Events of the running transaction, sent once it commits (see ops/common.ts `write`). */
  private held: Array<Parameters<Webhooks['emit']>> | null = null;

  onReset(): void {
    this.generation++;
  }

  holding(): boolean {
    return this.held !== null;
  }

  hold(): void {
    this.held = [];
  }

  /** Ends holding: sends the held events after a commit, drops them after a rollback. */
  release(committed: boolean): void {
    const events = this.held ?? [];
    this.held = null;
    if (committed) for (const e of events) this.emit(...e);
  }

  /** Resolves once every delivery started so far has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Queues `event` for every matching subscription of `orgId`. `changed` lists the properties a *_CHANGE event is
   * about (for the `oneOfProperties` filter).
   */
  emit(orgId: number, event: string, payload: Json, opts: { skip?: boolean; changed?: string[] } = {}): void {
    if (opts.skip) return;
    if (this.held) {
      this.held.push([orgId, event, payload, opts]);
      return;
    }
    const mx = this.mx();
    const subs = mx.store.find('subscription', orgId, { eq: '$.type', value: event });
    if (subs.length === 0) return;
    const body = JSON.stringify({ ...payload, orgId, occurredAt: mx.store.nowIso() });
    for (const sub of subs) {
      const filters = (sub.data.filters ?? {}) as Record<string, unknown>;
      const props = filters.oneOfProperties;
      if (Array.isArray(props) && props.length && opts.changed && !opts.changed.some((p) => props.includes(p))) continue;
      const url = String(sub.data.url);
      const id = mx.store.addDelivery({ orgId, subscriptionId: sub.id, event, url, body });
      const p: Promise<void> = this.deliver(id, orgId, url, String(sub.data.secret), body, this.generation)
        // A delivery outliving its database (closed suite) must never crash the process.
        .catch((err: Error) => mx.ctx.log(`maintainx: webhook delivery ${id} abandoned: ${err.message}`))
        .finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private async deliver(id: number, orgId: number, url: string, secret: string, body: string, generation: number): Promise<void> {
    // Let the API response go out first.
    await new Promise((r) => setImmediate(r));
    const mx = this.mx();
    const cfg = mx.ctx.config;
    let attempts = 0;
    let status: number | null = null;
    let error: string | null = null;
    while (attempts <= cfg.webhookRetries) {
      if (attempts > 0) await new Promise((r) => setTimeout(r, cfg.webhookRetryDelayMs * 2 ** (attempts - 1)));
      if (generation !== this.generation) return;
      attempts++;
      const t = mx.ctx.clock.nowSeconds();
      // ctx.outbound: the target allow-list, timeout, no redirects, and the journal's record of each attempt.
      ({ status, error } = await mx.ctx.outbound.send({
        tenant: orgId,
        url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'MaintainX-Webhooks (vendor-fakes)',
          'x-maintainx-webhook-body-signature': sign(secret, t, body),
          'x-maintainx-webhook-uri-signature': sign(secret, t, url),
        },
        body,
        timeoutMs: cfg.webhookTimeoutMs,
      }));
      if (generation !== this.generation) return;
      const done = error === null;
      mx.store.updateDelivery(id, {
        state: done ? 'delivered' : attempts > cfg.webhookRetries ? 'failed' : 'retrying',
        attempts,
        responseStatus: status,
        error,
      });
      if (done) return;
    }
  }
}
