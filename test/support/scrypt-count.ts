/**
 * node:crypto with its `scrypt` counted, for `vi.mock('node:crypto', (o) => import(…).then((m) => m.countingCrypto(o)))`:
 * tests read `scryptRuns.n` to see how many hashes a request cost, with no timing involved.
 */
import type * as Crypto from 'node:crypto';

export const scryptRuns = { n: 0 };

export async function countingCrypto(importOriginal: <T>() => Promise<T>): Promise<typeof Crypto> {
  const real = await importOriginal<typeof Crypto>();
  const scrypt = (...args: unknown[]) => {
    scryptRuns.n++;
    return (real.scrypt as (...a: unknown[]) => void)(...args);
  };
  return { ...real, scrypt } as typeof Crypto;
}

/** What `f` returned and how many scrypt runs it took. */
export async function counted<T>(f: () => Promise<T>): Promise<{ value: T; scrypts: number }> {
  const before = scryptRuns.n;
  const value = await f();
  return { value, scrypts: scryptRuns.n - before };
}
