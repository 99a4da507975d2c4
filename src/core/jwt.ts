/**
 * JWT helpers over jose that sign and verify against the suite clock. A verified-token cache keeps signature
 * checks off the hot path (a cached token is still re-checked against the clock for `exp` on every use).
 */
import type { JWTPayload, JWTHeaderParameters, jwtVerify } from 'jose';
import type { Clock } from './clock.js';
import { currentScope, setRequestTenant } from './scope.js';

export type JwtKey = Uint8Array | CryptoKey | Parameters<typeof jwtVerify>[1];

export interface JwtSignerOptions {
  alg: 'HS256' | 'HS384' | 'HS512' | 'EdDSA' | 'ES256' | 'RS256';
  signingKey: Uint8Array | CryptoKey;
  verifyKey?: Uint8Array | CryptoKey;
  kid?: string;
  clock: Clock;
  /** Extra protected-header fields (e.g. typ). `alg` and `kid` are always set. */
  header?: Partial<JWTHeaderParameters>;
  /**
   * The claim naming the tenant (TrakRF `org_id`), for vendors whose tenant comes from the token itself: while
   * any tenant has a clock of its own, verification reports it as the request's tenant first, so `exp` is checked
   * on that tenant's clock (and reverts it when the token turns out not to be ours).
   */
  tenantClaim?: string;
}

export interface VerifyOptions {
  issuer?: string | string[];
  audience?: string | string[];
  /** Claims that must be present (besides exp, which is always required). */
  requiredClaims?: string[];
}

export type VerifyResult<T> = { ok: true; payload: T & JWTPayload } | { ok: false; reason: VerifyFailure };
export type VerifyFailure = 'malformed' | 'signature' | 'expired' | 'claim' | 'kid';

const CACHE_LIMIT = 10_000;

// jose (some 46 modules) loads with the first signature or verification, not at start-up: it was a tenth of the
// suite's start-up CPU, and signing and verifying are asynchronous anyway.
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = (): Promise<typeof import('jose')> => (jose ??= import('jose'));

export class JwtSigner {
  /** Verified payloads by token, then by the checks they passed (see checksKey). */
  private readonly cache = new Map<string, Map<string, JWTPayload>>();

  constructor(private readonly opts: JwtSignerOptions) {}

  get kid(): string | undefined {
    return this.opts.kid;
  }

  /** Signs `claims` as given (key order kept). Set `iat`/`exp` yourself from `clock`, or pass ttlSeconds. */
  async sign(claims: Record<string, unknown>, ttlSeconds?: number): Promise<string> {
    const payload: Record<string, unknown> = { ...claims };
    if (ttlSeconds !== undefined) {
      const iat = this.opts.clock.nowSeconds();
      payload.iat ??= iat;
      payload.exp ??= iat + ttlSeconds;
    }
    const header: JWTHeaderParameters = { ...this.opts.header, alg: this.opts.alg };
    if (this.opts.kid) header.kid = this.opts.kid;
    const { SignJWT } = await loadJose();
    return new SignJWT(payload as JWTPayload).setProtectedHeader(header).sign(this.opts.signingKey);
  }

  /**
   * The payload of a token this signer already verified with these checks and that has not expired, without
   * waiting for a promise (the hot path of every authenticated request); undefined otherwise — then call verify.
   */
  verifiedPayload<T = Record<string, unknown>>(token: string, opts: VerifyOptions = NO_CHECKS): (T & JWTPayload) | undefined {
    const cached = this.cache.get(token)?.get(checksKey(opts));
    if (cached && this.opts.tenantClaim && this.opts.clock.hasTenantClocks) this.reportTenant(cached);
    if (cached && typeof cached.exp === 'number' && cached.exp > this.opts.clock.nowSeconds()) return cached as T & JWTPayload;
    return undefined;
  }

  /** Reports the token's tenant claim as the request's tenant; returns the tenant it replaced. */
  private reportTenant(payload: JWTPayload): string | null | undefined {
    const before = currentScope()?.tenant;
    const claim = payload[this.opts.tenantClaim!];
    if (typeof claim === 'string' || typeof claim === 'number') setRequestTenant(claim);
    return before;
  }

