/** API keys (trakrf.md §3.1): minting (the secret shown once, only its SHA-256 stored) and revocation. */
import { randomHex, sha256Hex } from '../../../core/secrets.js';
import type { TokenChains } from '../../../core/token-chains.js';
import type { ApiKeyRow, TrakrfStore } from '../store/index.js';

export const ALL_SCOPES = ['assets:read', 'assets:write', 'locations:read', 'locations:write', 'tracking:read', 'keys:admin'] as const;

export interface NewApiKey {
  orgId: number;
  name: string;
  scopes: string[];
  expiresAt: number | null;
}

/** Mints a key with a new client id and secret: returns the row and the secret. */
export function mintApiKey(store: TrakrfStore, newClientId: () => string, input: NewApiKey): { row: ApiKeyRow; secret: string } {
  const secret = `trakrf_${randomHex(32)}`;
  const row = store.apiKeys.insert({
    client_id: newClientId(),
    org_id: input.orgId,
    name: input.name,
    scopes: JSON.stringify(input.scopes),
    secret_hash: sha256Hex(secret),
    created_at: store.now(),
    expires_at: input.expiresAt,
  });
  return { row, secret };
}

/** Live keys of the org now (neither revoked nor expired). */
export function activeKeyCount(store: TrakrfStore, orgId: number): number {
  const now = store.now();
  return store.apiKeys.list(orgId).filter((k) => k.revoked_at === null && (k.expires_at === null || k.expires_at > now)).length;
}

/** Revoking a key kills its refresh chains now and its access tokens on their next use; false when already revoked. */
export function revokeApiKey(store: TrakrfStore, chains: TokenChains, clientId: string): boolean {
  return store.transaction(() => {
    const done = store.apiKeys.revoke(clientId, store.now());
    if (done) chains.revokeSubject(clientId);
    return done;
  });
}
