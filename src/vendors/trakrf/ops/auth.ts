/**
 * The credential rules (trakrf.md §3.2, §3.4) on plain values: which key a grant or a verified token stands for, and
 * whether it is usable now. A grant starts or rotates the key's refresh chain and stamps the key's last use in one
 * transaction; the caller signs the access token.
 */
import { setRequestTenant } from '../../../core/scope.js';
import { secretMatches } from '../../../core/secrets.js';
import type { TokenChains } from '../../../core/token-chains.js';
import { unauthorized } from '../errors.js';
import type { ApiKeyRow, TrakrfStore } from '../store/index.js';

/** Who is calling, once authenticated. */
export interface AuthInfo {
  clientId: string;
  orgId: number;
  scopes: string[];
}

/** A granted key and the refresh token of its chain. */
export interface Grant {
  key: ApiKeyRow;
  refreshToken: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a key cannot be used now, as the 401 detail, or null when it is usable. */
function keyProblem(key: ApiKeyRow | undefined, now: number): string | null {
  if (!key) return 'Invalid or expired token';
  if (key.revoked_at !== null) return 'API key has been revoked';
  if (key.expires_at !== null && key.expires_at <= now) return 'API key has expired';
  return null;
}

const usable = (store: TrakrfStore, key: ApiKeyRow | undefined): key is ApiKeyRow => keyProblem(key, store.now()) === null;

/** client_credentials: a new chain for a usable key whose secret matches, or null (one 401 for every failure). */
export function grantClientCredentials(store: TrakrfStore, chains: TokenChains, clientId: string, secret: string): Grant | null {
  const key = UUID.test(clientId) ? store.apiKeys.get(clientId.toLowerCase()) : undefined;
  if (!key || !secretMatches(secret, key.secret_hash)) return null;
  // The key's tenant first: its clock decides whether the key has expired.
  setRequestTenant(key.org_id);
  if (!usable(store, key)) return null;
  return store.transaction(() => {
    const { token } = chains.issue({ subject: key.client_id, tenant: String(key.org_id) });
    store.apiKeys.touch(key.client_id, store.now());
    return { key, refreshToken: token };
  });
}

/**
 * refresh_token: the token's successor while its key is usable, or null. A replayed token has revoked its chain
 * by then (that write stands: nothing here throws inside the transaction).
 */
export function grantRefresh(store: TrakrfStore, chains: TokenChains, presented: string): Grant | null {
  // The token's tenant first: its clock decides whether the token has expired.
  const record = chains.find(presented);
  if (record) setRequestTenant(record.tenant);
  return store.transaction(() => {
    const rotated = chains.rotate(presented, (rec) => usable(store, store.apiKeys.get(rec.subject)));
    if (!rotated.ok) return null;
    const key = store.apiKeys.get(rotated.record.subject)!;
    store.apiKeys.touch(key.client_id, store.now());
    return { key, refreshToken: rotated.token };
  });
}

/** The caller behind a verified token, whose key must still be usable (revocation and expiry apply to live tokens). */
export function callerOf(store: TrakrfStore, subject: unknown, scopes: unknown): AuthInfo {
  const key = typeof subject === 'string' ? store.apiKeys.get(subject) : undefined;
  const problem = keyProblem(key, store.now());
  if (problem) throw unauthorized(problem);
  return { clientId: key!.client_id, orgId: key!.org_id, scopes: Array.isArray(scopes) ? (scopes as string[]) : [] };
}
