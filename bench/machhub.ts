/**
 * MACHHUB benchmarks: filtered getAll over a 100k-record collection (the acceptance scenario), its count twin, and
 * getOne, each reported as a ratio to a bare Hono route serving the same body.
 */
import mqtt from 'mqtt';
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
