/**
 * npm run bench — throughput of each vendor scenario as a ratio to a bare Hono route serving the same response
 * (measured in the same run, since these machines are noisy), plus absolute start-up and reset times.
 * Usage: npm run bench [-- --only trakrf,maintainx] [--grep 'GET /api/v1/assets'] [--seconds 2] [--rounds 3]
 *   [--profile DIR]  (writes a V8 CPU profile of the server process to DIR)
 *   [--in-memory]    (the scenarios' suites in memory instead of on a temporary --data-dir, see bench/server.ts)
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchScenario } from './types.js';
import { demoToken } from './trakrf.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = flag('only')?.split(',');
/** Only the scenarios whose name contains this text (`a|b`: either). */
const grep = flag('grep');
const defaultSeconds = Number(flag('seconds') ?? 2);
/** Alternating measurement rounds per scenario (fake, bare, fake, bare, …); the medians are compared. */
const ROUNDS = Number(flag('rounds') ?? 3);
const inMemory = args.includes('--in-memory');
/**
 * glibc raises its mmap threshold to the size of the largest mapped block freed so far (up to 32 MiB; scrypt's work
 * buffer is sized past that, see core/passwords.ts). The memory line says which allocator settings the server (which
 * inherits the environment) ran with.
 */
const allocator = process.env.MALLOC_MMAP_THRESHOLD_ ? `MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_}` : 'glibc defaults';
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

// ---- scenarios: bench/<vendor>.ts export `scenarios` ----------------------------------------------------------
const scenarios: BenchScenario[] = [];
const config: Record<string, Record<string, unknown>> = {};
const files = readdirSync(here).filter((f) => /^[a-z]+\.ts$/.test(f) && !['run.ts', 'server.ts', 'types.ts'].includes(f));
for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as {
    scenarios?: BenchScenario[];
    /** Vendor options for the bench server, e.g. rate limits off. */
    config?: Record<string, Record<string, unknown>>;
  };
  for (const s of mod.scenarios ?? []) if ((!only || only.includes(s.vendor)) && (!grep || grep.split('|').some((g) => s.name.includes(g)))) scenarios.push(s);
  for (const [v, c] of Object.entries(mod.config ?? {})) config[v] = { ...config[v], ...c };
}
const vendors = [...new Set(scenarios.map((s) => s.vendor))];
const noJournalVendors = [...new Set(scenarios.filter((s) => s.journalOff).map((s) => s.vendor))];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- start-up time: process start → every listener ready (the real CLI, compiled) -------------------------------
/**
 * Wall time to the ready line, and the process's resident memory then (Linux: /proc; else NaN). `then` runs against
 * the started CLI (its listener URLs) before it is stopped.
 */
async function startup(then?: (urls: Record<string, string>) => Promise<void>): Promise<{ ms: number; rssMb: number }> {
  const readyFile = join(tmpdir(), `vendor-fakes-bench-${process.pid}.json`);
  const started = performance.now();
  // Every listener on a free port (the console's default 4000 may be taken by another run on this machine).
  const ports = ['--console-port', '0', ...vendors.flatMap((v) => [`--${v}-port`, '0'])];
  const child = spawn(process.execPath, ['dist/cli.js', '--quiet', '--ready-file', readyFile, ...ports], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (line.includes(' ready (')) break;
  const ms = performance.now() - started;
  const status = `/proc/${child.pid}/status`;
  const kb = existsSync(status) ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1]) : NaN;
  try {
    await then?.((JSON.parse(readFileSync(readyFile, 'utf8')) as { urls: Record<string, string> }).urls);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  return { ms, rssMb: kb / 1024 };
}

/**
 * Reset, per-tenant reset, snapshot restore and sandbox creation at demo size, against the CLI as a user starts it
 * (demo data, in memory): the state operations tests run between cases.
 */
