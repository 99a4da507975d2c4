import { describe, expect, it, vi } from 'vitest';
import { expectText, makeSuite, UUID_V4 } from './helpers.js';
import { adminCall } from '../support/admin.js';

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const ACTIVE = 'filter%5Bstatus%5D%5B%3D%5D%5Bstring%5D=active';

/** A fresh suite with a `widgets` collection of `n` records ({status: active|idle, n}). */
async function withWidgets(n: number) {
  const s = makeSuite();
  for (let i = 0; i < n; i++) {
    const r = await s.req('POST', '/machhub/widgets', { body: { id: `w${i}`, status: i % 2 ? 'idle' : 'active', n: i } });
    expect(r.status).toBe(200);
  }
  return s;
}

describe('memoized collection reads (list pages, counts, records by id)', () => {
  it('a write to the collection shows at once in its list, count and getOne; a write elsewhere changes nothing', async () => {
    const { req } = await withWidgets(6);
    const list = async () => (await req('GET', `/machhub/widgets/all?${ACTIVE}`)).json.map((r: any) => r.id.ID);
    const count = async () => (await req('GET', `/machhub/widgets/count?${ACTIVE}`)).json.count;
    expect(await list()).toEqual(['w0', 'w2', 'w4']);
    expect(await count()).toBe(3);
    expect((await req('GET', '/machhub/widgets:w1')).json.status).toBe('idle');

    expect((await req('POST', '/machhub/gadgets', { body: { id: 'g1', status: 'active' } })).status).toBe(200);
    expect(await list()).toEqual(['w0', 'w2', 'w4']);
    expect(await count()).toBe(3);

    expect((await req('PUT', '/machhub/widgets:w1', { body: { status: 'active' } })).status).toBe(200);
    expect(await list()).toEqual(['w0', 'w1', 'w2', 'w4']);
    expect(await count()).toBe(4);
    expect((await req('GET', '/machhub/widgets:w1')).json.status).toBe('active');

    expect((await req('POST', '/machhub/widgets', { body: { id: 'w9', status: 'active' } })).status).toBe(200);
    expect(await count()).toBe(5);
    expect((await req('DELETE', '/machhub/widgets:w0')).status).toBe(200);
    expect(await list()).toEqual(['w1', 'w2', 'w4', 'w9']);
    expect(await count()).toBe(4);
    expectText(await req('GET', '/machhub/widgets:w0'), 404, 'record not found');
    // An update that leaves the filter's field alone, and one that moves a record out of it.
    expect((await req('PUT', '/machhub/widgets:w2', { body: { n: 100 } })).status).toBe(200);
    expect(await count()).toBe(4);
    expect((await req('PUT', '/machhub/widgets:w4', { body: { status: 'idle' } })).status).toBe(200);
    expect(await count()).toBe(3);
    expect(await list()).toEqual(['w1', 'w2', 'w9']);
  });

  it('a rejected write (409) or a write with a file keeps counts exact', async () => {
    const { req } = await withWidgets(4);
    const count = async () => (await req('GET', `/machhub/widgets/count?${ACTIVE}`)).json.count;
    expect(await count()).toBe(2);
    expect((await req('POST', '/machhub/widgets', { body: { id: 'w0', status: 'active' } })).status).toBe(409);
    expect(await count()).toBe(2);
    const form = new FormData();
    form.set('record', JSON.stringify({ id: 'f1', status: 'active' }));
    form.set('doc', new File(['hello'], 'a.txt', { type: 'text/plain' }));
    expect((await req('POST', '/machhub/widgets', { raw: form })).status).toBe(200);
    expect(await count()).toBe(3);
    expect((await req('DELETE', '/machhub/widgets:f1')).status).toBe(200);
    expect(await count()).toBe(2);
  });

  it('a count right after a write does not count the collection again', async () => {
    const { req, suite } = await withWidgets(4);
    const count = async () => (await req('GET', `/machhub/widgets/count?${ACTIVE}`)).json.count;
    expect(await count()).toBe(2);
    const handle = suite.instance('machhub').ctx.handle;
    const prepare = vi.spyOn(handle, 'prepare');
    try {
      expect((await req('POST', '/machhub/widgets', { body: { id: 'w5', status: 'active' } })).status).toBe(200);
      expect(await count()).toBe(3);
      const sql = prepare.mock.calls.map((c) => String(c[0]));
      expect(sql.some((s) => /SELECT count\(\*\) AS n FROM "acme\.widgets"/.test(s))).toBe(false);
      // The new record was checked against the filter instead (the one-record form of the same WHERE).
      expect(sql.some((s) => /SELECT count\(\*\) AS n FROM \(SELECT jsonb\(\?\) AS data\)/.test(s))).toBe(true);
    } finally {
      prepare.mockRestore();
    }
  });

  it('a published tag value (MQTT, a fixed table) keeps the memoized pages; a write to another table drops them', async () => {
    const { req, app, suite } = await withWidgets(3);
    const handle = suite.instance('machhub').ctx.handle;
    const listSql = (calls: unknown[][]) => calls.map((c) => String(c[0])).filter((s) => s.startsWith('SELECT id, json(data) AS data FROM "acme.widgets"')).length;
    expect((await req('GET', '/machhub/widgets/all')).json).toHaveLength(3);
    const prepare = vi.spyOn(handle, 'prepare');
    try {
      const publish = await app.request('/__admin/tags/publish', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ domain: 'acme', topic: 'a/b', value: 7 }) });
      expect(publish.status).toBe(200);
      expect((await req('GET', '/machhub/widgets/all')).json).toHaveLength(3);
      expect(listSql(prepare.mock.calls)).toBe(0);
      // A user created through the control plane is a write the memo cannot place: the page is computed again.
      expect((await app.request('/__admin/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'm', password: 'm-pass' }) })).status).toBe(201);
      expect((await req('GET', '/machhub/widgets/all')).json).toHaveLength(3);
      expect(listSql(prepare.mock.calls)).toBe(1);
    } finally {
      prepare.mockRestore();
    }
  });

  it('a full reset and a per-domain reset drop the memoized answers', async () => {
    const { req, suite } = await withWidgets(3);
    const inst = suite.instance('machhub');
    const products = async () => (await req('GET', '/machhub/products/count')).json.count;
    expect(await products()).toBe(60);
    expect((await req('GET', '/machhub/widgets/all')).json).toHaveLength(3);
    expect((await req('DELETE', '/machhub/products:PROD-001')).status).toBe(200);
    expect(await products()).toBe(59);
    expect(inst.reset('domains:acme')).toBe(true);
    expect(await products()).toBe(60);
    expect((await req('GET', '/machhub/widgets/all')).json).toEqual([]);
    expect((await req('DELETE', '/machhub/products:PROD-002')).status).toBe(200);
    expect(await products()).toBe(59);
    expect((await req('GET', '/machhub/products:PROD-002')).status).toBe(404);
    expect(inst.reset()).toBe(true);
    expect(await products()).toBe(60);
    expect((await req('GET', '/machhub/products:PROD-002')).status).toBe(200);
  });

  it('domains never share memoized answers', async () => {
    const { req } = makeSuite();
    expect((await req('GET', '/machhub/products/count')).json.count).toBe(60);
    expect((await req('GET', '/machhub/products/count', { domain: 'domains:globex' })).json.count).toBe(25);
  });

  it('a memoized answer still checks the caller (strict mode)', async () => {
    const { req, login } = makeSuite({ auth: 'strict' });
    const t = await login('admin');
    expect((await req('GET', '/machhub/products/count', { headers: bearer(t) })).status).toBe(200);
    expectText(await req('GET', '/machhub/products/count'), 401, 'Unauthorized');
    expect((await req('GET', '/machhub/products:PROD-001', { headers: bearer(t) })).status).toBe(200);
    expectText(await req('GET', '/machhub/products:PROD-001'), 401, 'Unauthorized');
  });
});

