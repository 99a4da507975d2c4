import { describe, expect, it } from 'vitest';
import { startFakes } from '../../src/suite.js';
import { parseListQuery } from '../../src/vendors/machhub/query.js';
import { expectText, makeSuite } from './helpers.js';

const elapsed = async (f: () => unknown) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

describe('IN lists and the 4096-byte request head (fasthttp buffer)', () => {
  const { req, app } = makeSuite();

  it('a 3.5 KB IN list answers 200 (no value-count cap); an oversized request line is 431 plain text', async () => {
    const ids = ((await req('GET', '/machhub/products/all')).json as { id: { Table: string; ID: string } }[]).map((p) => `${p.id.Table}:${p.id.ID}`);
    expect(ids).toHaveLength(60);
    const list = [...ids];
    while (list.join(',').length < 3500) list.push(`none${list.length}`);
    const path = `/machhub/products/all?filter%5Bid%5D%5BIN%5D%5Bstring%5D=${list.join(',')}`;
    expect(path.length).toBeGreaterThan(3500);
    expect(path.length).toBeLessThan(3900);
    const r = await req('GET', path);
    expect(r.status, r.text).toBe(200);
    expect(r.json.length).toBe(60);
    const nin = await req('GET', path.replace('%5BIN%5D', '%5BNOT%20IN%5D'));
    expect(nin.json.length).toBe(0);

    const long = `/machhub/products/all?filter%5Bname%5D%5BIN%5D%5Bstring%5D=${'x,'.repeat(2250)}`;
    expect(long.length).toBeGreaterThan(4500);
    const big = await app.request(long, { headers: { Domain: 'domains:acme' } });
    expect(big.status).toBe(431);
    expect(big.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await big.text()).toBe('Request Header Fields Too Large');
    // Headers count too: a short URL with a 4.5 KB header.
    const hdr = await app.request('/machhub/products/all', { headers: { Domain: 'domains:acme', 'X-Pad': 'p'.repeat(4500) } });
    expect(hdr.status).toBe(431);
  });

  it('thousands of IN values compile to one bound parameter (no SQLite depth or variable limit)', async () => {
    const { req: wide } = makeSuite({ maxHeaderBytes: 1_000_000 });
    const list = Array.from({ length: 20_000 }, (_, i) => i).join(',');
    const r = await wide('GET', `/machhub/products/all?filter%5Bprice%5D%5BIN%5D%5Bnumber%5D=${list}&limit=2`);
    expect(r.status, r.text).toBe(200);
    const many = Array.from({ length: 1500 }, (_, i) => `v${i}`).join(',');
    expect((await wide('GET', `/machhub/products/all?filter%5Btags%5D%5BCONTAINSANY%5D%5Bstring%5D=${many}`)).status).toBe(200);
    expectText(await wide('GET', `/machhub/products/all?filter%5Btags%5D%5BCONTAINSANY%5D%5Bstring%5D=${many},${many}`), 400, /at most 2000 values for CONTAINSANY/);
  });

  it('--machhub-max-header-bytes moves the limit; a real listener answers 431 too', async () => {
    const { app: roomy } = makeSuite({ maxHeaderBytes: 16_384 });
    expect((await roomy.request('/machhub/products/all', { headers: { Domain: 'domains:acme', 'X-Pad': 'p'.repeat(4500) } })).status).toBe(200);
    const fakes = await startFakes({ vendors: ['machhub'], seedCache: false });
    try {
      const base = fakes.urls.machhub;
      expect((await fetch(`${base}/machhub/products/all?x=${'a'.repeat(3400)}`, { headers: { Domain: 'domains:acme' } })).status).toBe(400);
      const r = await fetch(`${base}/machhub/products/all?x=${'a'.repeat(4500)}`, { headers: { Domain: 'domains:acme' } });
      expect(r.status).toBe(431);
      expect(await r.text()).toBe('Request Header Fields Too Large');
    } finally {
      await fakes.close();
    }
  });
});

