/**
 * Signing keys of one vendor instance. Each key is drawn from crypto randomness the first time a vendor asks for it
 * and kept with the data: with `--data-dir` in `<dir>/<vendor>.keys.json` (mode 0600), otherwise in memory for the
 * life of the instance. Tokens therefore survive `POST /__admin/reset` and a restart on the same data dir, and no
 * key is ever part of a seeded image or the seed cache. With deterministic keys (opt-in, for snapshot-style tests)
 * every key is derived from the seed instead: reproducible tokens, but anyone who knows the seed can forge them.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './vendor.js';

export interface KeysOptions {
  vendor: string;
  /** Folder of the vendor's database (`--data-dir`); keys live in memory when absent. */
  dataDir?: string;
  /** Derive every key from this seed instead of drawing it (`--deterministic-keys`). */
  deterministicSeed?: number;
}

export interface Ed25519Pair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** DER prefix that turns a 32-byte Ed25519 private seed into PKCS#8. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class Keys {
  private readonly file: string | null;
  /** name → hex secret, or base64 PKCS#8 DER for key pairs (the file's format). */
  private readonly stored: Record<string, string>;
  private readonly pairs = new Map<string, Ed25519Pair>();

  constructor(private readonly opts: KeysOptions) {
    this.file = opts.dataDir && opts.deterministicSeed === undefined ? join(opts.dataDir, `${opts.vendor}.keys.json`) : null;
    this.stored = this.file ? readKeyFile(this.file) : {};
  }

  get deterministic(): boolean {
    return this.opts.deterministicSeed !== undefined;
  }

  /** A symmetric secret (HS256 keys), `bytes` long. */
  secret(name: string, bytes = 32): Buffer {
    const id = `secret:${name}`;
    let hex = this.stored[id];
    if (hex === undefined || hex.length !== bytes * 2) {
      hex = this.draw(id, bytes).toString('hex');
      this.keep(id, hex);
    }
    return Buffer.from(hex, 'hex');
  }

  /** An Ed25519 key pair (EdDSA JWTs). */
  ed25519(name: string): Ed25519Pair {
    const id = `ed25519:${name}`;
    let pair = this.pairs.get(id);
    if (pair) return pair;
    let der = this.stored[id];
    if (der === undefined) {
      const privateKey = this.deterministic
        ? createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, this.draw(id, 32)]), format: 'der', type: 'pkcs8' })
        : generateKeyPairSync('ed25519').privateKey;
      der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
      this.keep(id, der);
    }
    const privateKey = createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' });
    pair = { privateKey, publicKey: createPublicKey(privateKey) };
    this.pairs.set(id, pair);
    return pair;
  }

  private draw(id: string, bytes: number): Buffer {
    if (this.opts.deterministicSeed === undefined) return randomBytes(bytes);
    const info = `${this.opts.vendor}/${id}`;
    return Buffer.from(hkdfSync('sha256', String(this.opts.deterministicSeed), 'vendor-fakes deterministic keys', info, bytes));
  }

  private keep(id: string, value: string): void {
    this.stored[id] = value;
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(this.stored, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new UsageError(`cannot write ${this.file}: ${(e as Error).message}`);
    }
  }
}

function readKeyFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new UsageError(`${file} is not a vendor-fakes key file (delete it to draw new keys; tokens issued before become invalid)`);
  }
  return parsed as Record<string, string>;
}
