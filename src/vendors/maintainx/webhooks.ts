/**
 * Outbound webhooks as the official spec's `x-webhooks` define them. Each event is matched against the
 * organization's subscriptions of that type and their filters, recorded as a delivery, and POSTed through
 * `ctx.outbound` (loopback and `--webhook-allow-hosts` only) after the API request has answered, signed per the spec:
 * `x-maintainx-webhook-body-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` and
 * `x-maintainx-webhook-uri-signature: t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<url>")>`.
 * The entity an event can carry (`newWorkOrder`, `newPart`, …) is sent only to subscriptions created with
 * `options.serializeEntity` (`serializePurchaseOrder` for PURCHASE_ORDER_STATUS_CHANGE); with
 * `onlySerializeFilteredProperties`, only the fields of the filtered properties. Timeout and retries use real timers.
 */
import { createHmac } from 'node:crypto';
import type { Mx } from './http.js';
import type { Json, Row } from './store/index.js';

export function sign(secret: string, t: number, payload: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex')}`;
}

/** Events that can carry an entity: its payload key, the option that asks for it, the filter naming properties. */
const ENTITIES: Record<string, { key: string; option?: string; filter?: string }> = {
  NEW_WORK_ORDER: { key: 'newWorkOrder' },
  WORK_ORDER_CHANGE: { key: 'newWorkOrder', filter: 'oneOfProperties' },
  WORK_ORDER_STATUS_CHANGE: { key: 'newWorkOrder' },
  WORK_ORDER_PART_STATUS_CHANGE: { key: 'newWorkOrder' },
  WORK_ORDER_DELETE: { key: 'WorkOrder' },
  NEW_ASSET: { key: 'newAsset' },
  NEW_PART: { key: 'newPart' },
  PART_CHANGE: { key: 'newPart', filter: 'oneOfPartProperties' },
  PART_DELETE: { key: 'deletedPart' },
  NEW_PURCHASE_ORDER: { key: 'newPurchaseOrder' },
  PURCHASE_ORDER_CHANGE: { key: 'newPurchaseOrder', filter: 'oneOfPurchaseOrderProperties' },
  PURCHASE_ORDER_STATUS_CHANGE: { key: 'purchaseOrder', option: 'serializePurchaseOrder' },
};

/** Property names of the *_CHANGE filters → the entity fields they cover (for onlySerializeFilteredProperties). */
const PROPERTY_FIELDS: Record<string, Record<string, string[]>> = {
  oneOfProperties: {
    ASSET: ['assetId'], ASSIGNEES: ['assigneeIds'], CATEGORIES: ['categories'], COSTS: ['costs'], DESCRIPTION: ['description'],
    DUE_DATE: ['dueDate'], ESTIMATED_TIME: ['estimatedTime'], EXTRA_FIELDS: ['extraFields'], LOCATION: ['locationId'], PARTS: ['parts'],
    PRIORITY: ['priority'], START_DATE: ['startDate'], TEAMS: ['teamIds'], TITLE: ['title'], VENDORS: ['vendorIds'],
  },
  oneOfPartProperties: {
    AREA: ['area'], ASSETS: ['assetIds'], AVAILABLE_QUANTITY: ['availableQuantity'], BARCODE: ['barcode'], DESCRIPTION: ['description'],
    EXTRA_FIELDS: ['extraFields'], LOCATION: ['locationId'], LOCATIONS: ['locations'], MAXIMUM_QUANTITY: ['maximumQuantity'],
    MINIMUM_QUANTITY: ['minimumQuantity'], NAME: ['name'], PART_TYPES: ['partTypes'], TEAMS: ['teamIds'], UNIT_COST: ['unitCost'], VENDORS: ['vendors'],
  },
  oneOfPurchaseOrderProperties: {
    ATTACHMENTS: ['attachments'], BILLING_ADDRESS: ['billingAddress'], COSTS: ['costs'], DUE_DATE: ['dueDate'], EXTRA_FIELDS: ['extraFields'],
    ITEMS: ['items'], NOTE: ['note'], OVERRIDE_NUMBER: ['overrideNumber'], SHIPPING_ADDRESS: ['shippingAddress'], STATUS: ['status'],
    TITLE: ['title'], VENDOR: ['vendorId'], VENDOR_CONTACTS: ['vendorContactIds'],
  },
};

/** The values of an event that each subscription filter is matched against (filter name → values). */
function factsOf(event: string, p: Json, changed: readonly string[] | undefined): Record<string, readonly unknown[]> {
  const change = ENTITIES[event]?.filter;
  if (change && changed) return { [change]: changed };
  switch (event) {
    case 'WORK_ORDER_STATUS_CHANGE':
      return { oneOfStatuses: [p.newSubStatus ?? p.newStatus] };
    case 'WORK_ORDER_PART_STATUS_CHANGE':
      return { oneOfPartStatuses: [p.newPartStatus] };
    case 'WORK_REQUEST_STATUS_CHANGE':
      return { oneOfStatuses: [p.newStatus] };
    case 'PURCHASE_ORDER_STATUS_CHANGE':
      return { oneOfStatuses: [p.newStatus], vendors: [p.vendorId] };
    case 'METER_TRIGGER_STATE_CHANGE':
      return { oneOfStates: [p.newState] };
    case 'ASSET_STATUS_CHANGE': {
      const s = (p.newStatus ?? {}) as Json;
      return { oneOfAssetStatusTypes: [s.status], oneOfCustomAssetStatusesIds: [s.customStatusId] };
    }
    case 'NEW_CATEGORY_ON_WORK_ORDER':
      return { oneOfCategories: ((p.newCategories as Json[]) ?? []).flatMap((c) => [c.id, c.name]) };
    case 'NEW_SLASH_COMMAND':
      return { command: [p.command] };
    default:
      return {};
  }
}

