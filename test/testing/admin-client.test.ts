/** AdminClient (the package's `./admin` entry) against a running server with a token, and in-process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, AdminClientError } from '../../src/admin-client.js';
import { startFakes, Suite, type RunningFakes } from '../../src/suite.js';

describe('AdminClient over the network', () => {
  let fakes: RunningFakes;
  let client: AdminClient;
  beforeAll(async () => {
    fakes = await startFakes({ vendors: ['maintainx'], seed: 42, adminToken: 'client-test-token' });
    client = new AdminClient(fakes.urls.maintainx, { token: 'client-test-token' });
  });
  afterAll(async () => fakes.close());
  const users = () => fetch(`${fakes.urls.maintainx}/v1/users?limit=1`, { headers: { authorization: 'Bearer mx_demo_acme_admin_4f1c2b7e9a0d' } });

  it('journal: list, count, get, wait, clear', async () => {
    await client.journal.clear();
    await users();
    const [entry] = await client.requests({ path: '/v1/users' });
    expect(entry).toMatchObject({ method: 'GET', path: '/v1/users', query: 'limit=1', status: 200, tenant: '1' });
    expect(await client.journal.count({ status: '2xx' })).toBe(1);
    expect(await client.journal.get(entry.id)).toEqual(entry);
    setTimeout(() => void users(), 50);
    const waited = await client.journal.wait({ path: '/v1/users' }, { min: 2, timeoutMs: 5000 });
    expect(waited.total).toBe(2);
    await client.journal.clear();
    expect(await client.journal.count()).toBe(0);
  });

  it('faults: add, list, remove, clear', async () => {
    const f = await client.faults.add({ path: '/v1/users*', status: 503, times: 1 });
    expect((await users()).status).toBe(503);
    expect((await client.faults.get(f.id)).hits).toBe(1);
    expect((await client.faults.list()).map((x) => x.id)).toEqual([f.id]);
    await client.faults.remove(f.id);
    await client.faults.add({ path: '*', delay_ms: 1 });
    await client.faults.clear();
    expect(await client.faults.list()).toEqual([]);
  });

  it('state, clock, rate limit, reset, openapi', async () => {
    const state = await client.state();
    expect(state.vendor).toBe('maintainx');
    expect(state.routes.some((r) => r.path === '/__admin/faults')).toBe(true);
    const before = Date.parse((await client.clock.get()).now);
    expect(Date.parse((await client.clock.advance(3600)).now) - before).toBeGreaterThanOrEqual(3600_000);
    expect((await client.rateLimit.set(false)).enabled).toBe(false);
    expect((await client.reset()).reset).toBe(true);
    expect((await client.rateLimit.get()).enabled).toBe(true);
    expect((await client.openapi()).openapi).toBe('3.0.3');
  });

  it('errors carry the status and the control plane\'s message; a wrong token is a 401', async () => {
    const err = await client.faults.add({ path: 'nope' } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminClientError);
    expect((err as AdminClientError).status).toBe(400);
    expect((err as Error).message).toBe('POST /__admin/faults: 400 path is required: a path starting with / (or *), where * matches any characters, e.g. /api/v1/assets*');
    const wrong = new AdminClient(`${fakes.urls.maintainx}/__admin/`, { token: 'wrong' });
    await expect(wrong.state()).rejects.toMatchObject({ status: 401 });
  });
});

describe('fakes.admin(vendor): in-process', () => {
  it('binds to the suite without network or token', async () => {
    const suite = new Suite({ vendors: ['trakrf'], seed: 42, adminToken: 'in-process-token' });
    const admin = suite.admin('trakrf');
    await suite.app('trakrf').request('/api/v1/assets');
    expect(await admin.requests({ status: '401' })).toHaveLength(1);
    await admin.faults.add({ path: '/api/v1/assets', status: 500 });
    expect((await suite.app('trakrf').request('/api/v1/assets')).status).toBe(500);
    suite.close();
  });

  it('snapshots and sandboxes call the routes issue 13 specifies', async () => {
    const calls: string[] = [];
    const client = new AdminClient('http://fakes.test:4400', {
      fetch: async (req) => {
        const body = req.body ? (req.headers.get('content-type') === 'application/json' ? await req.text() : `<${(await req.arrayBuffer()).byteLength} bytes>`) : '';
        calls.push(`${req.method} ${new URL(req.url).pathname} ${body}`.trim());
        const json = req.url.endsWith('/file') && req.method === 'GET' ? new Uint8Array([1, 2]) : JSON.stringify(req.url.endsWith('/snapshots') && req.method === 'GET' ? { snapshots: [{ name: 'a' }] } : {});
        return new Response(json, { status: 200 });
      },
    });
    await client.snapshots.save('before');
    await client.snapshots.restore('before');
    expect(await client.snapshots.list()).toEqual([{ name: 'a' }]);
    expect(await client.snapshots.download('before')).toEqual(new Uint8Array([1, 2]));
    await client.snapshots.upload('copy', new Uint8Array([1, 2, 3]));
    await client.snapshots.delete('before');
    await client.sandbox();
    await client.sandboxes.create({ from: 2 });
    await client.sandboxes.delete('sb-1');
    await client.clock.advance(60, { tenant: '2' });
    expect(calls).toEqual([
      'POST /__admin/snapshots {"name":"before"}',
      'POST /__admin/snapshots/before/restore',
      'GET /__admin/snapshots',
      'GET /__admin/snapshots/before/file',
      'PUT /__admin/snapshots/copy/file <3 bytes>',
      'DELETE /__admin/snapshots/before',
      'POST /__admin/sandboxes {}',
      'POST /__admin/sandboxes {"from":2}',
      'DELETE /__admin/sandboxes/sb-1',
      'POST /__admin/clock {"advance_seconds":60,"tenant":"2"}',
    ]);
  });
});
