/** Webhook subscriptions: create (checked against the delivery allow-list), update, archive. */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { write, type Actor } from './common.js';

const ALLOWED_URL = /^https?:\/\/[^\s]+$/i;

function checkUrl(mx: Mx, url: unknown): void {
  if (typeof url !== 'string' || !ALLOWED_URL.test(url) || !URL.canParse(url)) {
    throw validation([{ error: 'url is not valid', fieldPath: 'url', fieldValue: typeof url === 'string' ? url : null }]);
  }
  const refused = mx.ctx.outbound.refusal(url);
  if (refused) throw validation([{ error: refused, fieldPath: 'url', fieldValue: url }]);
}

export function createSubscription(mx: Mx, actor: Actor, b: Json, secret: string): Row {
  checkUrl(mx, b.url);
  return write(mx, () => {
    const r = mx.store.records.insert('subscription', actor.orgId, { type: b.type, url: b.url, filters: b.filters ?? {}, options: b.options ?? {}, secret, status: 'VALID', creatorId: actor.userId });
    mx.hooks.emit(actor.orgId, 'WEBHOOK_CREATED', { actorId: actor.userId, webhookId: r.id, webhookType: b.type, url: b.url });
    return r;
  });
}

export function updateSubscription(mx: Mx, r: Row, b: Json): Row {
  if (b.url !== undefined) checkUrl(mx, b.url);
  const data = { ...r.data };
  for (const k of ['type', 'url', 'filters', 'options']) if (b[k] !== undefined) data[k] = b[k];
  return write(mx, () => mx.store.records.update(r, data));
}

export function deleteSubscription(mx: Mx, actor: Actor, r: Row): void {
  write(mx, () => {
    mx.store.records.softDelete(r);
    mx.hooks.emit(r.orgId, 'WEBHOOK_ARCHIVED', { actorId: actor.userId, webhookId: r.id });
  });
}

/** A subscription whose deliveries keep failing is archived by the system (its creator is named as the actor). */
export function archiveSubscription(mx: Mx, sub: Row): void {
  const live = mx.store.records.get('subscription', sub.id, [sub.orgId]);
  if (live) deleteSubscription(mx, { orgId: sub.orgId, userId: (live.data.creatorId as number) ?? 0 }, live);
}
