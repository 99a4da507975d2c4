/** Named queries on API keys and the organizations each reaches; live keys cached by the token presented. */
import { sha256Hex } from '../../../core/secrets.js';
import type { Conn, KeyInfo } from './rows.js';

export interface KeyListing {
  id: number;
  userId: number;
  prefix: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  orgIds: number[];
}

export class KeyStore {
  /** Keys by the token presented (read on every request): valid keys only, dropped on every key write and reset. */
  private readonly byTokenCache = new Map<string, KeyInfo>();

  constructor(private readonly conn: Conn) {}

  private get h() {
    return this.conn.handle;
  }

  /** Forgets every cached token (the database was reset or replaced). */
  clearCache(): void {
    this.byTokenCache.clear();
  }

  create(userId: number, keyHash: string, prefix: string, orgIds: number[], label: string | null): number {
    this.byTokenCache.clear();
    const id = Number(
      this.h
        .prepare('INSERT INTO api_keys (user_id, key_hash, key_prefix, label, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(userId, keyHash, prefix, label, this.conn.nowIso()).lastInsertRowid,
    );
    const ins = this.h.prepare('INSERT INTO api_key_orgs (key_id, org_id) VALUES (?, ?)');
    for (const o of orgIds) ins.run(id, o);
    return id;
  }

  /** The live key a bearer token names (SHA-256 of the token), or null. */
  byToken(token: string): KeyInfo | null {
    const hit = this.byTokenCache.get(token);
    if (hit) return hit;
    const key = this.byHash(sha256Hex(token));
    if (key) {
      if (this.byTokenCache.size >= 1000) this.byTokenCache.clear();
      this.byTokenCache.set(token, key);
    }
    return key;
  }

  byHash(hash: string): KeyInfo | null {
    const k = this.h
      .prepare('SELECT id, user_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL')
      .get(hash) as { id: number; user_id: number } | undefined;
    if (!k) return null;
    const orgs = this.h.prepare('SELECT org_id FROM api_key_orgs WHERE key_id = ? ORDER BY org_id').all(k.id) as {
      org_id: number;
    }[];
    return { keyId: k.id, userId: k.user_id, orgIds: orgs.map((o) => o.org_id) };
  }

  all(): KeyListing[] {
    const rows = this.h.prepare('SELECT * FROM api_keys ORDER BY id').all() as any[];
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      prefix: r.key_prefix,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      orgIds: (this.h.prepare('SELECT org_id FROM api_key_orgs WHERE key_id = ? ORDER BY org_id').all(r.id) as any[]).map(
        (o) => o.org_id,
      ),
    }));
  }

  /** Deletes the keys of organization `orgId` that name no other organization (a sandbox's, when it is deleted). */
  deleteOnlyOf(orgId: number): void {
    this.h.db
      .prepare('DELETE FROM api_keys WHERE id IN (SELECT key_id FROM api_key_orgs WHERE org_id = @o) AND id NOT IN (SELECT key_id FROM api_key_orgs WHERE org_id <> @o)')
      .run({ o: orgId });
    this.clearCache();
  }

  revoke(id: number): boolean {
    this.byTokenCache.clear();
    return this.h.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.conn.nowIso(), id).changes > 0;
  }
}
