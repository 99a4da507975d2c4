import type { BenchContext, BenchScenario } from './types.js';
import { readFileSync } from 'node:fs';

/** Vendor options for the bench server: the per-key limiter would turn a load test into 429s. */
export const config = { trakrf: { rateLimit: false } };

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/trakrf.json', import.meta.url), 'utf8'));
const full = fixtures.orgs[0].api_keys.find((k: { name: string }) => k.name === 'demo-full');
const exchangeBody = JSON.stringify({ grant_type: 'client_credentials', client_id: full.client_id, client_secret: full.client_secret });

async function bearer(ctx: BenchContext): Promise<Record<string, string>> {
  const res = await ctx.call('POST', '/api/v1/oauth/token', exchangeBody);
  return { Authorization: `Bearer ${res.json.access_token}` };
}

export const scenarios: BenchScenario[] = [
  {
    name: 'authenticated GET /api/v1/assets?limit=50',
    vendor: 'trakrf',
    target: '≥ 50% of bare route',
    async prepare(ctx) {
      return { path: '/api/v1/assets?limit=50', headers: await bearer(ctx) };
    },
  },
  {
    name: 'token exchange (client_credentials)',
    vendor: 'trakrf',
    async prepare() {
      return { method: 'POST', path: '/api/v1/oauth/token', headers: { 'Content-Type': 'application/json' }, body: exchangeBody };
    },
  },
];
