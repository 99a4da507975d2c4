/**
 * MACHHUB credentials: EdDSA (Ed25519) JWTs with a `kid` header (issuer `machhub.localhost`, audience
 * `idt_machhub_edge`, 24 h), and API keys `mchx_<12-char lookup id><secret>` bound to one domain. The signing key is
 * the instance's `ctx.keys` Ed25519 pair (crypto-random, kept with the data).
 */
import { createHash } from 'node:crypto';
import { JwtSigner } from '../../core/jwt.js';
import { secretMatches } from '../../core/secrets.js';
import type { VendorContext } from '../../core/vendor.js';
import { err } from './errors.js';
import type { Store, UserRow } from './store/index.js';

export const ISSUER = 'machhub.localhost';
export const AUDIENCE = 'idt_machhub_edge';
export const DEFAULT_DOMAIN = 'domains:machhub_admin';

export interface MachhubConfig {
  auth: 'lax' | 'strict';
  tokenTtlHours: number;
  maxBodyBytes: number;
  maxHeaderBytes: number;
  maxCollections: number;
  mqttPort: number;
  [k: string]: string | number | boolean;
}

export type Principal =
  | { kind: 'user'; user: UserRow; claims: Record<string, unknown> }
  | { kind: 'apikey'; lookupId: string; domainId: string }
  | { kind: 'anonymous' }
  /** A credential was sent but did not verify. */
  | { kind: 'invalid' };

export function signerFor(ctx: VendorContext<any>): JwtSigner {
  const { privateKey, publicKey } = ctx.keys.ed25519('jwt');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const kid = createHash('sha256').update(spki).digest('hex').slice(0, 16);
  return new JwtSigner({
    alg: 'EdDSA',
    // jose accepts node KeyObjects at run time.
    signingKey: privateKey as unknown as CryptoKey,
    verifyKey: publicKey as unknown as CryptoKey,
    kid,
    clock: ctx.clock,
    header: { alg: 'EdDSA', typ: 'JWT' },
  });
}

export async function issueToken(signer: JwtSigner, store: Store, user: UserRow, ttlSeconds: number, nowSeconds: number): Promise<string> {
  const domains = store.users.domainsOf(user.id);
  return signer.sign({
    user_id: user.id,
    username: user.username,
    groups: store.users.groupIdsOf(user.id),
    domains,
    iss: ISSUER,
    aud: [AUDIENCE],
    iat: nowSeconds,
    exp: nowSeconds + ttlSeconds,
  });
}

const TOKEN_CHECKS = { issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['user_id', 'iat'] };
const INVALID: Principal = { kind: 'invalid' };

/**
 * A bearer token's principal. A token this signer already verified (and that has not expired on the suite clock) is
 * answered without a promise; the user is read on every use, so a deleted user's token stops working at once.
 */
export function verifyToken(signer: JwtSigner, store: Store, token: string, nowSeconds: number, userById?: UserLookup): Principal | Promise<Principal> {
  const cached = signer.verifiedPayload<Record<string, unknown>>(token, TOKEN_CHECKS);
  if (cached) return tokenPrincipal(userById ?? ((id) => store.users.byId(id)), cached, nowSeconds);
  // After the promise, the user is read afresh (a lookup is only good until the next write).
  return signer.verify<Record<string, unknown>>(token, TOKEN_CHECKS).then((r) => (r.ok ? tokenPrincipal((id) => store.users.byId(id), r.payload, nowSeconds) : INVALID));
}

/** Reads a user by id (store.users.byId, or a lookup kept while the connection stands still). */
export type UserLookup = (id: string) => UserRow | undefined;

function tokenPrincipal(userById: UserLookup, payload: Record<string, unknown>, nowSeconds: number): Principal {
  // golang-jwt WithIssuedAt(): a token issued in the future is invalid (no leeway).
  if (typeof payload.iat !== 'number' || payload.iat > nowSeconds) return INVALID;
  const user = typeof payload.user_id === 'string' ? userById(payload.user_id) : undefined;
  if (!user) return INVALID;
  return { kind: 'user', user, claims: payload };
}

const API_KEY = /^mchx_([A-Za-z0-9]{12})(.+)$/;

export function verifyApiKey(store: Store, value: string, nowMs: number): Principal {
  const m = API_KEY.exec(value);
  if (!m) return { kind: 'invalid' };
  const row = store.keys.byLookupId(m[1]);
  if (!row || !secretMatches(m[2], row.secret_hash)) return { kind: 'invalid' };
  if (row.expires_ms !== null && row.expires_ms <= nowMs) return { kind: 'invalid' };
  return { kind: 'apikey', lookupId: row.lookup_id, domainId: row.domain_id };
}

/** VerifyAuth: Bearer first; otherwise X-Machhub-Api-Key; otherwise anonymous. A key only works in its domain. */
export function resolvePrincipal(header: (name: string) => string | undefined, signer: JwtSigner, store: Store, domainId: string, nowMs: number, userById?: UserLookup): Principal | Promise<Principal> {
  const authz = header('authorization');
  if (authz !== undefined && authz !== '') {
    const m = /^Bearer\s+(.+)$/i.exec(authz);
    if (!m) return { kind: 'invalid' };
    return verifyToken(signer, store, m[1].trim(), Math.floor(nowMs / 1000), userById);
  }
  const key = header('x-machhub-api-key');
  if (key !== undefined && key !== '') {
    const p = verifyApiKey(store, key, nowMs);
    if (p.kind === 'apikey' && p.domainId !== domainId) return { kind: 'invalid' };
    return p;
  }
  return { kind: 'anonymous' };
}

/** WithDomain: absent or empty → domains:machhub_admin; unknown or malformed → 400 `bad Domain ID`. */
export function resolveDomain(header: string | undefined, nameOf: (id: string) => string | undefined): { id: string; name: string } {
  // The SDK sends `Domain: domains:` when application_id is empty; treated like an absent header (inferred).
  const id = header === undefined || header.trim() === '' || header.trim() === 'domains:' ? DEFAULT_DOMAIN : header.trim();
  const name = nameOf(id);
  if (name === undefined) {
    if (id === DEFAULT_DOMAIN) throw new Error(`missing ${DEFAULT_DOMAIN}`);
    throw err.badDomain();
  }
  return { id, name };
}

const ACTION_RANK: Record<string, number> = { read: 1, 'read-write': 2 };

/** Whether the features grant `action` (read-write implies read) for `feature`, optionally in `scope`. */
export function featuresAllow(features: { name: string; action: string; scope: string }[], feature: string, action: string, scope?: string): boolean {
  return features.some((f) => {
    if (f.name !== feature) return false;
    if (scope !== undefined && f.scope !== scope) return false;
    if (f.action === action) return true;
    const have = ACTION_RANK[f.action];
    const want = ACTION_RANK[action];
    return have !== undefined && want !== undefined && have >= want;
  });
}
