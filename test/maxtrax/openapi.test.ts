import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSuite, user } from './helpers.js';
import { documented, openapiDoc, served, tagged } from '../support/routes.js';

const doc = openapiDoc('maxtrax');
const adminDoc = openapiDoc('admin');

const t = makeSuite();
afterAll(() => t.suite.close());
const runtime = t.suite.instance('maxtrax').runtime;

describe('openapi/maxtrax.json is in sync with the routes', () => {
  it('every served route is documented and every documented route is served', () => {
    expect(served(runtime.api as never)).toEqual(documented(doc));
  });

  it("the vendor's control-plane routes are in openapi/admin.json, tagged maxtrax", () => {
    expect(served(runtime.admin as never, { prefix: '/__admin' })).toEqual(documented(adminDoc, { filter: tagged('maxtrax') }));
  });
});

// ---- response validation -----------------------------------------------------------------------------------------
// CommonJS default exports under NodeNext.
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'maxtrax.json');
const matchers = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$') }));
const seen = new Set<string>();

function resolve(obj: { $ref?: string }): any {
  if (!obj.$ref) return obj;
  return obj.$ref.slice(2).split('/').reduce((o: any, k) => o[k], doc);
}

function validate(method: string, url: string, r: { status: number; headers: Headers; json: any; text: string }) {
  const path = url.split('?')[0];
  const m = matchers.find((x) => x.re.test(path));
  expect(m, `undocumented path ${path}`).toBeDefined();
  const op = doc.paths[m!.p][method.toLowerCase()];
  if (!op) {
    expect(r.status).toBe(405);
    return;
  }
  const spec = op.responses[String(r.status)];
  expect(spec, `${method} ${m!.p} → ${r.status} is not documented`).toBeDefined();
  const res = resolve(spec);
  const ctype = r.headers.get('content-type');
  if (!res.content) {
    expect(r.text).toBe('');
    return;
  }
  expect(Object.keys(res.content)).toContain(ctype);
  const schemaRef = res.content[ctype!].schema.$ref as string;
  const v = ajv.getSchema('maxtrax.json' + schemaRef)!;
  const ok = v(r.json);
  expect(ok, `${method} ${m!.p} → ${r.status}: ${ajv.errorsText(v.errors)}`).toBe(true);
  seen.add(`${method} ${m!.p} ${r.status}`);
}

async function call(method: string, url: string, opts: Parameters<typeof t.call>[2] = {}) {
  const r = await t.call(method, url, opts);
  validate(method, url, r);
  return r;
}

describe('responses match openapi/maxtrax.json', () => {
  it('across the whole API surface, successes and errors', async () => {
    await call('GET', '/health/live');
    await call('GET', '/health/ready');
    await call('GET', '/health/live?x=1');
    await call('GET', '/health/live', { tenant: 'initech' });
    await call('POST', '/health/live');
    await t.call('PATCH', '/__admin/tenants/acme', { body: { ready: false } });
    await call('GET', '/health/ready');
    await t.call('PATCH', '/__admin/tenants/acme', { body: { ready: true } });

    const insp = user('inspector');
    const login = await call('POST', '/auth/login', { body: { userName: insp.userName, password: insp.password } });
    const token = login.json.accessToken;
    await call('POST', '/auth/login', { body: { userName: insp.userName, password: 'nope' } });
    await call('POST', '/auth/login', { body: { userName: insp.userName } });
    await call('POST', '/auth/login', { raw: '{', headers: { 'Content-Type': 'application/json' } });
    await call('POST', '/auth/login', { raw: 'x', headers: { 'Content-Type': 'text/plain' } });
    await call('POST', '/auth/login', { raw: JSON.stringify({ userName: 'x'.repeat(70_000) }), headers: { 'Content-Type': 'application/json' } });
    for (let i = 0; i < 11; i++) await call('POST', '/auth/login', { body: { userName: 'spammer', password: 'x' } });
    await call('GET', '/auth/login');

    const rot = await call('POST', '/auth/refresh', { body: { refreshToken: login.json.refreshToken } });
    await call('POST', '/auth/refresh', { body: { refreshToken: login.json.refreshToken } });
    await call('POST', '/auth/refresh', { body: { refreshToken: 1 } });
    await call('POST', '/auth/refresh', { cookies: { mtx_rt: 'x' } });
    await call('POST', '/auth/logout', { body: { refreshToken: rot.json.refreshToken } });
    await call('POST', '/auth/logout', { cookies: { mtx_rt: 'x' } });

    const isos = await call('GET', '/isos?pageSize=2', { token });
    await call('GET', `/isos/${isos.json.items[0].id}`, { token });
    await call('GET', '/isos/nope', { token });
    await call('GET', '/isos?bad=1', { token });
    await call('GET', '/isos');
    await call('DELETE', '/isos', { token });

    const welds = await call('GET', '/welds?status=PENDING&pageSize=3', { token });
    await call('GET', '/welds?status=BAD', { token });
    await call('GET', `/welds/${welds.json.items[0].id}`, { token });
    await call('GET', '/welds/nope', { token });
    const id = welds.json.items[0].id;
    await call('PATCH', `/welds/${id}/status`, { token, body: { status: 'REJECTED', reason: 'Porosity' } });
    await call('PATCH', `/welds/${id}/status`, { token, body: { status: 'PENDING' } });
    await call('PATCH', `/welds/${id}/status`, { token, body: { status: 'nope' } });
    await call('PATCH', `/welds/${id}/status`, { token, raw: 'x', headers: { 'Content-Type': 'text/plain' } });
    await call('PATCH', `/welds/${id}/status`, { token, raw: '[', headers: { 'Content-Type': 'application/json' } });
    await call('PATCH', `/welds/${id}/status`, { token, raw: JSON.stringify({ status: 'x'.repeat(70_000) }), headers: { 'Content-Type': 'application/json' } });
    await call('PATCH', `/welds/${id}/status`, { cookies: { mtx_at: token }, body: { status: 'ACCEPTED' } });
    await call('PATCH', '/welds/nope/status', { token, body: { status: 'ACCEPTED' } });
    await call('PUT', `/welds/${id}/status`, { token });
    const welder = user('welder');
    const wt = (await call('POST', '/auth/login', { body: { userName: welder.userName, password: welder.password } })).json.accessToken;
    await call('PATCH', `/welds/${id}/status`, { token: wt, body: { status: 'ACCEPTED' } });
    await call('GET', '/welds', { token: wt });

    for (const must of [
      'GET /health/live 200', 'GET /health/ready 503', 'POST /auth/login 200', 'POST /auth/login 401', 'POST /auth/login 413',
      'POST /auth/login 415', 'POST /auth/login 422', 'POST /auth/login 429', 'POST /auth/refresh 200', 'POST /auth/refresh 401',
      'POST /auth/logout 403', 'GET /isos 200', 'GET /isos/{id} 200', 'GET /welds 400', 'GET /welds/{id} 200', 'GET /welds/{id} 404',
      'PATCH /welds/{id}/status 200', 'PATCH /welds/{id}/status 409', 'PATCH /welds/{id}/status 403', 'PATCH /welds/{id}/status 422',
    ]) {
      expect(seen.has(must), must).toBe(true);
    }
  });
});
