/** Named queries on `api_keys`; key rows are kept in memory (read on every authenticated request). */
import type { VendorDb } from '../../../core/db.js';
import type { ApiKeyRow } from './rows.js';

export class ApiKeyStore {
  private readonly rows = new Map<string, ApiKeyRow>();

  constructor(private readonly h: VendorDb) {}

  insert(row: Omit<ApiKeyRow, 'revoked_at' | 'last_used_at'> & { revoked_at?: number | null }): ApiKeyRow {
    this.rows.delete(row.client_id);
    return this.h
      .prepare(
        `INSERT INTO api_keys (client_id, org_id, name, scopes, secret_hash, created_at, expires_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(row.client_id, row.org_id, row.name, row.scopes, row.secret_hash, row.created_at, row.expires_at, row.revoked_at ?? null) as ApiKeyRow;
  }

  /**
   * A key row, from memory when it was read before. Every write to api_keys goes through this store (insert, revoke,
   * touch) and drops the copy; resets (all or one tenant) clear them all (`clear`).
   */
  get(clientId: string): ApiKeyRow | undefined {
    let row = this.rows.get(clientId);
    if (!row) {
      row = this.h.prepare('SELECT * FROM api_keys WHERE client_id = ?').get(clientId) as ApiKeyRow | undefined;
      if (!row) return undefined;
      if (this.rows.size >= 10_000) this.rows.clear();
      this.rows.set(clientId, row);
    }
    return row;
  }

  list(orgId?: number): ApiKeyRow[] {
    return orgId === undefined
      ? (this.h.prepare('SELECT * FROM api_keys ORDER BY created_at, client_id').all() as ApiKeyRow[])
      : (this.h.prepare('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, client_id').all(orgId) as ApiKeyRow[]);
  }

  /** Revokes a live key; false when it was already revoked (or does not exist). */
  revoke(clientId: string, now: number): boolean {
    this.rows.delete(clientId);
    return this.h.prepare('UPDATE api_keys SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL').run(now, clientId).changes > 0;
  }

  touch(clientId: string, now: number): void {
    this.rows.delete(clientId);
    this.h.prepare('UPDATE api_keys SET last_used_at = ? WHERE client_id = ?').run(now, clientId);
  }

  clear(): void {
    this.rows.clear();
  }
}
