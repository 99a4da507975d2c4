/** User passwords are stored as salted scrypt (issue 12 #6): MaxTrax here (MACHHUB in its own tests). */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/passwords.js';
import { makeSuite, user } from '../maxtrax/helpers.js';
import { adminCall } from '../support/admin.js';

const t = makeSuite();
afterAll(() => t.suite.close());
const rows = () =>
  t.suite.instances.get('maxtrax')!.ctx.handle.db.prepare('SELECT user_name, password_hash FROM users').all() as Array<{ user_name: string; password_hash: string }>;

describe('MaxTrax user passwords', () => {
  it('seeded users: salted scrypt, a different salt per user, never the password or its SHA-256', async () => {
    const stored = rows();
    expect(stored.length).toBeGreaterThan(2);
    for (const r of stored) expect(r.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(new Set(stored.map((r) => r.password_hash.split('$')[4])).size).toBe(stored.length);
    const u = user('inspector');
    const hash = stored.find((r) => r.user_name === u.userName)!.password_hash;
    expect(await verifyPassword(u.password, hash)).toBe(true);
    expect(await verifyPassword(`${u.password}x`, hash)).toBe(false);
  });

  it('an admin-created user is stored as scrypt and can sign in; a wrong password and an unknown user are 401', async () => {
    const created = await adminCall(t.suite.app('maxtrax'), 'POST', '/users', { tenant: 'acme', userName: 'new.welder', password: 'S3cret-pass', role: 'welder' });
    expect(created.status).toBe(201);
    expect(rows().find((r) => r.user_name === 'new.welder')!.password_hash).toMatch(/^scrypt\$/);
    expect((await t.call('POST', '/auth/login', { body: { userName: 'new.welder', password: 'S3cret-pass' } })).status).toBe(200);
    const wrong = await t.call('POST', '/auth/login', { body: { userName: 'new.welder', password: 'S3cret-pasS' } });
    const unknown = await t.call('POST', '/auth/login', { body: { userName: 'nobody.here', password: 'S3cret-pass' } });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(unknown.json).toEqual(wrong.json);
  });

  it('an unknown user name costs one scrypt like a known one (no timing oracle)', async () => {
    await verifyPassword('warm-up', undefined);
    const time = async (password: string, stored: string | undefined) => {
      const started = performance.now();
      expect(await verifyPassword(password, stored)).toBe(false);
      return performance.now() - started;
    };
    const known = rows()[0]!.password_hash;
    const a = await time('wrong', known);
    const b = await time('wrong', undefined);
    expect(b).toBeGreaterThan(a / 10);
  });
});
