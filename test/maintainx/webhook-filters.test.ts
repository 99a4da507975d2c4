/** Subscription filters and options of the spec, and failing subscriptions archived (16 §2–3). */
import { describe, expect, it } from 'vitest';
import { FAILURES_BEFORE_ARCHIVE, matches, payloadFor } from '../../src/vendors/maintainx/webhooks.js';
import { makeSuite } from './helpers.js';

describe('maintainx subscription filters and options', () => {
  it('every filter the spec defines narrows deliveries; empty filters match all; part statuses match in any case', () => {
    expect(matches({ oneOfStatuses: ['DONE'] }, { oneOfStatuses: ['DONE'] })).toBe(true);
    expect(matches({ oneOfStatuses: ['DONE'] }, { oneOfStatuses: ['OPEN'] })).toBe(false);
    expect(matches({ oneOfStatuses: [] }, { oneOfStatuses: ['OPEN'] })).toBe(true);
    expect(matches({ oneOfPartStatuses: ['staged'] }, { oneOfPartStatuses: ['STAGED'] })).toBe(true);
    expect(matches({ oneOfStatuses: ['APPROVED'], vendors: [7] }, { oneOfStatuses: ['APPROVED'], vendors: [8] })).toBe(false);
    expect(matches({ oneOfCategories: ['Safety', 12] }, { oneOfCategories: [12, 'Other'] })).toBe(true);
    expect(matches({ command: 'jira' }, { command: ['jira'] })).toBe(true);
    expect(matches({ command: 'jira' }, { command: ['slack'] })).toBe(false);
  });

  it('serializeEntity sends the entity; onlySerializeFilteredProperties trims it to the filtered properties', () => {
    const payload = { workOrderId: 1, newWorkOrder: { title: 'T', priority: 'LOW', assetId: 3 } };
    expect(payloadFor('WORK_ORDER_CHANGE', payload, {})).toEqual({ workOrderId: 1 });
    expect(payloadFor('WORK_ORDER_CHANGE', payload, { options: { serializeEntity: true } })).toEqual(payload);
    expect(payloadFor('WORK_ORDER_CHANGE', payload, { options: { serializeEntity: true, onlySerializeFilteredProperties: true }, filters: { oneOfProperties: ['TITLE', 'ASSET'] } })).toEqual({
      workOrderId: 1,
      newWorkOrder: { title: 'T', assetId: 3 },
    });
    expect(payloadFor('PURCHASE_ORDER_STATUS_CHANGE', { purchaseOrderId: 1, purchaseOrder: { id: 1 } }, { options: { serializeEntity: true } })).toEqual({ purchaseOrderId: 1 });
    expect(payloadFor('PURCHASE_ORDER_STATUS_CHANGE', { purchaseOrderId: 1, purchaseOrder: { id: 1 } }, { options: { serializePurchaseOrder: true } })).toEqual({ purchaseOrderId: 1, purchaseOrder: { id: 1 } });
  });

  it('filters apply end to end: status filter, part status filter (lower-case), work request status', async () => {
    const { call, hooks } = makeSuite({ rateLimit: false, webhookRetries: 0 });
    const sub = async (body: object) => (await call('POST', '/v1/subscriptions', { body: { url: 'http://127.0.0.1:9/x', ...body } })).body.id;
    const done = await sub({ type: 'WORK_ORDER_STATUS_CHANGE', filters: { oneOfStatuses: ['DONE'] } });
    const staged = await sub({ type: 'WORK_ORDER_PART_STATUS_CHANGE', filters: { oneOfPartStatuses: ['staged'] } });
    const wo = (await call('POST', '/v1/workorders', { body: { title: 'Filtered' } })).body.id;
    await call('PATCH', `/v1/workorders/${wo}/status`, { body: { status: 'IN_PROGRESS' } });
    await call('PATCH', `/v1/workorders/${wo}/status`, { body: { status: 'DONE' } });
    await call('PATCH', `/v1/workorders/${wo}/partStatus`, { body: { partStatus: 'RESERVED' } });
    await call('PATCH', `/v1/workorders/${wo}/partStatus`, { body: { partStatus: 'STAGED' } });
    await hooks.idle();
    const of = async (id: number) => (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${id}`, { key: null })).body.deliveries.map((d: any) => d.body);
    expect((await of(done)).map((b: any) => b.newStatus)).toEqual(['DONE']);
    expect((await of(staged)).map((b: any) => b.newPartStatus)).toEqual(['STAGED']);
  });

  it(`a subscription whose last ${FAILURES_BEFORE_ARCHIVE} deliveries failed is archived (WEBHOOK_ARCHIVED)`, async () => {
    const { call, hooks } = makeSuite({ rateLimit: false, webhookRetries: 0, webhookTimeoutMs: 200 });
    const audit = (await call('POST', '/v1/subscriptions', { body: { type: 'WEBHOOK_ARCHIVED', url: 'http://127.0.0.1:9/audit' } })).body.id;
    const dead = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_VENDOR', url: 'http://127.0.0.1:9/dead' } })).body.id;
    for (let i = 0; i < FAILURES_BEFORE_ARCHIVE; i++) {
      expect((await call('GET', `/v1/subscriptions/${dead}`)).status).toBe(200);
      await call('POST', '/v1/vendors', { body: { name: `V${i}` } });
      await hooks.idle();
    }
    expect((await call('GET', `/v1/subscriptions/${dead}`)).body).toEqual({ error: 'Not Found.' });
    const archived = (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${audit}`, { key: null })).body.deliveries.map((d: any) => d.body);
    expect(archived).toEqual([expect.objectContaining({ webhookId: dead, actorId: 1, orgId: 1 })]);
  });

  it('a subscription URL outside the delivery allow-list is refused with the reason', async () => {
    const { call } = makeSuite();
    const r = await call('POST', '/v1/subscriptions', { body: { type: 'NEW_VENDOR', url: 'https://hooks.example.com/x' } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ fieldPath: 'url', fieldValue: 'https://hooks.example.com/x' });
    expect(r.body.errors[0].error).toMatch(/not allowed/);
  });
});

