/** MaintainX bench scenarios (contract in bench/types.ts). */
import type { BenchContext, BenchScenario } from './types.js';

const KEY = 'mx_demo_acme_admin_4f1c2b7e9a0d';
const auth = { authorization: `Bearer ${KEY}` };

async function prepareLoad(ctx: Parameters<BenchScenario['prepare']>[0]): Promise<void> {
  const rl = await ctx.call('POST', '/__admin/rate-limit', { enabled: false });
  if (rl.status !== 200) throw new Error(`cannot switch rate limiting off: ${rl.status} ${rl.text}`);
}

async function must(ctx: BenchContext, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const r = await ctx.call(method, path, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** An organization of its own holding `n` generated work orders, and an admin key for it (made once per size). */
const orgs = new Map<number, Promise<{ headers: Record<string, string>; ids: number[] }>>();
function orgWith(ctx: BenchContext, n: number) {
  let made = orgs.get(n);
  if (!made) {
    made = (async () => {
      await prepareLoad(ctx);
      const org = await must(ctx, 'POST', '/__admin/organizations', { name: `bench ${n}` });
      const user = await must(ctx, 'POST', '/__admin/users', { organization_id: org.id, firstName: 'Bench', lastName: String(n), role: 'ADMIN' });
      const key = await must(ctx, 'POST', '/__admin/api-keys', { user_id: user.id });
      await must(ctx, 'POST', '/__admin/workorders/bulk', { organization_id: org.id, count: n });
      const headers = { authorization: `Bearer ${key.key}` };
      // The first and the last work order bound the ids the scenarios below pick from.
      const first = await must(ctx, 'GET', '/v1/workorders?limit=1', undefined, headers);
      const last = await must(ctx, 'GET', '/v1/workorders?limit=1&sort=-createdAt', undefined, headers);
      return { headers, ids: [first.workOrders[0].id, last.workOrders[0].id] };
    })();
    orgs.set(n, made);
  }
  return made;
}

/** The opaque cursor after work order `id` in the default (id) order: what `nextCursor` holds. */
const cursorAfter = (id: number) => Buffer.from(JSON.stringify(['id', id, id]), 'utf8').toString('base64url');

function sized(n: number): BenchScenario[] {
  const label = n === 100_000 ? '100k' : `${n / 1000}k`;
  const target = n === 100_000 ? '≥ 50% of bare; p50 within 2× of the 1k case' : 'reference for the 100k case';
  return [
    {
      name: `maintainx GET /v1/workorders?limit=100, organization with ${label} work orders`,
      vendor: 'maintainx',
      target,
      async prepare(ctx) {
        const { headers } = await orgWith(ctx, n);
        return { method: 'GET', path: '/v1/workorders?limit=100', headers };
      },
    },
    {
      name: `maintainx GET /v1/workorders/{id}, organization with ${label} work orders`,
      vendor: 'maintainx',
      target,
      async prepare(ctx) {
        const { headers, ids } = await orgWith(ctx, n);
        return { method: 'GET', path: `/v1/workorders/${Math.floor((ids[0] + ids[1]) / 2)}`, headers };
      },
    },
    {
      // Every request a page not served before (a cursor anywhere in the organization): what the query and the
      // encoding cost without the memo; a deep page must cost what page 1 does.
      name: `maintainx GET /v1/workorders?limit=100&cursor=… at every depth (uncached pages), ${label} work orders`,
      vendor: 'maintainx',
      baseline: false,
      target: n === 100_000 ? 'p50 within 2× of the 1k case' : 'reference for the 100k case',
      async prepare(ctx) {
        const { headers, ids } = await orgWith(ctx, n);
        const [lo, hi] = ids;
        let i = 0;
        // A fixed stride through the id range: every page differs, deep and shallow alike.
        const next = () => ({ path: `/v1/workorders?limit=100&cursor=${cursorAfter(lo + ((i++ * 7919) % Math.max(1, hi - lo - 100)))}` });
        return { method: 'GET', path: next().path, headers, next };
      },
    },
  ];
}

export const scenarios: BenchScenario[] = [
  {
    name: 'maintainx GET /v1/workorders?limit=100 (100k work orders)',
    vendor: 'maintainx',
    target: '≥ 50% of bare',
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
    target: '≥ 50% of bare',
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
  ...sized(1_000),
  ...sized(100_000),
];