async function stateTimings(urls: Record<string, string>): Promise<void> {
  const where = 'CLI, demo data, in memory';
  // Snapshots and sandboxes (issue 13 §3–4): restore at demo size, sandbox creation at demo size.
  for (const v of vendors) {
    const ctx = contextFor(urls[v]);
    await ctx.call('POST', '/__admin/snapshots', { name: 'bench' });
    const restores: number[] = [];
    for (let i = 0; i < 20; i++) restores.push((await ctx.call('POST', '/__admin/snapshots/bench/restore')).json.ms);
    report(`${v}: snapshot restore (${where}), median of 20: ${median(restores).toFixed(2)} ms   [target ≤ 10 ms]`);
    const creates: number[] = [];
    for (let i = 0; i < 10; i++) creates.push((await ctx.call('POST', '/__admin/sandboxes')).json.ms);
    report(`${v}: sandbox creation (${where}), median of 10: ${median(creates).toFixed(2)} ms   [target ≤ 20 ms]`);
    await ctx.call('POST', '/__admin/reset');
  }
  for (const v of vendors) {
    const ctx = contextFor(urls[v]);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push((await ctx.call('POST', '/__admin/reset')).json.ms);
    report(`${v}: reset to the seeded state (${where}), median of 20: ${median(times).toFixed(2)} ms   [target ≤ 10 ms]`);
    // Per-tenant reset (issue 11 #10): the first tenant GET /__admin lists, back to its seeded rows.
    const tenant = ((await ctx.call('GET', '/__admin')).json.tenants as Array<{ id: string | number }> | undefined)?.[0]?.id;
    if (tenant !== undefined) {
      const per: number[] = [];
      for (let i = 0; i < 20; i++) per.push((await ctx.call('POST', '/__admin/reset', { tenant: String(tenant) })).json.ms);
      report(`${v}: per-tenant reset (tenant ${tenant}; ${where}), median of 20: ${median(per).toFixed(2)} ms   [target ≤ 10 ms]`);
    }
  }
}

// ---- the server process --------------------------------------------------------------------------------------
const serverScript = join(here, 'server.tmp.mjs');

async function startServer(): Promise<{ child: ChildProcess; urls: Record<string, string>; urlsNoJournal: Record<string, string>; bare: string; storage: string }> {
  const profile = flag('profile');
  // Plain node on server.ts transpiled beside itself (*.tmp.mjs is git-ignored): the tsx loader would add its own
  // worker thread (~30 MB) to the server's resident memory, which the bench reports as the suite's.
  const ts = (await import('typescript')).default;
  const compiled = ts.transpileModule(readFileSync(join(here, 'server.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  writeFileSync(serverScript, compiled);
  const child = spawn(process.execPath, ['--expose-gc', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), serverScript], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      BENCH_CONFIG: JSON.stringify(config),
      BENCH_VENDORS: JSON.stringify(vendors),
      BENCH_VENDORS_NO_JOURNAL: JSON.stringify(noJournalVendors),
      BENCH_STORAGE: inMemory ? 'memory' : 'data-dir',
    },
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) return { child, ...JSON.parse(line) };
  throw new Error('bench server did not start');
}

function contextFor(url: string): BenchContext {
  return {
    url,
    async call(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    },
  };
}

let cpuUrl = '';
const serverCpuUs = async (): Promise<number> => ((await (await fetch(cpuUrl)).json()) as { us: number }).us;

async function load(url: string, req: { method?: string; path: string; headers?: Record<string, string>; body?: string; next?: () => any }, seconds: number) {
  const cpuBefore = await serverCpuUs();
  const result = await autocannon({
    url: url + req.path,
    connections: 16,
    duration: seconds,
    method: req.method ?? 'GET',
    headers: req.headers,
    body: req.body,
    requests: req.next
      ? [{ method: req.method ?? 'GET', path: req.path, headers: req.headers, setupRequest: (r: any) => ({ ...r, ...req.next!() }) }]
      : undefined,
  });
  const cpu = (await serverCpuUs()) - cpuBefore;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    /** Server CPU (user + system) per request, µs: what the server spends, whatever the load generator costs. */
    cpuPerReq: cpu / Math.max(1, result.requests.total),
  };
}

/** The goal beside every scenario line (issue 15): its target, or that it is only reported; what bounds it. */
const goal = (s: BenchScenario) => `${s.bound ? `; bounded by ${s.bound}` : ''}   [${s.target ? `target ${s.target}` : 'no target: reported'}]`;

const rows: string[] = [];
const report = (line: string) => {
  rows.push(line);
  console.log(line);
};

const startups: Array<{ ms: number; rssMb: number }> = [];
for (let i = 0; i < 5; i++) startups.push(await startup());
report(
  `start-up (process start → ${vendors.join(', ')} listening; demo data, in memory), median of 5: ${median(startups.map((s) => s.ms)).toFixed(0)} ms; RSS then ${median(startups.map((s) => s.rssMb)).toFixed(0)} MB   [target ≤ 500 ms]`,
);

