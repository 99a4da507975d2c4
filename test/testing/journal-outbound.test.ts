/** The journal records webhook deliveries (direction: outbound) and streams entries to in-process subscribers. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import type { JournalEntry } from '../../src/core/journal.js';

const KEY = 'mx_demo_acme_admin_4f1c2b7e9a0d';
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202, { 'content-type': 'text/plain' }).end('thanks'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('a MaintainX webhook delivery is an outbound entry, its secret signature headers kept, secrets of the subscription masked', async () => {
  const suite = new Suite({ vendors: ['maintainx'], seed: 42 });
  const app = suite.app('maintainx');
  const instance = suite.instance('maintainx');
  const seen: JournalEntry[] = [];
  const stop = instance.journal.subscribe((e) => seen.push(e));
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const sub = (await (await app.request('/v1/subscriptions', { method: 'POST', headers, body: JSON.stringify({ type: 'NEW_WORK_ORDER', url: `${url}/hook` }) })).json()) as { secret: string };
  await app.request('/v1/workorders', { method: 'POST', headers, body: JSON.stringify({ title: 'Hooked' }) });
  await instance.journal.waitFor({ direction: 'outbound' }, 1, 5000);
  const [out] = instance.journal.list({ direction: 'outbound' }).requests;
  expect(out).toMatchObject({ direction: 'outbound', method: 'POST', url: `${url}/hook`, path: '/hook', tenant: '1', status: 202, response_body: 'thanks', error: null });
  expect(JSON.parse(out.request_body!)).toMatchObject({ orgId: 1 });
  const created = instance.journal.list({ method: 'POST', path: '/v1/subscriptions' }).requests[0];
  expect(created.response_body).toContain('"secret":"');
  expect(created.response_body).not.toContain(sub.secret);
  expect(JSON.stringify(instance.journal.list({ limit: 100 }))).not.toContain(sub.secret);
  // The subscriber saw every entry as it was recorded, in order.
  expect(seen.map((e) => `${e.direction} ${e.method} ${e.path}`)).toEqual(['inbound POST /v1/subscriptions', 'inbound POST /v1/workorders', 'outbound POST /hook']);
  stop();
  await app.request('/v1/users');
  expect(seen).toHaveLength(3);
  suite.close();
});

it('masks secrets in form bodies, query strings, cookies, and JSON cut at 64 KiB', async () => {
  const suite = new Suite({ vendors: ['trakrf'], seed: 42 });
  const app = suite.app('trakrf');
  const secret = 'trakrf_' + 'a1b2c3d4'.repeat(8);
  await app.request('/api/v1/oauth/token?client_secret=' + secret, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `session=${secret}; theme=dark` },
    body: `grant_type=client_credentials&client_id=x&client_secret=${secret}`,
  });
  const long = JSON.stringify({ name: 'x'.repeat(65_500), password: secret });
  await app.request('/api/v1/assets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: long });
  const [cut, form] = suite.instance('trakrf').journal.list().requests;
  expect(form.query).toBe(`client_secret=${encodeURIComponent('trakrf…c3d4')}`);
  expect(form.request_body).toBe('grant_type=client_credentials&client_id=x&client_secret=' + encodeURIComponent('trakrf…c3d4'));
  expect(form.request_headers.cookie).toBe('session=trakrf…c3d4; theme=…');
  expect(cut.request_body!.length).toBeLessThanOrEqual(65_536);
  expect(cut.request_body).toMatch(/"password":"trak$|"password":"…"?$|x$/);
  expect(JSON.stringify(suite.instance('trakrf').journal.list())).not.toContain(secret.slice(0, 20));
  suite.close();
});

it('in-process, an entry has its response body even when the caller never reads it', async () => {
  const suite = new Suite({ vendors: ['machhub'], seed: 42 });
  const res = await suite.app('machhub').request('/machhub/products/all?limit=1', { headers: { Domain: 'domains:acme' } });
  expect(res.status).toBe(200);
  const [entry] = suite.instance('machhub').journal.list().requests;
  expect(JSON.parse(entry.response_body!)).toHaveLength(1);
  expect(await res.json()).toHaveLength(1);
  suite.close();
});
