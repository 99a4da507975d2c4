/** The request journal (issue 13 §1), on every vendor, over real ports. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startFakes, type RunningFakes } from '../../src/suite.js';
import { admin, scenarios } from './scenarios.js';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({ seed: 42, journalSize: 50 });
});
afterAll(async () => fakes.close());

/** Every string value in the demo fixtures under a secret-carrying key, 8 characters or longer. */
function demoSecrets(): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string') {
      if (/secret|password|key|token/i.test(key) && v.length >= 8) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const v of ['trakrf', 'maintainx', 'maxtrax', 'machhub']) walk(JSON.parse(readFileSync(new URL(`../../fixtures/${v}.json`, import.meta.url), 'utf8')));
  return out;
}

for (const s of scenarios) {
  describe(`${s.vendor}: request journal`, () => {
    let base: string;
    beforeEach(async () => {
      base = fakes.urls[s.vendor];
      expect((await admin(base, 'DELETE', '/requests')).status).toBe(200);
    });

    it('records the exact request and answer, secrets masked, newest first', async () => {
      const session = await s.signIn(base);
      const res = await fetch(`${base}${s.path}`, { headers: { ...session.headers, 'x-test': 'journal' } });
      const text = await res.text();
      const { json } = await admin(base, 'GET', '/requests');
      expect(json.total).toBe(1 + s.signInRequests);
      const [read] = json.requests;
      expect(read).toMatchObject({
        vendor: s.vendor,
        direction: 'inbound',
        tenant: s.tenant,
        method: 'GET',
        path: s.path.split('?')[0],
        query: s.path.split('?')[1] ?? '',
        status: res.status,
        response_body: text,
        request_body: null,
        fault: null,
      });
      expect(read.request_headers['x-test']).toBe('journal');
      expect(read.request_headers.authorization).toMatch(/^Bearer .{6}….{4}$/);
      expect(read.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(read.duration_ms).toBeGreaterThanOrEqual(0);
      expect(read.response_headers['content-type']).toBe(res.headers.get('content-type'));
      if (res.headers.get('x-request-id')) expect(read.request_id).toBe(res.headers.get('x-request-id'));
      if (res.headers.get('app-correlationid')) expect(read.request_id).toBe(res.headers.get('app-correlationid'));
      if (s.signInRequests) expect(Number(read.id)).toBeGreaterThan(Number(json.requests[1].id));
      const one = await admin(base, 'GET', `/requests/${read.id}`);
      expect(one.json).toEqual(read);
      const all = JSON.stringify((await admin(base, 'GET', '/requests?limit=100')).json);
      for (const secret of [...session.secrets, ...demoSecrets()]) expect(all, `secret ${secret.slice(0, 6)}… in the journal`).not.toContain(secret);
    });

    it('filters by method, glob path, status class, tenant and since; counts; clears', async () => {
      const session = await s.signIn(base);
      await admin(base, 'DELETE', '/requests');
      await fetch(`${base}${s.path}`, { headers: session.headers });
      const unknown = await fetch(`${base}/no/such/route`, { headers: session.headers });
      expect(unknown.status).toBe(404);
      const first = (await admin(base, 'GET', '/requests?limit=1')).json.requests[0];
      await new Promise((r) => setTimeout(r, 5));
      await fetch(`${base}${s.path}`, { headers: session.headers });
      const count = async (q: string) => (await admin(base, 'GET', `/requests/count?${q}`)).json.count;
      const counts = {
        all: await count(''),
        get: await count('method=get'),
        post: await count('method=POST'),
        glob: await count(`path=${encodeURIComponent(s.glob)}`),
        exact: await count(`path=${encodeURIComponent(s.path.split('?')[0])}`),
        none: await count('path=/nothing*'),
        ok: await count('status=2xx'),
        exactStatus: await count('status=200'),
        clientErrors: await count('status=4xx'),
        tenant: await count(`tenant=${encodeURIComponent(s.tenant)}`),
        outbound: await count('direction=outbound'),
        sinceId: await count(`since=${first.id}`),
        sinceTime: await count(`since=${encodeURIComponent(first.time)}`),
      };
      expect(counts).toEqual({ all: 3, get: 3, post: 0, glob: 2, exact: 2, none: 0, ok: 2, exactStatus: 2, clientErrors: 1, tenant: s.tenantBeforeAuth ? 3 : 2, outbound: 0, sinceId: 1, sinceTime: 2 });
      const limited = (await admin(base, 'GET', '/requests?limit=2')).json;
      expect(limited.requests).toHaveLength(2);
      expect(limited.total).toBe(3);
      await admin(base, 'DELETE', '/requests');
      expect(await count('')).toBe(0);
      expect((await admin(base, 'GET', `/requests/${first.id}`)).status).toBe(404);
    });
  });
}

describe('journal limits and long polls', () => {
  it('keeps only the newest --journal-size requests', async () => {
    const base = fakes.urls.maintainx;
    await admin(base, 'DELETE', '/requests');
    for (let i = 0; i < 80; i++) await fetch(`${base}/v1/users?i=${i}`);
    const { json } = await admin(base, 'GET', '/requests?limit=10000');
    expect(json.total).toBe(50);
    expect(json.requests[0].query).toBe('i=79');
    expect(json.requests[49].query).toBe('i=30');
    expect(fakes.suite.instance('maintainx').journal.length).toBe(50);
  });

  it('wait_ms&min waits for requests made later, and returns at the timeout otherwise', async () => {
    const base = fakes.urls.trakrf;
    await admin(base, 'DELETE', '/requests');
    const started = Date.now();
    const waiting = admin(base, 'GET', '/requests/count?path=/api/v1/assets*&wait_ms=5000&min=2');
    setTimeout(() => void fetch(`${base}/api/v1/assets`).then(() => fetch(`${base}/api/v1/assets?x=1`)), 100);
    expect((await waiting).json.count).toBe(2);
    expect(Date.now() - started).toBeLessThan(4000);
    const t0 = Date.now();
    const none = await admin(base, 'GET', '/requests?path=/none&wait_ms=300');
    expect(none.json.total).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('refuses bad filters with a clear 400', async () => {
    const base = fakes.urls.machhub;
    const cases: Array<[string, string]> = [
      ['/requests?status=abc', 'status must be a status code (404) or a class (4xx)'],
      ['/requests?limit=0', 'limit must be an integer from 1 to 10000'],
      ['/requests?wait_ms=40000', 'wait_ms must be an integer from 0 to 30000'],
      ['/requests?min=2', 'min needs wait_ms (how long to wait for that many requests)'],
      ['/requests?direction=up', 'direction must be inbound or outbound'],
      ['/requests?since=yesterday', 'since must be an RFC 3339 time (2026-01-01T00:00:00Z) or a request id'],
      ['/requests?path=assets', 'path must start with / (exact) or contain * (glob), e.g. /api/v1/assets*'],
      ['/requests/count?foo=1', 'unknown query parameter: foo (allowed: method, path, status, tenant, direction, since, limit, wait_ms, min)'],
    ];
    for (const [path, error] of cases) expect(await admin(base, 'GET', path), path).toEqual({ status: 400, json: { error } });
    expect(await admin(base, 'GET', '/requests/999999')).toEqual({ status: 404, json: { error: 'no request 999999 in the journal (it keeps the newest 50)' } });
  });

  it('a full reset clears the journal', async () => {
    const base = fakes.urls.trakrf;
    await fetch(`${base}/api/v1/assets`);
    expect((await admin(base, 'GET', '/requests/count')).json.count).toBeGreaterThan(0);
    await admin(base, 'POST', '/reset');
    expect((await admin(base, 'GET', '/requests/count')).json.count).toBe(0);
  });
});

describe('--journal-size', () => {
  it('is a CLI flag and VENDOR_FAKES_JOURNAL_SIZE; 0 turns the journal off', async () => {
    const { parseCli, resolveCli } = await import('../../src/cli.js');
    expect(parseCli(['--journal-size', '0']).journalSize).toBe(0);
    expect(resolveCli([], { VENDOR_FAKES_JOURNAL_SIZE: '25' }).args.journalSize).toBe(25);
    expect(() => parseCli(['--journal-size', '-1'])).toThrow('--journal-size must be an integer from 0 to 1000000');
    const { Suite } = await import('../../src/suite.js');
    const suite = new Suite({ vendors: ['trakrf'], journalSize: 0 });
    await suite.app('trakrf').request('/api/v1/assets');
    const res = await suite.app('trakrf').request('/__admin/requests');
    expect(await res.json()).toEqual({ requests: [], total: 0 });
    suite.close();
  });
});
