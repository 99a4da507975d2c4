/**
 * Sign-in cost as a client can measure it: every failed sign-in — unknown user or wrong password — runs exactly one
 * scrypt (no user-name timing oracle), and a sign-in that succeeded before answers again without one (core/passwords.ts).
 * Counted by wrapping node:crypto's scrypt, so no timing is involved.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', (importOriginal) => import('../support/scrypt-count.js').then((m) => m.countingCrypto(importOriginal)));
const { counted } = await import('../support/scrypt-count.js');

const machhub = await import('../machhub/helpers.js');
const maxtrax = await import('../maxtrax/helpers.js');

describe('MACHHUB POST /machhub/auth/login', () => {
  const t = machhub.makeSuite();
  afterAll(() => t.suite.close());
  const login = (username: string, password: string) => counted(() => t.req('POST', '/machhub/auth/login', { body: { username, password }, domain: null }));

  it('an unknown user and a wrong password both cost one scrypt and get the same 401', async () => {
    const unknown = await login('nobody', 'operator');
    const wrong = await login('operator', 'not-the-password');
    expect([unknown.value.status, wrong.value.status]).toEqual([401, 401]);
    expect(unknown.value.text).toBe(wrong.value.text);
    expect([unknown.scrypts, wrong.scrypts]).toEqual([1, 1]);
  });

  it('a successful sign-in is verified by scrypt once, then remembered; a wrong password after it still costs one', async () => {
    const first = await login('engineer', 'engineer');
    const again = await login('engineer', 'engineer');
    expect([first.value.status, again.value.status]).toEqual([200, 200]);
    expect([first.scrypts, again.scrypts]).toEqual([1, 0]);
    expect(again.value.json.tkn).toEqual(expect.any(String));
    const wrong = await login('engineer', 'engineer ');
    expect([wrong.value.status, wrong.scrypts]).toEqual([401, 1]);
  });
});

describe('MaxTrax POST /auth/login', () => {
  const t = maxtrax.makeSuite();
  afterAll(() => t.suite.close());
  const u = maxtrax.user('inspector');
  const login = (userName: string, password: string) => counted(() => t.call('POST', '/auth/login', { body: { userName, password } }));

  it('an unknown user and a wrong password both cost one scrypt and get the same 401', async () => {
    const unknown = await login('nobody.here', u.password);
    const wrong = await login(u.userName, `${u.password}x`);
    expect([unknown.value.status, wrong.value.status]).toEqual([401, 401]);
    expect(unknown.value.json).toEqual(wrong.value.json);
    expect([unknown.scrypts, wrong.scrypts]).toEqual([1, 1]);
  });

  it('a successful sign-in is verified by scrypt once, then remembered', async () => {
    const first = await login(u.userName, u.password);
    const again = await login(u.userName, u.password);
    expect([first.value.status, again.value.status]).toEqual([200, 200]);
    expect([first.scrypts, again.scrypts]).toEqual([1, 0]);
  });
});
