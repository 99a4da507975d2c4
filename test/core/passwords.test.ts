import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordSync, verifyPassword } from '../../src/core/passwords.js';

describe('passwords (scrypt)', () => {
  it('stores salted scrypt: two hashes of one password differ, both verify, a wrong password does not', async () => {
    const a = hashPasswordSync('demo-pass');
    const b = await hashPassword('demo-pass');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('demo-pass', a)).toBe(true);
    expect(await verifyPassword('demo-pass', b)).toBe(true);
    expect(await verifyPassword('demo-pass ', a)).toBe(false);
    expect(a).not.toContain('demo-pass');
  });

  it('a malformed or SHA-256 stored value never verifies (no exception)', async () => {
    for (const stored of ['', 'scrypt$', 'scrypt$x$8$1$AA==$AA==', 'scrypt$99999999$8$1$AA==$AA==', '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8']) {
      expect(await verifyPassword('password', stored)).toBe(false);
    }
  });
});
