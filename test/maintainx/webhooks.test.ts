import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  url: string;
}

function receiver(handler: (r: Received) => { status: number; delayMs?: number }): Promise<{ server: Server; url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const r = { headers: req.headers, body, url: req.url ?? '' };
      got.push(r);
      const { status, delayMs } = handler(r);
      const t = setTimeout(() => res.writeHead(status).end('ok'), delayMs ?? 0);
      res.on('close', () => clearTimeout(t));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got })));
}

function verify(secret: string, header: string | undefined, payload: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  return createHmac('sha256', secret).update(`${m[1]}.${payload}`).digest('hex') === m[2];
}

describe('maintainx webhooks', () => {
  const { call, hooks, suite } = makeSuite({ webhookTimeoutMs: 300, webhookRetries: 2, webhookRetryDelayMs: 20 });
  let ok: Awaited<ReturnType<typeof receiver>>;
  let flaky: Awaited<ReturnType<typeof receiver>>;
  let slow: Awaited<ReturnType<typeof receiver>>;
  let flakyCalls = 0;

  beforeAll(async () => {
    ok = await receiver(() => ({ status: 200 }));
    flaky = await receiver(() => ({ status: ++flakyCalls < 3 ? 503 : 200 }));
    slow = await receiver(() => ({ status: 200, delayMs: 2000 }));
  });
  afterAll(() => {
    for (const r of [ok, flaky, slow]) r.server.closeAllConnections?.();
    for (const r of [ok, flaky, slow]) r.server.close();
  });

  it('subscriptions: create 201 {id,status,secret}, get, secret, patch, delete; validation', async () => {
    const s = await call('POST', '/v1/subscriptions', { body: { type: 'NEW_WORK_ORDER', url: `${ok.url}/hook` } });
    expect(s.status).toBe(201);
    expect(s.body).toEqual({ id: expect.any(Number), status: 'VALID', secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const g = await call('GET', `/v1/subscriptions/${s.body.id}`);
    expect(g.body).toEqual({ subscription: { id: s.body.id, type: 'NEW_WORK_ORDER', url: `${ok.url}/hook`, status: 'VALID' } });
    expect((await call('GET', `/v1/subscriptions/${s.body.id}/secret`)).body).toEqual({ secret: s.body.secret });
    const p = await call('PATCH', `/v1/subscriptions/${s.body.id}`, { body: { url: `${ok.url}/other` } });
    expect(p.body.subscription.url).toBe(`${ok.url}/other`);
    expect((await call('DELETE', `/v1/subscriptions/${s.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/subscriptions/${s.body.id}`)).body).toEqual({ error: 'Not Found.' });
    expect((await call('DELETE', `/v1/subscriptions/${s.body.id}`)).body).toEqual({ error: 'subscription Not Found' });
    const bad = await call('POST', '/v1/subscriptions', { body: { type: 'NOPE', url: ok.url } });
    expect(bad.status).toBe(400);
    const badUrl = await call('POST', '/v1/subscriptions', { body: { type: 'NEW_WORK_ORDER', url: 'ftp://x' } });
    expect(badUrl.body).toEqual({ errors: [{ error: 'url is not valid', fieldPath: 'url', fieldValue: 'ftp://x' }] });
  });

  it('work-order events are delivered, signed over body and URI, after the API answered', async () => {
    const subs: Record<string, any> = {};
    for (const type of ['NEW_WORK_ORDER', 'WORK_ORDER_STATUS_CHANGE', 'WORK_ORDER_CHANGE', 'WORK_ORDER_DELETE', 'NEW_COMMENT_ON_WORK_ORDER']) {
      // The entity (newWorkOrder) is sent only to subscriptions that ask for it (spec: options.serializeEntity).
      const options = type === 'WORK_ORDER_CHANGE' ? { options: { serializeEntity: true } } : {};
      subs[type] = (await call('POST', '/v1/subscriptions', { body: { type, url: `${ok.url}/wo?type=${type}`, ...options } })).body;
    }
    const before = ok.got.length;
    const wo = await call('POST', '/v1/workorders', { body: { title: 'Hooked' } });
    await call('PATCH', `/v1/workorders/${wo.body.id}/status`, { body: { status: 'CANCELED' } });
    await call('PATCH', `/v1/workorders/${wo.body.id}`, { body: { priority: 'HIGH' } });
    await call('POST', `/v1/workorders/${wo.body.id}/comments`, { body: { content: 'hi' } });
    await call('DELETE', `/v1/workorders/${wo.body.id}`);
    await call('POST', '/v1/workorders?skipWebhook=yes', { body: { title: 'Silent' } });
    await hooks.idle();
    // A retry (a 300 ms timeout on a loaded machine) repeats a body: count each delivery once.
    const got = [...new Map(ok.got.slice(before).map((g) => [g.body, g])).values()];
    expect(got.map((g) => JSON.parse(g.body).workOrderId)).toEqual(Array(5).fill(wo.body.id));
    for (const g of got) {
      const type = new URL(g.url, ok.url).searchParams.get('type')!;
      const secret = subs[type].secret;
      expect(verify(secret, g.headers['x-maintainx-webhook-body-signature'] as string, g.body)).toBe(true);
      expect(verify(secret, g.headers['x-maintainx-webhook-uri-signature'] as string, `${ok.url}${g.url}`)).toBe(true);
      expect(verify('wrong-secret', g.headers['x-maintainx-webhook-body-signature'] as string, g.body)).toBe(false);
      const t = Number(/t=(\d+)/.exec(g.headers['x-maintainx-webhook-body-signature'] as string)![1]);
      expect(Math.abs(t - suite.clock.nowSeconds())).toBeLessThan(5);
      expect(JSON.parse(g.body)).toMatchObject({ orgId: 1, occurredAt: expect.stringMatching(/Z$/) });
    }
    const status = got.map((g) => JSON.parse(g.body)).find((b) => 'newStatus' in b);
    expect(status).toMatchObject({ oldStatus: 'OPEN', newStatus: 'DONE', newSubStatus: 'CANCELED', userId: 1 });
    const change = got.map((g) => JSON.parse(g.body)).find((b) => 'addedAssigneeIds' in b);
    expect(change.newWorkOrder.priority).toBe('HIGH');
    const d = await call('GET', `/__admin/webhooks/deliveries?subscription_id=${subs.NEW_WORK_ORDER.id}`, { key: null });
    expect(d.body.deliveries).toHaveLength(1);
    expect(d.body.deliveries[0]).toMatchObject({ event: 'NEW_WORK_ORDER', state: 'delivered', attempts: 1, responseStatus: 200, error: null });
    for (const s of Object.values(subs)) await call('DELETE', `/v1/subscriptions/${s.id}`);
  });

  it('a failing receiver is retried; a receiver that is down or slow ends failed without blocking the API', async () => {
    const down = await receiver(() => ({ status: 200 }));
    const downUrl = down.url;
    await new Promise((r) => down.server.close(r));
    const f = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_WORK_ORDER', url: `${flaky.url}/x` } })).body;
    const dn = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_WORK_ORDER', url: `${downUrl}/x` } })).body;
    const sl = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_WORK_ORDER', url: `${slow.url}/x` } })).body;
    const started = performance.now();
    const r = await call('POST', '/v1/workorders', { body: { title: 'Fan out' } });
    expect(r.status).toBe(200);
    // Deliveries take ≥ 900 ms here (timeouts and retries); the API answer does not wait for them.
    expect(performance.now() - started).toBeLessThan(800);
    await hooks.idle();
    const d = (await call('GET', '/__admin/webhooks/deliveries?wait=true', { key: null })).body.deliveries;
    const of = (id: number) => d.filter((x: any) => x.subscriptionId === id);
    expect(of(f.id)[0]).toMatchObject({ state: 'delivered', attempts: 3, responseStatus: 200 });
    expect(of(dn.id)[0]).toMatchObject({ state: 'failed', attempts: 3, responseStatus: null });
    expect(of(dn.id)[0].error).toMatch(/^request failed/);
    expect(of(sl.id)[0]).toMatchObject({ state: 'failed', attempts: 3, error: 'timed out after 300 ms' });
    const failed = await call('GET', '/__admin/webhooks/deliveries?state=failed', { key: null });
    expect(failed.body.deliveries.length).toBe(2);
    expect((await call('GET', '/__admin/webhooks/deliveries?state=weird', { key: null })).status).toBe(400);
    for (const s of [f, dn, sl]) expect((await call('DELETE', `/v1/subscriptions/${s.id}`)).status).toBe(204);
  }, 15_000);

  it('filters: WORK_ORDER_CHANGE oneOfProperties', async () => {
    const s = (await call('POST', '/v1/subscriptions', { body: { type: 'WORK_ORDER_CHANGE', url: `${ok.url}/filtered`, filters: { oneOfProperties: ['TITLE'] }, options: { serializeEntity: true } } })).body;
    const wo = await call('POST', '/v1/workorders', { body: { title: 'Filter' } });
    await call('PATCH', `/v1/workorders/${wo.body.id}`, { body: { priority: 'LOW' } });
    await call('PATCH', `/v1/workorders/${wo.body.id}`, { body: { title: 'Filter renamed' } });
    await hooks.idle();
    const d = (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${s.id}`, { key: null })).body.deliveries;
    expect(d).toHaveLength(1);
    expect(d[0].body.newWorkOrder.title).toBe('Filter renamed');
  });
});