const norm = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

/** True when every filter the subscription sets (non-empty) shares a value with the event's facts. */
export function matches(filters: Json, facts: Record<string, readonly unknown[]>): boolean {
  for (const [name, raw] of Object.entries(filters ?? {})) {
    const wanted = Array.isArray(raw) ? raw : raw == null || raw === '' ? [] : [raw];
    if (wanted.length === 0 || !(name in facts)) continue;
    const have = new Set(facts[name].map(norm));
    if (!wanted.some((w) => have.has(norm(w)))) return false;
  }
  return true;
}

/** The payload one subscription receives: the entity only when asked for, trimmed to the filtered properties. */
export function payloadFor(event: string, payload: Json, sub: { filters?: Json; options?: Json }): Json {
  const rule = ENTITIES[event];
  if (!rule || !(rule.key in payload)) return payload;
  const options = sub.options ?? {};
  const out = { ...payload };
  if (options[rule.option ?? 'serializeEntity'] !== true) {
    delete out[rule.key];
    return out;
  }
  const props = rule.filter ? (sub.filters?.[rule.filter] as string[] | undefined) : undefined;
  if (options.onlySerializeFilteredProperties === true && Array.isArray(props) && props.length && rule.filter) {
    const entity = payload[rule.key] as Json;
    const fields = new Set(props.flatMap((p) => PROPERTY_FIELDS[rule.filter!][p] ?? []));
    out[rule.key] = Object.fromEntries(Object.entries(entity).filter(([k]) => k === 'id' || fields.has(k)));
  }
  return out;
}

export interface EmitOptions {
  skip?: boolean;
  /** The properties a *_CHANGE event is about (matched against the oneOf…Properties filter). */
  changed?: string[];
}

/** Consecutive failed deliveries (each after all its retries) after which a subscription is archived (ours). */
export const FAILURES_BEFORE_ARCHIVE = 5;

export class Webhooks {
  private readonly inflight = new Set<Promise<void>>();
  private generation = 0;
  /** Events of the running transaction, sent once it commits (see ops/common.ts `write`). */
  private held: Array<Parameters<Webhooks['emit']>> | null = null;

  constructor(private readonly mx: () => Mx) {}

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

  /** Queues `event` (payload without orgId/occurredAt) for every matching subscription of `orgId`. */
  emit(orgId: number, event: string, payload: Json, opts: EmitOptions = {}): void {
    if (opts.skip) return;
    if (this.held) {
      this.held.push([orgId, event, payload, opts]);
      return;
    }
    const mx = this.mx();
    const subs = mx.store.records.find('subscription', orgId, { eq: '$.type', value: event });
    if (subs.length === 0) return;
    const facts = factsOf(event, payload, opts.changed);
    // PART_TRANSFER names its time triggeredAt and carries no orgId (spec); every other event has orgId + occurredAt.
    const stamp: Json = event === 'PART_TRANSFER' ? { triggeredAt: mx.store.nowIso() } : { orgId, occurredAt: mx.store.nowIso() };
    for (const sub of subs) {
      if (!matches((sub.data.filters ?? {}) as Json, facts)) continue;
      const body = JSON.stringify({ ...payloadFor(event, payload, sub.data as Json), ...stamp });
      const url = String(sub.data.url);
      const id = mx.store.deliveries.add({ orgId, subscriptionId: sub.id, event, url, body });
      const p: Promise<void> = this.deliver(id, sub, url, String(sub.data.secret), body, this.generation)
        // A delivery outliving its database (closed suite) must never crash the process.
        .catch((err: Error) => mx.ctx.log(`maintainx: webhook delivery ${id} abandoned: ${err.message}`))
        .finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private async deliver(id: number, sub: Row, url: string, secret: string, body: string, generation: number): Promise<void> {
    // Let the API response go out first.
    await new Promise((r) => setImmediate(r));
    const mx = this.mx();
    const cfg = mx.ctx.config;
    let attempts = 0;
    while (attempts <= cfg.webhookRetries) {
      if (attempts > 0) await new Promise((r) => setTimeout(r, cfg.webhookRetryDelayMs * 2 ** (attempts - 1)));
      if (generation !== this.generation) return;
      attempts++;
      const t = mx.ctx.clock.nowSeconds();
      const res = await mx.ctx.outbound.send({
        tenant: sub.orgId,
        url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'MaintainX-Webhooks (vendor-fakes)',
          'x-maintainx-webhook-body-signature': sign(secret, t, body),
          'x-maintainx-webhook-uri-signature': sign(secret, t, url),
        },
        body,
        timeoutMs: cfg.webhookTimeoutMs,
      });
      if (generation !== this.generation) return;
      const done = res.error === null;
      const failed = !done && attempts > cfg.webhookRetries;
      mx.store.deliveries.update(id, { state: done ? 'delivered' : failed ? 'failed' : 'retrying', attempts, responseStatus: res.status, error: res.error });
      if (failed) this.onFailed(sub);
      if (done) return;
    }
  }

  /** A subscription whose last FAILURES_BEFORE_ARCHIVE deliveries all failed is archived (spec: "might be deleted"). */
  private onFailed(sub: Row): void {
    const mx = this.mx();
    const last = mx.store.deliveries.lastStates(sub.id, FAILURES_BEFORE_ARCHIVE);
    if (last.length < FAILURES_BEFORE_ARCHIVE || last.some((s) => s !== 'failed')) return;
    this.archive?.(sub);
  }

  /** Archives a failing subscription (set by the operations layer, which owns writes). */
  archive?: (sub: Row) => void;
}
