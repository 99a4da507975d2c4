import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectProblem, makeSuite } from './helpers.js';

const { call, login, suite, app } = makeSuite();
afterAll(() => suite.close());

describe('problem+json on every error', () => {
  it('405 with Allow on every served path', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/welds', 'GET, HEAD'],
      ['POST', '/welds/x', 'GET, HEAD'],
      ['PUT', '/welds/x/status', 'PATCH'],
      ['GET', '/welds/x/status', 'PATCH'],
      ['GET', '/auth/login', 'POST'],
      ['PUT', '/auth/refresh', 'POST'],
      ['DELETE', '/auth/logout', 'POST'],
      ['POST', '/health/live', 'GET, HEAD'],
      ['POST', '/health/ready', 'GET, HEAD'],
      ['PATCH', '/isos', 'GET, HEAD'],
      ['DELETE', '/isos/x', 'GET, HEAD'],
      ['OPTIONS', '/auth/login', 'POST'],
    ];
    const { token } = await login();
    for (const [method, path, allow] of cases) {
      const r = await call(method, path, { token });
      expectProblem(r, 405, 'method-not-allowed', `${method} is not allowed here. Allowed: ${allow}.`);
      expect(r.headers.get('allow')).toBe(allow);
    }
  });

  it('404 for unknown paths, trailing slashes included', async () => {
    const { token } = await login();
    for (const path of ['/', '/weld', '/welds/', '/api/welds', '/welds/x/status/y']) {
      const r = await call('GET', path, { token });
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
    expectProblem(await call('GET', '/nope'), 404, 'not-found', 'No resource at GET /nope.');
  });

  it('413 for oversize bodies, by Content-Length or by actual size', async () => {
    const big = JSON.stringify({ userName: 'a', password: 'x'.repeat(70_000) });
    expectProblem(await call('POST', '/auth/login', { raw: big, headers: { 'Content-Type': 'application/json' } }), 413, 'payload-too-large', 'The request body exceeds 65536 bytes.');
    expectProblem(await call('POST', '/auth/login', { raw: big, headers: { 'Content-Type': 'application/json', 'Content-Length': String(big.length) } }), 413, 'payload-too-large');
    const s = makeSuite({ maxBodyBytes: 100 });
    expectProblem(await s.call('POST', '/auth/login', { body: { userName: 'a'.repeat(200), password: 'b' } }), 413, 'payload-too-large', 'The request body exceeds 100 bytes.');
    s.suite.close();
  });

  it('deep JSON and invalid UTF-8 are 400, not 500', async () => {
    const deep = '['.repeat(30_000) + ']'.repeat(30_000);
    expectProblem(await call('POST', '/auth/login', { raw: deep, headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-request');
    const deepObj = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    expectProblem(await call('POST', '/auth/login', { raw: deepObj, headers: { 'Content-Type': 'application/json' } }), 422, 'validation-failed');
    const res = await app.request('/auth/login', { method: 'POST', headers: { Host: 'acme.maxtrax.io', 'Content-Type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe('The request body is not valid UTF-8.');
  });

  it('every problem has type, title, status, detail, instance', async () => {
    const r = await call('GET', '/welds/x', { token: 'a.b.c' });
    expect(Object.keys(r.json)).toEqual(['type', 'title', 'status', 'detail', 'instance']);
    expect(r.json.instance).toBe('/welds/x');
  });
});

describe('garbage never gives a 5xx (property)', () => {
  const methods = fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS');
  const paths = fc.oneof(
    fc.constantFrom('/auth/login', '/auth/refresh', '/auth/logout', '/welds', '/isos', '/health/live', '/health/ready'),
    fc.string().map((s) => '/welds/' + encodeURIComponent(s)),
    fc.string().map((s) => '/welds/' + encodeURIComponent(s) + '/status'),
    fc.webPath(),
  );
  const query = fc.option(fc.webQueryParameters().map((q) => '?' + q), { nil: '' });
  const hosts = fc.oneof(fc.constantFrom('acme.maxtrax.io', 'globex.maxtrax.localhost:4100', 'localhost', 'x.maxtrax.io'), fc.domain(), fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e]*$/.test(s) && s.length > 0));
  const bodies = fc.oneof(
    fc.constant(undefined),
    fc.json(),
    fc.string(),
    fc.record({ userName: fc.anything(), password: fc.anything() }).map((o) => JSON.stringify(o) ?? 'null'),
    fc.record({ status: fc.oneof(fc.constantFrom('ACCEPTED', 'VOIDED', 'PENDING'), fc.anything()), reason: fc.anything() }).map((o) => JSON.stringify(o) ?? 'null'),
    fc.record({ refreshToken: fc.anything() }).map((o) => JSON.stringify(o) ?? 'null'),
  );
  const types = fc.constantFrom('application/json', 'text/plain', 'application/problem+json', 'multipart/form-data', '', 'application/json; charset=latin1');
  const auths = fc.oneof(fc.constant(undefined), fc.string().map((s) => 'Bearer ' + s.replace(/[\r\n]/g, '')), fc.constantFrom('Bearer a.b.c', 'Basic x'));

  it('holds for random requests', async () => {
    const { token } = await login('admin');
    let served = 0;
    await fc.assert(
      fc.asyncProperty(methods, paths, query, hosts, bodies, types, auths, fc.boolean(), async (method, path, q, host, body, type, auth, useToken) => {
        const headers: Record<string, string> = { Host: host };
        if (type) headers['Content-Type'] = type;
        if (useToken) headers.Authorization = `Bearer ${token}`;
        else if (auth) headers.Authorization = auth;
        let res: Response;
        try {
          res = await app.request(path + q, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
        } catch (err) {
          // Requests the Fetch API itself refuses to build are not our concern.
          if (err instanceof TypeError) return;
          throw err;
        }
        served++;
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400 && method !== 'HEAD') expect(res.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 400 },
    );
    expect(served).toBeGreaterThan(300);
  });
});
