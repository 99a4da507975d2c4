import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

const SCRYPT = /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/;

describe('user passwords are salted scrypt', () => {
  const { suite, app, req, login } = makeSuite({ auth: 'strict' });
  const hashes = () => suite.instance('machhub').ctx.handle.db.prepare('SELECT username, password_hash FROM users ORDER BY username').all() as { username: string; password_hash: string }[];

  it('seeded, admin-created and API-created users store scrypt$N$r$p$salt$hash; each verifies only its own password', async () => {
    const admin = await app.request('/__admin/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'newbie', password: 'pw-1', domains: ['acme'] }) });
    expect(admin.status).toBe(201);
    const tkn = await login('admin');
    const api = await req('POST', '/machhub/auth/user', { headers: { Authorization: `Bearer ${tkn}` }, body: { username: 'apiuser', password: 'pw-2' } });
    expect(api.status, api.text).toBe(200);
    const rows = hashes();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const r of rows) expect(r.password_hash, r.username).toMatch(SCRYPT);
    // Same password, different salt: no two stored hashes are equal.
    expect(new Set(rows.map((r) => r.password_hash)).size).toBe(rows.length);
    expect(JSON.stringify(rows)).not.toMatch(/pw-1|pw-2|"admin"[^,]*"admin"/);
    await login('newbie', 'pw-1');
    await login('apiuser', 'pw-2');
    expect((await req('POST', '/machhub/auth/login', { body: { username: 'newbie', password: 'pw-2' } })).status).toBe(401);
  });

  it('a username taken while the password was hashed is a 409, not a 500', async () => {
    const tkn = await login('admin');
    const body = { username: 'racer', password: 'x' };
    const rs = await Promise.all([0, 1, 2].map(() => req('POST', '/machhub/auth/user', { headers: { Authorization: `Bearer ${tkn}` }, body })));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });
});
