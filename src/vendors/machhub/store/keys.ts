/** Named queries on API keys. */
import type { VendorDb } from '../../../core/db.js';
import { randomString, sha256Hex } from '../../../core/secrets.js';

export class KeyStore {
  constructor(private readonly h: VendorDb) {}

  create(domainId: string, name: string, expiresMs: number | null, now: string): { key: string; lookupId: string } {
    const lookupId = randomString(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    const secret = randomString(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    this.insert(lookupId, domainId, name, sha256Hex(secret), expiresMs, now);
    return { key: `mchx_${lookupId}${secret}`, lookupId };
  }

  insert(lookupId: string, domainId: string, name: string, secretHash: string, expiresMs: number | null, now: string): void {
    this.h.prepare('INSERT INTO api_keys (lookup_id, domain_id, name, secret_hash, expires_ms, created_dt) VALUES (?, ?, ?, ?, ?, ?)').run(lookupId, domainId, name, secretHash, expiresMs, now);
  }

  byLookupId(lookupId: string): { lookup_id: string; domain_id: string; name: string; secret_hash: string; expires_ms: number | null; created_dt: string } | undefined {
    return this.h.prepare('SELECT * FROM api_keys WHERE lookup_id = ?').get(lookupId) as any;
  }

  all(domainId?: string): { lookup_id: string; domain_id: string; name: string; expires_ms: number | null; created_dt: string }[] {
    return (domainId
      ? this.h.prepare('SELECT lookup_id, domain_id, name, expires_ms, created_dt FROM api_keys WHERE domain_id = ? ORDER BY created_dt, lookup_id').all(domainId)
      : this.h.prepare('SELECT lookup_id, domain_id, name, expires_ms, created_dt FROM api_keys ORDER BY created_dt, lookup_id').all()) as any;
  }
}
