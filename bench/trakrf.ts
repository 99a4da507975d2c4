/**
 * TrakRF benchmark scenarios (contract in bench/types.ts). Each scenario makes its own org and API key through
 * the control plane, bulk-generates its data in one SQLite transaction (POST /__admin/generate), switches the
 * per-key rate limit off for the load run (POST /__admin/rate-limit), and drives one public API request.
 */
import { readFileSync } from 'node:fs';
import type { BenchContext, BenchRequest, BenchScenario } from './types.js';

const SCOPES = ['assets:read', 'assets:write', 'locations:read', 'locations:write', 'tracking:read'];

async function must(ctx: BenchContext, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const r = await ctx.call(method, path, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** A fresh org with a full-scope key, an access token, and the rate limit off. */
async function orgWithToken(ctx: BenchContext, name: string): Promise<{ orgId: number; auth: Record<string, string> }> {
  const org = await must(ctx, 'POST', '/__admin/orgs', { name });
  const key = await must(ctx, 'POST', '/__admin/api-keys', { org_id: org.id, name: 'bench', scopes: SCOPES });
  const token = await must(ctx, 'POST', '/api/v1/oauth/token', {
    grant_type: 'client_credentials',
    client_id: key.client_id,
    client_secret: key.client_secret,
  });
  await must(ctx, 'POST', '/__admin/rate-limit', { enabled: false });
  return { orgId: org.id, auth: { Authorization: `Bearer ${token.access_token}` } };
}

// A filtered, sorted first page plus the natural-key batch lookup clients use to resolve keys.
const LIST_QUERY = '/api/v1/assets?is_active=true&sort=-created_at,name&limit=50';

function listScenario(n: number): BenchScenario {
  return {
    name: `trakrf: list assets (is_active + sort, limit 50) over ${n.toLocaleString('en')} assets`,
    vendor: 'trakrf',
    target: n === 100_000 ? 'p50 within 2x of the 1k case' : 'reference for the 100k case',
    async prepare(ctx): Promise<BenchRequest> {
      const { orgId, auth } = await orgWithToken(ctx, `bench list ${n}`);
      await must(ctx, 'POST', '/__admin/generate', { org_id: orgId, assets: n });
      return { method: 'GET', path: LIST_QUERY, headers: auth };
    },
  };
}

/** The demo org's full-scope key (fixtures/trakrf.json). */
export async function demoToken(ctx: BenchContext): Promise<Record<string, string>> {
  const fixtures = JSON.parse(readFileSync(new URL('../fixtures/trakrf.json', import.meta.url), 'utf8'));
  const full = fixtures.orgs[0].api_keys.find((k: { name: string }) => k.name === 'demo-full');
  const token = await must(ctx, 'POST', '/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: full.client_id, client_secret: full.client_secret });
  await must(ctx, 'POST', '/__admin/rate-limit', { enabled: false });
  return { Authorization: `Bearer ${token.access_token}` };
}

export const scenarios: BenchScenario[] = [
  {
    name: 'trakrf: authenticated GET /api/v1/assets?limit=50 (demo org)',
    vendor: 'trakrf',
    target: '≥ 50% of bare route',
    async prepare(ctx) {
      return { path: '/api/v1/assets?limit=50', headers: await demoToken(ctx) };
    },
  },
  {
    // Compare with the scenario above (journal on, the default): the journal's cost goal is ≤ 10% of throughput.
    name: 'trakrf: authenticated GET /api/v1/assets?limit=50 (demo org), request journal off',
    vendor: 'trakrf',
    journalOff: true,
    async prepare(ctx) {
      return { path: '/api/v1/assets?limit=50', headers: await demoToken(ctx) };
    },
  },
  {
    name: 'trakrf: token exchange (client_credentials)',
    vendor: 'trakrf',
    async prepare(ctx) {
      const key = await must(ctx, 'POST', '/__admin/api-keys', { org_id: 2, name: 'bench exchange', scopes: ['assets:read'] });
      const body = JSON.stringify({ grant_type: 'client_credentials', client_id: key.client_id, client_secret: key.client_secret });
      return { method: 'POST', path: '/api/v1/oauth/token', headers: { 'Content-Type': 'application/json' }, body };
    },
  },
  listScenario(1_000),
  listScenario(100_000),
  {
    name: 'trakrf: natural-key batch lookup (3 external_key values + sort) over 100,000 assets',
    vendor: 'trakrf',
    target: 'p50 within 2x of the 1k list case',
    async prepare(ctx) {
      const { orgId, auth } = await orgWithToken(ctx, 'bench lookup');
      await must(ctx, 'POST', '/__admin/generate', { org_id: orgId, assets: 100_000 });
      return {
        method: 'GET',
        path: '/api/v1/assets?external_key=ASSET-0042&external_key=ASSET-50000&external_key=ASSET-99999&sort=-updated_at',
        headers: auth,
      };
    },
  },
  {
    name: 'trakrf: create asset (auto-minted key, one inline tag)',
    vendor: 'trakrf',
    target: 'throughput; keys stay an index lookup as the table grows',
    async prepare(ctx) {
      const { auth } = await orgWithToken(ctx, 'bench create');
      let i = 0;
      const body = () => JSON.stringify({ name: `Bench asset ${++i}`, tags: [{ tag_type: 'rfid', value: `BENCH-${i}` }] });
      return {
        method: 'POST',
        path: '/api/v1/assets',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: body(),
        next: () => ({ body: body() }),
      };
    },
  },
  {
    name: 'trakrf: asset history (first page) for an asset with 10,000 scans',
    vendor: 'trakrf',
    target: 'p50 independent of the history length',
    async prepare(ctx) {
      const { orgId, auth } = await orgWithToken(ctx, 'bench history');
      const json = { ...auth, 'Content-Type': 'application/json' };
      for (const key of ['DOCK-1', 'DOCK-2', 'DOCK-3']) await must(ctx, 'POST', '/api/v1/locations', { name: key, external_key: key }, json);
      const asset = await must(ctx, 'POST', '/api/v1/assets', { name: 'Tracked forklift' }, json);
      await must(ctx, 'POST', '/__admin/generate', { org_id: orgId, history: { asset_id: asset.data.id, scans: 10_000 } });
      return { method: 'GET', path: `/api/v1/assets/${asset.data.id}/history?limit=50`, headers: auth };
    },
  },
];
