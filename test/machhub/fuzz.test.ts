/** Garbage anywhere (path segments, bodies, headers) gives a plain-text 4xx, never a 5xx or a crash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

const ROUTES: [string, string][] = [
  ['POST', '/auth/login'], ['POST', '/machhub/auth/jwt/validate'], ['POST', '/machhub/auth/user'], ['POST', '/auth/group'],
  ['POST', '/machhub/auth/permission'], ['PATCH', '/machhub/historian'], ['PATCH', '/machhub/historian/last'],
  ['POST', '/machhub/historian/query'], ['POST', '/machhub/historian/export/aggregated'], ['POST', '/machhub/processes/execute'],
  ['PUT', '/machhub/processes/triggers/processes:abc'], ['PATCH', '/machhub/file'], ['POST', '/machhub/fuzzed'],
  ['PUT', '/machhub/acme.products:PROD-002'], ['PATCH', '/machhub/products/all'], ['PATCH', '/machhub/products/count'], ['POST', '/process/echo'],
];

describe('fuzz', () => {
  const { req } = makeSuite();
  const body = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
    fc.constantFrom('{"topic":{"$ne":1}}', '{"query":"SELECT * FROM historian WHERE topic = \'\\u0000\'"}', '{"__proto__":{"x":1}}', '{"limit":1e309}', '{"triggers":[null]}', '{"features":[{}]}', '{"topics":["a/b"],"startDate":"2026-01-01T00:00:00Z","endDate":"9999-12-31T23:59:59Z","sampleRate":"1_second"}'),
  );

  it('random JSON and non-JSON bodies on every body-taking route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', ''), async ([method, path], raw, type) => {
        const r = await req(method, path, { raw, headers: type ? { 'Content-Type': type } : {} });
        expect(r.status, `${method} ${path} ${type} ${raw.slice(0, 200)} → ${r.text}`).toBeLessThan(500);
        if (r.status >= 400) expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
      }),
      { numRuns: 400 },
    );
  });

  it('random path segments, percent-encodings and Domain headers', async () => {
    const seg = fc.oneof(fc.string(), fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2F', '⟨x⟩', 'a:b:c', 'acme.:x', '.products:x', 'acme.products:', ':'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'PUT', 'DELETE', 'POST', 'PATCH'), seg, fc.constantFrom('', '/all', '/count'), fc.option(fc.string(), { nil: undefined }), async (method, s, tail, domain) => {
        const path = `/machhub/${s.replace(/[?#]/g, '')}${tail}`;
        let r;
        try {
          r = await req(method, path, { domain: domain === undefined ? 'domains:acme' : domain.replace(/[\r\n\0]/g, ''), raw: method === 'GET' || method === 'DELETE' ? undefined : '{}', headers: { 'Content-Type': 'application/json' } });
        } catch (e) {
          // The fetch API itself refuses some header values; that never reaches the server.
          if (e instanceof TypeError) return;
          throw e;
        }
        expect(r.status, `${method} ${path} → ${r.text}`).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
  });
});