await startup(stateTimings);

const server = await startServer();
report(`storage of the suites below: ${server.storage}${server.storage.includes('data-dir') ? ' (--in-memory: everything in memory)' : ''}`);
cpuUrl = `${server.bare}/__cpu`;
const bareUrl = server.bare;
try {
  let n = 0;
  for (const s of scenarios) {
    const url = s.journalOff ? server.urlsNoJournal[s.vendor] : server.urls[s.vendor];
    const ctx = contextFor(url);
    const req = await s.prepare(ctx);
    if (s.measure) {
      report(`${s.vendor}: ${s.name}: ${await s.measure(ctx)}${goal(s)}`);
      continue;
    }
    const seconds = s.seconds ?? defaultSeconds;
    const sample = await ctx.call(req.method ?? 'GET', req.path, req.body, req.headers);
    if (sample.status >= 400) throw new Error(`${s.name}: sample request failed with ${sample.status}: ${sample.text.slice(0, 300)}`);
    const bareReq = { method: req.method, path: '', body: req.body, headers: req.headers };
    if (s.baseline !== false) {
      const id = String(++n);
      await fetch(`${server.bare}/__set/${id}`, {
        method: 'POST',
        body: JSON.stringify({ status: sample.status, contentType: sample.headers.get('content-type') ?? 'application/json', body: sample.text }),
      });
      bareReq.path = `/r/${id}`;
    }
    // Warm both up, then alternate short rounds (fake, bare, fake, bare, …) and compare medians: this machine is
    // noisy, and a drift during one long run would otherwise land on one side only.
    await load(url, req, 1);
    if (bareReq.path) await load(server.bare, bareReq, 1);
    const fakes: Awaited<ReturnType<typeof load>>[] = [];
    const bares: Awaited<ReturnType<typeof load>>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      fakes.push(await load(url, req, seconds));
      if (bareReq.path) bares.push(await load(server.bare, bareReq, seconds));
    }
    const mid = <T,>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];
    const fake = mid(fakes, (x) => x.rps);
    let line = `${s.vendor}: ${s.name}: ${fake.rps.toFixed(0)} req/s, p50 ${fake.p50} ms, p99 ${fake.p99} ms`;
    const non2xx = fakes.reduce((a, x) => a + x.non2xx, 0);
    const errors = fakes.reduce((a, x) => a + x.errors, 0);
    if (non2xx || errors) line += ` (non-2xx ${non2xx}, errors ${errors})`;
    const fakeCpu = mid(fakes, (x) => x.cpuPerReq).cpuPerReq;
    if (bares.length) {
      const bare = mid(bares, (x) => x.rps);
      const bareCpu = mid(bares, (x) => x.cpuPerReq).cpuPerReq;
      line += `; bare route ${bare.rps.toFixed(0)} req/s → ${((100 * fake.rps) / bare.rps).toFixed(0)}% of bare`;
      line += `; server CPU/request ${fakeCpu.toFixed(0)} µs vs ${bareCpu.toFixed(0)} µs → capacity ${((100 * bareCpu) / fakeCpu).toFixed(0)}% of bare`;
    } else {
      line += `; server CPU/request ${fakeCpu.toFixed(0)} µs`;
    }
    report(line + goal(s));
  }
  await craftedRequests(server);
} finally {
  server.child.kill('SIGTERM');
  rmSync(serverScript, { force: true });
}
console.log('\nSummary\n' + rows.map((r) => '  ' + r).join('\n'));

/**
 * Bounded memory (issue 11 #8): requests crafted to grow a cache or a per-key map — a new SQL text per request (TrakRF
 * sort combinations, MaintainX repeated enum filters), a rate-limit window per invalid token (MaintainX), a table per
 * collection name (MACHHUB, capped) — and the server's RSS before and after. Unbounded, 2,000 such requests grew the
 * process by ≈ 400 MB.
 */
