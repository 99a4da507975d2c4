/**
 * User passwords: salted scrypt (N=2^14, r=8, p=1, 32-byte key, 16-byte salt), stored as
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` so the cost can change without breaking stored rows.
 * Random API secrets and refresh tokens stay SHA-256 (core/secrets.ts): they carry 256 bits of entropy.
 * The async forms run on libuv's thread pool, so a login never blocks the event loop.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export const SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LEN = 32;

function encode(salt: Buffer, hash: Buffer, N: number, r: number, p: number): string {
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20 || r > 32 || p > 16) return null;
  return { N, r, p, salt: Buffer.from(parts[4]!, 'base64'), hash: Buffer.from(parts[5]!, 'base64') };
}

/** Hashes on the calling thread: for seeding and admin-created users (the result is cached in the seeded image). */
export function hashPasswordSync(password: string, salt: Buffer = randomBytes(16)): string {
  const { N, r, p } = SCRYPT_COST;
  return encode(salt, scryptSync(password, salt, KEY_LEN, { N, r, p }), N, r, p);
}

/**
 * For passwords the fakes generate themselves (sandbox users: 20 crypto-random characters, over 100 bits): slowing
 * a guess down buys nothing at that entropy, so a low scrypt cost (N=2^8, a fraction of a millisecond, same stored
 * form) lets a sandbox be created inside one synchronous transaction.
 */
export const GENERATED_PASSWORD_COST = { N: 256, r: 8, p: 1 } as const;

export function hashGeneratedPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const { N, r, p } = GENERATED_PASSWORD_COST;
  return encode(salt, scryptSync(password, salt, KEY_LEN, { N, r, p }), N, r, p);
}

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const { N, r, p } = SCRYPT_COST;
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LEN, { N, r, p }, (err, key) => (err ? reject(err) : resolve(encode(salt, key, N, r, p)))),
  );
}

let unknownUser: Parsed | null = null;

/**
 * Constant-time check of a presented password against a stored `scrypt$…` string; false for anything malformed.
 * With no stored hash (an unknown user) it still runs one scrypt of the same cost and answers false, so the response
 * time does not tell which user names exist.
 */
export function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const s = stored == null ? (unknownUser ??= parse(hashPasswordSync(randomBytes(16).toString('hex')))) : parse(stored);
  if (!s) return Promise.resolve(false);
  return new Promise((resolve) =>
    scrypt(password, s.salt, s.hash.length, { N: s.N, r: s.r, p: s.p, maxmem: 256 * s.N * s.r }, (err, key) =>
      resolve(stored != null && !err && key.length === s.hash.length && timingSafeEqual(key, s.hash)),
    ),
  );
}