describe('answered before routing (a GET whose domain and URL are known to route to a memoized answer)', () => {
  it('gives the routed bytes, each with its own App-CorrelationID, and follows writes', async () => {
    const { req } = await withWidgets(3);
    const paths = ['/machhub/widgets/all', `/machhub/widgets/all?${ACTIVE}`, '/machhub/widgets/count', '/machhub/widgets:w1'];
    for (const path of paths) {
      const first = await req('GET', path);
      const again = await req('GET', path);
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(again.headers.get('app-correlationid')).not.toBe(first.headers.get('app-correlationid'));
    }
    expect((await req('PUT', '/machhub/widgets:w1', { body: { status: 'active' } })).status).toBe(200);
    expect((await req('GET', '/machhub/widgets/count')).json.count).toBe(3);
    expect((await req('GET', `/machhub/widgets/count?${ACTIVE}`)).json.count).toBe(3);
    expect((await req('GET', '/machhub/widgets:w1')).json.status).toBe('active');
  });

  it('a deleted domain is refused at once although its name was looked up before', async () => {
    const { req, app } = makeSuite();
    const sandbox = (await adminCall(app, 'POST', '/sandboxes', { from: 'domains:acme' })).body.tenant as string;
    expect((await req('GET', '/machhub/products/count', { domain: sandbox })).json.count).toBe(60);
    expect((await req('GET', '/machhub/products/count', { domain: sandbox })).json.count).toBe(60);
    expect((await adminCall(app, 'DELETE', `/sandboxes/${sandbox}`)).status).toBe(200);
    expectText(await req('GET', '/machhub/products/count', { domain: sandbox }), 400, 'bad Domain ID');
  });
});

