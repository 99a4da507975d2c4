/**
 * Purchase orders: REQUESTED on creation, the spec's status-transition table, fulfillment that receives items into
 * part stock (and moves the order to PARTIALLY_FULFILLED / COMPLETED), comments, e-mails (recorded, never sent).
 * `origin` is where the presented attachments' URLs point (the webhook payloads carry the order).
 */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { purchaseOrderView } from '../views/purchaseorders.js';
import { pick, ref, write, type Actor } from './common.js';
import { moveStock } from './parts.js';

export type PoStatus = 'REQUESTED' | 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELED' | 'PARTIALLY_FULFILLED' | 'COMPLETED';

/** Allowed moves through PATCH /purchaseorders/{id}/status (the spec's table). */
const TRANSITIONS: Record<PoStatus, PoStatus[]> = {
  REQUESTED: ['CANCELED', 'DECLINED', 'PENDING'],
  PENDING: ['APPROVED', 'CANCELED', 'DECLINED'],
  DECLINED: ['CANCELED', 'PENDING'],
  APPROVED: ['CANCELED'],
  PARTIALLY_FULFILLED: ['COMPLETED'],
  CANCELED: [],
  COMPLETED: ['PARTIALLY_FULFILLED'],
};
/** PURCHASE_ORDER_STATUS_CHANGE's purchaseOrder schema has no null addresses: an unset address is left out. */
const withoutNullAddresses = (po: Json): Json => {
  const out = { ...po };
  for (const k of ['shippingAddress', 'billingAddress']) if (out[k] === null) delete out[k];
  return out;
};
const FIELDS = ['note', 'dueDate', 'vendorId', 'overrideNumber', 'vendorContactIds', 'shippingAddress', 'billingAddress', 'extraFields', 'title'];
const CHANGE_PROPS: Record<string, string> = {
  billingAddress: 'BILLING_ADDRESS', costs: 'COSTS', dueDate: 'DUE_DATE', extraFields: 'EXTRA_FIELDS', items: 'ITEMS', note: 'NOTE',
  overrideNumber: 'OVERRIDE_NUMBER', shippingAddress: 'SHIPPING_ADDRESS', status: 'STATUS', title: 'TITLE', vendorId: 'VENDOR',
  vendorContactIds: 'VENDOR_CONTACTS',
};

/** Items from a body: part references checked, ids kept for known items, prices derived in cents. */
function items(mx: Mx, org: number, given: Json[], old: Json[] = []): Json[] {
  return given.map((i, n) => {
    ref(mx, org, 'part', `items.${n}.partId`, i.partId);
    const prev = typeof i.id === 'number' ? old.find((o) => o.id === i.id) : undefined;
    const part = typeof i.partId === 'number' ? mx.store.records.get('part', i.partId, [org]) : null;
    const unitCost = (i.unitCost as number | null | undefined) ?? (part?.data.unitCost as number | null) ?? null;
    const qty = i.quantityOrdered as number;
    return {
      id: prev?.id ?? mx.store.records.nextSeq(org, 'purchaseOrderItem'),
      partId: i.partId ?? null,
      name: i.name ?? (part?.data.name as string) ?? null,
      partNumber: i.partNumber ?? (part?.data.barcode as string) ?? null,
      price: (i.price as number | null | undefined) ?? (unitCost === null ? null : Math.round(unitCost * qty)),
      quantityOrdered: qty,
      quantityReceived: prev?.quantityReceived ?? 0,
      unitCost,
      fulfillments: prev?.fulfillments ?? [],
      lineExtraFields: i.lineExtraFields ?? i.extraFields ?? {},
    };
  });
}

const costs = (mx: Mx, org: number, given: Json[]): Json[] => given.map((x) => ({ id: mx.store.records.nextSeq(org, 'purchaseOrderCost'), name: x.name, type: x.type, amount: x.amount }));

function check(mx: Mx, org: number, b: Json): void {
  if (b.vendorId !== undefined) ref(mx, org, 'vendor', 'vendorId', b.vendorId);
  if (Array.isArray(b.vendorContactIds)) {
    (b.vendorContactIds as unknown[]).forEach((id, i) => {
      const contact = typeof id === 'number' ? mx.store.records.get('vendorContact', id, [org]) : null;
      if (!contact || contact.parentId !== (b.vendorId ?? null)) {
        throw validation([{ error: 'vendorContactIds is not valid', fieldPath: `vendorContactIds.${i}`, fieldValue: typeof id === 'number' ? id : null }]);
      }
    });
  }
}