describe('every regex MACHHUB applies to client input answers 1 MB of adversarial input within 100 ms', () => {
  const { app } = makeSuite({ maxHeaderBytes: 8_000_000 });
  const MB = 1_000_000;

  it('list-query grammar (parsed directly: a real listener stops at 16 KB)', () => {
    const cases: [string, string][] = [
      [`filter[${'a'.repeat(MB)}`, 'x'],
      [`filter[${'[a'.repeat(MB / 2)}][=][string]`, 'x'],
      [`filter_or[1][${'a]['.repeat(MB / 3)}`, 'x'],
      ['sort', `[${'a'.repeat(MB)}`],
      ['sort', `[a][${'asc'.repeat(MB / 3)}`],
      ['limit', '1'.repeat(MB)],
      ['filter[name][=][object]', `Thu Jan 01 2026 00:00:00 GMT+0000 ${'( '.repeat(MB / 2)}`],
      ['filter[name][MATCH][string]', ' a'.repeat(MB / 2)],
      ['expand', 'a,'.repeat(MB / 2)],
    ];
    for (const [k, v] of cases) {
      const once = () => {
        const t = performance.now();
        try {
          parseListQuery([[k, v]]);
        } catch {
          /* a refusal is fine */
        }
        return performance.now() - t;
      };
      expect(Math.min(once(), once(), once()), k.slice(0, 30)).toBeLessThan(100);
    }
    // No regex here, but no count cap either: a long IN list costs time in proportion to its length.
    const inList = (n: number) => () => {
      const t = performance.now();
      try {
        parseListQuery([['filter[name][IN][number]', '1,'.repeat(n) + 'x']]);
      } catch {
        /* refused at the x */
      }
      return performance.now() - t;
    };
    const small = Math.min(inList(50_000)(), inList(50_000)(), inList(50_000)());
    const large = Math.min(inList(500_000)(), inList(500_000)());
    expect(large).toBeLessThan(Math.max(40 * small, 400)); // quadratic would take seconds
  });

  it('headers, path and body fields through the API', async () => {
    type Opts = { headers?: Record<string, string>; body?: unknown; domain?: string };
    const req = (method: string, path: string, o: Opts) =>
      app.request(path, { method, headers: { Domain: o.domain ?? 'domains:acme', 'Content-Type': 'application/json', ...o.headers }, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const cases: [string, string, Opts][] = [
      ['GET', '/machhub/products/all', { headers: { Authorization: 'Bearer' + ' \t'.repeat(MB / 2) } }],
      ['GET', '/machhub/products/all', { headers: { Authorization: 'Bearer ' + 'a.'.repeat(MB / 2) } }],
      ['GET', '/machhub/products/all', { headers: { 'X-Machhub-Api-Key': 'mchx_' + 'A'.repeat(MB) } }],
      ['GET', '/machhub/products/all', { domain: 'domains:' + 'a'.repeat(MB) }],
      ['POST', '/process/' + 'a-/'.repeat(MB / 3) + '!', { body: {} }],
      ['GET', '/machhub/products/' + 'a'.repeat(MB), {}],
      ['PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: '2026-06-01T00:00:00Z', range: '1h'.repeat(MB / 2) + 'x' } }],
      ['PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: '2026-06-01T00:00:00' + '0'.repeat(MB) } }],
      ['PUT', '/machhub/processes/triggers/processes:x', { body: { triggers: [{ type: 'http', config: { endpoint: 'a-/'.repeat(MB / 3) + '!' } }] } }],
      ['PUT', '/machhub/processes/triggers/processes:x', { body: { triggers: [{ type: 'cron', config: { cron_expression: ' \t'.repeat(MB / 2) } }] } }],
      ['POST', '/machhub/auth/login', { body: { username: 'a'.repeat(MB) + '!', password: 'x' } }],
      ['POST', '/machhub/historian/query', { body: { query: 'SELECT a' + ' '.repeat(MB) + 'b' } }],
      ['POST', '/machhub/historian/export/aggregated', { body: { topics: ['a/b'], startDate: '2026-06-01T00:00:00Z', endDate: '2026-06-01T01:00:00Z', sampleRate: '1'.repeat(MB) } }],
    ];
    await req('GET', '/machhub/products/all?limit=1', {});
    // Moving 1 MB through Request/Hono/JSON costs the same for any content: the budget is 100 ms beyond that cost,
    // measured on a same-sized body of one repeated character.
    const best = async (f: () => unknown) => Math.min(await elapsed(f), await elapsed(f), await elapsed(f));
    const transport = Math.max(
      await best(() => req('POST', '/machhub/historian/query', { body: { query: 'x'.repeat(MB) } })),
      await best(() => req('GET', '/machhub/x/' + 'x'.repeat(MB), {})),
      // Hono splits a path into its segments: the same many-segment path, ending in a valid slug.
      await best(() => req('POST', '/process/' + 'a-/'.repeat(MB / 3) + 'a', { body: {} })),
      await best(() => req('GET', '/machhub/products/all', { headers: { 'X-Pad': 'x'.repeat(MB) } })),
    );
    // A sign-in of an unknown user runs one scrypt on purpose (no user-name timing oracle): part of that case's budget.
    const signIn = await best(() => req('POST', '/machhub/auth/login', { body: { username: 'nobody', password: 'x' } }));
    for (const [method, path, opts] of cases) {
      let status = 0;
      const ms = await best(async () => {
        status = (await req(method, path, opts)).status;
      });
      expect(status, `${method} ${path.slice(0, 40)}`).toBeLessThan(500);
      expect(ms, `${method} ${path.slice(0, 40)}`).toBeLessThan(100 + transport + (path === '/machhub/auth/login' ? signIn : 0));
    }
  });
});
