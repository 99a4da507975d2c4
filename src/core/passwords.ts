/**
 * User passwords: salted scrypt (N=2^15, r=8, p=1, 32-byte key, 16-byte salt), stored as
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` so the cost can change without breaking stored rows (the verification
 * reads the cost from the row).
 * Random API secrets and refresh tokens stay SHA-256 (core/secrets.ts): they carry 256 bits of entropy.
 * The async forms run on libuv's thread pool, so a login never blocks the event loop.
 */
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * N=2^15 makes scrypt's work buffer (128·r·(N + p + 2) bytes) just over 32 MiB, glibc's cap for its dynamic mmap
 * threshold: the buffer is mapped and unmapped on every hash. At N=2^14 (16 MiB) the first free raised the process's
 * mmap and trim thresholds to 16/32 MiB, and from then on every thread-pool arena kept its freed buffers: a burst of
 * sign-ins left ~150 MB resident for good (measured: 300 failing sign-ins, 16 at a time, RSS at rest 228 → 104 MB).
 */
export const SCRYPT_COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_LEN = 32;

/** scrypt's work buffer, in bytes. */
const workBytes = (N: number, r: number, p: number) => 128 * r * (N + p + 2);
/** Room for that buffer (node refuses more than 32 MiB unless told). */
const maxmem = (N: number, r: number, p: number) => workBytes(N, r, p) + 1024 * 1024;

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
  // A row can come from an uploaded snapshot: a cost that would take more than 64 MiB per attempt is not one of ours.
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || p > 16 || workBytes(N, r, p) > 64 * 2 ** 20) return null;
  const hash = Buffer.from(parts[5]!, 'base64');
  // A key shorter than 16 bytes is not one we stored (an empty one would match every password).
  return hash.length < 16 ? null : { N, r, p, salt: Buffer.from(parts[4]!, 'base64'), hash };
}

/** Hashes on the calling thread: for seeding and admin-created users (the result is cached in the seeded image). */
export function hashPasswordSync(password: string, salt: Buffer = randomBytes(16)): string {
  const { N, r, p } = SCRYPT_COST;
  return encode(salt, scryptSync(password, salt, KEY_LEN, { N, r, p, maxmem: maxmem(N, r, p) }), N, r, p);
}

/**
 * For passwords the fakes generate themselves (sandbox users: 20 crypto-random characters, over 100 bits): slowing
 * a guess down buys nothing at that entropy, so a low scrypt cost (N=2^8, a fraction of a millisecond, same stored
 * form) lets a sandbox be created inside one synchronous transaction.
 */
export const GENERATED_PASSWORD_COST = { N: 256, r: 8, p: 1 } as const;

export function hashGeneratedPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const { N, r, p } = GENERATED_PASSWORD_COST;
  return encode(salt, scryptSync(password, salt, KEY_LEN, { N, r, p, maxmem: maxmem(N, r, p) }), N, r, p);
}

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const { N, r, p } = SCRYPT_COST;
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LEN, { N, r, p, maxmem: maxmem(N, r, p) }, (err, key) => (err ? reject(err) : resolve(encode(salt, key, N, r, p)))),
  );
}

let unknownUser: Parsed | null = null;

/**
 * Pairs (stored hash, password) that verified, so the same sign-in answers again without scrypt: test suites sign in
 * with the same credentials over and over, and each scrypt costs ≈ 80 ms of CPU and a 32 MiB buffer. Kept is an
 * HMAC-SHA256 of the pair under a per-process random key, never the password. A changed password has a new stored
 * hash (new salt), so entries of the old one never match; wrong passwords are never kept (every guess still costs one
 * scrypt). At most VERIFIED_LIMIT pairs, the least recently used dropped first.
 */
export const VERIFIED_LIMIT = 1024;
const verified = new Set<string>();
let verifiedKey: Buffer | undefined;

function pairKey(password: string, stored: string): string {
  // `stored` never holds a NUL (digits, base64 and `$`), so the pair is read back one way only.
  return createHmac('sha256', (verifiedKey ??= randomBytes(32))).update(stored).update('\0').update(password).digest('base64');
}

/**
 * Constant-time check of a presented password against a stored `scrypt$…` string; false for anything malformed.
 * With no stored hash (an unknown user) it still runs one scrypt of the same cost and answers false, so the response
 * time does not tell which user names exist. A pair that verified before answers true at once (see `verified`).
 */
export function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const key = stored == null ? undefined : pairKey(password, stored);
  if (key !== undefined && verified.delete(key)) {
    verified.add(key);
    return Promise.resolve(true);
  }
  const s = stored == null ? (unknownUser ??= parse(hashPasswordSync(randomBytes(16).toString('hex')))) : parse(stored);
  if (!s) return Promise.resolve(false);
  return new Promise((resolve) =>
    scrypt(password, s.salt, s.hash.length, { N: s.N, r: s.r, p: s.p, maxmem: maxmem(s.N, s.r, s.p) }, (err, derived) => {
      const ok = key !== undefined && !err && derived.length === s.hash.length && timingSafeEqual(derived, s.hash);
      if (ok) {
        verified.add(key);
        if (verified.size > VERIFIED_LIMIT) verified.delete(verified.values().next().value!);
      }
      resolve(ok);
    }),
  );
}