const changed = (before: Json, after: Json) =>
  Object.keys(CHANGE_PROPS).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).map((k) => CHANGE_PROPS[k]);

function emitChange(mx: Mx, actor: Actor, origin: string, r: Row, props: string[]): void {
  if (props.length) mx.hooks.emit(r.orgId, 'PURCHASE_ORDER_CHANGE', { purchaseOrderId: r.id, newPurchaseOrder: purchaseOrderView(mx, origin, r) }, { skip: actor.skipWebhook, changed: props });
}

function setStatus(mx: Mx, actor: Actor, origin: string, r: Row, status: PoStatus, extra: Json = {}): Row {
  const now = mx.store.nowIso();
  const data: Json = { ...r.data, ...extra, status };
  if (status === 'APPROVED' && r.data.status !== 'APPROVED') {
    data.approverId = actor.userId;
    data.approvalDate = now;
  }
  const updated = mx.store.records.update(r, data, true, now);
  if (r.data.status !== status) {
    const payload = { purchaseOrderId: r.id, vendorId: r.data.vendorId ?? null, oldStatus: r.data.status, newStatus: status, purchaseOrder: withoutNullAddresses(purchaseOrderView(mx, origin, updated)) };
    mx.hooks.emit(r.orgId, 'PURCHASE_ORDER_STATUS_CHANGE', payload, { skip: actor.skipWebhook });
    emitChange(mx, actor, origin, updated, ['STATUS']);
  }
  return updated;
}

function transition(mx: Mx, actor: Actor, origin: string, r: Row, to: PoStatus, extra: Json = {}): Row {
  const from = r.data.status as PoStatus;
  if (to !== from && !TRANSITIONS[from].includes(to)) {
    throw validation([{ error: `Invalid status transition from ${from} to ${to}`, fieldPath: 'status', fieldValue: to }]);
  }
  return setStatus(mx, actor, origin, r, to, extra);
}

/** POST /purchaseorders → the new order as presented (NEW_PURCHASE_ORDER). */
export function createPurchaseOrder(mx: Mx, actor: Actor, origin: string, b: Json): Json {
  const org = actor.orgId;
  return write(mx, () => {
    check(mx, org, b);
    const data = pick({ note: null, title: null, dueDate: null, overrideNumber: null, vendorContactIds: [], shippingAddress: null, billingAddress: null, extraFields: {} }, b, FIELDS);
    Object.assign(data, {
      status: 'REQUESTED', reviewNote: null, creatorId: actor.userId, approverId: null, approvalDate: null,
      items: items(mx, org, b.items as Json[]), costs: costs(mx, org, (b.costs as Json[]) ?? []),
    });
    data.autoGeneratedNumber = mx.store.records.nextSeq(org, 'purchaseOrder');
    const view = purchaseOrderView(mx, origin, mx.store.records.insert('purchaseOrder', org, data));
    mx.hooks.emit(org, 'NEW_PURCHASE_ORDER', { purchaseOrderId: view.id, userId: actor.userId, newPurchaseOrder: view }, { skip: actor.skipWebhook });
    return view;
  });
}

/** PATCH /purchaseorders/{id}: fields, items, costs, and a status move through the transition table. */
export function updatePurchaseOrder(mx: Mx, actor: Actor, origin: string, r: Row, b: Json): Row {
  if (r.data.status === 'CANCELED') throw validation([{ error: 'A canceled purchase order cannot be modified', fieldPath: 'status', fieldValue: 'CANCELED' }]);
  return write(mx, () => {
    check(mx, actor.orgId, { ...b, vendorId: b.vendorId === undefined ? r.data.vendorId : b.vendorId });
    const data = pick({ ...r.data }, b, [...FIELDS, 'reviewNote']);
    if (b.items !== undefined) data.items = items(mx, actor.orgId, b.items as Json[], (r.data.items as Json[]) ?? []);
    if (b.costs !== undefined) data.costs = costs(mx, actor.orgId, b.costs as Json[]);
    const updated = mx.store.records.update(r, data);
    emitChange(mx, actor, origin, updated, changed(r.data, data).filter((p) => p !== 'STATUS'));
    return b.status !== undefined && b.status !== r.data.status ? transition(mx, actor, origin, updated, b.status as PoStatus) : updated;
  });
}

/** PATCH /purchaseorders/{id}/status. */
export function setPurchaseOrderStatus(mx: Mx, actor: Actor, origin: string, r: Row, b: Json): Row {
  const extra = b.reviewNote !== undefined ? { reviewNote: b.reviewNote } : {};
  return write(mx, () => transition(mx, actor, origin, r, b.status as PoStatus, extra));
}

