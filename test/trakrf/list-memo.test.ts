/** Rendered list pages and totals are memoized; they must never be stale (writes, validity boundaries, resets). */
import { beforeEach, describe, expect, it } from 'vitest';
import { demo, get, newSuite, post, tokens, type App } from './helpers.js';
import type { Suite } from '../../src/suite.js';

let suite: Suite;
let app: App;
let auth: Record<string, string>;
beforeEach(async () => {
  suite = newSuite();
  app = suite.app('trakrf');
  suite.clock.freeze(true);
  auth = { Authorization: `Bearer ${(await tokens(app)).access_token}` };
  return () => suite.close();
});

const page = async (path: string) => (await get(app, path, undefined, auth)).json();

describe('memoized list pages', () => {
  it('a write shows on the next read of the same page', async () => {
    const before = await page('/api/v1/assets?limit=200');
    const res = await post(app, '/api/v1/assets', { name: 'Fresh one', external_key: 'AAA-1' }, auth);
    expect(res.status).toBe(201);
    const after = await page('/api/v1/assets?limit=200');
    expect(after.total_count).toBe(before.total_count + 1);
    expect(after.data[0].external_key).toBe('AAA-1');
  });

  it('an asset whose valid_to passes drops out when the clock crosses it, with no write in between', async () => {
    const validTo = new Date(suite.clock.nowMs() + 60_000).toISOString();
    await post(app, '/api/v1/assets', { name: 'Short-lived', external_key: 'AAA-2', valid_to: validTo }, auth);
    const during = await page('/api/v1/assets?external_key=AAA-2');
    expect(during.total_count).toBe(1);
    expect(await page('/api/v1/assets?external_key=AAA-2')).toEqual(during);
    suite.clock.advance(60);
    expect(await page('/api/v1/assets?external_key=AAA-2')).toEqual({ data: [], limit: 50, offset: 0, total_count: 0 });
  });

  it('a future valid_from appears when the clock reaches it', async () => {
    const from = new Date(suite.clock.nowMs() + 3_600_000).toISOString();
    await post(app, '/api/v1/locations', { name: 'Opens later', external_key: 'LATER-1', valid_from: from }, auth);
    expect((await page('/api/v1/locations?external_key=LATER-1')).total_count).toBe(0);
    suite.clock.advance(3600);
    auth = { Authorization: `Bearer ${(await tokens(app)).access_token}` }; // the old one expired meanwhile
    expect((await page('/api/v1/locations?external_key=LATER-1')).total_count).toBe(1);
  });

  it('setting the clock back re-evaluates too', async () => {
    const now = suite.clock.nowMs();
    await post(app, '/api/v1/assets', { name: 'New', external_key: 'AAA-3', valid_from: new Date(now).toISOString() }, auth);
    expect((await page('/api/v1/assets?external_key=AAA-3')).total_count).toBe(1);
    suite.clock.set(new Date(now - 1000));
    expect((await page('/api/v1/assets?external_key=AAA-3')).total_count).toBe(0);
  });

  it('reset (all, and one tenant) invalidates', async () => {
    await post(app, '/api/v1/assets', { name: 'Gone after reset', external_key: 'AAA-4' }, auth);
    expect((await page('/api/v1/assets?external_key=AAA-4')).total_count).toBe(1);
    await post(app, '/__admin/reset', { tenant: 1 });
    auth = { Authorization: `Bearer ${(await tokens(app)).access_token}` };
    expect((await page('/api/v1/assets?external_key=AAA-4')).total_count).toBe(0);
    await post(app, '/api/v1/assets', { name: 'Gone after reset', external_key: 'AAA-4' }, auth);
    expect((await page('/api/v1/assets?external_key=AAA-4')).total_count).toBe(1);
    await post(app, '/__admin/reset', '');
    auth = { Authorization: `Bearer ${(await tokens(app)).access_token}` };
    expect((await page('/api/v1/assets?external_key=AAA-4')).total_count).toBe(0);
  });

  it('pages are kept per org: the same query string answers each org with its own data', async () => {
    const acme = await page('/api/v1/assets?limit=200');
    const globex = await (await get(app, '/api/v1/assets?limit=200', (await tokens(app, demo.globex)).access_token)).json();
    expect(acme.total_count).toBeGreaterThan(0);
    expect(globex.total_count).toBeGreaterThan(0);
    const ids = new Set(acme.data.map((a: { id: number }) => a.id));
    expect(globex.data.some((a: { id: number }) => ids.has(a.id))).toBe(false);
  });

  it('a memoized page does not let a different query string through: each is parsed (and refused) on its own', async () => {
    const first = await get(app, '/api/v1/assets?limit=5&offset=1', undefined, auth);
    expect(first.status).toBe(200);
    const sameQueryOtherOrder = await get(app, '/api/v1/assets?offset=1&limit=5', undefined, auth);
    expect(await sameQueryOtherOrder.json()).toEqual(await first.json());
    const bad = await get(app, '/api/v1/assets?limit=5&offset=1&bogus=1', undefined, auth);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual([{ field: 'bogus', code: 'unknown_field', message: 'unknown parameter: bogus' }]);
    expect((await get(app, '/api/v1/assets?limit=5&offset=1', undefined, auth)).status).toBe(200);
  });
});
