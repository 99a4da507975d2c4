/**
 * Surrogate ids as TrakRF mints them (trakrf.md §5.7): one shared sequence for assets, locations and tags, mapped
 * through a keyed Feistel permutation of [0, 2^52) — high-entropy, non-sequential, globally unique, never reused.
 */
const HALF_BITS = 26;
const HALF = 2 ** HALF_BITS;
const MASK = HALF - 1;

function round(x: number, key: number): number {
  let h = Math.imul(x ^ key, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h & MASK;
}

/** A permutation of [0, 2^52) keyed by four 32-bit round keys. */
export function feistel52(n: number, keys: readonly number[]): number {
  let left = Math.floor(n / HALF) & MASK;
  let right = n % HALF;
  for (const k of keys) {
    const next = left ^ round(right, k);
    left = right;
    right = next;
  }
  return left * HALF + right;
}

/** The id for sequence number `seq`, skipping the (single) sequence value that maps to 0. */
export function idFor(seq: number, keys: readonly number[]): number {
  let id = feistel52(seq, keys);
  while (id === 0) id = feistel52(++seq + 2 ** 51, keys);
  return id;
}
