/**
 * asset.moved webhooks: registration on the control plane, detection from ingested scans, the signed delivery
 * (verified with the documented recipe), the retry ladder, failures, and reset.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { OutboundRecord } from '../../src/core/outbound.js';
import { Client, newOrg } from './helpers.js';

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local receiver answering `status` (settable per test), recording each request with its arrival time. */
async function listen() {
  const hits: Hit[] = [];
  const state = { status: 200, location: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() });
      res.writeHead(state.status, state.location ? { Location: state.location } : {}).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/trakrf`;
  return { hits, state, url, close: () => new Promise((r) => server.close(r)) };
}

const recipe = (secret: string, ts: string, raw: string) => 'sha256=' + createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex');

async function world(c: Client, url: string) {
  const { orgId, creds } = await newOrg(c);
  const call = (method: string, path: string, body?: unknown) => c.call(method, path, body, { creds });
  const loc = async (name: string, key: string) => (await call('POST', '/api/v1/locations', { name, external_key: key })).body.data;
  const dock = await loc('Dock', 'DOCK');
  const bay = await loc('Bay 7', 'BAY-7');
  const asset = (await call('POST', '/api/v1/assets', { name: 'Forklift', external_key: 'FL-1' })).body.data;
  const hook = await c.admin('POST', '/webhooks', { org_id: orgId, url });
  expect(hook.status, hook.text).toBe(201);
  const scan = async (location_id: number | null, observed_at: string) => {
    const r = await c.admin('POST', '/scans', { org_id: orgId, scans: [{ asset_id: asset.id, location_id, observed_at }] });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };
  const deliveries = async () => (await c.admin('GET', `/webhooks/deliveries?org_id=${orgId}&wait=true`)).body.deliveries;
  return { orgId, call, dock, bay, asset, hook: hook.body, scan, deliveries };
}

describe('trakrf asset.moved webhooks', () => {
  const c = new Client(42, { webhookRetryDelays: '30,30' });
  let rx: Awaited<ReturnType<typeof listen>>;
  const journal: OutboundRecord[] = [];
  beforeAll(async () => {
    rx = await listen();
    c.suite.instance('trakrf').ctx.outbound.onRecord((r) => journal.push(r));
  });
  afterAll(() => rx.close());
  beforeEach(async () => {
    await c.reset();
    c.suite.clock.freeze(true);
    c.suite.clock.set(new Date('2026-11-02T10:00:30Z'));
    rx.hits.length = 0;
    rx.state.status = 200;
    rx.state.location = '';
    journal.length = 0;
  });

  test('registration: secret once, masked after; one per org; allow-list; PATCH; DELETE', async () => {
    const { orgId } = await newOrg(c);
    const r = await c.admin('POST', '/webhooks', { org_id: orgId, url: rx.url });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(Number),
      org_id: orgId,
      url: rx.url,
      secret: expect.stringMatching(/^whsec_[0-9a-f]{64}$/),
      enabled: true,
      created_at: '2026-11-02T10:00:30.000Z',
      updated_at: null,
    });
    expect(r.headers.get('location')).toBe(`/__admin/webhooks/${r.body.id}`);
    const masked = `whsec_…${r.body.secret.slice(-4)}`;
    expect((await c.admin('GET', `/webhooks/${r.body.id}`)).body.secret).toBe(masked);
    expect((await c.admin('GET', `/webhooks?org_id=${orgId}`)).body).toEqual([{ ...r.body, secret: masked }]);
    const again = await c.admin('POST', '/webhooks', { org_id: orgId, url: rx.url });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: `org ${orgId} already has a webhook; update or delete it first` });
    const far = await c.admin('PATCH', `/webhooks/${r.body.id}`, { url: 'https://hooks.example.com/x' });
    expect(far.status).toBe(400);
    expect(far.body.error).toBe(
      'url refused: webhook target host hooks.example.com is not allowed: the fakes deliver only to loopback and to hosts listed with --webhook-allow-hosts',
    );
    const off = await c.admin('PATCH', `/webhooks/${r.body.id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, updated_at: '2026-11-02T10:00:30.000Z', secret: masked });
    expect((await c.admin('DELETE', `/webhooks/${r.body.id}`)).status).toBe(204);
    expect((await c.admin('GET', `/webhooks/${r.body.id}`)).status).toBe(404);
    const bad = await c.admin('POST', '/webhooks', { org_id: orgId, url: 'ftp://127.0.0.1/x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('url refused: webhook URLs must use http or https, not ftp');
    expect((await c.admin('POST', '/webhooks', { org_id: orgId, url: rx.url, extra: 1 })).status).toBe(400);
  });

  test('a move is delivered signed: verified with the documented HMAC recipe; first sighting has from_location null', async () => {
    const w = await world(c, rx.url);
    await w.scan(w.dock.id, '2026-11-02T10:00:05Z');
    const [first] = await w.deliveries();
    expect(first).toMatchObject({ state: 'delivered', attempts: 1, response_status: 200, error: null });
    expect(rx.hits).toHaveLength(1);
    const hit = rx.hits[0];
    const ts = hit.headers['x-trakrf-timestamp'] as string;
    expect(hit.headers['x-trakrf-signature']).toBe(recipe(w.hook.secret, ts, hit.body));
    expect(hit.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'TrakRF-Webhooks/1',
      'x-trakrf-event': 'asset.moved',
      'x-trakrf-delivery': first.delivery_id,
    });
    // occurred_at is the suite clock when the scan was ingested; the timestamp header is its unix seconds
    expect(hit.body).toBe(
      JSON.stringify({
        event: 'asset.moved',
        delivery_id: first.delivery_id,
        occurred_at: '2026-11-02T10:00:30Z',
        data: { asset: { id: w.asset.id, external_key: 'FL-1', name: 'Forklift' }, from_location: null, to_location: { id: w.dock.id, name: 'Dock' } },
      }),
    );
    expect(ts).toBe(String(Date.parse('2026-11-02T10:00:30Z') / 1000));
    expect(first.delivery_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // the outbound call is in the journal
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({ vendor: 'trakrf', tenant: String(w.orgId), method: 'POST', url: rx.url, status: 200, error: null, requestBody: hit.body });
    const logged = await c.admin('GET', '/requests?direction=outbound');
    expect(logged.status).toBe(200);
    expect(JSON.stringify(logged.body)).toContain(first.delivery_id);
  });

  test('no delivery when the location is unchanged, for a read without a location, or a later read in a stored minute', async () => {
    const w = await world(c, rx.url);
    await w.scan(w.dock.id, '2026-11-02T10:00:05Z');
    await w.scan(w.dock.id, '2026-11-02T10:01:05Z'); // same location, next minute
    await w.scan(w.bay.id, '2026-11-02T10:01:40Z'); // later read in an already-stored minute: not stored
    await w.scan(null, '2026-11-02T10:02:05Z'); // a read without a location
    expect(await w.deliveries()).toHaveLength(1);
    // a null read in between is a real observation: the next located read is a move with a null origin
    await w.scan(w.dock.id, '2026-11-02T10:03:05Z');
    await w.scan(w.bay.id, '2026-11-02T10:04:05Z');
    const bodies = (await w.deliveries()).map((d: any) => [d.body.data.from_location?.name ?? null, d.body.data.to_location.name]);
    expect(bodies).toEqual([
      [null, 'Dock'],
      [null, 'Dock'],
      ['Dock', 'Bay 7'],
    ]);
    expect(rx.hits).toHaveLength(3);
  });

  test('first read in the minute wins: an earlier read arriving later moves the bucket (from the replaced location)', async () => {
    const w = await world(c, rx.url);
    await w.scan(w.dock.id, '2026-11-02T10:00:40Z');
    await w.scan(w.bay.id, '2026-11-02T10:00:10Z');
    const moves = (await w.deliveries()).map((d: any) => [d.body.data.from_location?.name ?? null, d.body.data.to_location.name]);
    expect(moves).toEqual([
      [null, 'Dock'],
      ['Dock', 'Bay 7'],
    ]);
  });

  test('disabled webhook or unpaid org: nothing is sent, nothing is queued for later', async () => {
    const w = await world(c, rx.url);
    await c.admin('PATCH', `/webhooks/${w.hook.id}`, { enabled: false });
    await w.scan(w.dock.id, '2026-11-02T10:00:05Z');
    await c.admin('PATCH', `/webhooks/${w.hook.id}`, { enabled: true });
    await c.admin('PATCH', `/orgs/${w.orgId}`, { subscription_active: false });
    await w.scan(w.bay.id, '2026-11-02T10:01:05Z');
    expect(await w.deliveries()).toEqual([]);
    await c.admin('PATCH', `/orgs/${w.orgId}`, { subscription_active: true });
    await w.scan(w.dock.id, '2026-11-02T10:02:05Z');
    const d = await w.deliveries();
    expect(d.map((x: any) => [x.body.data.from_location?.name ?? null, x.body.data.to_location.name])).toEqual([['Bay 7', 'Dock']]);
    expect(rx.hits).toHaveLength(1);
  });

  test('a 301 is a failure (redirects are not followed): three attempts, same delivery id, then failed', async () => {
    const w = await world(c, rx.url);
    rx.state.status = 301;
    rx.state.location = `${rx.url}/elsewhere`;
    await w.scan(w.dock.id, '2026-11-02T10:00:05Z');
    const [d] = await w.deliveries();
    expect(d).toMatchObject({ state: 'failed', attempts: 3, response_status: 301, error: 'receiver answered 301' });
    expect(rx.hits.map((h) => h.headers['x-trakrf-delivery'])).toEqual([d.delivery_id, d.delivery_id, d.delivery_id]);
    expect(rx.hits.every((h) => !h.body.includes('elsewhere'))).toBe(true);
  });

  test('a receiver that is down: three attempts, each in the journal with the error', async () => {
    const w = await world(c, 'http://127.0.0.1:1/closed');
    await w.scan(w.dock.id, '2026-11-02T10:00:05Z');
    const [d] = await w.deliveries();
    expect(d).toMatchObject({ state: 'failed', attempts: 3, response_status: null });
    expect(d.error).toMatch(/^request failed: /);
    expect(journal.map((j) => j.status)).toEqual([null, null, null]);
  });

  test('test fire: one synthetic event, no retries, failure reported in the body', async () => {
    const w = await world(c, rx.url);
    const ok = await c.admin('POST', `/webhooks/${w.hook.id}/test`);
    expect(ok.body).toEqual({ data: { status_code: 200 } });
    const body = JSON.parse(rx.hits[0].body);
    expect(body.data).toEqual({
      asset: { id: 1, external_key: 'TEST-ASSET', name: 'Test Asset (webhook test fire)' },
      from_location: { id: 1, name: 'Test Origin' },
      to_location: { id: 2, name: 'Test Destination' },
    });
    rx.state.status = 502;
    expect((await c.admin('POST', `/webhooks/${w.hook.id}/test`)).body).toEqual({ data: { status_code: 502, error: 'receiver answered 502' } });
    expect(rx.hits).toHaveLength(2);
    expect(await w.deliveries()).toEqual([]);
  });

  test('the dispatcher: 4 workers and 1,024 waiting; a burst beyond that is dropped, not buffered', { timeout: 60_000 }, async () => {
    const w = await world(c, rx.url);
    const other = (await w.call('POST', '/api/v1/locations', { name: 'Gate', external_key: 'GATE' })).body.data;
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    const scans = Array.from({ length: 1100 }, (_, i) => ({ asset_id: w.asset.id, location_id: i % 2 ? w.dock.id : other.id, observed_at: new Date(t0 + i * 60_000).toISOString() }));
    expect((await c.admin('POST', '/scans', { org_id: w.orgId, scans })).body).toEqual({ received: 1100, stored: 1100 });
    const d = await w.deliveries();
    // 1,000 records are kept per org (the oldest go); the newest 72 were dropped at once
    expect(d).toHaveLength(1000);
    const dropped = d.filter((x: any) => x.state === 'dropped');
    expect(dropped).toHaveLength(1100 - 4 - 1024);
    expect(dropped[0]).toMatchObject({ attempts: 0, response_status: null, error: 'delivery queue full (1024 waiting): dropped' });
    expect(d.filter((x: any) => x.state !== 'dropped').every((x: any) => x.state === 'delivered')).toBe(true);
    expect(rx.hits).toHaveLength(4 + 1024);
  });

  test("a per-tenant reset stops only that org's deliveries", async () => {
    rx.state.status = 500;
    const a = await world(c, rx.url);
    const b = await world(c, rx.url);
    await b.scan(b.dock.id, '2026-11-02T10:00:05Z');
    await a.scan(a.dock.id, '2026-11-02T10:00:05Z');
    expect((await c.admin('POST', '/reset', { tenant: String(a.orgId) })).status).toBe(200);
    expect(await b.deliveries()).toMatchObject([{ state: 'failed', attempts: 3 }]);
    const all = (await c.admin('GET', '/webhooks/deliveries?wait=true')).body.deliveries;
    expect(all.filter((d: any) => d.org_id === a.orgId)).toEqual([]);
  });

  test('full and per-tenant reset remove webhooks and deliveries', async () => {
    const w = await world(c, rx.url);
    await w.scan(w.dock.id, '2026-11-02T10:00:05Z');
    expect(await w.deliveries()).toHaveLength(1);
    expect((await c.admin('POST', '/reset', { tenant: String(w.orgId) })).status).toBe(200);
    expect((await c.admin('GET', '/webhooks')).body).toEqual([]);
    expect((await c.admin('GET', '/webhooks/deliveries')).body.deliveries).toEqual([]);
    const again = await world(c, rx.url);
    await again.scan(again.dock.id, '2026-11-02T10:00:05Z');
    await c.reset();
    expect((await c.admin('GET', '/webhooks')).body).toEqual([]);
    expect((await c.admin('GET', '/webhooks/deliveries')).body.deliveries).toEqual([]);
  });
});

