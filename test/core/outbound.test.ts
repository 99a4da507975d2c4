import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.js';
import { Outbound, parseAllowHosts, type OutboundRecord } from '../../src/core/outbound.js';

describe('outbound calls (webhook targets)', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ method: string; url: string; body: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body });
        if (req.url === '/redirect') res.writeHead(301, { location: '/ok' }).end();
        else if (req.url === '/slow') setTimeout(() => res.end('late'), 500);
        else res.writeHead(req.url === '/fail' ? 500 : 200, { 'x-receiver': 'yes' }).end('got it');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('allows loopback by default and refuses other hosts with a sentence', () => {
    const o = new Outbound('x', new Clock());
    for (const url of ['http://127.0.0.1:9/a', 'http://localhost/a', 'http://hooks.localhost/a', 'http://[::1]:8/a']) {
      expect(o.refusal(url)).toBeNull();
    }
    expect(o.refusal('https://example.com/hook')).toBe(
      'webhook target host example.com is not allowed: the fakes deliver only to loopback and to hosts listed with --webhook-allow-hosts',
    );
    expect(o.refusal('http://10.0.0.1/hook')).toMatch(/^webhook target host 10\.0\.0\.1 is not allowed/);
    expect(o.refusal('ftp://127.0.0.1/x')).toBe('webhook URLs must use http or https, not ftp');
    expect(o.refusal('not a url')).toBe('"not a url" is not an absolute URL');
  });

  it('allows listed hosts, subdomain wildcards and *', () => {
    const o = new Outbound('x', new Clock(), parseAllowHosts('hooks.example.com, *.corp.test'));
    expect(o.refusal('https://hooks.example.com/a')).toBeNull();
    expect(o.refusal('https://a.b.corp.test/a')).toBeNull();
    expect(o.refusal('https://corp.test/a')).not.toBeNull();
    expect(o.refusal('https://evil-hooks.example.com/a')).not.toBeNull();
    expect(new Outbound('x', new Clock(), ['*']).refusal('https://anything.example/a')).toBeNull();
    expect(() => parseAllowHosts('good.example,bad host')).toThrow('--webhook-allow-hosts: not a host name or IP address: bad host');
  });

  it('delivers, reports 3xx/5xx as failures, times out, and records every call', async () => {
    const clock = new Clock();
    clock.freeze(true);
    clock.set(new Date('2026-05-01T00:00:00Z'));
    const o = new Outbound('trakrf', clock);
    const records: OutboundRecord[] = [];
    o.onRecord((r) => records.push(r));
    const req = (path: string, timeoutMs = 2000) => ({ tenant: 1, url: base + path, headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs });
    expect(await o.send(req('/ok'))).toEqual({ status: 200, error: null, timedOut: false });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/ok', body: '{"a":1}' });
    expect(await o.send(req('/fail'))).toEqual({ status: 500, error: 'receiver answered 500', timedOut: false });
    expect(await o.send(req('/redirect'))).toEqual({ status: 301, error: 'receiver answered 301', timedOut: false });
    expect(await o.send(req('/slow', 100))).toEqual({ status: null, error: 'timed out after 100 ms', timedOut: true });
    const before = seen.length;
    expect((await o.send({ ...req('/ok'), url: 'http://example.com/x' })).error).toMatch(/is not allowed/);
    expect(seen.length).toBe(before);
    expect(records).toHaveLength(5);
    expect(records[0]).toMatchObject({
      vendor: 'trakrf', tenant: '1', time: '2026-05-01T00:00:00.000Z', method: 'POST', url: base + '/ok',
      requestBody: '{"a":1}', status: 200, responseBody: 'got it', error: null,
    });
    expect(records[0].responseHeaders['x-receiver']).toBe('yes');
  });
});
