/**
 * MACHHUB benchmarks: filtered (and sorted) getAll over a 100k-record collection (the acceptance scenario), its count
 * twin, and getOne, each beside the same request at 1k records and reported as a ratio to a bare Hono route serving
 * the same body; the list with a Bearer token; a count right after a write; plus the one-time cost of the first query
 * on new fields (it builds their indexes).
 */
import mqtt from 'mqtt';
import type { BenchContext, BenchRequest, BenchScenario } from './types.js';
import { firstSignIns } from './signin.js';

const DOMAIN = { Domain: 'domains:acme' };

/** A generated collection of `size` records (created once per bench run). */
async function ensureCollection(ctx: BenchContext, collection: string, size: number): Promise<void> {
  const have = await ctx.call('GET', `/machhub/${collection}/count`, undefined, DOMAIN);
  if (have.status !== 200) throw new Error(`count failed: ${have.status} ${have.text}`);
  const missing = size - (have.json.count as number);
  if (missing <= 0) return;
  const r = await ctx.call('POST', '/__admin/collections/generate', { domain: 'acme', collection, count: missing });
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
const SORT = `sort=${encodeURIComponent('[price][desc]')}`;

/**
 * The first query on a field builds its index (once per collection): timed here, on its own, so the scenarios
 * below measure the steady state (the first scenario runs it before the others on the 100k collection).
 */
async function firstQueryMs(ctx: BenchContext, collection: string, query: string): Promise<number> {
  const started = performance.now();
  const r = await ctx.call('GET', `/machhub/${collection}/all?${query}`, undefined, DOMAIN);
  if (r.status !== 200) throw new Error(`list failed: ${r.status} ${r.text}`);
  return performance.now() - started;
}

/** A signed-in caller's headers (the demo admin's token): the authenticated form of the scenarios. */
async function signedIn(ctx: BenchContext): Promise<Record<string, string>> {
  const r = await ctx.call('POST', '/machhub/auth/login', { username: 'admin', password: 'admin' });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return { ...DOMAIN, Authorization: `Bearer ${r.json.tkn as string}` };
}

/**
 * A count right after a write to the collection (a record created, then the filtered count), `n` times: the write
 * drops the collection's memoized answers, so this is what a client polling a count after its own writes sees.
 */
async function countAfterWrite(ctx: BenchContext, collection: string, n: number): Promise<string> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = await ctx.call('POST', `/machhub/${collection}`, { status: i % 2 ? 'active' : 'retired', price: 150, inStock: true, state: 'open' }, DOMAIN);
    if (w.status !== 200) throw new Error(`create failed: ${w.status} ${w.text}`);
    const started = performance.now();
    const r = await ctx.call('GET', `/machhub/${collection}/count?${FILTER.replace(/&limit=20$/, '')}`, undefined, DOMAIN);
    ms.push(performance.now() - started);
    if (r.status !== 200) throw new Error(`count failed: ${r.status} ${r.text}`);
  }
  ms.sort((a, b) => a - b);
  return `count right after a create: p50 ${ms[n >> 1].toFixed(2)} ms, max ${ms[n - 1].toFixed(2)} ms (${n} writes)`;
}

function sized(label: string, collection: string, size: number): BenchScenario[] {
  const ready = (ctx: BenchContext) => ensureCollection(ctx, collection, size);
  return [
    {
      name: `machhub getAll filtered (${label} records, limit 20)`,
      vendor: 'machhub',
      target: '≥ 50% of bare; p50 within 2× of 1k',
      async prepare(ctx): Promise<BenchRequest> {
        await ready(ctx);
        return { method: 'GET', path: `/machhub/${collection}/all?${FILTER}`, headers: DOMAIN };
      },
    },
    {
      name: `machhub getAll filtered + sorted (${label} records, limit 20)`,
      vendor: 'machhub',
      target: 'p50 ≤ 20 ms',
      async prepare(ctx): Promise<BenchRequest> {
        await ready(ctx);
        return { method: 'GET', path: `/machhub/${collection}/all?${FILTER}&${SORT}`, headers: DOMAIN };
      },
    },
    {
      name: `machhub count filtered (${label} records)`,
      vendor: 'machhub',
      target: 'p50 ≤ 20 ms',
      async prepare(ctx): Promise<BenchRequest> {
        await ready(ctx);
        return { method: 'GET', path: `/machhub/${collection}/count?${FILTER.replace(/&limit=20$/, '')}`, headers: DOMAIN };
      },
    },
    {
      name: `machhub getOne (${label} records)`,
      vendor: 'machhub',
      target: '≥ 50% of bare; p50 within 2× of 1k',
      async prepare(ctx): Promise<BenchRequest> {
        await ready(ctx);
        const first = await ctx.call('GET', `/machhub/${collection}/all?limit=1`, undefined, DOMAIN);
        const id = first.json[0].id as { Table: string; ID: string };
        return { method: 'GET', path: `/machhub/${encodeURIComponent(`${id.Table}:${id.ID}`)}`, headers: DOMAIN };
      },
    },
  ];
}

