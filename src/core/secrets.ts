/**
 * Secrets: generated with crypto randomness, stored only as SHA-256 hex, compared in constant time, shown once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** `nBytes` of crypto randomness as lowercase hex. */
export function randomHex(nBytes: number): string {
  return randomBytes(nBytes).toString('hex');
}

/** Crypto-random string over an alphabet (rejection sampling, so no modulo bias). */
export function randomString(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Constant-time comparison of a presented secret against a stored SHA-256 hex digest. */
export function secretMatches(presented: string, storedSha256Hex: string): boolean {
  const a = Buffer.from(sha256Hex(presented), 'hex');
  const b = Buffer.from(storedSha256Hex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
