/** GET /__health on every listener, reachable URLs in the banner, and a fast clean exit on SIGTERM/SIGINT. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, Agent } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakes, type RunningFakes } from '../../src/index.js';
import { runCli, startCli } from './helpers.js';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

const adminDoc = JSON.parse(readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false });
addFormats.default(ajv);
const documentedHealth = ajv.compile(adminDoc.paths['/__health'].get.responses['200'].content['application/json'].schema);

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({ vendors: ['maxtrax', 'trakrf'], config: { maxtrax: { tenantPorts: 'globex=0' } } });
});
afterAll(() => fakes.close());

/** A raw request, so that any Host can be sent. */
function raw(url: string, opts: { method?: string; host?: string; agent?: Agent } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.host ? { Host: opts.host } : {}, agent: opts.agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /__health', () => {
  it('answers 200 on every listener, any Host, before vendor code; lists vendors and listeners', async () => {
    const expected = {
      status: 'ready',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      vendors: ['maxtrax', 'trakrf'],
      listeners: [
        { vendor: 'maxtrax', url: fakes.urls.maxtrax, ready: true },
        { vendor: 'maxtrax', tenant: 'globex', url: fakes.listeners[1].url, ready: true },
        { vendor: 'trakrf', url: fakes.urls.trakrf, ready: true },
      ],
    };
    for (const l of fakes.listeners) {
      // initech is no MaxTrax tenant: any vendor path would be a 404 problem; health does not look at Host.
      for (const host of [undefined, 'initech.maxtrax.localhost', 'evil.example']) {
        const r = await raw(`${l.url}/__health?x=1`, { host });
        expect(r.status, `${l.url} ${host}`).toBe(200);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['cache-control']).toBe('no-store');
        expect(JSON.parse(r.body)).toEqual(expected);
        expect(documentedHealth(JSON.parse(r.body)), JSON.stringify(documentedHealth.errors)).toBe(true);
      }
    }
    const head = await raw(`${fakes.urls.trakrf}/__health`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('other methods are 405 in the control-plane shape; /__healthz and /__health/x are the vendor\'s', async () => {
    const r = await raw(`${fakes.urls.trakrf}/__health`, { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(r.body)).toEqual({ error: 'method not allowed: POST /__health (use GET)' });
    expect((await raw(`${fakes.urls.trakrf}/__healthz`)).status).toBe(404);
    expect((await raw(`${fakes.urls.trakrf}/__health/x`)).status).toBe(404);
  });

  it('--public-url: urls, listeners and /__health carry it with each port; a wildcard bind reports 127.0.0.1', async () => {
    const pub = await startFakes({ vendors: ['trakrf'], host: '0.0.0.0', publicUrl: 'http://fakes.internal/' });
    try {
      const port = pub.listeners[0].port;
      expect(pub.urls.trakrf).toBe(`http://fakes.internal:${port}`);
      const health = (await (await fetch(`http://127.0.0.1:${port}/__health`)).json()) as { listeners: Array<{ url: string }> };
      expect(health.listeners[0].url).toBe(`http://fakes.internal:${port}`);
    } finally {
      await pub.close();
    }
    const wild = await startFakes({ vendors: ['trakrf'], host: '0.0.0.0' });
    expect(wild.urls.trakrf).toBe(`http://127.0.0.1:${wild.listeners[0].port}`);
    await wild.close();
    await expect(startFakes({ vendors: ['trakrf'], publicUrl: 'http://x:1' })).rejects.toThrow(/^--public-url must be http\(s\):\/\/host without port or path/);
  });
});

describe('the CLI process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s with an open keep-alive connection: exit 0 in < 200 ms, ready file removed', async (signal) => {
    const readyFile = join(mkdtempSync(join(tmpdir(), 'vf-sig-')), 'ready.json');
    const cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0', '--ready-file', readyFile, '--quiet']);
    const base = cli.out().match(/TrakRF: (http:\/\/127\.0\.0\.1:\d+)/)![1];
    expect(JSON.parse(readFileSync(readyFile, 'utf8'))).toEqual({ pid: cli.child.pid, health: `${base}/__health`, urls: { trakrf: base } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await raw(`${base}/__health`, { agent })).status).toBe(200);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1); // the socket stays open
    const t0 = performance.now();
    cli.child.kill(signal);
    expect(await cli.exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(existsSync(readyFile)).toBe(false);
    agent.destroy();
  });

  it('a wildcard bind prints reachable URLs (never 0.0.0.0); --public-url prints those; healthcheck exits 0 while up, 1 after', async () => {
    const readyFile = join(mkdtempSync(join(tmpdir(), 'vf-hc-')), 'ready.json');
    const cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0', '--host', '0.0.0.0', '--public-url', 'http://localhost'], {
      VENDOR_FAKES_READY_FILE: readyFile,
    });
    expect(cli.out()).not.toMatch(/https?:\/\/0\.0\.0\.0/);
    expect(cli.out()).toMatch(/TrakRF: http:\/\/localhost:\d+ {3}\(control plane: http:\/\/localhost:\d+\/__admin\)/);
    expect(runCli(['healthcheck'], { VENDOR_FAKES_READY_FILE: readyFile }).status).toBe(0);
    cli.child.kill('SIGTERM');
    await cli.exited;
    const after = runCli(['healthcheck', '--ready-file', readyFile]);
    expect(after.status).toBe(1);
    expect(after.stderr).toBe(`vendor-fakes healthcheck: not ready (${readyFile} is missing or unreadable)\n`);
  });
});
