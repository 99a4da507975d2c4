/**
 * Golden responses: a sample of requests per vendor, answered in-process by a suite with a fixed seed, deterministic
 * signing keys and the suite clock frozen at a fixed instant, compared byte for byte (status, every header sorted and
 * lower-cased, the exact body bytes) with `test/golden/<vendor>.txt`. The guard for rewrites of the hot paths: the
 * wire bytes must not change.
 *
 * Secrets minted at run time (refresh tokens, CSRF tokens, JWT ids) come from crypto randomness by design; here
 * `randomHex` is replaced by a counter-derived stream (restarted per vendor) so the files are reproducible. Nothing
 * else is normalised: no response carries a real-time value.
 *
 * When a change of the bytes is intended (and a test proves the old bytes were wrong), rewrite the files with
 *   UPDATE_GOLDEN=1 npx vitest run test/golden
 * and review the diff.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { Clock } from '../../src/core/clock.js';
import { Suite } from '../../src/suite.js';

const minted = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/core/secrets.js', async (original) => ({
  ...(await original<typeof import('../../src/core/secrets.js')>()),
  randomHex: (nBytes: number) => {
    let hex = '';
    for (let i = 0; hex.length < nBytes * 2; i++) hex += createHash('sha256').update(`golden ${minted.count} ${i}`).digest('hex');
    minted.count++;
    return hex.slice(0, nBytes * 2);
  },
}));

const INSTANT = new Date('2026-06-15T09:30:00.000Z');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Req {
  headers?: Record<string, string>;
  /** JSON-encoded. */
  json?: unknown;
  /** Sent as is. Either body goes with Content-Type application/json unless the headers give one. */
  raw?: string;
}

interface Answer {
  status: number;
  text: string;
  json: any;
}

/** One vendor's script: sends requests through `send`, each answer recorded in order. */
type Script = (send: (method: string, path: string, req?: Req) => Promise<Answer>) => Promise<void>;

function suiteFor(vendor: string): Suite {
  const clock = new Clock();
  clock.freeze(true);
  clock.set(INSTANT);
  return new Suite({ vendors: [vendor], seed: 42, deterministicKeys: true, clock });
}

function bodyText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `base64:${Buffer.from(bytes).toString('base64')}`;
  }
}

async function record(vendor: string, script: Script): Promise<string[]> {
  minted.count = 0;
  const suite = suiteFor(vendor);
  const app = suite.app(vendor);
  const entries: string[] = [];
  try {
    await script(async (method, path, req = {}) => {
      const headers: Record<string, string> = { ...req.headers };
      let body: string | undefined = req.raw;
      if (req.json !== undefined) body = JSON.stringify(req.json);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      const res = await app.request(path, { method, headers, body });
      const bytes = new Uint8Array(await res.arrayBuffer());
      const lines = [`=== #${entries.length + 1} ${method} ${path}`, `< ${res.status}`];
      const names = [...new Set([...res.headers.keys()].map((k) => k.toLowerCase()))].sort();
      for (const name of names) {
        if (name === 'set-cookie') for (const v of res.headers.getSetCookie()) lines.push(`< set-cookie: ${v}`);
        else lines.push(`< ${name}: ${res.headers.get(name)}`);
      }
      const text = bodyText(bytes);
      lines.push(`--- body ${bytes.length} bytes`, text);
      entries.push(lines.join('\n') + '\n');
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json };
    });
  } finally {
    suite.close();
  }
  return entries;
}

