/** Injected faults and latency (issue 13 §2), on every vendor, over real ports. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../src/suite.js';
import { admin, scenarios, type Session } from './scenarios.js';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({ seed: 42 });
});
afterAll(async () => fakes.close());

for (const s of scenarios) {
  describe(`${s.vendor}: faults`, () => {
    let base: string;
    let session: Session;
    beforeEach(async () => {
      base = fakes.urls[s.vendor];
      await admin(base, 'DELETE', '/faults');
      session = await s.signIn(base);
    });
    const call = (init: RequestInit = {}) => fetch(`${base}${s.path}`, { ...init, headers: session.headers });

    it('a 503 answers in the vendor\'s own shape, once (times: 1); the journal and the list show it', async () => {
      const added = await admin(base, 'POST', '/faults', { path: s.glob, status: 503, times: 1 });
      expect(added.status).toBe(201);
      expect(added.json).toMatchObject({ id: expect.any(String), path: s.glob, status: 503, times: 1, hits: 0, method: null, tenant: null });
      await s.expectError(await call(), 503);
      expect((await call()).status).toBe(200);
      const listed = (await admin(base, 'GET', '/faults')).json.faults;
      expect(listed).toEqual([expect.objectContaining({ id: added.json.id, hits: 1, matches: 1 })]);
      const [normal, faulted] = (await admin(base, 'GET', `/requests?path=${encodeURIComponent(s.glob)}&limit=2`)).json.requests;
      expect(faulted).toMatchObject({ status: 503, fault: added.json.id });
      expect(normal).toMatchObject({ status: 200, fault: null });
    });

    it('a 429 carries the vendor\'s rate-limit headers and Retry-After', async () => {
      await admin(base, 'POST', '/faults', { path: s.glob, status: 429 });
      const res = await call();
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      if (s.vendor === 'trakrf') expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      if (s.vendor === 'maintainx') expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
      await s.expectError(res, 429);
    });

    it('a given body and headers answer as given; method must match', async () => {
      await admin(base, 'POST', '/faults', { path: s.glob, method: 'POST', status: 500 });
      expect((await call()).status).toBe(200);
      await admin(base, 'DELETE', '/faults');
      await admin(base, 'POST', '/faults', { path: s.glob, method: 'get', status: 418, body: { teapot: true }, headers: { 'X-Fault': 'yes' } });
      const res = await call();
      expect(res.status).toBe(418);
      expect(res.headers.get('x-fault')).toBe('yes');
      expect(await res.json()).toEqual({ teapot: true });
    });

    it('connection_reset and empty_reply make fetch reject; the journal records the error', async () => {
      const reset = await admin(base, 'POST', '/faults', { path: s.glob, error: 'connection_reset', times: 1 });
      await expect(call()).rejects.toThrow();
      await admin(base, 'POST', '/faults', { path: s.glob, error: 'empty_reply', times: 1 });
      await expect(call()).rejects.toThrow();
      expect((await call()).status).toBe(200);
      const entry = (await admin(base, 'GET', `/requests?path=${encodeURIComponent(s.glob)}&limit=3`)).json.requests[2];
      expect(entry).toMatchObject({ fault: reset.json.id, status: null, error: 'connection_reset' });
    });

    it('hang holds the request until the client gives up', async () => {
      await admin(base, 'POST', '/faults', { path: s.glob, error: 'hang' });
      const started = Date.now();
      await expect(fetch(`${base}${s.path}`, { headers: session.headers, signal: AbortSignal.timeout(250) })).rejects.toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('delay_ms: 300 delays a normal answer by at least 300 ms', async () => {
      await admin(base, 'POST', '/faults', { path: '*', delay_ms: 300, jitter_ms: 20 });
      const started = performance.now();
      const res = await call();
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
      expect(res.status).toBe(200);
    });

    it('probability 0.5 over 200 requests: about half, the same ones again after a reset with the same seed', async () => {
      const run = async () => {
        await admin(base, 'POST', '/faults', { path: s.glob, status: 500, probability: 0.5 });
        const out: number[] = [];
        for (let i = 0; i < 200; i++) out.push((await call()).status);
        return out;
      };
      await admin(base, 'POST', '/reset');
      session = await s.signIn(base);
      const first = await run();
      const failed = first.filter((x) => x === 500).length;
      expect(failed).toBeGreaterThan(70);
      expect(failed).toBeLessThan(130);
      await admin(base, 'POST', '/reset');
      session = await s.signIn(base);
      expect(await run()).toEqual(first);
    });

    it('after skips the first matches', async () => {
      await admin(base, 'POST', '/faults', { path: s.glob, status: 500, after: 2, times: 1 });
      expect([(await call()).status, (await call()).status, (await call()).status, (await call()).status]).toEqual([200, 200, 500, 200]);
    });

    it('a tenant fault applies to that tenant only', async () => {
      await admin(base, 'POST', '/faults', { path: s.glob, tenant: s.tenant, status: 502 });
      await s.expectError(await call(), 502);
      await admin(base, 'DELETE', '/faults');
      await admin(base, 'POST', '/faults', { path: s.glob, tenant: 'another-tenant', status: 502 });
      expect((await call()).status).toBe(200);
    });
  });
}

describe('fault bad input and housekeeping', () => {
  it('refuses bad specs with a clear 400', async () => {
    const base = fakes.urls.trakrf;
    const cases: Array<[unknown, string]> = [
      [{}, 'path is required: a path starting with / (or *), where * matches any characters, e.g. /api/v1/assets*'],
      [{ path: '/x' }, 'a fault needs an effect: status, error, or delay_ms/jitter_ms'],
      [{ path: '/x', status: 99 }, 'status must be an integer from 200 to 599'],
      [{ path: '/x', error: 'boom' }, 'error must be one of connection_reset, empty_reply, hang'],
      [{ path: '/x', status: 500, error: 'hang' }, 'send either status or error, not both'],
      [{ path: '/x', status: 500, probability: 2 }, 'probability must be a number from 0 to 1'],
      [{ path: '/x', status: 500, times: 0 }, 'times must be an integer from 1 to 2147483648'],
      [{ path: '/x', delay_ms: -1 }, 'delay_ms must be an integer from 0 to 600000'],
      [{ path: '/x', status: 500, method: 'FETCH' }, 'method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'],
      [{ path: '/x', status: 500, headers: { 'Bad Header': 'x' } }, 'headers: not a valid header: Bad Header'],
      [{ path: '/x', body: 'x' }, 'body needs a status'],
      [{ path: '/x', status: 500, colour: 'red' }, 'unknown field: colour (fields: method, path, tenant, status, body, headers, error, delay_ms, jitter_ms, times, after, probability)'],
    ];
    for (const [body, error] of cases) expect(await admin(base, 'POST', '/faults', body), JSON.stringify(body)).toEqual({ status: 400, json: { error } });
    expect(await admin(base, 'POST', '/faults', [1])).toEqual({ status: 400, json: { error: 'request body must be a JSON object' } });
    expect(await admin(base, 'DELETE', '/faults/f999')).toEqual({ status: 404, json: { error: 'no fault f999' } });
    expect(await admin(base, 'GET', '/faults/f999')).toEqual({ status: 404, json: { error: 'no fault f999' } });
  });

  it('DELETE one fault, and a full reset clears every fault', async () => {
    const base = fakes.urls.maintainx;
    await admin(base, 'DELETE', '/faults');
    const a = (await admin(base, 'POST', '/faults', { path: '/v1/a', status: 500 })).json;
    await admin(base, 'POST', '/faults', { path: '/v1/b', status: 500 });
    expect(await admin(base, 'DELETE', `/faults/${a.id}`)).toEqual({ status: 200, json: { deleted: a.id } });
    expect((await admin(base, 'GET', '/faults')).json.faults.map((f: { path: string }) => f.path)).toEqual(['/v1/b']);
    await admin(base, 'POST', '/reset');
    expect((await admin(base, 'GET', '/faults')).json.faults).toEqual([]);
  });

  it('in-process: the same faults through instance.faults, a broken connection rejects app.request', async () => {
    const instance = fakes.suite.instance('machhub');
    instance.faults.clear();
    instance.faults.add({ path: '/machhub/*', error: 'connection_reset', times: 1 });
    await expect(fakes.app('machhub').request('/machhub/products/all', { headers: { Domain: 'domains:acme' } })).rejects.toThrow(/connection_reset/);
    expect(instance.faults.list()[0].hits).toBe(1);
    instance.faults.clear();
    instance.faults.add({ path: '/machhub/*', error: 'hang' });
    const started = Date.now();
    await expect(fakes.app('machhub').request('/machhub/products/all', { headers: { Domain: 'domains:acme' }, signal: AbortSignal.timeout(200) })).rejects.toThrow(/hang/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    instance.faults.clear();
  });
});
