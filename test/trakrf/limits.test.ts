/**
 * Limits a client can reach: SQLite's (ORDER BY terms, LIKE pattern length) answered as the backend answers, and
 * every regex TrakRF applies to client input fed 1 MB of adversarial input, answering in < 100 ms (on an idle machine; see budget).
 */
import { describe, expect, test } from 'vitest';
import { FULL, fieldsOf, setup } from './helpers.js';
import { MB, bestOf3, redosBudget } from '../support/budget.js';

const c = setup();

/** The server's own cost: best of three after a warm-up, straight to the app (no recorder, no JSON decode). */
async function timed(method: string, path: string, init: { body?: string; headers?: Record<string, string>; auth?: boolean } = {}) {
  const headers: Record<string, string> = { ...(init.auth === false ? {} : { Authorization: `Bearer ${await c.token()}` }), ...init.headers };
  if (init.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
  return bestOf3(() => c.app.request(path, { method, body: init.body, headers }));
}

const budget = redosBudget;

describe('SQLite limits the backend does not have', () => {
  test('sort with 2,001 terms: repeated fields are redundant, so the page equals the first occurrence order (was 500)', async () => {
    const terms = Array.from({ length: 2001 }, (_, i) => (i % 2 ? '-name' : 'name')).join(',');
    const r = await c.call('GET', `/api/v1/assets?sort=${terms}&limit=200`);
    expect(r.status, r.text).toBe(200);
    const once = await c.call('GET', '/api/v1/assets?sort=name&limit=200');
    expect(r.body).toEqual(once.body);
    const mixed = await c.call('GET', `/api/v1/assets?sort=-created_at,${'name,external_key,'.repeat(1500)}name&limit=200`);
    expect(mixed.body).toEqual((await c.call('GET', '/api/v1/assets?sort=-created_at,name,external_key&limit=200')).body);
    // an unknown field anywhere is still the backend's 400
    expect(fieldsOf(await c.call('GET', `/api/v1/locations?sort=${'name,'.repeat(3000)}bogus`))).toEqual([
      { field: 'sort', code: 'invalid_value', message: 'unknown sort field: bogus' },
    ]);
    const report = await c.call('GET', `/api/v1/reports/asset-locations?sort=${'asset_external_key,'.repeat(2500)}-asset_last_seen`);
    expect(report.body).toEqual((await c.call('GET', '/api/v1/reports/asset-locations?sort=asset_external_key,-asset_last_seen')).body);
  });

  test('q longer than SQLite LIKE pattern limit (50,000 bytes) answers as ILIKE would (was 500)', async () => {
    const all = (await c.call('GET', '/api/v1/assets?limit=200')).body;
    const long = await c.call('GET', `/api/v1/assets?q=${'x'.repeat(60_000)}`);
    expect(long.status, long.text).toBe(200);
    expect(long.body.total_count).toBe(0);
    // only wildcards: matches everything, like q=%
    const wild = await c.call('GET', `/api/v1/assets?limit=200&q=${'%25'.repeat(60_000)}`);
    expect(wild.body).toEqual((await c.call('GET', '/api/v1/assets?limit=200&q=%25')).body);
    expect(wild.body.total_count).toBe(all.total_count);
    // a matching needle padded with % on both sides still matches
    const name = all.data[0].name as string;
    const padded = await c.call('GET', `/api/v1/assets?limit=200&q=${'%25'.repeat(30_000)}${encodeURIComponent(name)}${'%25'.repeat(30_000)}`);
    expect(padded.body).toEqual((await c.call('GET', `/api/v1/assets?limit=200&q=${encodeURIComponent(name)}`)).body);
    // 30,000 `_` need 30,000 characters: longer than anything searchable
    const under = await c.call('GET', `/api/v1/locations?q=${'_%25'.repeat(30_000)}`);
    expect(under.status).toBe(200);
    expect(under.body.total_count).toBe(0);
    const report = await c.call('GET', `/api/v1/reports/asset-locations?q=${'é'.repeat(30_000)}`);
    expect(report.status).toBe(200);
  });
});

describe('every regex applied to client input answers 1 MB of adversarial input in < 100 ms', () => {
  const spaces = ' '.repeat(MB);
  const body = (o: unknown) => JSON.stringify(o);
  const post = (o: unknown) => ({ body: JSON.stringify(o) });
  const cases: Array<[string, string, string, { body?: string; headers?: Record<string, string>; auth?: boolean }, number]> = [
    // NAME_RE: a long run that fails only at its end (backtracking bait); over 255 runes the length check comes
    // first, so the 255-rune case is the one the regex itself sees
    ['name (1 MB)', 'POST', '/api/v1/assets', post({ name: 'a' + spaces + '\u0001' }), 400],
    ['name (255 runes)', 'POST', '/api/v1/assets', post({ name: 'a' + ' '.repeat(253) + '\u0001' }), 400],
    ['external_key body', 'POST', '/api/v1/assets', post({ name: 'x', external_key: 'A'.repeat(MB) + '_' }), 400],
    ['description', 'POST', '/api/v1/assets', post({ name: 'x', description: 'd'.repeat(MB) }), 400],
    ['timestamp', 'POST', '/api/v1/assets', post({ name: 'x', valid_from: '2026-01-01T00:00:00.' + '1'.repeat(MB) + 'x' }), 400],
    ['tag value', 'POST', '/api/v1/assets', post({ name: 'x', tags: [{ tag_type: 'rfid', value: 'v'.repeat(MB) }] }), 400],
    ['external_key filter', 'GET', `/api/v1/assets?external_key=${'A'.repeat(MB)}_`, {}, 400],
    ['limit digits', 'GET', `/api/v1/assets?limit=${'9'.repeat(MB)}`, {}, 400],
    ['id filter', 'GET', `/api/v1/locations?parent_id=${'1'.repeat(MB)}x`, {}, 400],
    ['control chars in query', 'GET', `/api/v1/assets?q=${'a'.repeat(MB)}%00`, {}, 400],
    ['q', 'GET', `/api/v1/assets?q=${'%25a'.repeat(MB / 2)}`, {}, 200],
    ['sort', 'GET', `/api/v1/assets?sort=${'-name,'.repeat(MB / 6)}name`, {}, 200],
    ['JSON nesting', 'POST', '/api/v1/assets', { body: '['.repeat(MB) }, 400],
    ['JSON nesting in an object', 'POST', '/api/v1/assets', { body: '{"name":"x","metadata":' + '{"a":'.repeat(MB / 8) + '1' + '}'.repeat(MB / 8) + '}' }, 400],
    ['path id', 'GET', `/api/v1/assets/${'1'.repeat(MB)}`, {}, 400],
    ['route table (405 Allow)', 'PUT', `/api/v1/assets/${'a'.repeat(MB)}`, {}, 405],
    [
      'client_id UUID',
      'POST',
      '/api/v1/oauth/token',
      { ...post({ grant_type: 'client_credentials', client_id: '0'.repeat(MB), client_secret: FULL.client_secret }), auth: false },
      401,
    ],
    ['authorization header', 'GET', '/api/v1/assets', { auth: false, headers: { Authorization: `Bearer ${'a.'.repeat(MB / 2)}` } }, 401],
    ['control plane org id', 'PATCH', `/__admin/orgs/${'1'.repeat(MB)}`, { ...post({ subscription_active: true }), auth: false }, 400],
    ['control plane webhook id', 'GET', `/__admin/webhooks/${'1'.repeat(MB)}`, { auth: false }, 404],
  ];
  test.each(cases)('%s', async (_label, method, path, init, status) => {
    const r = await timed(method, path, init);
    expect(r.status, r.text.slice(0, 300)).toBe(status);
    expect(r.ms).toBeLessThan(budget());
  });

  test('history from/to (RFC 3339)', async () => {
    const id = (await c.call('GET', '/api/v1/assets?limit=1')).body.data[0].id;
    const r = await timed('GET', `/api/v1/assets/${id}/history?from=2026-01-01T00:00:00.${'1'.repeat(MB)}x`);
    expect(r.status, r.text.slice(0, 300)).toBe(400);
    expect(r.ms).toBeLessThan(budget());
  });
});
