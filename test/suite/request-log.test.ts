/**
 * One request-log line per request on every listener, control plane included, in one format; a client that goes away
 * mid-body is one quiet line (status 499), never an internal error with a stack (issue 11 #11, #12).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../src/index.js';

const LINE = /^(maxtrax|machhub|maintainx|trakrf) (GET|POST|PUT|PATCH|DELETE) \/\S* \d{3} \d+\.\dms \S+$/;
let fakes: RunningFakes;
const lines: string[] = [];
const portOf = (vendor: string) => fakes.listeners.find((l) => l.vendor === vendor && !l.tenant)!.port;

beforeAll(async () => {
  fakes = await startFakes({ seed: 42, log: (l) => lines.push(l), ports: { maxtrax: 0, machhub: 0, maintainx: 0, trakrf: 0 } });
});
afterAll(() => fakes?.close());

/** Sends the head of a POST with a body it never finishes, then closes the socket. */
function abandonBody(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
      setTimeout(() => s.destroy(), 50);
    });
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('request log', () => {
  it('one line per request on every vendor listener, /__admin included, all in one format', async () => {
    const paths: Record<string, string> = { maxtrax: '/health/live', machhub: '/machhub/tag/list', maintainx: '/v1/users', trakrf: '/api/v1/assets' };
    for (const [vendor, path] of Object.entries(paths)) {
      const before = lines.length;
      await (await fetch(`http://127.0.0.1:${portOf(vendor)}${path}?x=1`)).arrayBuffer();
      await (await fetch(`http://127.0.0.1:${portOf(vendor)}/__admin/clock`)).arrayBuffer();
      await until(() => lines.length >= before + 2);
      const mine = lines.slice(before);
      expect(mine, vendor).toHaveLength(2);
      for (const l of mine) expect(l, vendor).toMatch(LINE);
      expect(mine[0]).toMatch(new RegExp(`^${vendor} GET ${path} \\d{3} `));
      expect(mine[1]).toMatch(new RegExp(`^${vendor} GET /__admin/clock 200 [\\d.]+ms -$`));
    }
  });

  it('a client that closes the connection mid-body is one quiet line, not an internal error with a stack', async () => {
    for (const [vendor, path] of [['maxtrax', '/auth/login'], ['trakrf', '/api/v1/oauth/token']] as const) {
      const before = lines.length;
      await abandonBody(portOf(vendor), path);
      await until(() => lines.length > before);
      await new Promise((r) => setTimeout(r, 50));
      const mine = lines.slice(before);
      expect(mine, vendor).toHaveLength(1);
      expect(mine[0]).toMatch(LINE);
      expect(mine.join('\n')).not.toMatch(/error|\n\s+at /i);
    }
  });
});
