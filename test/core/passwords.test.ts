import { describe, expect, it, vi } from 'vitest';

// Counts the scrypt runs behind verifyPassword (the module under test imports node:crypto's scrypt).
vi.mock('node:crypto', (importOriginal) => import('../support/scrypt-count.js').then((m) => m.countingCrypto(importOriginal)));
const { counted } = await import('../support/scrypt-count.js');

const { hashGeneratedPassword, hashPassword, hashPasswordSync, SCRYPT_COST, verifyPassword, VERIFIED_LIMIT } = await import('../../src/core/passwords.js');

/** scrypt runs during `f`. */
const scrypts = async (f: () => Promise<unknown>) => (await counted(f)).scrypts;

describe('passwords (scrypt)', () => {
  it('stores salted scrypt: two hashes of one password differ, both verify, a wrong password does not', async () => {
    const a = hashPasswordSync('demo-pass');
    const b = await hashPassword('demo-pass');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('demo-pass', a)).toBe(true);
    expect(await verifyPassword('demo-pass', b)).toBe(true);
    expect(await verifyPassword('demo-pass ', a)).toBe(false);
    expect(a).not.toContain('demo-pass');
  });

  it("scrypt's work buffer is over 32 MiB, so glibc maps and unmaps it per hash (see SCRYPT_COST)", () => {
    const { N, r, p } = SCRYPT_COST;
    expect(128 * r * (N + p + 2)).toBeGreaterThan(32 * 2 ** 20);
  });

  it('a malformed or SHA-256 stored value never verifies (no exception), nor one with an empty key or a cost over 64 MiB', async () => {
    const empty = hashGeneratedPassword('x').replace(/[^$]+$/, '');
    for (const stored of ['', 'scrypt$', 'scrypt$x$8$1$AA==$AA==', 'scrypt$99999999$8$1$AA==$AA==', empty, '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8']) {
      expect(await verifyPassword('password', stored)).toBe(false);
      expect(await verifyPassword('', stored)).toBe(false);
    }
    // A stored cost of 4 GiB per attempt (a crafted row in an uploaded snapshot) is refused before scrypt runs.
    const huge = hashGeneratedPassword('password').replace('$256$8$', '$1048576$32$');
    expect(await scrypts(async () => expect(await verifyPassword('password', huge)).toBe(false))).toBe(0);
  });

  it('a pair that verified answers again without scrypt; a wrong password costs one scrypt every time', async () => {
    const stored = hashGeneratedPassword('Inspect-2026!');
    expect(await scrypts(async () => expect(await verifyPassword('Inspect-2026!', stored)).toBe(true))).toBe(1);
    expect(await scrypts(async () => expect(await verifyPassword('Inspect-2026!', stored)).toBe(true))).toBe(0);
    for (let i = 0; i < 3; i++) expect(await scrypts(async () => expect(await verifyPassword('Inspect-2026?', stored)).toBe(false))).toBe(1);
    // An unknown user (no stored hash) is never a hit either.
    expect(await scrypts(async () => expect(await verifyPassword('Inspect-2026!', undefined)).toBe(false))).toBe(1);
  });

  it('a verified pair says nothing about another stored hash: a changed password drops the old one', async () => {
    const before = hashGeneratedPassword('old-pass');
    const after = hashGeneratedPassword('new-pass');
    expect(await verifyPassword('old-pass', before)).toBe(true);
    expect(await verifyPassword('old-pass', after)).toBe(false);
    expect(await verifyPassword('new-pass', after)).toBe(true);
    // The same password under a new salt is a new pair: verified by scrypt once.
    const resalted = hashGeneratedPassword('new-pass');
    expect(await scrypts(() => verifyPassword('new-pass', resalted))).toBe(1);
  });

  it(`keeps at most ${VERIFIED_LIMIT} pairs, the least recently used dropped first`, async () => {
    const first = hashGeneratedPassword('p-first');
    await verifyPassword('p-first', first);
    const stored = Array.from({ length: VERIFIED_LIMIT }, (_, i) => hashGeneratedPassword(`p${i}`));
    for (let i = 0; i < VERIFIED_LIMIT - 1; i++) await verifyPassword(`p${i}`, stored[i]!);
    // Used again: now the most recent, so the next new pair drops another one.
    expect(await scrypts(() => verifyPassword('p-first', first))).toBe(0);
    expect(await scrypts(() => verifyPassword(`p${VERIFIED_LIMIT - 1}`, stored[VERIFIED_LIMIT - 1]!))).toBe(1);
    expect(await scrypts(() => verifyPassword('p-first', first))).toBe(0);
    // The oldest pair of the loop (p0) was dropped: scrypt again.
    expect(await scrypts(() => verifyPassword('p0', stored[0]!))).toBe(1);
  });
});