describe('maintainx parts inventory from work orders', () => {
  it('partsUsed takes stock out, a smaller use or removal puts it back, never below zero; PART_QUANTITY_CHANGE each time', async () => {
    const { call, hooks } = makeSuite({ rateLimit: false, webhookRetries: 0 });
    const sub = (await call('POST', '/v1/subscriptions', { body: { type: 'PART_QUANTITY_CHANGE', url: 'http://127.0.0.1:9/q' } })).body.id;
    const part = (await call('POST', '/v1/parts', { body: { name: 'Filter', availableQuantity: 5 } })).body.id;
    const stock = async () => (await call('GET', `/v1/parts/${part}`)).body.part.availableQuantity;
    const wo = (await call('POST', '/v1/workorders', { body: { title: 'Use parts', partsUsed: [{ partId: part, quantityUsed: 3 }] } })).body.id;
    expect(await stock()).toBe(2);
    await call('PATCH', `/v1/workorders/${wo}`, { body: { partsUsed: [{ partId: part, quantityUsed: 1 }] } });
    expect(await stock()).toBe(4);
    await call('PATCH', `/v1/workorders/${wo}`, { body: { partsUsed: [] } });
    expect(await stock()).toBe(5);
    await call('PATCH', `/v1/workorders/${wo}`, { body: { partsUsed: [{ partId: part, quantityUsed: 9 }] } });
    expect(await stock()).toBe(0);
    await hooks.idle();
    const events = (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${sub}`, { key: null })).body.deliveries.map((d: any) => [d.body.quantityDiff, d.body.newQuantity, d.body.triggeredFrom]);
    expect(events).toEqual([[-3, 2, 'WORK_ORDER'], [2, 4, 'WORK_ORDER'], [1, 5, 'WORK_ORDER'], [-5, 0, 'WORK_ORDER']]);
  });
});