/** PATCH /purchaseorders/{id}/fulfillment: received quantities (per location or legacy) into the parts' stock. */
export function receivePurchaseOrderItems(mx: Mx, actor: Actor, origin: string, r: Row, b: Json): Row {
  const status = r.data.status as PoStatus;
  if (!['APPROVED', 'PARTIALLY_FULFILLED', 'COMPLETED'].includes(status)) {
    throw validation([{ error: `Items of a ${status} purchase order cannot be received`, fieldPath: 'status', fieldValue: status }]);
  }
  return write(mx, () => {
    const list = ((r.data.items as Json[]) ?? []).map((i) => ({ ...i }));
    const stock = new Map<number, number>();
    (b.items as Json[]).forEach((g, n) => {
      const item = list.find((i) => i.id === g.id);
      if (!item) throw validation([{ error: 'item id is not valid', fieldPath: `items.${n}.id`, fieldValue: g.id as number }]);
      if (typeof g.unitCost === 'number') item.unitCost = g.unitCost;
      const before = Number(item.quantityReceived ?? 0);
      let received: number;
      if (Array.isArray(g.fulfillments)) {
        const fulfillments = (g.fulfillments as Json[]).map((f, k) => {
          if (f.locationId != null) ref(mx, actor.orgId, 'location', `items.${n}.fulfillments.${k}.locationId`, f.locationId);
          return { id: (f.id as number) ?? mx.store.records.nextSeq(r.orgId, 'purchaseOrderFulfillment'), locationId: f.locationId ?? null, quantityReceived: f.quantityReceived, isLegacy: f.locationId == null };
        });
        item.fulfillments = fulfillments;
        received = fulfillments.reduce((s, f) => s + Number(f.quantityReceived), 0);
      } else {
        received = Number(g.quantityReceived);
        item.fulfillments = [{ id: mx.store.records.nextSeq(r.orgId, 'purchaseOrderFulfillment'), locationId: null, quantityReceived: received, isLegacy: true }];
      }
      if (received < 0) throw validation([{ error: 'quantityReceived should be >= 0', fieldPath: `items.${n}`, fieldValue: received }]);
      item.quantityReceived = received;
      if (typeof item.partId === 'number') stock.set(item.partId, (stock.get(item.partId) ?? 0) + received - before);
    });
    const all = list.every((i) => Number(i.quantityReceived) >= Number(i.quantityOrdered));
    const any = list.some((i) => Number(i.quantityReceived) > 0);
    const next: PoStatus = all ? 'COMPLETED' : any ? 'PARTIALLY_FULFILLED' : status;
    // Received items go into (or come back out of) the part's stock.
    for (const [partId, delta] of stock) {
      const part = mx.store.records.get('part', partId, [r.orgId]);
      if (part && delta !== 0) moveStock(mx, part, delta, 'PURCHASE_ORDER', actor.userId, { skip: actor.skipWebhook });
    }
    const withItems = mx.store.records.update(r, { ...r.data, items: list });
    const updated = next === status ? withItems : setStatus(mx, actor, origin, withItems, next);
    emitChange(mx, actor, origin, updated, ['ITEMS']);
    return updated;
  });
}

export function deletePurchaseOrder(mx: Mx, r: Row): void {
  write(mx, () => mx.store.records.softDelete(r));
}

export function addPurchaseOrderComment(mx: Mx, actor: Actor, r: Row, content: unknown): Row {
  return write(mx, () => mx.store.records.insert('poComment', r.orgId, { authorId: actor.userId, content }, { parentId: r.id }));
}

/** POST /purchaseorders/{id}/emails: recorded, never sent. */
export function emailPurchaseOrder(mx: Mx, actor: Actor, r: Row, b: Json): Row {
  const all = [...((b.emails as string[]) ?? []), ...((b.emailsCC as string[]) ?? [])];
  const bad = all.find((e) => typeof e !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (!(b.emails as string[] | undefined)?.length || bad !== undefined) {
    throw validation([{ error: 'An error occurred while sending the email', fieldPath: 'emails', fieldValue: typeof bad === 'string' ? bad : null }]);
  }
  return write(mx, () => mx.store.records.insert('poEmail', r.orgId, { emails: b.emails, emailsCC: b.emailsCC ?? [], senderId: actor.userId }, { parentId: r.id }));
}
