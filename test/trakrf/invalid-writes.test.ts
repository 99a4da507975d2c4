/**
 * A rejected request changes nothing (issue 11 #7, TrakRF): random invalid write requests — bad bodies, unknown ids,
 * conflicts (409), missing scopes, wrong content types, bad refresh tokens, bad control-plane writes — leave every
 * table byte-identical.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, READ_ONLY } from './helpers.js';

const c = new Client();
const db = () => c.suite.instance('trakrf').ctx.handle.db;

/** A digest of every row of every table, in storage order. */
function fingerprint(): Record<string, string> {
  const tables = db().prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const out: Record<string, string> = {};
  for (const t of tables) {
    const h = createHash('sha256');
    for (const row of db().prepare(`SELECT * FROM "${t}"`).raw().iterate()) h.update(JSON.stringify(row));
    out[t] = h.digest('hex');
  }
  return out;
}

interface World {
  assets: Array<{ id: number; external_key: string; tags: Array<{ id: number; value: string }> }>;
  locations: Array<{ id: number; external_key: string; parent_id: number | null }>;
}
let w: World;

beforeAll(async () => {
  await c.reset();
  c.suite.clock.freeze(true);
  // exchange tokens now: an exchange is a (valid) write
  await c.token();
  await c.token(READ_ONLY);
  const all = async (path: string) => (await c.call('GET', `${path}?limit=200`)).body.data;
  const assets = await all('/api/v1/assets');
  w = {
    assets: await Promise.all(assets.slice(0, 10).map(async (a: { id: number }) => (await c.call('GET', `/api/v1/assets/${a.id}`)).body.data)),
    locations: await all('/api/v1/locations'),
  };
});

const json = fc.jsonValue({ maxDepth: 2 });
const nonString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}));
const badKey = fc.constantFrom('', ' ', 'a b', 'x_y', 'é', 'a/b', 'x'.repeat(256));
const badTime = fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '0001-01-01T00:00:00Z', '');

/** Bodies no asset/location create accepts (a valid `name` is added where the rule is elsewhere). */
const badCreate = fc.oneof(
  fc.record({ name: nonString }),
  fc.constant({}),
  fc.record({ name: fc.constantFrom('', ' x', 'x ', 'a\tb', 'x'.repeat(256)) }),
  fc.record({ name: fc.constant('ok'), bogus: json }),
  fc.record({ name: fc.constant('ok'), external_key: badKey }),
  fc.record({ name: fc.constant('ok'), valid_from: badTime }),
  fc.record({ name: fc.constant('ok'), valid_from: fc.constant('2030-01-01T00:00:00Z'), valid_to: fc.constant('2029-01-01T00:00:00Z') }),
  fc.record({ name: fc.constant('ok'), tags: fc.constantFrom([{ tag_type: 'rfid' }], [{ tag_type: 'nfc', value: 'v' }], ['x'], 'tags') }),
  fc.record({ name: fc.constant('ok'), description: fc.constantFrom('', 'a\u0000b', 'd'.repeat(1025)) }),
);

type Req = { method: string; path: (w: World) => string; body?: unknown; raw?: string; headers?: Record<string, string>; readOnly?: boolean };

