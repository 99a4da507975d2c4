/**
 * The web console without a browser (in-process requests): every page of every vendor renders, forms mint what
 * each vendor's own flow mints, refusals are clear, and the console's own guards (Host, Origin, CSRF, sign-in) hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { createConsole } from '../../src/console/index.js';
import { startFakes } from '../../src/index.js';

const URLS = { trakrf: 'http://127.0.0.1:4400', machhub: 'http://127.0.0.1:4200', maintainx: 'http://127.0.0.1:4300', maxtrax: 'http://127.0.0.1:4100' };
const ORIGIN = 'http://127.0.0.1:4000';

function consoleFor(suite: Suite, adminToken: string | null = null) {
  const app = createConsole({ suite, urls: URLS, adminToken });
  let cookie = '';
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const res = await app.request(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return res;
  };
  /** GETs a page and follows same-console redirects. */
  const get = async (path: string): Promise<{ status: number; html: string; url: string }> => {
    let res = await request(path);
    let url = path;
    for (let i = 0; i < 5 && res.status >= 300 && res.status < 400; i++) {
      url = res.headers.get('location')!;
      res = await request(url);
    }
    return { status: res.status, html: await res.text(), url };
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  /** Posts a form as the browser does (Origin + the page's CSRF token), following the redirect. */
  const post = async (path: string, fields: Array<[string, string]>, csrf: string, origin = ORIGIN) => {
    const body = new URLSearchParams([['_csrf', csrf], ...fields]);
    const res = await request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin } });
    if (res.status === 303) return get(res.headers.get('location')!);
    return { status: res.status, html: await res.text(), url: path };
  };
  return { app, request, get, post, csrfOf };
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'");

