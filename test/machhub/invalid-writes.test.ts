/**
 * A rejected request changes nothing (issue 11 #7): random invalid MACHHUB write requests — bad bodies, duplicate or
 * foreign ids, unknown records, bad schemas, triggers, users, groups, historian injections with one bad point, a
 * read-only operator writing in strict mode — leave every table byte-identical.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpTables } from '../support/db-dump.js';
import { makeSuite } from './helpers.js';

const { suite, app, login } = makeSuite({ auth: 'strict' });
const db = () => suite.instance('machhub').ctx.handle.db;
let admin: string;
let operator: string;
beforeAll(async () => {
  admin = await login('admin');
  operator = await login('operator');
});

const junk = fc.oneof(fc.constant('not json'), fc.constant('[]'), fc.constant('null'), fc.constant('{'), fc.string({ maxLength: 20 }));
const write = fc.oneof(
  fc.record({ method: fc.constant('POST'), path: fc.constantFrom('/machhub/products', '/machhub/brand_new'), who: fc.constant('admin'), body: fc.oneof(junk, fc.constantFrom(JSON.stringify({ id: 'acme.orders:X1' }), JSON.stringify({ id: 'x'.repeat(300) }), JSON.stringify({ id: 'a\u0001b' }))) }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/machhub/products'), who: fc.constant('admin'), body: fc.constant(JSON.stringify({ id: 'PROD-001', x: 1 })) }),
  fc.record({ method: fc.constant('POST'), path: fc.constantFrom('/machhub/products', '/machhub/zzz'), who: fc.constant('operator'), body: fc.constant(JSON.stringify({ a: 1 })) }),
  fc.record({ method: fc.constant('PUT'), path: fc.oneof(fc.constant('/machhub/products:NOPE'), fc.string({ maxLength: 10 }).map((s) => `/machhub/products:${encodeURIComponent('no' + s)}`)), who: fc.constant('admin'), body: fc.oneof(junk, fc.constant(JSON.stringify({ a: 1 }))) }),
  fc.record({ method: fc.constant('PUT'), path: fc.constant('/machhub/products:PROD-001'), who: fc.constantFrom('admin', 'operator'), body: junk }),
  fc.record({ method: fc.constant('DELETE'), path: fc.constantFrom('/machhub/products:NOPE', '/machhub/nothing:X'), who: fc.constant('admin'), body: fc.constant('') }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/machhub/auth/user'), who: fc.constantFrom('admin', 'operator'), body: fc.constantFrom(JSON.stringify({ username: 'admin', password: 'x' }), JSON.stringify({ username: 'bad name', password: 'x' }), JSON.stringify({ username: 'ok1' }), 'nope') }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/machhub/auth/group'), who: fc.constant('admin'), body: fc.constantFrom(JSON.stringify({ name: 'superuser' }), JSON.stringify({ name: '' }), JSON.stringify({ name: 'g', features: [{ name: 'bad name!' }] }), '[]') }),
  fc.record({ method: fc.constant('PUT'), path: fc.constant('/machhub/processes/triggers/processes:nope'), who: fc.constant('admin'), body: fc.constant(JSON.stringify({ triggers: [] })) }),
  fc.record({ method: fc.constantFrom('POST', 'PUT'), path: fc.constant('/machhub/designer/collections'), who: fc.constantFrom('admin', 'operator'), body: fc.constantFrom(JSON.stringify({ name: 'tag', fields: [] }), JSON.stringify({ name: 'x', fields: [{ name: 'a', type: 'enum' }] }), JSON.stringify({ name: 'y', fields: [{ name: 'a', type: 'string' }, { name: 'a', type: 'string' }] }), '{}') }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/__admin/historian'), who: fc.constant('none'), body: fc.constantFrom(JSON.stringify({ domain: 'acme', topic: 'new/topic', points: [{ timestamp: '2026-01-01T00:00:00Z', value: 1 }, { value: 2 }] }), JSON.stringify({ domain: 'nope', topic: 't', points: [] })) }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/__admin/users'), who: fc.constant('none'), body: fc.constantFrom(JSON.stringify({ username: 'u9', password: 'p', domains: ['acme'], groups: ['no-such-group'] }), JSON.stringify({ username: 'admin', password: 'p' })) }),
  fc.record({ method: fc.constant('POST'), path: fc.constantFrom('/__admin/tags/publish', '/__admin/tags/historized', '/__admin/collections/generate'), who: fc.constant('none'), body: fc.constantFrom(JSON.stringify({ domain: 'acme', topic: 'a/#', value: 1 }), JSON.stringify({ domain: 'acme', collection: 'tag', count: 5 }), JSON.stringify({ domain: 'acme' })) }),
);

describe('MACHHUB: a rejected write changes nothing', () => {
  it('random invalid write requests leave every table byte-identical', async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(write, async (w) => {
        const before = dumpTables(db());
        const headers: Record<string, string> = { Domain: 'domains:acme', 'Content-Type': 'application/json' };
        if (w.who !== 'none') headers.Authorization = `Bearer ${w.who === 'admin' ? admin : operator}`;
        const r = await app.request(w.path, { method: w.method, headers, body: w.method === 'DELETE' ? undefined : w.body });
        expect(r.status, `${w.method} ${w.path} ${w.body}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        rejected++;
        expect(dumpTables(db())).toEqual(before);
      }),
      { numRuns: 40 },
    );
    expect(rejected).toBe(40);
  }, 180_000);
});