function splitEntries(file: string): string[] {
  return file.split(/^(?==== #\d+ )/m).filter((s) => s.length > 0);
}

function check(vendor: string, script: Script): void {
  it(`${vendor}: the recorded responses, byte for byte`, async () => {
    const file = new URL(`./${vendor}.txt`, import.meta.url);
    const entries = await record(vendor, script);
    expect(entries.length).toBeGreaterThanOrEqual(25);
    if (UPDATE) {
      writeFileSync(file, entries.join(''));
      return;
    }
    const expected = splitEntries(readFileSync(file, 'utf8'));
    for (let i = 0; i < Math.max(entries.length, expected.length); i++) expect(entries[i], `entry #${i + 1}`).toBe(expected[i]);
  });
}

const TRAKRF = JSON.parse(readFileSync(new URL('../../fixtures/trakrf.json', import.meta.url), 'utf8'));
const MAXTRAX = JSON.parse(readFileSync(new URL('../../fixtures/maxtrax.json', import.meta.url), 'utf8'));

describe('golden responses', () => {
  check('trakrf', async (send) => {
    const keys = TRAKRF.orgs[0].api_keys as Array<{ name: string; client_id: string; client_secret: string }>;
    const full = keys.find((k) => k.name === 'demo-full')!;
    const readOnly = keys.find((k) => k.name === 'demo-read-only')!;
    const tok = await send('POST', '/api/v1/oauth/token', { json: { grant_type: 'client_credentials', client_id: full.client_id, client_secret: full.client_secret } });
    const auth = { Authorization: `Bearer ${tok.json.access_token}` };
    const get = (path: string) => send('GET', path, { headers: auth });
    await send('POST', '/api/v1/oauth/token', { json: { grant_type: 'client_credentials', client_id: full.client_id, client_secret: 'wrong' } });
    await send('POST', '/api/v1/oauth/token', { json: { grant_type: 'refresh_token', refresh_token: tok.json.refresh_token } });
    await send('POST', '/api/v1/oauth/token', { raw: '{"grant_type":' });
    await get('/api/v1/orgs/me');
    const list = await get('/api/v1/assets?limit=50');
    await get('/api/v1/assets');
    await get('/api/v1/assets?limit=5&offset=2');
    await get('/api/v1/assets?limit=10&offset=40');
    await get('/api/v1/assets?sort=-name,%20external_key&limit=7');
    await get('/api/v1/assets?sort=-updated_at&limit=3&is_active=true');
    await get('/api/v1/assets?q=pallet&limit=5');
    await get('/api/v1/assets?include_deleted=true&limit=3&offset=1');
    await get('/api/v1/assets?limit=201&offset=-1&sort=-bogus,name&is_active=TRUE&foo=bar');
    const asset = list.json.data[0];
    await get(`/api/v1/assets/${asset.id}`);
    await get(`/api/v1/assets/${asset.id}/history`);
    await get('/api/v1/assets/abc?zeta=1');
    await get('/api/v1/assets/999999999');
    const locs = await get('/api/v1/locations?limit=20&sort=name');
    await get(`/api/v1/locations?parent_id=${locs.json.data[0].id}`);
    await get(`/api/v1/locations/${locs.json.data[0].id}/descendants`);
    await get(`/api/v1/locations/${locs.json.data[0].id}/ancestors`);
    await get('/api/v1/reports/asset-locations?limit=5');
    await send('GET', '/api/v1/assets');
    await send('GET', '/api/v1/assets', { headers: { Authorization: 'Bearer not-a-token' } });
    await send('DELETE', '/api/v1/assets', { headers: auth });
    await send('GET', '/api/v1/nowhere', { headers: auth });
    await send('GET', '/dashboard');
    await send('POST', '/api/v1/assets', { headers: auth, raw: '{"name":' });
    await send('POST', '/api/v1/assets', { headers: { ...auth, 'Content-Type': 'text/plain' }, raw: 'name' });
    await send('POST', '/api/v1/assets', { headers: auth, json: { name: 'Golden', external_key: 'GOLD-1', bogus: 1 } });
    await send('POST', '/api/v1/assets', { headers: auth, json: { name: null, external_key: null } });
    const made = await send('POST', '/api/v1/assets', { headers: auth, json: { name: 'Golden asset', external_key: 'GOLD-1', metadata: { k: 'v' } } });
    await send('PATCH', `/api/v1/assets/${made.json.data?.id ?? made.json.id}`, {
      headers: { ...auth, 'Content-Type': 'application/merge-patch+json' },
      raw: JSON.stringify({ description: 'patched' }),
    });
    await get(`/api/v1/assets/${made.json.data?.id ?? made.json.id}`);
    await get('/api/v1/assets?external_key=GOLD-1');
    const ro = await send('POST', '/api/v1/oauth/token', { json: { grant_type: 'client_credentials', client_id: readOnly.client_id, client_secret: readOnly.client_secret } });
    await send('POST', '/api/v1/assets', { headers: { Authorization: `Bearer ${ro.json.access_token}` }, json: { name: 'x', external_key: 'RO-1' } });
    await send('GET', '/healthz');
  });

  check('maxtrax', async (send) => {
    const users = MAXTRAX.tenants.find((t: any) => t.name === 'acme').users as Array<{ userName: string; password: string; role: string }>;
    const admin = users.find((u) => u.role === 'admin')!;
    const inspector = users.find((u) => u.role === 'inspector')!;
    const host = { Host: 'acme.maxtrax.localhost:4100' };
    const login = await send('POST', '/auth/login', { headers: host, json: { userName: inspector.userName, password: inspector.password } });
    const auth = { ...host, Authorization: `Bearer ${login.json.accessToken}` };
    const get = (path: string) => send('GET', path, { headers: auth });
    await send('POST', '/auth/login', { headers: host, json: { userName: inspector.userName, password: 'wrong' } });
    await send('POST', '/auth/login', { headers: host, raw: '{"userName":' });
    await send('POST', '/auth/refresh', { headers: host, json: { refreshToken: login.json.refreshToken } });
    const welds = await get('/welds?pageSize=50');
    await get('/welds');
    await get('/welds?page=2&pageSize=50');
    await get('/welds?page=4&pageSize=50');
    await get('/welds?page=9999&pageSize=50');
    await get('/welds?status=REJECTED,REPAIR&pageSize=20');
    const isos = await get('/isos?pageSize=5');
    await get(`/isos/${isos.json.items[0].id}`);
    await get(`/welds?isoId=${isos.json.items[0].id}&status=PENDING`);
    await get(`/welds?isoId=${isos.json.items[1].id}&page=2&pageSize=3`);
    await get(`/welds/${welds.json.items[0].id}`);
    await get('/welds/does-not-exist');
    await get('/welds?sort=id');
    await get('/welds?page=0');
    await get('/welds?pageSize=201');
    await get('/welds?status=DONE');
    await get('/welds?page=1&page=2');
    await get(`/welds/${welds.json.items[0].id}?expand=all`);
    await send('GET', '/welds', { headers: host });
    await send('GET', '/welds', { headers: { ...host, Authorization: 'Bearer nope' } });
    await send('DELETE', '/welds', { headers: auth });
    await send('GET', '/nowhere', { headers: auth });
    await send('GET', '/welds', { headers: { Host: 'nobody.maxtrax.localhost:4100', Authorization: auth.Authorization } });
    const pending = (await get('/welds?status=PENDING&pageSize=1')).json.items[0];
    await send('PATCH', `/welds/${pending.id}/status`, { headers: auth, json: { status: 'BOGUS' } });
    await send('PATCH', `/welds/${pending.id}/status`, { headers: auth, raw: '{"status"' });
    await send('PATCH', `/welds/${pending.id}/status`, { headers: auth, json: { status: 'ACCEPTED', extra: 1 } });
    await send('PATCH', `/welds/${pending.id}/status`, { headers: auth, json: { status: 'ACCEPTED' } });
    await get(`/welds/${pending.id}`);
    const adm = await send('POST', '/auth/login', { headers: host, json: { userName: admin.userName, password: admin.password } });
    await send('GET', '/welds?status=ACCEPTED&pageSize=2', { headers: { ...host, Authorization: `Bearer ${adm.json.accessToken}` } });
    await send('POST', '/auth/logout', { headers: auth });
    await send('GET', '/health/live');
  });

  check('maintainx', async (send) => {
    const auth = { Authorization: 'Bearer mx_demo_acme_admin_4f1c2b7e9a0d' };
    const get = (path: string) => send('GET', path, { headers: auth });
    const first = await get('/v1/workorders?limit=100');
    await get('/v1/workorders');
    await get('/v1/workorders?limit=7&statuses=OPEN');
    const p1 = await get('/v1/workorders?limit=5&sort=-createdAt');
    await get(p1.json.nextPageUrl);
    await get('/v1/workorders?limit=5&sort=updatedAt&priorities=HIGH');
    await get('/v1/workorders?limit=3&createdAt[gte]=2026-01-01T00:00:00.000Z');
    await get(`/v1/workorders/${first.json.workOrders[0].id}`);
    await get(`/v1/workorders/${first.json.workOrders[1].id}?expand=assignees&expand=asset&expand=location`);
    await get('/v1/workorders/46?useSequentialId=true');
    await get('/v1/workorders/999999');
    await get('/v1/workorders/abc');
    await get(`/v1/workorders/${first.json.workOrders[0].id}?expand=everything`);
    await get('/v1/workorders?limit=1000');
    await get('/v1/workorders?cursor=garbage');
    await get('/v1/workorders?sort=bogus');
    await get('/v1/assets?limit=5');
    await get('/v1/locations?limit=5');
    await get('/v1/parts?limit=3');
    await get('/v1/users?limit=3');
    await get('/v1/organizations');
    await send('GET', '/v1/workorders');
    await send('GET', '/v1/workorders', { headers: { Authorization: 'Bearer nope' } });
    await send('GET', '/v1/nowhere', { headers: auth });
    await send('PUT', '/v1/workorders', { headers: auth });
    await send('POST', '/v1/workorders', { headers: auth, raw: '{"title":' });
    await send('POST', '/v1/workorders', { headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, raw: 'title=x' });
    await send('POST', '/v1/workorders', { headers: auth, json: [1, 2] });
    await send('POST', '/v1/workorders', { headers: auth, json: { description: 'no title' } });
    await send('POST', '/v1/workorders', { headers: auth, json: { title: 'x', priority: 'Happy Birthday' } });
    await send('POST', '/v1/workorders', { headers: auth, json: { title: 'x', bogus: true } });
    const made = await send('POST', '/v1/workorders', { headers: auth, json: { title: 'Golden pump seal', priority: 'HIGH' } });
    await send('PATCH', `/v1/workorders/${made.json.id}`, { headers: auth, json: { description: 'patched', dueDate: '2026-07-01T12:00:00.000Z' } });
    await get(`/v1/workorders/${made.json.id}`);
    await send('PATCH', `/v1/workorders/${made.json.id}/status`, { headers: auth, json: { status: 'DONE' } });
    await get('/v1/workorders?limit=2&statuses=DONE&sort=-updatedAt');
    await send('DELETE', `/v1/workorders/${made.json.id}`, { headers: auth });
    await get(`/v1/workorders/${made.json.id}`);
  });

  check('machhub', async (send) => {
    const domain = { Domain: 'domains:acme' };
    const login = await send('POST', '/machhub/auth/login', { headers: domain, json: { username: 'admin', password: 'admin' } });
    const auth = { ...domain, Authorization: `Bearer ${login.json.tkn}` };
    const key = { ...domain, 'X-Machhub-Api-Key': 'mchx_ABCDEFGHIJKLsecret' };
    const get = (path: string, headers: Record<string, string> = auth) => send('GET', path, { headers });
    await send('POST', '/auth/login', { headers: domain, json: { username: 'admin', password: 'nope' } });
    await send('POST', '/auth/login', { headers: domain, raw: '{"username":' });
    await get('/machhub/auth/me');
    await get('/machhub/products/all?limit=20');
    await get('/machhub/products/all?sort=[price][desc]&limit=5&offset=10');
    await get('/machhub/products/all?sort=[name]&limit=5&offset=40');
    await get('/machhub/products/all?fields=id,categoryId.ID&limit=2');
    await get('/machhub/orders/all?expand=orderLines&limit=1');
    await get('/machhub/products/all?filter%5Bprice%5D%5B%3E%5D%5Bnumber%5D=50&sort=[price]&limit=5', key);
    await get('/machhub/products/count?filter%5Bprice%5D%5B%3E%5D%5Bnumber%5D=50', key);
    await get('/machhub/products/count');
    await get('/machhub/items/all?limit=3&offset=5');
    await get('/machhub/acme.products:PROD-001');
    await get('/machhub/products:PROD-002', key);
    await get('/machhub/K-1');
    await get('/machhub/products/all?filter[x][%3D][number]=y');
    await get('/machhub/widgets/all?fields=__proto__');
    await get('/machhub/products/all?limit=abc');
    await get('/machhub/products/all?limit=1', { Domain: 'domains:globex', Authorization: auth.Authorization });
    await get('/machhub/products/all?limit=1', { ...domain, Authorization: 'Bearer nope' });
    await get('/machhub/tag/list');
    await get('/machhub/designer/collections');
    await send('POST', '/machhub/widgets', { headers: auth, raw: '{"a":' });
    await send('POST', '/machhub/widgets', { headers: auth, json: [1, 2] });
    await send('POST', '/machhub/widgets', { headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, raw: 'name=x' });
    await send('POST', '/machhub/widgets', { headers: auth, json: { id: 'G1', name: 'golden', qty: 3 } });
    await send('POST', '/machhub/widgets', { headers: auth, json: { id: 'G1' } });
    await send('PUT', '/machhub/widgets:G1', { headers: auth, json: { qty: 4, note: null } });
    await get('/machhub/widgets:G1');
    await get('/machhub/widgets/all');
    await send('DELETE', '/machhub/acme.widgets%3AG1', { headers: auth });
    await get('/machhub/widgets:G1');
    await send('GET', '/nowhere', { headers: auth });
    await send('GET', '/machhub');
  });
});