const api: fc.Arbitrary<Req> = fc.oneof(
  badCreate.map((body) => ({ method: 'POST', path: () => '/api/v1/assets', body })),
  badCreate.map((body) => ({ method: 'POST', path: () => '/api/v1/locations', body })),
  fc.constantFrom(
    { parent_id: 987654321, parent_external_key: 'LOC-001' },
    { parent_id: null, parent_external_key: 'LOC-001' },
    { parent_external_key: 'NOPE' },
    { parent_id: 0 },
    { location_id: 1 },
  ).map((p) => ({ method: 'POST', path: () => '/api/v1/locations', body: { name: 'ok', ...p } })),
  // conflicts: an existing key, an existing tag value
  fc.nat(9).map((i) => ({ method: 'POST', path: () => '/api/v1/assets', body: { name: 'dup', external_key: `ASSET-${String(i + 1).padStart(4, '0')}` } })),
  fc.nat(9).map((i): Req => ({ method: 'POST', path: (w) => `/api/v1/assets/${w.assets[i].id}/tags`, body: { tag_type: 'rfid', value: 'placeholder' } })),
  fc.tuple(fc.nat(9), fc.oneof(badCreate, fc.constantFrom({ name: null }, { external_key: 'OTHER' }, { id: 1 }, { tags: [] }, { created_at: 'x' })))
    .map(([i, body]): Req => ({ method: 'PATCH', path: (w) => `/api/v1/assets/${w.assets[i].id}`, body })),
  fc.nat(30).map((i): Req => ({ method: 'PATCH', path: (w) => `/api/v1/locations/${w.locations[i % w.locations.length].id}`, body: { parent_id: w.locations[i % w.locations.length].id } })),
  fc.constantFrom('DELETE', 'PATCH').map((method): Req => ({ method, path: () => '/api/v1/assets/987654321', body: method === 'PATCH' ? { name: 'x' } : undefined })),
  fc.nat(30).map((i): Req => ({
    method: 'DELETE',
    path: (w) => {
      const parents = w.locations.filter((l) => w.locations.some((x) => x.parent_id === l.id));
      return `/api/v1/locations/${parents[i % parents.length].id}`;
    },
  })),
  fc.tuple(fc.nat(9), badKey).map(([i, k]): Req => ({ method: 'POST', path: (w) => `/api/v1/assets/${w.assets[i].id}/rename`, body: { external_key: k } })),
  fc.nat(8).map((i): Req => ({ method: 'POST', path: (w) => `/api/v1/assets/${w.assets[i].id}/rename`, body: { external_key: w.assets[i + 1].external_key } })),
  fc.nat(9).map((i): Req => ({ method: 'DELETE', path: (w) => `/api/v1/assets/${w.assets[i].id}/tags/987654321` })),
  fc.constantFrom('not json', '[]', '{"name":', '"x"').map((raw) => ({ method: 'POST', path: () => '/api/v1/assets', raw })),
  fc.constant({ method: 'POST', path: () => '/api/v1/assets', raw: '{"name":"ok"}', headers: { 'Content-Type': 'text/plain' } }),
  fc.constant({ method: 'POST', path: () => '/api/v1/assets', body: { name: 'ok' }, readOnly: true }),
  fc.constant({ method: 'POST', path: () => '/api/v1/assets?dry_run=true', body: { name: 'ok' } }),
);

const control: fc.Arbitrary<Req> = fc.oneof(
  // a valid scan followed by a bad one: the whole batch is refused
  fc.constantFrom({ location_id: 987654321 }, { asset_id: 987654321 }, { observed_at: 'x' }, { bogus: 1 }).map((bad): Req => ({
    method: 'POST',
    path: () => '/__admin/scans',
    body: { org_id: 1, scans: [{ asset_external_key: 'ASSET-0001', location_external_key: 'LOC-001', observed_at: '2026-11-01T00:00:00Z' }, { asset_external_key: 'ASSET-0001', location_id: null, observed_at: '2026-11-01T00:05:00Z', ...bad }] },
  })),
  fc.constantFrom({ org_id: 1, url: 'https://hooks.example.com/x' }, { org_id: 99, url: 'http://127.0.0.1/x' }, { org_id: 1 }, { org_id: 1, url: 'http://127.0.0.1/x', x: 1 }).map((body) => ({ method: 'POST', path: () => '/__admin/webhooks', body })),
  fc.constantFrom({ org_id: 1, name: '', scopes: ['assets:read'] }, { org_id: 1, name: 'k', scopes: ['nope'] }, { org_id: 42, name: 'k', scopes: ['assets:read'] }).map((body) => ({ method: 'POST', path: () => '/__admin/api-keys', body })),
  fc.constantFrom({ subscription_active: 'no' }, {}).map((body) => ({ method: 'PATCH', path: () => '/__admin/orgs/1', body })),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).map((t) => ({
    method: 'POST',
    path: () => '/api/v1/oauth/token',
    body: { grant_type: 'refresh_token', refresh_token: t },
  })),
);

describe('TrakRF: a rejected write changes nothing', () => {
  it('random invalid write requests leave every table byte-identical', { timeout: 60_000 }, async () => {
    // a real tag value, so "placeholder" above becomes a conflict
    const taken = w.assets.find((a) => a.tags.length)!.tags[0].value;
    // The full digest is recomputed only when the connection reports written rows (total_changes, which counts
    // rolled-back and trigger writes too): unchanged, the state is the one last digested.
    const handle = c.suite.instance('trakrf').ctx.handle;
    const before = fingerprint();
    let changes = handle.totalChanges();
    await fc.assert(
      fc.asyncProperty(fc.oneof(api, control), async (req) => {
        const path = req.path(w);
        const body = req.body && typeof req.body === 'object' && 'value' in req.body && req.body.value === 'placeholder' ? { ...req.body, value: taken } : req.body;
        const r = path.startsWith('/__admin')
          ? await c.admin(req.method, path.slice('/__admin'.length), body)
          : path === '/api/v1/oauth/token'
            ? await c.raw('POST', path, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
            : await c.call(req.method, path, req.raw ?? body, { headers: req.headers, creds: req.readOnly ? READ_ONLY : undefined });
        expect(r.status, `${req.method} ${path} ${JSON.stringify(body)} → ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        if (handle.totalChanges() !== changes) {
          expect(fingerprint()).toEqual(before);
          changes = handle.totalChanges();
        }
      }),
      { numRuns: 200 },
    );
  });
});