/** A report-only scenario on the 100k collection: `measure` instead of a load run. */
function measured(name: string, measure: (ctx: BenchContext) => Promise<string>): BenchScenario {
  return {
    name,
    vendor: 'machhub',
    target: 'report only',
    async prepare(): Promise<BenchRequest> {
      return { path: '/machhub/' };
    },
    async measure(ctx): Promise<string> {
      await ensureCollection(ctx, 'bench_products', 100_000);
      return measure(ctx);
    },
  };
}

/** The authenticated (Bearer) form of the hot list, at 100k records. */
const authenticated: BenchScenario = {
  name: 'machhub getAll filtered, Bearer token (100k records, limit 20)',
  vendor: 'machhub',
  target: '≥ 50% of bare',
  async prepare(ctx): Promise<BenchRequest> {
    await ensureCollection(ctx, 'bench_products', 100_000);
    return { method: 'GET', path: `/machhub/bench_products/all?${FILTER}`, headers: await signedIn(ctx) };
  },
};

export const scenarios: BenchScenario[] = [
  measured('machhub first filtered + sorted query on new fields (100k records: builds 4 field indexes)', async (ctx) => {
    const first = await firstQueryMs(ctx, 'bench_products', `${FILTER}&${SORT}`);
    const second = await firstQueryMs(ctx, 'bench_products', `${FILTER}&${SORT}`);
    return `first ${first.toFixed(0)} ms (index builds), then ${second.toFixed(1)} ms`;
  }),
  ...sized('100k', 'bench_products', 100_000),
  ...sized('1k', 'bench_products_1k', 1_000),
  authenticated,
  {
    name: 'machhub POST /machhub/auth/login, the same user again (password verified before)',
    vendor: 'machhub',
    target: 'report only',
    bound: 'HMAC signing of the token (the password was verified by scrypt once, then remembered)',
    async prepare(): Promise<BenchRequest> {
      return { method: 'POST', path: '/machhub/auth/login', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator' }) };
    },
  },
  {
    name: 'machhub POST /machhub/auth/login, first sign-in (one scrypt, N=2^15)',
    vendor: 'machhub',
    target: 'report only',
    async prepare(): Promise<BenchRequest> {
      return { path: '/machhub/' };
    },
    measure: (ctx) => firstSignIns(ctx, '/machhub/auth/login', () => ({ username: 'operator', password: 'not-the-password' })),
  },
  measured('machhub count right after a write (100k records)', (ctx) => countAfterWrite(ctx, 'bench_products', 20)),
  {
    name: 'machhub MQTT publish → deliver (one subscriber, the SDK options: QoS 2, retain, over WebSocket)',
    vendor: 'machhub',
    target: 'report only',
    async prepare(): Promise<BenchRequest> {
      return { path: '/machhub/' };
    },
    async measure(ctx): Promise<string> {
      const url = `${ctx.url.replace(/^http/, 'ws')}/mqtt`;
      const opts = { protocolVersion: 5 as const, username: 'mch_developer_key', password: 'mchx_ABCDEFGHIJKLsecret' };
      const sub = await mqtt.connectAsync(url, opts);
      const pub = await mqtt.connectAsync(url, opts);
      const topic = 'Bench/Line1/Speed';
      await sub.subscribeAsync(topic, { qos: 2 });
      const send = (i: number) => pub.publishAsync(topic, JSON.stringify({ i, t: performance.now() }), { qos: 2, retain: true, properties: { contentType: 'json' } });
      let onMessage: (i: number, t: number) => void = () => {};
      sub.on('message', (_topic, payload) => {
        const m = JSON.parse(payload.toString()) as { i: number; t: number };
        onMessage(m.i, m.t);
      });
      // Latency: one message at a time, publish → delivery.
      const latencies: number[] = [];
      for (let i = 0; i < 300; i++) {
        const got = new Promise<void>((resolve) => (onMessage = (_i, t) => (latencies.push(performance.now() - t), resolve())));
        await send(i);
        await got;
      }
      latencies.sort((a, b) => a - b);
      // Throughput: 5000 messages published back to back, until the subscriber has them all.
      const N = 5000;
      let received = 0;
      const all = new Promise<void>((resolve) => (onMessage = () => ++received === N && resolve()));
      const started = performance.now();
      await Promise.all(Array.from({ length: N }, (_, i) => send(i)));
      await all;
      const seconds = (performance.now() - started) / 1000;
      await sub.endAsync();
      await pub.endAsync();
      return `${(N / seconds).toFixed(0)} msg/s delivered, latency p50 ${latencies[150].toFixed(2)} ms, p99 ${latencies[296].toFixed(2)} ms`;
    },
  },
];
