/** MaintainX bench scenarios (contract in bench/types.ts). */
import type { BenchScenario } from './types.js';

const KEY = 'mx_demo_acme_admin_4f1c2b7e9a0d';
const auth = { authorization: `Bearer ${KEY}` };

async function prepareLoad(ctx: Parameters<BenchScenario['prepare']>[0]): Promise<void> {
  const rl = await ctx.call('POST', '/__admin/rate-limit', { enabled: false });
  if (rl.status !== 200) throw new Error(`cannot switch rate limiting off: ${rl.status} ${rl.text}`);
}

export const scenarios: BenchScenario[] = [
  {
    name: 'maintainx GET /v1/workorders?limit=100 (100k work orders)',
    vendor: 'maintainx',
    async prepare(ctx) {
      await prepareLoad(ctx);
      const bulk = await ctx.call('POST', '/__admin/workorders/bulk', { organization_id: 1, count: 100_000 });
      if (bulk.status !== 201) throw new Error(`bulk generation failed: ${bulk.status} ${bulk.text}`);
      const probe = await ctx.call('GET', '/v1/workorders?limit=100', undefined, auth);
      if (probe.status !== 200 || probe.json.workOrders.length !== 100) throw new Error(`probe failed: ${probe.status}`);
      return { method: 'GET', path: '/v1/workorders?limit=100', headers: auth };
    },
  },
  {
    name: 'maintainx GET /v1/workorders/{id}',
    vendor: 'maintainx',
    async prepare(ctx) {
      await prepareLoad(ctx);
      const first = await ctx.call('GET', '/v1/workorders?limit=1', undefined, auth);
      return { method: 'GET', path: `/v1/workorders/${first.json.workOrders[0].id}`, headers: auth };
    },
  },
  {
    name: 'maintainx POST /v1/workorders',
    vendor: 'maintainx',
    baseline: false,
    async prepare(ctx) {
      await prepareLoad(ctx);
      let n = 0;
      return {
        method: 'POST',
        path: '/v1/workorders',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'bench' }),
        next: () => ({ body: JSON.stringify({ title: `bench ${++n}`, priority: 'LOW' }) }),
      };
    },
  },
];