describe('verified tokens (answered without a promise once verified)', () => {
  it('an expired token is refused although it was verified before', async () => {
    const { req, login, suite } = makeSuite();
    const t = await login('admin');
    expect((await req('GET', '/machhub/auth/me', { headers: bearer(t) })).status).toBe(200);
    suite.clock.advance(24 * 3600 + 1);
    expectText(await req('GET', '/machhub/auth/me', { headers: bearer(t) }), 401, 'Unauthorized');
  });

  it('a token whose user is gone (reset) is refused although it was verified before', async () => {
    const { req, app, suite } = makeSuite();
    const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/__admin/users', { username: 'temp', password: 'temp-pass', domains: ['acme'] })).status).toBe(201);
    const login = await req('POST', '/machhub/auth/login', { body: { username: 'temp', password: 'temp-pass' } });
    const t = login.json.tkn as string;
    expect((await req('GET', '/machhub/auth/me', { headers: bearer(t) })).status).toBe(200);
    expect(suite.instance('machhub').reset()).toBe(true);
    expectText(await req('GET', '/machhub/auth/me', { headers: bearer(t) }), 401, 'Unauthorized');
  });
});

describe('request steps', () => {
  it('a streamed body (no Content-Length) past maxBodyBytes is 413 plain text with App-CorrelationID', async () => {
    const { app } = makeSuite({ maxBodyBytes: 1000 });
    const send = (middle: string) => {
      const parts = ['{"a":"', middle, '"}'].map((x) => new TextEncoder().encode(x));
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (const x of parts) c.enqueue(x);
          c.close();
        },
      });
      return app.request('/machhub/widgets', { method: 'POST', headers: { Domain: 'domains:acme', 'Content-Type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    };
    const big = await send('x'.repeat(2000));
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(big.headers.get('app-correlationid')).toMatch(UUID_V4);
    expect(await big.text()).toBe('Request Entity Too Large');
    expect((await send('x'.repeat(10))).status).toBe(200);
  });
});
