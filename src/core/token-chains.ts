/**
 * Refresh-token chains, shared by the vendors that rotate refresh tokens (TrakRF, MaxTrax).
 *
 * - A token is single use: a successful rotation marks it used and links it to its successor (`replaced_by`).
 * - Presenting a used token is a replay: it revokes that token and every token issued after it in its chain.
 * - Check-and-rotate runs in one IMMEDIATE SQLite transaction, so of N concurrent presentations exactly one wins.
 * - Tokens are stored only as SHA-256 hex. Times are suite-clock milliseconds.
 */
import type { Clock } from './clock.js';
import type { Db, VendorDb } from './db.js';
import { randomHex, sha256Hex } from './secrets.js';

export interface RefreshRecord {
  id: number;
  chain_id: string;
  token_hash: string;
  subject: string;
  tenant: string;
  data: string;
  issued_at: number;
  expires_at: number;
  used_at: number | null;
  replaced_by: number | null;
  revoked_at: number | null;
}

export type RotateFailure = 'unknown' | 'expired' | 'revoked' | 'replayed' | 'rejected';
export type RotateResult =
  | { ok: true; token: string; record: RefreshRecord; previous: RefreshRecord }
  | { ok: false; reason: RotateFailure; record?: RefreshRecord };

export interface IssueInput {
  subject: string;
  tenant?: string;
  /** Opaque JSON the vendor wants back on rotation (e.g. the session's claims). */
  data?: unknown;
}

export const TOKEN_CHAINS_SCHEMA = `
CREATE TABLE IF NOT EXISTS refresh_tokens (
  id INTEGER PRIMARY KEY,
  chain_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  tenant TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT 'null',
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  replaced_by INTEGER,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_subject ON refresh_tokens(subject);
CREATE INDEX IF NOT EXISTS refresh_tokens_chain ON refresh_tokens(chain_id);
`;

export interface TokenChainOptions {
  /** The opaque token text (default: 32 crypto-random bytes as 64 lowercase hex). */
  newToken?: () => string;
  /**
   * Delete dead chains (their head revoked or expired) every this many issued tokens. Only for a vendor that answers
   * an unknown, used, revoked and expired token alike: a pruned token then reads as unknown, and replaying it could
   * only revoke tokens that are already unusable. Default: never.
   */
  pruneEvery?: number;
}

export class TokenChains {
  private issued = 0;
  private readonly newToken: () => string;

  /** @param ttlSeconds lifetime of each token from its own issuance. */
  constructor(
    private readonly handle: VendorDb,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly options: TokenChainOptions = {},
  ) {
    this.newToken = options.newToken ?? (() => randomHex(32));
  }

  static migrate(db: Db): void {
    db.exec(TOKEN_CHAINS_SCHEMA);
  }

  /** Starts a new chain. */
  issue(input: IssueInput): { token: string; record: RefreshRecord } {
    return this.handle.transaction(() => this.insert(randomHex(16), input.subject, input.tenant ?? '', input.data));
  }

  private insert(chainId: string, subject: string, tenant: string, data: unknown): { token: string; record: RefreshRecord } {
    if (this.options.pruneEvery && ++this.issued % this.options.pruneEvery === 0) this.prune();
    const token = this.newToken();
    const now = this.clock.nowMs();
    const record = this.handle
      .prepare(
        `INSERT INTO refresh_tokens (chain_id, token_hash, subject, tenant, data, issued_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(chainId, sha256Hex(token), subject, tenant, JSON.stringify(data ?? null), now, now + this.ttlSeconds * 1000) as RefreshRecord;
    return { token, record };
  }

  /** Looks a token up without changing anything. */
  find(token: string): RefreshRecord | undefined {
    return this.handle.prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(sha256Hex(token)) as
      | RefreshRecord
      | undefined;
  }

  /**
   * Single-use rotation. `accept` may refuse a valid token (e.g. its API key was revoked) → 'rejected'.
   * A replayed token revokes itself and all its successors.
   */
  rotate(token: string, accept?: (record: RefreshRecord) => boolean): RotateResult {
    return this.handle.transaction((): RotateResult => {
      const record = this.find(token);
      if (!record) return { ok: false, reason: 'unknown' };
      const now = this.clock.nowMs();
      if (record.used_at !== null) {
        this.revokeForward(record.id, now);
        return { ok: false, reason: 'replayed', record };
      }
      if (record.revoked_at !== null) return { ok: false, reason: 'revoked', record };
      if (record.expires_at <= now) return { ok: false, reason: 'expired', record };
      if (accept && !accept(record)) return { ok: false, reason: 'rejected', record };
      const next = this.insert(record.chain_id, record.subject, record.tenant, JSON.parse(record.data));
      this.handle
        .prepare('UPDATE refresh_tokens SET used_at = ?, replaced_by = ? WHERE id = ?')
        .run(now, next.record.id, record.id);
      return { ok: true, token: next.token, record: next.record, previous: { ...record, used_at: now, replaced_by: next.record.id } };
    });
  }

  /** Revokes the token and every successor (logout). Returns false for an unknown token. */
  revoke(token: string): boolean {
    return this.handle.transaction(() => {
      const record = this.find(token);
      if (!record) return false;
      this.revokeForward(record.id, this.clock.nowMs());
      return true;
    });
  }

  /** Revokes every live token of a subject (e.g. a revoked API key or a deleted user). */
  revokeSubject(subject: string): number {
    return this.handle
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE subject = ? AND revoked_at IS NULL')
      .run(this.clock.nowMs(), subject).changes;
  }

  /**
   * Deletes every row of each chain that can never rotate again: its head (the one unused token) is revoked or
   * expired. Rows of live chains stay, since presenting any used one of them is a replay that revokes the head.
   */
  prune(): number {
    return this.handle
      .prepare(
        `DELETE FROM refresh_tokens WHERE chain_id IN
           (SELECT chain_id FROM refresh_tokens WHERE used_at IS NULL AND (revoked_at IS NOT NULL OR expires_at <= ?))`,
      )
      .run(this.clock.nowMs()).changes;
  }

  private revokeForward(fromId: number, now: number): void {
    const next = this.handle.prepare('SELECT replaced_by FROM refresh_tokens WHERE id = ?');
    const revoke = this.handle.prepare('UPDATE refresh_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?');
    let id: number | null = fromId;
    const seen = new Set<number>();
    while (id !== null && !seen.has(id)) {
      seen.add(id);
      revoke.run(now, id);
      id = ((next.get(id) as { replaced_by: number | null } | undefined)?.replaced_by) ?? null;
    }
  }
}
