/** A small smoke set over a real socket, the way the SDK talks to the fake (undici fetch, FormData, Blobs). */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../src/suite.js';
import { UUID_V4 } from './helpers.js';

describe('machhub over a real port', () => {
  let fakes: RunningFakes;
  let base: string;
  const H = { key: 'domains:acme', Domain: 'domains:acme', 'X-Machhub-Runtime-Id': '' };

  beforeAll(async () => {
    fakes = await startFakes({ vendors: ['machhub'], seed: 42 });
    base = fakes.urls.machhub;
  });
  afterAll(async () => fakes.close());

  it('login, then a Bearer-authenticated getAll in strict-like use, with App-CorrelationID on every reply', async () => {
    const login = await fetch(`${base}/machhub/auth/login`, { method: 'POST', headers: { ...H, 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
    expect(login.status).toBe(200);
    expect(login.headers.get('App-CorrelationID')).toMatch(UUID_V4);
    const { tkn } = (await login.json()) as { tkn: string };
    const all = await fetch(`${base}/machhub/products/all?limit=2`, { headers: { ...H, Authorization: `Bearer ${tkn}` } });
    expect(all.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await all.json()) as unknown[]).length).toBe(2);
    const bad = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":"admin","password":"no"}' });
    expect(bad.status).toBe(401);
    expect(bad.statusText).toBe('Unauthorized');
    expect(await bad.text()).toBe('Invalid Username or Password');
    expect(bad.headers.get('App-CorrelationID')).toMatch(UUID_V4);
  });

  it('multipart create with a file part, then getFile returns a non-JSON blob', async () => {
    const fd = new FormData();
    fd.append('record', JSON.stringify({ name: 'Widget', price: 9.99, image: 'photo.jpg' }));
    fd.append('image', new File([new Uint8Array([0xff, 0xd8, 0xff])], 'photo.jpg', { type: 'image/jpeg' }));
    const c = await fetch(`${base}/machhub/products`, { method: 'POST', headers: H, body: fd });
    const rec = (await c.json()) as { id: { Table: string; ID: string } };
    const f = await fetch(`${base}/machhub/file`, { method: 'PATCH', headers: { ...H, 'Content-Type': 'application/json' }, body: JSON.stringify({ fileName: 'photo.jpg', collectionName: 'products', fieldName: 'image', recordID: `${rec.id.Table}:${rec.id.ID}` }) });
    expect(f.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await f.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff]);
    const one = await fetch(`${base}/machhub/${encodeURIComponent(`${rec.id.Table}:${rec.id.ID}`)}`, { headers: H });
    expect(((await one.json()) as { name: string }).name).toBe('Widget');
  });

  it('CSV export arrives gzipped; unknown routes answer Fiber-style 404 text', async () => {
    const r = await fetch(`${base}/machhub/historian/export/aggregated`, { method: 'POST', headers: { ...H, 'Content-Type': 'application/json' }, body: JSON.stringify({ topics: ['a/b'], startDate: '2026-06-01T00:00:00.000Z', endDate: '2026-06-01T00:03:00.000Z', sampleRate: '', aggregation: '' }) });
    expect(r.headers.get('content-type')).toBe('application/gzip');
    expect(gunzipSync(Buffer.from(await r.arrayBuffer())).toString().trim().split('\n')).toHaveLength(4);
    const nf = await fetch(`${base}/api/home`, { headers: H });
    expect(nf.status).toBe(404);
    expect(await nf.text()).toBe('Cannot GET /api/home');
  });
});