  /** Verifies signature, algorithm, `kid` (when the signer has one), issuer, audience and `exp` on the suite clock. */
  async verify<T = Record<string, unknown>>(token: string, opts: VerifyOptions = NO_CHECKS): Promise<VerifyResult<T>> {
    const checks = checksKey(opts);
    const cached = this.cache.get(token)?.get(checks);
    const tenantClock = !!this.opts.tenantClaim && this.opts.clock.hasTenantClocks;
    if (cached) {
      if (tenantClock) this.reportTenant(cached);
      if (typeof cached.exp === 'number' && cached.exp > this.opts.clock.nowSeconds()) return { ok: true, payload: cached as T & JWTPayload };
      return { ok: false, reason: 'expired' };
    }
    const { decodeJwt, jwtVerify, errors } = await loadJose();
    let tenantBefore: string | null | undefined;
    if (tenantClock) {
      try {
        tenantBefore = this.reportTenant(decodeJwt(token));
      } catch {
        // Not a JWT: verification below says so.
      }
    }
    const now = this.opts.clock.nowSeconds();
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.opts.verifyKey ?? this.opts.signingKey, {
        algorithms: [this.opts.alg],
        issuer: opts.issuer,
        audience: opts.audience,
        requiredClaims: ['exp', ...(opts.requiredClaims ?? [])],
        currentDate: new Date(now * 1000),
      });
      if (this.opts.kid !== undefined && protectedHeader.kid !== this.opts.kid) {
        if (tenantBefore !== undefined) setRequestTenant(tenantBefore);
        return { ok: false, reason: 'kid' };
      }
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      let byChecks = this.cache.get(token);
      if (!byChecks) this.cache.set(token, (byChecks = new Map()));
      byChecks.set(checks, payload);
      return { ok: true, payload: payload as T & JWTPayload };
    } catch (err) {
      const reason = classify(errors, err);
      // An unverified claim names no tenant (an expired or misdirected token of ours still does).
      if (tenantBefore !== undefined && (reason === 'signature' || reason === 'malformed')) setRequestTenant(tenantBefore);
      return { ok: false, reason };
    }
  }
}

/** No issuer, audience or extra claim checked (the default options: one object, so its key is made once). */
const NO_CHECKS: VerifyOptions = Object.freeze({});

type Checked = string | readonly string[] | undefined;

/** The key made for one options object, with the values it was made from (arrays copied). */
interface KnownChecks {
  issuer: Checked;
  audience: Checked;
  requiredClaims: Checked;
  key: string;
}

/**
 * Keys by options object: callers pass the same constant object on every request, so the key string is built once
 * per object, not per request. The values are compared again on each use (arrays element by element), so an object
 * changed in place still gets the key of what it holds now.
 */
const knownChecks = new WeakMap<VerifyOptions, KnownChecks>();

const copyOf = (v: Checked): Checked => (Array.isArray(v) ? [...(v as readonly string[])] : v);

function sameChecked(known: Checked, now: Checked): boolean {
  if (!Array.isArray(known)) return known === now;
  if (!Array.isArray(now) || now.length !== known.length) return false;
  for (let i = 0; i < now.length; i++) if (now[i] !== known[i]) return false;
  return true;
}

/** Verified tokens are cached per (token, checks): a token verified for one issuer/audience is not valid for another. */
function checksKey(opts: VerifyOptions): string {
  const known = knownChecks.get(opts);
  if (known && sameChecked(known.issuer, opts.issuer) && sameChecked(known.audience, opts.audience) && sameChecked(known.requiredClaims, opts.requiredClaims)) {
    return known.key;
  }
  const key = `${String(opts.issuer)}\n${String(opts.audience)}\n${String(opts.requiredClaims)}`;
  knownChecks.set(opts, { issuer: copyOf(opts.issuer), audience: copyOf(opts.audience), requiredClaims: copyOf(opts.requiredClaims), key });
  return key;
}

function classify(joseErrors: typeof import('jose').errors, err: unknown): VerifyFailure {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return 'claim';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'signature';
  return 'malformed';
}
