import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';
import { documented, METHODS, openapiDoc, served, tagged } from '../support/routes.js';

const doc = openapiDoc('machhub');
const adminDoc = openapiDoc('admin');

describe('openapi/machhub.json stays in sync with the routes', () => {
  const { suite } = makeSuite();
  const runtime = suite.instance('machhub').runtime;

  it('every served route is documented and every documented route is served', () => {
    expect(documented(doc)).toEqual(served(runtime.api as any));
  });

  it('every machhub control-plane route is in openapi/admin.json, tagged machhub', () => {
    expect(documented(adminDoc, { filter: tagged('machhub') })).toEqual(served(runtime.admin as any, { prefix: '/__admin' }));
  });

  it('operation ids are unique', () => {
    const ids = Object.values<any>(doc.paths).flatMap((ops) => METHODS.filter((m) => ops[m]).map((m) => ops[m].operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('responses validate against openapi/machhub.json', () => {
  const ajv = new AjvModule.default({ strict: false, allErrors: true });
  formatsModule.default(ajv);
  const templates = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp('^' + p.replace(/\{slug\}/, '.+').replace(/\{[^}]+\}/g, '[^/]+') + '$') }));
  const cache = new Map<string, ReturnType<typeof ajv.compile>>();
  let validated = 0;

  function validate(method: string, path: string, status: number, type: string, body: string) {
    const url = new URL(path, 'http://x');
    const matches = templates.filter((t) => t.re.test(url.pathname) && doc.paths[t.p][method]);
    // Fixed paths win over templated ones, as in the router.
    matches.sort((a, b) => (a.p.match(/\{/g)?.length ?? 0) - (b.p.match(/\{/g)?.length ?? 0));
    expect(matches.length, `${method} ${url.pathname} is documented`).toBeGreaterThan(0);
    const op = doc.paths[matches[0].p][method];
    let resp = op.responses[String(status)];
    expect(resp, `${method} ${matches[0].p} documents status ${status}`).toBeDefined();
    if (resp.$ref) resp = doc.components.responses[resp.$ref.split('/').pop()];
    const [ctype] = Object.keys(resp.content);
    if (ctype === 'application/json') {
      expect(type).toMatch(/^application\/json/);
      const key = `${matches[0].p} ${method} ${status}`;
      let v = cache.get(key);
      if (!v) {
        v = ajv.compile({ ...resp.content[ctype].schema, components: doc.components });
        cache.set(key, v);
      }
      const ok = v(JSON.parse(body));
      expect(ok, `${key}: ${ajv.errorsText(v.errors)}`).toBe(true);
    } else if (ctype === 'text/plain') {
      expect(type).toMatch(/^text\/plain/);
    } else if (ctype === 'application/gzip') {
      expect(type).toBe('application/gzip');
    } else {
      expect(type).not.toMatch(/json/);
    }
    validated++;
  }

  it('a request per documented operation (and its main errors) validates', async () => {
    const { app, login } = makeSuite();
    const tkn = await login('engineer');
    const calls: [string, string, unknown?, Record<string, string>?][] = [
      ['post', '/auth/login', { username: 'admin', password: 'admin' }],
      ['post', '/machhub/auth/login', { username: 'admin', password: 'x' }],
      ['post', '/auth/login', 'garbage'],
      ['post', '/machhub/auth/jwt/validate', { token: tkn }],
      ['post', '/auth/jwt/validate', { token: 'x' }],
      ['get', '/machhub/auth/me'],
      ['get', '/auth/me', undefined, { Authorization: 'Bearer nope' }],
      ['get', '/auth/permission/action/feature/collections/scope/domain'],
      ['get', '/machhub/auth/permission/action/feature/collections'],
      ['get', '/machhub/auth/permission/check/feature/collections/scope/domain/action/read'],
      ['get', '/auth/permission/check/feature/collections/action/read'],
      ['get', '/machhub/auth/permission'],
      ['post', '/machhub/auth/permission', { group_id: 'groups:nope', permissions: [] }],
      ['get', '/machhub/auth/user'],
      ['get', '/auth/user/users:operator'],
      ['get', '/auth/user/users:nobody'],
      ['post', '/machhub/auth/user', { username: 'v1', password: 'p', firstName: 'a', lastName: 'b', email: 'e', number: '1', userImage: null }],
      ['post', '/machhub/auth/user', { username: 'v1', password: 'p' }],
      ['get', '/auth/group'],
      ['post', '/auth/group', { name: 'V', features: [{ name: 'collections', action: 'read', scope: 'domain' }] }],
      ['post', '/auth/group', { name: 'superuser' }],
      ['post', '/machhub/auth/group/groups:nope/user/users:operator'],
      ['get', '/machhub/'],
      ['get', '/machhub'],
      ['get', '/machhub/tag/list'],
      ['get', '/machhub/historian/list'],
      ['patch', '/machhub/historian', { topic: 'a/b', start_time: '2026-06-01T00:00:00Z', range: '5m' }],
      ['patch', '/machhub/historian/last', { topic: 'a/b', limit: 2 }],
      ['post', '/machhub/historian/query', { query: 'SELECT * FROM historian LIMIT 2' }],
      ['post', '/machhub/historian/query', { query: 'INFO FOR DB' }],
      ['post', '/machhub/historian/export/aggregated', { topics: ['a/b'], startDate: '2026-06-01T00:00:00Z', endDate: '2026-06-01T00:10:00Z' }],
      ['get', '/machhub/processes/domain'],
      ['post', '/machhub/processes/execute', { name: 'echoPayload', input: { x: 1 } }],
      ['post', '/machhub/processes/execute', { name: 'nope' }],
      ['put', '/machhub/processes/triggers/processes:abc', { triggers: [{ type: 'manual', config: {} }] }],
      ['post', '/process/echo', { a: 1 }],
      ['get', '/machhub/products/all?limit=3&expand=categoryId'],
      ['get', '/machhub/products/all?filter[x][%3D][number]=y'],
      ['patch', '/machhub/products/all', { limit: 2 }],
      ['get', '/machhub/products/count'],
      ['patch', '/machhub/products/count', { 'filter[status][=][string]': 'active' }],
      ['post', '/machhub/products', { id: 'OA1', name: 'doc' }],
      ['post', '/machhub/products', { id: 'OA1', name: 'doc' }],
      ['get', '/machhub/acme.products%3AOA1'],
      ['get', '/machhub/products:nope'],
      ['put', '/machhub/products:OA1', { name: 'doc2' }],
      ['delete', '/machhub/products:OA1'],
      ['delete', '/machhub/products:OA1'],
      ['patch', '/machhub/file', { fileName: 'a', collectionName: 'products', fieldName: 'f', recordID: 'products:PROD-001' }],
    ];
    for (const [method, path, body, headers] of calls) {
      const h: Record<string, string> = { Domain: 'domains:acme', ...(headers ?? {}) };
      if (path.includes('/me') && !headers) h.Authorization = `Bearer ${tkn}`;
      const init: RequestInit = { method: method.toUpperCase(), headers: h };
      if (body !== undefined) {
        h['Content-Type'] = 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const r = await app.request(path, init);
      const type = r.headers.get('content-type') ?? '';
      const text = type.includes('gzip') ? '' : await r.text();
      validate(method, path, r.status, type, text);
    }
    expect(validated).toBe(calls.length);
  });
});