async function craftedRequests(server: { urls: Record<string, string>; bare: string; storage: string }): Promise<void> {
  const rss = async () => ((await (await fetch(`${server.bare}/__rss`)).json()) as { rss: number }).rss / 2 ** 20;
  const N = 2000;
  const before = await rss();
  const sent: string[] = [];
  const send = async (url: string, init: RequestInit = {}) => void (await (await fetch(url, init)).arrayBuffer());
  const fields = ['name', '-name', 'external_key', '-external_key', 'created_at', '-created_at', 'updated_at', '-updated_at'];
  if (server.urls.trakrf) {
    const headers = await demoToken(contextFor(server.urls.trakrf));
    for (let i = 0; i < N; i++) {
      // A different combination of sort terms each time (every one a distinct SQL text before the LRU).
      const sort = fields.filter((_, b) => (i >> b) & 1).concat(fields[i % fields.length]).join(',');
      await send(`${server.urls.trakrf}/api/v1/assets?limit=1&sort=${sort}&q=${i}`, { headers });
    }
    sent.push(`${N} TrakRF sort/q combinations`);
  }
  if (server.urls.maintainx) {
    for (let i = 0; i < 10 * N; i++) await send(`${server.urls.maintainx}/v1/users`, { headers: { Authorization: `Bearer mx_invalid_${i}` } });
    sent.push(`${10 * N} MaintainX invalid tokens`);
  }
  if (server.urls.machhub) {
    for (let i = 0; i < N / 4; i++) {
      await send(`${server.urls.machhub}/machhub/crafted_${i}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":1}' });
    }
    sent.push(`${N / 4} MACHHUB collection names`);
  }
  const after = await rss();
  report(`memory: RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB after ${sent.join(', ')}   [target: bounded]`);

  // Sustained large bodies (issue 13 §1): 64 KiB requests, recorded with their bodies, against every vendor's
  // journal; its byte budget (--journal-max-bytes, 16 MiB per vendor) bounds what they hold.
  const body = JSON.stringify({ name: 'x'.repeat(64 * 1024) });
  const paths: Record<string, string> = { trakrf: '/api/v1/assets', maintainx: '/v1/workorders', maxtrax: '/auth/login', machhub: '/auth/login' };
  const big = vendors.filter((v) => paths[v]);
  const beforeBodies = await rss();
  for (let i = 0; i < 1000; i++) {
    await Promise.all(big.map((v) => send(`${server.urls[v]}${paths[v]}?i=${i}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })));
  }
  const m = await memory();
  report(
    `memory: RSS ${beforeBodies.toFixed(0)} MB → ${mb(m.rss)} MB after 1,000 requests with 64 KiB bodies to each of ${big.join(', ')}; journals hold ${mb(m.journal)} MB   [target: journal ≤ 16 MiB per vendor]`,
  );
  // Right after that burst V8 still holds the pages its garbage was in: it gives them back once the process idles, in
  // steps (its memory reducer first acts some 8 s after allocation slows down). The figure at rest is what the suite
  // keeps: sampled each second for at least 20 s, until RSS has not dropped by 1 % over the last 10 s (≤ 40 s).
  const samples = [m];
  const started = performance.now();
  while (samples.length < 41) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push(await memory());
    if (samples.length > 20 && samples[samples.length - 1].rss > samples[samples.length - 11].rss * 0.99) break;
  }
  const rest = samples[samples.length - 1];
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  report(
    `memory: whole suite after the bench (${server.storage}): RSS ${mb(m.rss)} MB right after the last request (${breakdown(m)}); ` +
      `at rest ${seconds} s later: RSS ${mb(rest.rss)} MB (${breakdown(rest)}); allocator: ${allocator}   [target ≤ 300 MB]`,
  );
}

type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; journal: number; anonymous?: number };

function breakdown(m: Memory): string {
  const parts = [`V8 heap ${mb(m.heapUsed)} MB used of ${mb(m.heapTotal)} MB`, `buffers ${mb(m.arrayBuffers)} MB`, `journals ${mb(m.journal)} MB`];
  // Anonymous memory outside V8: SQLite page caches, buffers, and what malloc keeps of freed memory; the rest of RSS is code and mapped files.
  if (m.anonymous !== undefined) parts.push(`native outside V8 ${mb(m.anonymous - m.heapTotal)} MB`, `code and mapped files ${mb(m.rss - m.anonymous)} MB`);
  return parts.join(', ');
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
async function memory(): Promise<Memory> {
  return (await (await fetch(`${bareUrl}/__memory`)).json()) as Memory;
}
