import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../src/suite.js';
import { user } from './helpers.js';

let fakes: RunningFakes;
let port: number;
beforeAll(async () => {
  fakes = await startFakes({ vendors: ['maxtrax'], seed: 42 });
  port = Number(new URL(fakes.urls.maxtrax).port);
});
afterAll(() => fakes.close());

/** A raw HTTP request with an explicit Host header (fetch would not let us set it). */
function http(method: string, path: string, host: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('over a real socket', () => {
  it('the curl flow on acme.maxtrax.localhost, tenant isolation on globex', async () => {
    const host = `acme.maxtrax.localhost:${port}`;
    expect((await http('GET', '/health/live', host)).status).toBe(200);
    const u = user('inspector');
    const login = await http('POST', '/auth/login', host, { 'Content-Type': 'application/json' }, JSON.stringify({ userName: u.userName, password: u.password }));
    expect(login.status).toBe(200);
    expect(login.headers['set-cookie']).toHaveLength(3);
    const welds = await http('GET', '/welds', host, { Authorization: `Bearer ${login.json.accessToken}` });
    expect(welds.status).toBe(200);
    expect(welds.json.totalItems).toBe(120);
    const other = await http('GET', '/welds', `globex.maxtrax.localhost:${port}`, { Authorization: `Bearer ${login.json.accessToken}` });
    expect(other.status).toBe(401);
    expect(other.headers['content-type']).toBe('application/problem+json');
    // The default tenant on a bare IP, through fetch.
    const res = await fetch(`${fakes.urls.maxtrax}/welds`, { headers: { Authorization: `Bearer ${login.json.accessToken}` } });
    expect(res.status).toBe(200);
    const huge = await http('POST', '/auth/login', host, { 'Content-Type': 'application/json' }, '{"userName":"' + 'a'.repeat(100_000) + '"}');
    expect(huge.status).toBe(413);
  });
});
