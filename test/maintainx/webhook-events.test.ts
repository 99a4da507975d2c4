/**
 * Every one of the spec's 46 `x-webhooks` events is emitted when its cause happens, delivered to a local receiver,
 * and validates against its event's schema — with and without `serializeEntity` (16 §3).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/vendors/maintainx/openapi.js';
import { eventValidator } from '../../src/vendors/maintainx/ops/events.js';
import { makeSuite } from './helpers.js';

const EVENTS = Object.keys(loadSpec()['x-webhooks']);
const ENTITY: Record<string, string> = {
  NEW_WORK_ORDER: 'newWorkOrder', WORK_ORDER_CHANGE: 'newWorkOrder', WORK_ORDER_STATUS_CHANGE: 'newWorkOrder', WORK_ORDER_PART_STATUS_CHANGE: 'newWorkOrder',
  WORK_ORDER_DELETE: 'WorkOrder', NEW_ASSET: 'newAsset', NEW_PART: 'newPart', PART_CHANGE: 'newPart', PART_DELETE: 'deletedPart',
  NEW_PURCHASE_ORDER: 'newPurchaseOrder', PURCHASE_ORDER_CHANGE: 'newPurchaseOrder', PURCHASE_ORDER_STATUS_CHANGE: 'purchaseOrder',
};

describe('maintainx webhooks: every x-webhooks event, as the spec defines it', () => {
  const { call, hooks, suite } = makeSuite({ rateLimit: false, webhookRetries: 0 });
  const got: Array<{ path: string; body: string }> = [];
  let server: Server;
  afterAll(() => server?.close());

  it('delivers all 46 events; each payload validates; the entity only with serializeEntity', async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ path: req.url ?? '', body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(EVENTS).toHaveLength(46);
    const as = (org: number) => ({ key: 'mx_demo_multi_org_3a8f5e2d7c1b', headers: { 'x-organization-id': String(org) } });
    // WEBHOOK_CREATED first, so the other subscriptions' creation is seen.
    const order = ['WEBHOOK_CREATED', ...EVENTS.filter((e) => e !== 'WEBHOOK_CREATED')];
    for (const type of order) {
      for (const org of [1, 2]) {
        const plain = await call('POST', '/v1/subscriptions', { ...as(org), body: { type, url: `${base}/${type}/plain` } });
        expect(plain.status, type).toBe(201);
        if (ENTITY[type]) {
          const option = type === 'PURCHASE_ORDER_STATUS_CHANGE' ? 'serializePurchaseOrder' : 'serializeEntity';
          const full = await call('POST', '/v1/subscriptions', { ...as(org), body: { type, url: `${base}/${type}/entity`, options: { [option]: true } } });
          expect(full.status, type).toBe(201);
        }
      }
    }

    // Work orders, categories, parts used, comments, slash commands.
    const part = (await call('POST', '/v1/parts', { body: { name: 'Belt', availableQuantity: 10, unitCost: 250 } })).body.id;
    const due = new Date(suite.clock.nowMs() + 3_600_000).toISOString();
    const wo = (await call('POST', '/v1/workorders', { body: { title: 'Hooked', categories: ['Hooks'], partsUsed: [{ partId: part, quantityUsed: 2 }], dueDate: due } })).body.id;
    await call('PATCH', `/v1/workorders/${wo}`, { body: { priority: 'HIGH', categories: ['Hooks', 'More hooks'] } });
    await call('PATCH', `/v1/workorders/${wo}/status`, { body: { status: 'IN_PROGRESS' } });
    await call('PATCH', `/v1/workorders/${wo}/partStatus`, { body: { partStatus: 'RESERVED' } });
    await call('POST', `/v1/workorders/${wo}/comments`, { body: { content: '/jira WORK-1 escalate' } });
    suite.clock.advance(7200);
    await call('GET', '/v1/workorders?limit=1');
    const gone = (await call('POST', '/v1/workorders', { body: { title: 'To delete' } })).body.id;
    await call('DELETE', `/v1/workorders/${gone}`);
    // Assets, locations, vendors, parts.
    const asset = (await call('POST', '/v1/assets', { body: { name: 'Press' } })).body.id;
    await call('POST', `/v1/assets/${asset}/status`, { body: { status: 'OFFLINE' } });
    await call('POST', '/v1/locations', { body: { name: 'Bay 9' } });
    const vendor = (await call('POST', '/v1/vendors', { body: { name: 'Acme Belts' } })).body.id;
    await call('PATCH', `/v1/parts/${part}`, { body: { name: 'V-belt' } });
    const doomed = (await call('POST', '/v1/parts', { body: { name: 'Doomed' } })).body.id;
    await call('DELETE', `/v1/parts/${doomed}`);
    // Work requests.
    const wr = (await call('POST', '/v1/workrequests', { body: { title: 'Leak' } })).body.id;
    await call('POST', '/v1/workorders', { body: { title: 'Fix leak', workRequestId: wr } });
    // Purchase orders (fulfillment moves stock too).
    const po = (await call('POST', '/v1/purchaseorders', { body: { vendorId: vendor, items: [{ partId: part, quantityOrdered: 3 }] } })).body;
    await call('PATCH', `/v1/purchaseorders/${po.id}`, { body: { note: 'Rush' } });
    await call('PATCH', `/v1/purchaseorders/${po.id}/status`, { body: { status: 'PENDING' } });
    // Meter triggers.
    const meter = (await call('POST', '/v1/meters', { body: { name: 'Temp', unit: 'C', measurementType: 'IOT_DEVICE' } })).body.id;
    await call('POST', '/v1/metertriggers', { body: { meterTrigger: { meterId: meter, name: 'Hot', amount: 90, condition: 'IS_GREATER' } } });
    await call('POST', '/v1/meterreadings', { body: [{ meterId: meter, value: 95 }] });
    // Part transfers between two organizations of one key.
    const source = (await call('POST', '/v1/parts', { ...as(1), body: { name: 'Screw', availableQuantity: 10 } })).body.id;
    const dest = (await call('POST', '/v1/parts', { ...as(2), body: { name: 'Screw' } })).body.id;
    const tr = (await call('POST', '/v1/parttransferrequests', { ...as(2), body: { quantityRequested: 4, sourcePartId: source, destinationPartId: dest } })).body.id;
    await call('PATCH', `/v1/parttransferrequests/${tr}`, { ...as(1), body: { status: 'APPROVED' } });
    // Users, keys, subscriptions.
    const user = (await call('POST', '/v1/users', { body: { firstName: 'New', lastName: 'Hire', email: 'new.hire@example.com' } })).body.id;
    await call('PATCH', `/v1/users/${user}`, { body: { role: 'ADMIN' } });
    await call('DELETE', `/v1/users/${user}`);
    const key = (await call('POST', '/__admin/api-keys', { key: null, body: { user_id: 1 } })).body.id;
    await call('DELETE', `/__admin/api-keys/${key}`, { key: null });
    const extra = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_VENDOR', url: `${base}/unused` } })).body.id;
    await call('DELETE', `/v1/subscriptions/${extra}`);
    // Causes in the MaintainX web app, played by the control plane.
    for (const type of ['CONNECTOR_TOKEN_REVOKED', 'DATA_EXPORT_INITIATED', 'INVITE_LINK_ARCHIVED', 'INVITE_LINK_CREATED', 'INVITE_LINK_UPDATED', 'ROLE_ARCHIVED', 'ROLE_CREATED', 'ROLE_UPDATED', 'SSO_CONFIG_CHANGED', 'USER_ACTIVATED', 'USER_LOGIN_FAILURE', 'USER_LOGIN_SUCCESS', 'USER_LOGOUT', 'USER_PERMISSIONS_CHANGED', 'USER_SESSION_REVOKED']) {
      const r = await call('POST', '/__admin/events', { key: null, body: { organization_id: 1, type } });
      expect(r.status, `${type}: ${JSON.stringify(r.body)}`).toBe(202);
    }
    await hooks.idle();

    const problems: string[] = [];
    for (const type of EVENTS) {
      const validate = eventValidator(type)!;
      const mine = got.filter((g) => g.path.startsWith(`/${type}/`));
      if (!mine.some((g) => g.path.endsWith('/plain'))) problems.push(`${type}: not delivered`);
      for (const g of mine) {
        const body = JSON.parse(g.body);
        if (!validate(body)) problems.push(`${g.path}: ${JSON.stringify(validate.errors![0])} in ${g.body.slice(0, 300)}`);
        if (ENTITY[type]) {
          const has = ENTITY[type] in body;
          if (g.path.endsWith('/plain') && has) problems.push(`${g.path}: entity sent without serializeEntity`);
          if (g.path.endsWith('/entity') && !has) problems.push(`${g.path}: entity missing with serializeEntity`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 30_000);
});