describe('console pages', () => {
  let suite: Suite;
  let c: ReturnType<typeof consoleFor>;
  let csrf = '';

  beforeAll(async () => {
    suite = new Suite({ config: { machhub: { auth: 'strict' } } });
    c = consoleFor(suite);
    const home = await c.get('/');
    expect(home.status).toBe(200);
    csrf = c.csrfOf(home.html);
    expect(csrf).not.toBe('');
  });
  afterAll(() => suite.close());

  it('the overview shows each vendor base URL and its tenants', async () => {
    const { html } = await c.get('/');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const u of ['http://127.0.0.1:4400', 'http://127.0.0.1:4300/v1', 'http://127.0.0.1:4200', 'http://127.0.0.1:4100']) expect(html).toContain(`<code>${u}</code>`);
    expect(text(html)).toContain('org 2 (Globex Freight)');
    expect(text(html)).toContain('domain domains:acme (Acme)');
  });

  it('every data table of every vendor and tenant renders, and so does every link on its first page', async () => {
    for (const [vendor, instance] of suite.instances) {
      for (const t of instance.runtime.tenants!()) {
        for (const r of instance.console()!.data) {
          if (r.listed === false) continue;
          const page = await c.get(`/data/${vendor}/${r.id}?tenant=${encodeURIComponent(String(t.id))}`);
          expect(page.status, `${vendor} ${t.id} ${r.id}`).toBe(200);
          const links = [...page.html.matchAll(/href="(\/data\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
          for (const link of [...new Set(links)].slice(0, 12)) {
            expect((await c.get(link)).status, link).toBe(200);
          }
        }
      }
    }
  });

  it('MACHHUB historian: a series is drawn as an inline SVG chart; an injected point appears in it', async () => {
    const tags = await c.get('/data/machhub/tags?tenant=domains%3Aacme');
    const topic = /historian\?tenant=domains%3Aacme&amp;topic=([^"]+)"/.exec(tags.html)![1];
    const page = await c.post('/data/machhub/inject/historian', [['tenant', 'domains:acme'], ['topic', decodeURIComponent(topic)], ['value', '12345.5'], ['timestamp', '2030-01-01T00:00'], ['back', `historian?topic=${topic}`]], csrf);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain(`Added 1 point to ${decodeURIComponent(topic)} at 2030-01-01T00:00:00Z.`);
    expect(page.html).toMatch(/<svg[^>]*role="img"/);
    expect(text(page.html)).toContain('12345.5');
  });

  it('TrakRF scan injection lands in the scans table', async () => {
    const page = await c.post('/data/trakrf/inject/scan', [['tenant', '1'], ['asset_external_key', 'ASSET-0001'], ['location_external_key', 'LOC-003'], ['observed_at', '2030-05-05T10:00'], ['back', 'scans']], csrf);
    expect(text(page.html)).toContain('Scan received (1 stored) at 2030-05-05T10:00:00Z.');
    expect(page.html).toContain('<td>2030-05-05T10:00:00.000Z</td>');
    const bad = await c.post('/data/trakrf/inject/scan', [['tenant', '1'], ['asset_external_key', 'NOPE'], ['location_external_key', 'LOC-003'], ['back', 'scans']], csrf);
    expect(text(bad.html)).toContain('scans[0]: no live asset with external_key NOPE in org 1');
  });

  it('each vendor mints its credential once, with a curl command that uses it', async () => {
    const cases: Array<[string, string, Array<[string, string]>, RegExp]> = [
      ['trakrf', 'api-keys', [['tenant', '2'], ['name', 'ci'], ['scopes', 'assets:read'], ['scopes', 'tracking:read'], ['expiry', '30d']], /trakrf_[0-9a-f]{64}/],
      ['machhub', 'developer-keys', [['tenant', 'domains:globex'], ['name', 'ci'], ['expiration', '']], /mchx_[A-Za-z0-9]{12}\S+/],
      ['maintainx', 'api-keys', [['tenant', '2'], ['user_id', '0'], ['organization_ids', '2']], /mx_[A-Za-z0-9]+/],
      ['maxtrax', 'users', [['tenant', 'globex'], ['userName', 'new.user@globex.example'], ['role', 'welder'], ['password', 'S3cret-pass!']], /S3cret-pass!/],
      ['machhub', 'users', [['tenant', 'domains:acme'], ['username', 'newbie'], ['password', 'pw-123456']], /pw-123456/],
    ];
    for (const [vendor, kind, fields, secret] of cases) {
      if (vendor === 'maintainx') {
        const form = await c.get('/credentials/maintainx?tenant=2');
        fields[1][1] = /<select id="api-keys-user_id"[^>]*><option value="(\d+)"/.exec(form.html)![1];
      }
      const page = await c.post(`/credentials/${vendor}/${kind}/create`, fields, csrf);
      expect(page.status, vendor).toBe(200);
      const value = secret.exec(page.html)?.[0];
      expect(value, `${vendor} ${kind}: ${text(page.html).slice(0, 400)}`).toBeDefined();
      expect(page.html).toContain('class="created"');
      expect(/<textarea id="[^"]+-curl"[^>]*>([^<]*)</.exec(page.html)![1]).toContain(value!.replace(/"/g, '&quot;').slice(0, 20));
      const again = await c.get(page.url);
      expect(again.html, `${vendor}: shown once`).not.toContain(value!);
      expect(again.html).not.toContain('class="created"');
    }
  });

  it('a refused form says why and changes nothing', async () => {
    const before = (await c.get('/credentials/trakrf?tenant=1')).html.match(/<tr>/g)!.length;
    let page = await c.post('/credentials/trakrf/api-keys/create', [['tenant', '1'], ['name', 'x']], csrf);
    expect(text(page.html)).toContain('API Keys: Choose at least one scope.');
    page = await c.post('/credentials/trakrf/api-keys/create', [['tenant', '1'], ['name', ''], ['scopes', 'assets:read']], csrf);
    expect(text(page.html)).toContain('API Keys: name must be a string of 1 to 255 characters');
    expect(page.html).toContain('role="alert"');
    expect(page.html.match(/<tr>/g)!.length).toBe(before);
    page = await c.post('/credentials/maxtrax/users/create', [['tenant', 'acme'], ['userName', 'irene.inspector@acme.example'], ['role', 'inspector'], ['password', 'x']], csrf);
    expect(text(page.html)).toContain('Users: user already exists in acme: irene.inspector@acme.example');
  });

  it('revoke: MACHHUB, MaintainX and TrakRF keys, and a deleted MACHHUB user, stop working', async () => {
    const minted = await c.post('/credentials/machhub/developer-keys/create', [['tenant', 'domains:acme'], ['name', 'to delete']], csrf);
    const key = /mchx_[A-Za-z0-9]{12}[^"<\s]+/.exec(minted.html)![0];
    const mh = suite.app('machhub');
    const call = () => mh.request('/machhub/products/count', { headers: { 'X-Machhub-Api-Key': key, Domain: 'domains:acme' } });
    expect((await call()).status).toBe(200);
    const page = await c.post('/credentials/machhub/developer-keys/revoke', [['tenant', 'domains:acme'], ['id', key.slice(5, 17)]], csrf);
    expect(text(page.html)).toContain(`Developer Keys: ${key.slice(5, 17)} deleted.`);
    expect((await call()).status).toBe(401);

    const login = () => mh.request('/machhub/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'engineer', password: 'engineer' }) });
    const tkn = ((await (await login()).json()) as { tkn: string }).tkn;
    const me = () => mh.request('/machhub/auth/me', { headers: { Authorization: `Bearer ${tkn}`, Domain: 'domains:acme' } });
    expect((await me()).status).toBe(200);
    const users = await c.get('/credentials/machhub?tenant=domains%3Aacme');
    const engineerId = new RegExp('<td>engineer</td>.*?name="id" value="([^"]+)"').exec(users.html)![1];
    const deleted = await c.post('/credentials/machhub/users/revoke', [['tenant', 'domains:acme'], ['id', engineerId]], csrf);
    expect(text(deleted.html)).toContain(`Users: ${engineerId} deleted.`);
    expect(deleted.html).not.toContain('<td>engineer</td>');
    expect((await me()).status).toBe(401);
    expect((await login()).status).toBe(401);

    const mx = await c.get('/credentials/maintainx?tenant=1');
    expect(mx.html).toMatch(/<td>1<\/td><td>Dana Reyes<\/td><td>mx_demo_…<\/td>/);
    const mxId = /name="id" value="(\d+)"/.exec(mx.html)![1];
    const revoked = await c.post('/credentials/maintainx/api-keys/revoke', [['tenant', '1'], ['id', mxId]], csrf);
    expect(text(revoked.html)).toContain(`API Keys: ${mxId} revoked.`);
    expect(revoked.html).toMatch(new RegExp(`<td>${mxId}</td>(<td>[^<]*</td>){5}<td>revoked `));
    const again = await c.post('/credentials/maintainx/api-keys/revoke', [['tenant', '1'], ['id', mxId]], csrf);
    expect(text(again.html)).toContain(`API Keys: unknown or already revoked api key: ${mxId}`);

    const tk = await c.post('/credentials/trakrf/api-keys/revoke', [['tenant', '1'], ['id', '46617dba-7cbb-4884-b116-88804a55dd6d']], csrf);
    expect(text(tk.html)).toContain('API Keys: 46617dba-7cbb-4884-b116-88804a55dd6d revoked.');
    const token = await suite.app('trakrf').request('/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: '46617dba-7cbb-4884-b116-88804a55dd6d', client_secret: 'trakrf_ec877987b7508125c060aef93243f7f18c0e9f8541b0be34b1848a2689291220' }),
    });
    expect(token.status).toBe(401);
  });

  it('clock and reset forms', async () => {
    let page = await c.post('/clock', [['action', 'freeze']], csrf);
    expect(suite.clock.frozen).toBe(true);
    expect(text(page.html)).toMatch(/Clock frozen at /);
    page = await c.post('/clock', [['action', 'set'], ['time', '2031-02-03T04:05:06']], csrf);
    expect(suite.clock.state().now).toBe('2031-02-03T04:05:06.000Z');
    page = await c.post('/clock', [['action', 'advance'], ['seconds', 'abc']], csrf);
    expect(text(page.html)).toContain('Advance by: enter a number of seconds.');
    page = await c.post('/reset', [], csrf);
    expect(text(page.html)).toContain('Everything reset to the seeded state');
    expect(suite.clock.frozen).toBe(false);
    page = await c.post('/reset', [['vendor', 'trakrf'], ['tenant', '99']], csrf);
    expect(text(page.html)).toContain('TrakRF: unknown tenant 99.');

    // A tenant's own clock (issue 13 §4): only that tenant moves.
    page = await c.post('/clock', [['scope', 'trakrf|2'], ['action', 'advance'], ['seconds', '1000']], csrf);
    expect(text(page.html)).toMatch(/TrakRF org 2: clock advanced by 1000 s: now /);
    expect(page.html).toContain('<h2 id="clock-h">Clock of TrakRF org 2</h2>');
    expect(page.html).toContain('<dd id="clock-offset">1000 s</dd>');
    expect(suite.clock.state().offset_seconds).toBe(0);
    const home = await c.get('/');
    expect(home.html).toContain('<caption>Tenants with a clock of their own</caption>');
    expect(home.html).toContain('<dd id="clock-offset">0 s</dd>');
    page = await c.post('/clock', [['scope', 'trakrf|2'], ['action', 'real']], csrf);
    expect(text(page.html)).toContain('TrakRF org 2: clock follows the suite clock again.');
    expect((await c.get('/')).html).not.toContain('Tenants with a clock of their own');
    expect((await c.post('/clock', [['scope', 'trakrf|77'], ['action', 'real']], csrf)).status).toBe(404);
  });

  it('unknown vendors, tenants and tables are a 404 page, not an error', async () => {
    for (const path of ['/data/nope', '/data/trakrf/nope?tenant=1', '/data/trakrf/assets?tenant=77', '/credentials/trakrf?tenant=x', '/nope']) {
      const page = await c.get(path);
      expect(page.status, path).toBe(404);
      expect(page.html).toContain('role="alert"');
    }
  });

  it('guards: a foreign Origin, a missing CSRF token, a rebound Host and a non-form POST are refused', async () => {
    expect((await c.post('/reset', [], csrf, 'http://evil.example')).status).toBe(403);
    expect((await c.post('/reset', [], 'forged')).status).toBe(403);
    const rebound = await c.request('/', { headers: { host: 'attacker.example' } });
    expect(rebound.status).toBe(403);
    const json = await c.request('/reset', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: '{}' });
    expect(json.status).toBe(400);
    const res = await c.request('/');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('console: requests, faults, snapshots', () => {
  let suite: Suite;
  let c: ReturnType<typeof consoleFor>;
  let csrf = '';

  beforeAll(async () => {
    suite = new Suite({ vendors: ['trakrf', 'maintainx'] });
    c = consoleFor(suite);
    csrf = c.csrfOf((await c.get('/')).html);
  });
  afterAll(() => suite.close());

  it('a request shows in the list, the live endpoint and in full, with its secrets masked', async () => {
    const secret = 'trakrf_9d1acbc7a7a2ca9a1ff91381b57783c0b94d08fd10221bbb2f7cdf90bf6e3485';
    const res = await suite.app('trakrf').request('http://127.0.0.1:4400/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: '0a28481b-0c38-4d39-b9c6-87394655e41c', client_secret: secret }),
    });
    expect(res.status).toBe(200);
    await suite.app('maintainx').request('http://127.0.0.1:4300/v1/workorders?limit=1', { headers: { Authorization: 'Bearer nope' } });
    const list = await c.get('/requests?vendor=trakrf');
    expect(list.html).toContain('/api/v1/oauth/token');
    expect(list.html).not.toContain('/v1/workorders');
    const live = await c.request('/requests/live?status=4xx');
    const body = (await live.json()) as { html: string; count: string };
    expect(body.count).toBe('1 request match.');
    expect(body.html).toContain('/v1/workorders?limit=1');
    const link = /href="(\/requests\/trakrf\/[^"]+)"/.exec(list.html)![1];
    const detail = await c.get(link);
    expect(detail.status).toBe(200);
    expect(detail.html).not.toContain(secret);
    expect(text(detail.html)).toContain('{\n  "grant_type": "client_credentials",\n  "client_id": "0a28481b-0c38-4d39-b9c6-87394655e41c",\n  "client_secret": "trakrf…3485"\n}');
    expect((await c.get('/requests/trakrf/nope')).status).toBe(404);
  });

  it('a 503 fault added in the form answers the next call in the vendor shape; removing it restores service', async () => {
    const page = await c.post('/faults', [['vendor', 'maintainx'], ['method', 'GET'], ['path', '/v1/workorders*'], ['status', '503'], ['times', '1']], csrf);
    expect(text(page.html)).toMatch(/MaintainX: fault (\w+) added \(GET \/v1\/workorders\*\)\./);
    const call = () => suite.app('maintainx').request('http://127.0.0.1:4300/v1/workorders?limit=1', { headers: { Authorization: 'Bearer mx_demo_acme_admin_4f1c2b7e9a0d' } });
    const failed = await call();
    expect(failed.status).toBe(503);
    expect(Object.keys((await failed.json()) as object)).toEqual(['error']);
    expect((await call()).status).toBe(200);
    const bad = await c.post('/faults', [['vendor', 'maintainx'], ['path', 'no-slash'], ['status', '503']], csrf);
    expect(text(bad.html)).toContain('path is required');
    const added = await c.post('/faults', [['vendor', 'trakrf'], ['path', '*'], ['delay_ms', '1']], csrf);
    const id = /trakrf"\/><input type="hidden" name="id" value="([^"]+)"/.exec(added.html)![1];
    const removed = await c.post('/faults/remove', [['vendor', 'trakrf'], ['id', id]], csrf);
    expect(text(removed.html)).toContain(`TrakRF: fault ${id} removed.`);
    expect(suite.instance('trakrf').faults.list()).toEqual([]);
  });

  it('sandboxes: created from the overview with credentials shown once, listed, browsable, deleted', async () => {
    let page = await c.post('/sandboxes', [['vendor', 'trakrf'], ['from', '1']], csrf);
    const m = /TrakRF: sandbox (\d+) created from 1 in [\d.]+ ms\./.exec(text(page.html));
    expect(m).not.toBeNull();
    const tenant = m![1];
    const json = JSON.parse(text(/<textarea id="sandbox-json"[^>]*>([^<]*)</.exec(page.html)![1])) as { tenant: string; base_url: string; credentials: Record<string, unknown> };
    expect(json.tenant).toBe(tenant);
    expect(json.base_url).toBe('http://127.0.0.1:4400');
    const secret = JSON.stringify(json.credentials).match(/trakrf_[0-9a-f]{64}/)![0];
    const again = await c.get(page.url);
    expect(again.html).not.toContain(secret);
    expect(text(again.html)).toContain(`sandbox ${tenant} (from 1)`);
    expect((await c.get(`/data/trakrf/assets?tenant=${tenant}`)).status).toBe(200);
    page = await c.post('/sandboxes/delete', [['vendor', 'trakrf'], ['tenant', tenant]], csrf);
    expect(text(page.html)).toContain(`TrakRF: sandbox ${tenant} deleted.`);
    expect(text(page.html)).not.toContain(`sandbox ${tenant} (from 1)`);
    page = await c.post('/sandboxes/delete', [['vendor', 'trakrf'], ['tenant', '1']], csrf);
    expect(text(page.html)).toContain('TrakRF: not a sandbox: 1.');
  });

  it('snapshots: save, change, restore, download, delete', async () => {
    let page = await c.post('/snapshots', [['vendor', 'trakrf'], ['name', 'before']], csrf);
    expect(text(page.html)).toContain('Saved before (TrakRF).');
    await c.post('/credentials/trakrf/api-keys/create', [['tenant', '1'], ['name', 'after the snapshot'], ['scopes', 'assets:read']], csrf);
    expect((await c.get('/credentials/trakrf?tenant=1')).html).toContain('after the snapshot');
    page = await c.post('/snapshots/restore', [['vendor', 'trakrf'], ['name', 'before']], csrf);
    expect(text(page.html)).toMatch(/TrakRF: restored before in [\d.]+ ms\./);
    expect((await c.get('/credentials/trakrf?tenant=1')).html).not.toContain('after the snapshot');
    const file = await c.request('/snapshots/trakrf/before/file');
    expect(file.headers.get('content-type')).toBe('application/vnd.sqlite3');
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
    page = await c.post('/snapshots', [['name', 'bad name!']], csrf);
    expect(text(page.html)).toContain('name must be 1-64 letters');
    page = await c.post('/snapshots/delete', [['vendor', 'trakrf'], ['name', 'before']], csrf);
    expect(text(page.html)).toContain('TrakRF: snapshot before deleted.');
    expect((await c.request('/snapshots/trakrf/before/file')).status).toBe(404);
  });
});

describe('console sign-in (--admin-token)', () => {
  it('asks for the token, refuses a wrong one with a clear message, then sets an HttpOnly SameSite=Strict cookie', async () => {
    const suite = new Suite({ vendors: ['trakrf'], adminToken: 'sesame' });
    try {
      const c = consoleFor(suite, 'sesame');
      const first = await c.request('/credentials/trakrf');
      expect([first.status, first.headers.get('location')]).toEqual([303, '/login']);
      const login = await c.get('/login');
      const csrf = c.csrfOf(login.html);
      const wrong = await c.post('/login', [['token', 'nope']], csrf);
      expect(wrong.status).toBe(401);
      expect(text(wrong.html)).toContain('Wrong admin token: use the value of --admin-token (or VENDOR_FAKES_ADMIN_TOKEN).');
      expect((await c.request('/')).status).toBe(303);
      const body = new URLSearchParams({ _csrf: csrf, token: 'sesame' });
      const ok = await c.request('/login', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN } });
      expect(ok.status).toBe(303);
      const cookie = ok.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^vf_console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      const home = await c.get('/');
      expect(home.status).toBe(200);
      // A token from another session is refused.
      expect((await c.post('/reset', [], csrf)).status).toBe(403);
      const out = await c.post('/logout', [], c.csrfOf(home.html));
      expect(out.url).toBe('/login');
      expect((await c.request('/')).status).toBe(303);
    } finally {
      suite.close();
    }
  });
});

describe('console sign-in throttle', () => {
  it('after 10 wrong tokens in a minute sign-in pauses, even for the right token', async () => {
    const suite = new Suite({ vendors: ['trakrf'], adminToken: 'sesame' });
    try {
      const c = consoleFor(suite, 'sesame');
      const csrf = c.csrfOf((await c.get('/login')).html);
      for (let i = 0; i < 10; i++) expect((await c.post('/login', [['token', `wrong-${i}`]], csrf)).status).toBe(401);
      const paused = await c.post('/login', [['token', 'sesame']], csrf);
      expect(paused.status).toBe(429);
      expect(text(paused.html)).toContain('Too many wrong admin tokens: wait a minute, then try again.');
    } finally {
      suite.close();
    }
  });
});

describe('console listener', () => {
  it('GET /__admin/console keeps the host name the client used', async () => {
    const fakes = await startFakes({ vendors: ['trakrf'], consolePort: 0 });
    try {
      const port = new URL(fakes.consoleUrl!).port;
      const { request } = await import('node:http');
      const location = (host: string) =>
        new Promise<string | undefined>((resolve, reject) => {
          const u = new URL(fakes.urls.trakrf);
          request({ host: u.hostname, port: u.port, path: '/__admin/console', headers: { host } }, (res) => {
            res.resume();
            resolve(res.headers.location);
          })
            .on('error', reject)
            .end();
        });
      expect(await location('fakes.internal:4400')).toBe(`http://fakes.internal:${port}/`);
      expect(await location('[::1]:4400')).toBe(`http://[::1]:${port}/`);
      expect(await location('exa_mple.test')).toBe(`${fakes.consoleUrl}/`);
    } finally {
      await fakes.close();
    }
  });

  it('GET /__admin/console answers 404 with why when the console is off', async () => {
    const fakes = await startFakes({ vendors: ['trakrf'] });
    try {
      expect(fakes.consoleUrl).toBeNull();
      const res = await fetch(`${fakes.urls.trakrf}/__admin/console`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'the web console is off (start with --console-port N, without --no-console)' });
    } finally {
      await fakes.close();
    }
  });
});

describe('console from the CLI', () => {
  it('--console-port 0 prints the console URL and /__admin/console redirects there; --no-console prints none; bad values are one line', async () => {
    const { startCli, runCli } = await import('../ship/helpers.js');
    let cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0', '--console-port', '0', '--quiet']);
    try {
      const consoleUrl = /^Web console: (http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(cli.out())![1];
      const trakrf = /\(control plane: (http:\/\/[^ ]+)\/__admin\)/.exec(cli.out())![1];
      const res = await fetch(`${trakrf}/__admin/console`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([302, `${consoleUrl}/`]);
      const home = await fetch(`${consoleUrl}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('<h1>Overview</h1>');
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    cli = await startCli(['--vendors', 'trakrf', '--trakrf-port', '0', '--no-console', '--quiet']);
    try {
      expect(cli.out()).not.toContain('Web console');
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    const r = runCli(['--console-port', '99999']);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'vendor-fakes: --console-port must be an integer from 0 to 65535']);
  }, 60_000);
});