describe('trakrf webhook reset while a retry waits', () => {
  const c = new Client(42, { webhookRetryDelays: '60000,60000' });
  let rx: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    rx = await listen();
  });
  afterAll(() => rx.close());

  test('a reset ends the wait at once: the worker is free and the delivery stops', async () => {
    await c.reset();
    const w = await world(c, rx.url);
    rx.state.status = 500;
    await w.scan(w.dock.id, new Date(c.suite.clock.nowMs()).toISOString());
    while (rx.hits.length === 0) await new Promise((r) => setTimeout(r, 5));
    const t = performance.now();
    await c.reset();
    const idle = c.suite.instance('trakrf');
    expect((await idle.app.request('/__admin/webhooks/deliveries?wait=true')).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(rx.hits).toHaveLength(1);
  });
});

describe('trakrf webhook retry ladder (vendor defaults, real time)', () => {
  const c = new Client(42);
  let rx: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    rx = await listen();
  });
  afterAll(() => rx.close());

  test('a 500 receiver gets exactly three attempts, ≈1 s then ≈5 s apart (±20%), then nothing', { timeout: 15_000 }, async () => {
    await c.reset();
    const w = await world(c, rx.url);
    rx.state.status = 500;
    await w.scan(w.dock.id, new Date(c.suite.clock.nowMs()).toISOString());
    const [d] = await w.deliveries();
    expect(d).toMatchObject({ state: 'failed', attempts: 3, response_status: 500 });
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.hits).toHaveLength(3);
    const gaps = [rx.hits[1].at - rx.hits[0].at, rx.hits[2].at - rx.hits[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(790);
    expect(gaps[0]).toBeLessThanOrEqual(1300);
    expect(gaps[1]).toBeGreaterThanOrEqual(3990);
    expect(gaps[1]).toBeLessThanOrEqual(6200);
    expect(new Set(rx.hits.map((h) => h.headers['x-trakrf-delivery'])).size).toBe(1);
  });
});
