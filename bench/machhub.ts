/**
 * MACHHUB benchmarks: filtered getAll over a 100k-record collection (the acceptance scenario), its count twin, and
 * getOne, each reported as a ratio to a bare Hono route serving the same body.
 */
import type { BenchContext, BenchRequest, BenchScenario } from './types.js';

const DOMAIN = { Domain: 'domains:acme' };
const COLLECTION = 'bench_products';
const SIZE = 100_000;

async function ensureCollection(ctx: BenchContext): Promise<void> {
  const have = await ctx.call('GET', `/machhub/${COLLECTION}/count`, undefined, DOMAIN);
  if (have.status !== 200) throw new Error(`count failed: ${have.status} ${have.text}`);
  const missing = SIZE - (have.json.count as number);
  if (missing <= 0) return;
  const r = await ctx.call('POST', '/__admin/collections/generate', { domain: 'acme', collection: COLLECTION, count: missing });
  if (r.status !== 200) throw new Error(`generate failed: ${r.status} ${r.text}`);
}

const FILTER = new URLSearchParams({
  'filter[status][=][string]': 'active',
  'filter[price][>][number]': '100',
  'filter[inStock][=][boolean]': 'true',
  'filter_or[0][state][=][string]': 'open',
  'filter_or[1][state][=][string]': 'pending',
  limit: '20',
}).toString();

export const scenarios: BenchScenario[] = [
  {
    name: 'machhub getAll filtered (100k records, limit 20)',
    vendor: 'machhub',
    async prepare(ctx): Promise<BenchRequest> {
      await ensureCollection(ctx);
      return { method: 'GET', path: `/machhub/${COLLECTION}/all?${FILTER}`, headers: DOMAIN };
    },
  },
  {
    name: 'machhub getAll filtered + sorted (100k records, full scan, limit 20)',
    vendor: 'machhub',
    target: 'report only (full scan of 100k JSON documents)',
    async prepare(ctx): Promise<BenchRequest> {
      await ensureCollection(ctx);
      return { method: 'GET', path: `/machhub/${COLLECTION}/all?${FILTER}&sort=${encodeURIComponent('[price][desc]')}`, headers: DOMAIN };
    },
  },
  {
    name: 'machhub count filtered (100k records)',
    vendor: 'machhub',
    target: 'report only (full scan of 100k JSON documents)',
    async prepare(ctx): Promise<BenchRequest> {
      await ensureCollection(ctx);
      return { method: 'GET', path: `/machhub/${COLLECTION}/count?${FILTER.replace(/&limit=20$/, '')}`, headers: DOMAIN };
    },
  },
  {
    name: 'machhub getOne (100k records)',
    vendor: 'machhub',
    async prepare(ctx): Promise<BenchRequest> {
      await ensureCollection(ctx);
      const first = await ctx.call('GET', `/machhub/${COLLECTION}/all?limit=1`, undefined, DOMAIN);
      const id = first.json[0].id as { Table: string; ID: string };
      return { method: 'GET', path: `/machhub/${encodeURIComponent(`${id.Table}:${id.ID}`)}`, headers: DOMAIN };
    },
  },
];
