/** The CLI as a user runs it: starts, prints URLs and demo credentials, exits cleanly; one-line errors. */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = ['--import', 'tsx', 'src/cli.ts'];
const run = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 20_000 });

describe('vendor-fakes CLI', () => {
  it('starts, prints base URLs and demo credentials, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [...CLI, 'serve', '--vendors', 'trakrf', '--trakrf-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/TrakRF: (http:\/\/127\.0\.0\.1:\d+)/);
        if (m && out.includes('client_secret=')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect(out).toMatch(/vendor-fakes \d+\.\d+\.\d+ ready \(seed 42, in-memory SQLite\)/);
    expect(out).toContain('full scope (org 1, assets:read assets:write locations:read locations:write tracking:read)');
    const res = await fetch(`${url}/healthz`, { headers: { 'X-Request-ID': 'cli-test-1' } });
    expect(res.status).toBe(200);
    // One log line per request: vendor, method, path, status, duration, request id (stdout is read asynchronously).
    const line = /^trakrf GET \/healthz 200 \d+\.\dms cli-test-1$/m;
    for (let i = 0; i < 100 && !line.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(line);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('a port in use → one line on stderr, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(['--vendors', 'trakrf', '--trakrf-port', String(port)]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`vendor-fakes: cannot listen on 127.0.0.1:${port}: address already in use`);
    } finally {
      blocker.close();
    }
  });

  it('a bad fixture file → one line, exit 1, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-fx-'));
    try {
      writeFileSync(join(dir, 'trakrf.json'), '{"anchor": "2026-01-01T00:00:00Z", "orgs": [{"id": 0}]}');
      let r = run(['--vendors', 'trakrf', '--fixtures', dir, '--trakrf-port', '0']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe('vendor-fakes: orgs[0].id must be an integer ≥ 1');
      writeFileSync(join(dir, 'trakrf.json'), '{not json');
      r = run(['--vendors', 'trakrf', '--fixtures', dir, '--trakrf-port', '0']);
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toContain('trakrf.json: not valid JSON');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--bogus'], 'vendor-fakes: unknown option: --bogus (see --help)'],
    [['--trakrf-port', 'x'], 'vendor-fakes: --trakrf-port must be an integer from 0 to 65535'],
    [['--vendors', 'nope'], 'vendor-fakes: unknown vendor: nope'],
    [['--seed'], 'vendor-fakes: --seed needs a value'],
  ])('bad flags %j → one line, exit 1', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().startsWith(message)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help lists the options', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--trakrf-port N');
    expect(r.stdout).toContain('--data-dir DIR');
  });
});
