/** Bad-input rules, one test each, with the exact bodies a client sees. */
import { describe, expect, it } from 'vitest';
import { MULTI, makeSuite } from './helpers.js';

describe('maintainx bad input', () => {
  const { call, hooks } = makeSuite({ rateLimit: false });

  it('attachment uploads answer 400 with a bare JSON string, as the spec documents for PUT …/attachments/{filename}', async () => {
    const r = await call('PUT', '/v1/workorders/abc/attachments/photo.png', { raw: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'image/png' } });
    expect(r.status).toBe(400);
    expect(r.body).toBe('id must be integer');
  });

  it('JSON bodies over 1 MiB → 413 {error}', async () => {
    const r = await call('POST', '/v1/workorders', { raw: JSON.stringify({ title: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error: 'Request body must not exceed 1048576 bytes' });
  });

  it('deeply nested JSON → 400, never a stack overflow', async () => {
    const deep = '{"title":"x","externalData":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const r = await call('POST', '/v1/workorders', { raw: deep, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ error: 'Request body is nested deeper than 32 levels', fieldPath: null, fieldValue: null }] });
  });

  it('empty body and missing content type', async () => {
    const empty = await call('POST', '/v1/workorders', { raw: '', headers: { 'content-type': 'application/json' } });
    expect(empty.body).toEqual({ errors: [{ error: 'Request body is not valid JSON', fieldPath: null, fieldValue: null }] });
    const none = await call('POST', '/v1/workorders', { raw: '{"title":"x"}' });
    // (fetch labels a string body text/plain)
    expect(none.body).toEqual({ errors: [{ error: 'Content-Type must be application/json', fieldPath: null, fieldValue: 'text/plain;charset=UTF-8' }] });
    const charset = await call('POST', '/v1/workorders', { raw: '{"title":"x"}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(charset.status).toBe(200);
  });

  it('wrong types in nested fields name the field path', async () => {
    const r = await call('POST', '/v1/workorders', { body: { title: 'x', assignees: [{ type: 'USER', id: true }] } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].fieldPath).toMatch(/^assignees\.0/);
    const cats = await call('POST', '/v1/workorders', { body: { title: 'x', categories: 'Damage' } });
    expect(cats.body).toEqual({ errors: [{ error: 'should be array', fieldPath: 'categories', fieldValue: 'Damage' }] });
    const id = (await call('GET', '/v1/workorders?limit=1')).body.workOrders[0].id;
    const due = await call('PATCH', `/v1/workorders/${id}`, { body: { dueDate: 'tomorrow' } });
    expect(due.body).toEqual({ errors: [{ error: 'should match format "date-time"', fieldPath: 'dueDate', fieldValue: 'tomorrow' }] });
  });

  it('header errors carry the rate-limit headers too', async () => {
    const r = await call('GET', '/v1/workorders', { key: MULTI });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-rate-limit-limit')).toBe('100');
  });

  it('repeated scalar parameters and bad booleans → 400', async () => {
    expect((await call('GET', '/v1/workorders?limit=1&limit=2')).body).toEqual({ error: 'limit must be a single value' });
    expect((await call('GET', '/v1/workorders?show_upcoming=maybe')).body).toEqual({ error: 'show_upcoming must be boolean' });
    expect((await call('GET', '/v1/workorders?assets=abc')).body).toEqual({ error: 'assets must be an array of integers' });
    expect((await call('GET', '/v1/workorders?title=%E0%A4%A')).body).toEqual({ error: 'Malformed query string' });
  });

  it('other resources emit their webhook events', async () => {
    const { url, got, close } = await sink();
    for (const type of ['NEW_ASSET', 'ASSET_STATUS_CHANGE', 'NEW_PART', 'PART_CHANGE', 'PART_DELETE', 'NEW_LOCATION', 'NEW_VENDOR', 'WORK_ORDER_PART_STATUS_CHANGE']) {
      // Entities (newAsset, newPart…) are sent only to subscriptions created with options.serializeEntity (spec).
      expect((await call('POST', '/v1/subscriptions', { body: { type, url: `${url}/${type}`, options: { serializeEntity: true } } })).status).toBe(201);
    }
    const a = await call('POST', '/v1/assets', { body: { name: 'Hooked asset' } });
    await call('POST', `/v1/assets/${a.body.id}/status`, { body: { status: 'OFFLINE', downtimeType: 'PLANNED' } });
    const p = await call('POST', '/v1/parts', { body: { name: 'Hooked part' } });
    await call('PATCH', `/v1/parts/${p.body.id}`, { body: { unitCost: 99 } });
    await call('DELETE', `/v1/parts/${p.body.id}`);
    await call('POST', '/v1/locations', { body: { name: 'Hooked location' } });
    await call('POST', '/v1/vendors', { body: { name: 'Hooked vendor' } });
    const w = await call('POST', '/v1/workorders', { body: { title: 'Parts' } });
    await call('PATCH', `/v1/workorders/${w.body.id}/partStatus`, { body: { partStatus: 'STAGED' } });
    await hooks.idle();
    const byPath = Object.fromEntries(got.map((g) => [g.url.slice(1), JSON.parse(g.body)]));
    expect(byPath.NEW_ASSET).toMatchObject({ assetId: a.body.id, orgId: 1, newAsset: { name: 'Hooked asset' } });
    expect(byPath.ASSET_STATUS_CHANGE).toMatchObject({ assetId: a.body.id, oldStatus: { status: 'ONLINE', endedAt: expect.any(String) }, newStatus: { status: 'OFFLINE', downtimeType: 'PLANNED' } });
    expect(byPath.NEW_PART).toMatchObject({ partId: p.body.id, newPart: { name: 'Hooked part' } });
    expect(byPath.PART_CHANGE).toMatchObject({ partId: p.body.id, newPart: { unitCost: 99 } });
    expect(byPath.PART_DELETE).toMatchObject({ partId: p.body.id, deletedPart: { name: 'Hooked part' } });
    expect(byPath.NEW_LOCATION.locationId).toEqual(expect.any(Number));
    expect(byPath.NEW_VENDOR.vendorId).toEqual(expect.any(Number));
    expect(byPath.WORK_ORDER_PART_STATUS_CHANGE).toMatchObject({ workOrderId: w.body.id, oldPartStatus: 'NO_PARTS', newPartStatus: 'STAGED' });
    await close();
  });
});

async function sink() {
  const { createServer } = await import('node:http');
  const got: Array<{ url: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ url: req.url ?? '', body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}
