import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakes } from '../../src/suite.js';
import { FULL } from './helpers.js';

let fakes: Awaited<ReturnType<typeof startFakes>>;
let base: string;

beforeAll(async () => {
  fakes = await startFakes({ vendors: ['trakrf'], ports: { trakrf: 0 }, seed: 7 });
  base = fakes.urls.trakrf;
});
afterAll(() => fakes.close());

test('over a real socket: token → create → merge-patch → list → delete', async () => {
  const tok = await fetch(`${base}/api/v1/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...FULL }),
  }).then((r) => r.json());
  const auth = { Authorization: `Bearer ${tok.access_token}` };
  const created = await fetch(`${base}/api/v1/assets`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Socket cart', external_key: 'SOCK-1', tags: [{ tag_type: 'barcode', value: '9990001' }] }),
  });
  expect(created.status).toBe(201);
  expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const loc = created.headers.get('location')!;
  expect(loc).toMatch(/^\/api\/v1\/assets\/\d+$/);
  const patched = await fetch(base + loc, {
    method: 'PATCH',
    headers: { ...auth, 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ description: 'over the wire', metadata: { bay: 3 } }),
  }).then((r) => r.json());
  expect(patched.data).toMatchObject({ external_key: 'SOCK-1', description: 'over the wire', metadata: { bay: 3 } });
  const list = await fetch(`${base}/api/v1/assets?external_key=SOCK-1`, { headers: auth });
  expect(list.headers.get('x-ratelimit-limit')).toBe('120');
  expect(list.headers.get('ratelimit-policy')).toBe('60;w=60');
  expect((await list.json()).data[0].tags[0]).toMatchObject({ tag_type: 'barcode', value: '9990001' });
  const del = await fetch(base + loc, { method: 'DELETE', headers: auth });
  expect(del.status).toBe(204);
  expect(await del.text()).toBe('');
  const head = await fetch(`${base}/api/v1/reports/asset-locations?limit=1`, { method: 'HEAD', headers: auth });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
}, 20_000);
