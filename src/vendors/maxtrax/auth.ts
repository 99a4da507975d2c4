/**
 * MaxTrax identity: stateless access JWTs (HS256, key from ctx.keys) carried either in `Authorization: Bearer` or the
 * `mtx_at` cookie, plus single-use rotating refresh tokens (core token chains; replay revokes the chain).
 * The header wins over the cookie; cookie-authenticated unsafe methods need `X-CSRF-Token` equal to the CSRF cookie.
 */
import type { Context } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';
import type { JWTPayload } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { VendorDb } from '../../core/db.js';
import { JwtSigner, type VerifyOptions } from '../../core/jwt.js';
import { randomHex } from '../../core/secrets.js';
import { TokenChains } from '../../core/token-chains.js';
import { problems } from './errors.js';
import type { MaxtraxConfig } from './config.js';
import { isRole, type Role } from './model.js';
import type { UserRow } from './store/index.js';
import { cookie, header, type C } from './http.js';

export const ACCESS_COOKIE = 'mtx_at';
export const REFRESH_COOKIE = 'mtx_rt';
/** The double-submit header (X-CSRF-Token), lower-case as `header` reads it. */
const CSRF_HEADER_NAME = 'x-csrf-token';

export interface Principal {
  id: string;
  userName: string;
  name: string;
  role: Role;
  tenant: string;
  mode: 'bearer' | 'cookie';
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
  expiresIn: number;
}

interface Claims {
  sub: string;
  tid: string;
  role: string;
  userName: string;
  name: string;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Browsers refuse Max-Age above 400 days; Hono throws. */
const MAX_COOKIE_AGE = 400 * 86_400;

export function tenantOrigin(tenant: string): string {
  return `https://${tenant}.maxtrax.io`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class MaxtraxAuth {
  private readonly signer: JwtSigner;
  readonly chains: TokenChains;
  private readonly checks = new Map<string, VerifyOptions>();

  constructor(
    handle: VendorDb,
    clock: Clock,
    private readonly config: MaxtraxConfig,
    signingKey: Uint8Array,
  ) {
    this.signer = new JwtSigner({ alg: 'HS256', signingKey, clock, header: { typ: 'JWT' } });
    this.chains = new TokenChains(handle, clock, config.refreshTtlSeconds);
  }

  async accessToken(user: UserRow): Promise<string> {
    const origin = tenantOrigin(user.tenant);
    const claims = { iss: origin, aud: origin, sub: user.id, tid: user.tenant, role: user.role, userName: user.user_name,
      name: user.display_name, jti: randomHex(8) };
    return this.signer.sign(claims, this.config.accessTtlSeconds);
  }

  /** Signs in: a new refresh chain and an access token. */
  async startSession(user: UserRow): Promise<Session> {
    const { token } = this.chains.issue({ subject: user.id, tenant: user.tenant });
    return { accessToken: await this.accessToken(user), refreshToken: token, csrfToken: randomHex(16), expiresIn: this.config.accessTtlSeconds };
  }

  /**
   * Resolves the caller, or throws the 401/403 problem. Synchronous for a token already verified (the hot path);
   * a promise only when its signature must be checked.
   */
  authenticate(c: C, tenant: string): Principal | Promise<Principal> {
    const authorization = header(c, 'authorization');
    let token: string;
    let mode: Principal['mode'];
    if (authorization !== undefined) {
      const m = /^Bearer +([^\s]+) *$/i.exec(authorization);
      if (!m) throw problems.malformedAuthorization();
      token = m[1];
      mode = 'bearer';
    } else {
      const value = cookie(c, ACCESS_COOKIE);
      if (!value) throw problems.unauthenticated();
      token = value;
      mode = 'cookie';
    }
    if (token.length > 4096) throw problems.invalidToken();
    const checks = this.checksFor(tenant);
    const verified = this.signer.verifiedPayload<Claims>(token, checks);
    if (verified) return this.principal(c, verified, tenant, mode);
    return this.signer.verify<Claims>(token, checks).then((result) => {
      if (!result.ok) {
        if (result.reason === 'expired') throw problems.expiredToken();
        // A token of ours for another origin: signature fine, iss/aud for another tenant.
        if (result.reason === 'claim') throw problems.wrongTenantToken();
        throw problems.invalidToken();
      }
      return this.principal(c, result.payload, tenant, mode);
    });
  }

  /** Verification options per tenant, built once. */
  private checksFor(tenant: string): VerifyOptions {
    let checks = this.checks.get(tenant);
    if (!checks) {
      checks = { issuer: tenantOrigin(tenant), requiredClaims: ['sub', 'tid', 'role'] };
      if (this.checks.size >= 10_000) this.checks.clear();
      this.checks.set(tenant, checks);
    }
    return checks;
  }

  private principal(c: C, p: Claims & JWTPayload, tenant: string, mode: Principal['mode']): Principal {
    if (p.tid !== tenant || p.aud !== tenantOrigin(tenant)) throw problems.wrongTenantToken();
    if (typeof p.sub !== 'string' || !isRole(p.role) || typeof p.userName !== 'string') throw problems.invalidToken();
    if (mode === 'cookie') this.checkCsrf(c);
    return { id: p.sub, userName: p.userName, name: typeof p.name === 'string' ? p.name : p.userName, role: p.role, tenant, mode };
  }

  /** Double-submit check for cookie-authenticated unsafe methods. */
  checkCsrf(c: C): void {
    if (SAFE.has(c.req.method)) return;
    const sent = header(c, CSRF_HEADER_NAME);
    if (!sent) throw problems.csrfMissing();
    const value = cookie(c, this.config.csrfCookie);
    if (!value || !sameSecret(sent, value)) throw problems.csrfMismatch();
  }

  setSessionCookies(c: Context, s: Session): void {
    const base = { secure: true, sameSite: 'Strict' as const };
    setCookie(c, ACCESS_COOKIE, s.accessToken, { ...base, httpOnly: true, path: '/', maxAge: Math.min(this.config.accessTtlSeconds, MAX_COOKIE_AGE) });
    setCookie(c, REFRESH_COOKIE, s.refreshToken, {
      ...base, httpOnly: true, path: this.config.refreshCookiePath, maxAge: Math.min(this.config.refreshTtlSeconds, MAX_COOKIE_AGE),
    });
    setCookie(c, this.config.csrfCookie, s.csrfToken, { ...base, path: '/', maxAge: Math.min(this.config.refreshTtlSeconds, MAX_COOKIE_AGE) });
  }

  clearSessionCookies(c: Context): void {
    const base = { secure: true, sameSite: 'Strict' as const };
    deleteCookie(c, ACCESS_COOKIE, { ...base, httpOnly: true, path: '/' });
    deleteCookie(c, REFRESH_COOKIE, { ...base, httpOnly: true, path: this.config.refreshCookiePath });
    deleteCookie(c, this.config.csrfCookie, { ...base, path: '/' });
  }

  tokenBody(s: Session): Record<string, unknown> {
    return this.config.tokenFieldCase === 'snake'
      ? { access_token: s.accessToken, refresh_token: s.refreshToken, token_type: 'Bearer', expires_in: s.expiresIn }
      : { accessToken: s.accessToken, refreshToken: s.refreshToken, tokenType: 'Bearer', expiresIn: s.expiresIn };
  }

  get refreshField(): string {
    return this.config.tokenFieldCase === 'snake' ? 'refresh_token' : 'refreshToken';
  }
}
