/**
 * The bench's server process: the fakes (startFakes) plus a bare Hono route that serves whatever body the runner
 * registers — the baseline each scenario is compared with, measured on the same machine in the same run.
 * Prints one JSON line {urls, urlsNoJournal, bare, storage} when ready.
 *
 * The scenarios grow 100k-row tables, so by default each suite keeps its data the way a user with that much data
 * does: file-backed WAL SQLite under a temporary `--data-dir` (pages in the OS page cache, SQLite's own cache
 * bounded), removed on exit. BENCH_STORAGE=memory keeps everything in memory instead (the default of the CLI).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
// The compiled code (npm run bench builds first): what ships, without the per-closure naming the TypeScript loader adds.
import { startFakes } from '../dist/index.js';

const config = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
const vendors: string[] = JSON.parse(process.env.BENCH_VENDORS ?? '[]');
/** Only the vendors of scenarios that measure what the journal costs (their demo data, nothing generated). */
const noJournalVendors: string[] = JSON.parse(process.env.BENCH_VENDORS_NO_JOURNAL ?? '[]');
const inMemory = process.env.BENCH_STORAGE === 'memory';
const dirs: string[] = [];
const dataDir = (): string | undefined => {
  if (inMemory) return undefined;
  dirs.push(mkdtempSync(join(tmpdir(), 'vendor-fakes-bench-')));
  return dirs[dirs.length - 1];
};
const removeDirs = () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
const fakes = await startFakes({ vendors, config, dataDir: dataDir() });
// The journal-cost vendors again with the request journal off, on the same kind of storage.
const noJournal = noJournalVendors.length ? await startFakes({ vendors: noJournalVendors, config, journalSize: 0, dataDir: dataDir() }) : null;
const suites = noJournal ? [fakes, noJournal] : [fakes];

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
// The same, broken down: V8 heap (used, committed), memory outside it (SQLite pages, buffers), what the journals hold,
// and (Linux) the anonymous part of RSS (the rest is code and mapped files).
bare.get('/__memory', (c) => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  let journal = 0;
  for (const f of suites) for (const i of f.suite.instances.values()) journal += i.journal.bytes;
  let anonymous: number | undefined;
  try {
    anonymous = Number(/^Anonymous:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1]) * 1024 || undefined;
  } catch {
    // Not Linux.
  }
  return c.json({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, journal, anonymous });
});
bare.all('/r/:id', (c) => {
  const b = bodies.get(c.req.param('id'))!;
  return c.body(b.body, b.status as 200, { 'Content-Type': b.contentType });
});
const server = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const port = (server.address() as AddressInfo).port;
  const storage = inMemory ? 'in-memory SQLite' : 'file-backed WAL SQLite under a temporary --data-dir';
  console.log(JSON.stringify({ urls: fakes.urls, urlsNoJournal: noJournal?.urls ?? {}, bare: `http://127.0.0.1:${port}`, storage }));
});
process.on('exit', removeDirs);
process.on('SIGTERM', async () => {
  for (const f of suites) await f.close();
  process.exit(0);
});
