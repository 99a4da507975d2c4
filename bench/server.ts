/**
 * The bench's server process: the fakes (startFakes) plus a bare Hono route that serves whatever body the runner
 * registers — the baseline each scenario is compared with, measured on the same machine in the same run.
 * Prints one JSON line {urls, bare} when ready.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
// The compiled code (npm run bench builds first): what ships, without the per-closure naming the TypeScript loader adds.
import { startFakes } from '../dist/index.js';

const config = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
const vendors = JSON.parse(process.env.BENCH_VENDORS ?? '[]');
const fakes = await startFakes({ vendors, config });
// The same vendors with the request journal off, for scenarios that measure what the journal costs.
const noJournal = await startFakes({ vendors, config, journalSize: 0 });

const bodies = new Map<string, { status: number; contentType: string; body: string }>();
const bare = new Hono();
bare.post('/__set/:id', async (c) => {
  bodies.set(c.req.param('id'), await c.req.json());
  return c.body(null, 204);
});
// CPU time of this process (fakes and bare route alike), so the runner can compare server cost per request.
bare.get('/__cpu', (c) => {
  const u = process.cpuUsage();
  return c.json({ us: u.user + u.system });
});
// Resident memory of this process (every fake plus the bare route), after a forced GC when node runs with --expose-gc.
bare.get('/__rss', (c) => {
  (globalThis as { gc?: () => void }).gc?.();
  return c.json({ rss: process.memoryUsage().rss });
});
// The same, broken down: V8 heap, memory outside it (SQLite pages, buffers), and what the journals hold.
bare.get('/__memory', (c) => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  let journal = 0;
  for (const f of [fakes, noJournal]) for (const v of vendors) journal += f.suite.instance(v).journal.bytes;
  return c.json({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, journal });
});
bare.all('/r/:id', (c) => {
  const b = bodies.get(c.req.param('id'))!;
  return c.body(b.body, b.status as 200, { 'Content-Type': b.contentType });
});
const server = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const port = (server.address() as AddressInfo).port;
  console.log(JSON.stringify({ urls: fakes.urls, urlsNoJournal: noJournal.urls, bare: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', async () => {
  await fakes.close();
  await noJournal.close();
  process.exit(0);
});
