/**
 * Memoized answers (issue 15): a repeated read is answered from encoded bytes, and every write, reset, restore or
 * sandbox shows in the next read (pages, weld details, the tenant row each request reads). Welders still see only their own welds. Over a real socket, request headers are
 * read as the Fetch API reads them (repeated headers joined).
 */
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakes } from '../../src/index.js';
import { adminCall } from '../support/admin.js';
import { makeSuite, user } from './helpers.js';

const t = makeSuite();
afterAll(() => t.suite.close());
const db = () => t.suite.instances.get('maxtrax')!.ctx.handle.db;
const admin = (method: string, path: string, body?: unknown) => adminCall(t.suite.app('maxtrax'), method, path, body);

describe('MaxTrax memoized reads', () => {
  it('repeat the same bytes, and show each write, reset and restore at once', async () => {
    const { token } = await t.login('inspector');
    const id = db().prepare("SELECT id FROM welds WHERE tenant = 'acme' AND status = 'PENDING' ORDER BY seq LIMIT 1").pluck().get() as string;
    const list = () => t.call('GET', '/welds?status=PENDING&pageSize=200', { token });
    const detail = () => t.call('GET', `/welds/${id}`, { token });
    const [l1, l2, d1, d2] = [await list(), await list(), await detail(), await detail()];
    expect(l2.text).toBe(l1.text);
    expect([...l2.headers]).toEqual([...l1.headers]);
    expect(d2.text).toBe(d1.text);
    expect(l1.json.items.map((w: { id: string }) => w.id)).toContain(id);
    expect((await admin('POST', '/snapshots', { name: 'before' })).status).toBe(201);

    expect((await t.call('PATCH', `/welds/${id}/status`, { token, body: { status: 'REPAIR' } })).status).toBe(200);
    const l3 = await list();
    expect(l3.json.totalItems).toBe(l1.json.totalItems - 1);
    expect(l3.json.items.map((w: { id: string }) => w.id)).not.toContain(id);
    const d3 = await detail();
    expect(d3.json.status).toBe('REPAIR');
    expect(d3.json.inspections).toHaveLength(1);

    expect((await admin('POST', '/snapshots/before/restore')).status).toBe(200);
    expect((await detail()).text).toBe(d1.text);
    expect((await list()).text).toBe(l1.text);

    expect((await t.call('PATCH', `/welds/${id}/status`, { token, body: { status: 'ACCEPTED' } })).status).toBe(200);
    expect((await detail()).json.status).toBe('ACCEPTED');
    expect((await admin('POST', '/reset', { tenant: 'acme' })).status).toBe(200);
    expect((await detail()).text).toBe(d1.text);
    expect((await list()).text).toBe(l1.text);
  });

  it("a page or weld memoized for one caller is not another welder's", async () => {
    const inspector = (await t.login('inspector')).token;
    const welder = user('welder', 'acme', 0);
    const other = db().prepare("SELECT id FROM welds WHERE tenant = 'acme' AND welder_id IS NOT NULL AND welder_id <> (SELECT id FROM users WHERE tenant = 'acme' AND user_name = ?) LIMIT 1").pluck().get(welder.userName) as string;
    expect((await t.call('GET', `/welds/${other}`, { token: inspector })).status).toBe(200);
    const w = (await t.login('welder', 'acme', 0)).token;
    const forbidden = await t.call('GET', `/welds/${other}`, { token: w });
    expect(forbidden.status).toBe(403);
    const all = await t.call('GET', '/welds?pageSize=200', { token: inspector });
    const mine = await t.call('GET', '/welds?pageSize=200', { token: w });
    const myId = db().prepare("SELECT id FROM users WHERE tenant = 'acme' AND user_name = ?").pluck().get(welder.userName);
    expect(mine.json.totalItems).toBeLessThan(all.json.totalItems);
    expect(mine.json.items.every((x: { welderId: string }) => x.welderId === myId)).toBe(true);
  });

  it('tenant rows read on every request follow tenant writes, restores and resets at once', async () => {
    const live = (tenant: string) => t.call('GET', '/health/live', { tenant });
    const ready = (tenant: string) => t.call('GET', '/health/ready', { tenant });
    expect((await admin('POST', '/snapshots', { name: 'no-initech' })).status).toBe(201);
    expect((await live('initech')).status).toBe(404);
    expect((await admin('POST', '/tenants', { name: 'initech' })).status).toBe(201);
    expect((await live('initech')).status).toBe(200);
    expect((await ready('initech')).status).toBe(200);
    expect((await admin('PATCH', '/tenants/initech', { ready: false })).status).toBe(200);
    expect((await ready('initech')).status).toBe(503);
    expect((await admin('POST', '/snapshots/no-initech/restore')).status).toBe(200);
    expect((await live('initech')).status).toBe(404);
    expect((await admin('PATCH', '/tenants/acme', { ready: false })).status).toBe(200);
    expect((await ready('acme')).status).toBe(503);
    expect((await admin('POST', '/reset', { tenant: 'acme' })).status).toBe(200);
    expect((await ready('acme')).status).toBe(200);
  });

  it('a new sandbox and new tenant data show in the next list', async () => {
    const { token } = await t.login('inspector');
    const before = (await t.call('GET', '/isos', { token })).json.totalItems as number;
    expect((await admin('POST', '/generate', { tenant: 'acme', isos: 2, weldsPerIso: 3 })).status).toBe(201);
    expect((await t.call('GET', '/isos', { token })).json.totalItems).toBe(before + 2);
    const sb = await admin('POST', '/sandboxes', { from: 'acme' });
    expect(sb.status).toBe(201);
    const created = sb.body as { tenant: string; credentials: { users: Array<{ userName: string; password: string; role: string }> } };
    const u = created.credentials.users.find((x) => x.role === 'inspector')!;
    const login = await t.call('POST', '/auth/login', { tenant: created.tenant, body: { userName: u.userName, password: u.password } });
    expect((await t.call('GET', '/isos', { tenant: created.tenant, token: login.json.accessToken })).json.totalItems).toBe(before + 2);
  });
});

describe('MaxTrax request headers on a real listener', () => {
  it('two Authorization headers are one malformed header, as the Fetch API joins them', async () => {
    const fakes = await startFakes({ vendors: ['maxtrax'] });
    try {
      const url = new URL(fakes.urls.maxtrax);
      const login = await fetch(`${url.origin}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userName: user('inspector').userName, password: user('inspector').password }),
      });
      const token = ((await login.json()) as { accessToken: string }).accessToken;
      const get = (headers: string[]) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request({ host: url.hostname, port: url.port, path: '/welds', headers: ['Host', url.host, ...headers] }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          });
          req.on('error', reject);
          req.end();
        });
      expect((await get(['Authorization', `Bearer ${token}`])).status).toBe(200);
      const twice = await get(['Authorization', `Bearer ${token}`, 'Authorization', `Bearer ${token}`]);
      expect(twice.status).toBe(401);
      expect(JSON.parse(twice.body).detail).toBe('The Authorization header must be "Bearer <access-token>".');
    } finally {
      await fakes.close();
    }
  });
});
