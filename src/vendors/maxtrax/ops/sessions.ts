/** Sign-in, refresh and sign-out: plain values in, a session (or nothing) out, problems for the client. */
import { TokenBuckets } from '../../../core/rate-limit.js';
import { randomHex } from '../../../core/secrets.js';
import { verifyPassword } from '../../../core/passwords.js';
import type { Clock } from '../../../core/clock.js';
import type { MaxtraxAuth, Session } from '../auth.js';
import type { MaxtraxConfig } from '../config.js';
import { invalidField, onlyFields, problems } from '../errors.js';
import type { MaxtraxStore } from '../store/index.js';

/**
 * Failed sign-ins per tenant and user name (a token bucket of `loginAttemptsPerMinute`). The control plane can switch
 * it off (POST /__admin/rate-limit); a reset switches it back on. Off anyway with 0 attempts a minute.
 */
export class LoginThrottle {
  private readonly failures: TokenBuckets;
  private off = false;

  constructor(
    clock: Clock,
    private readonly perMinute: number,
  ) {
    this.failures = new TokenBuckets(clock, Math.max(perMinute, 1), Math.max(perMinute, 1) / 60);
  }

  get enabled(): boolean {
    return this.perMinute > 0 && !this.off;
  }

  set(enabled: boolean): void {
    this.off = !enabled;
  }

  reset(): void {
    this.failures.clear();
    this.off = false;
  }

  /** Throws 429 when `key` has no attempt left (without using one). */
  check(key: string): void {
    // Below one token, take() refuses without consuming and says when the next attempt is allowed.
    if (this.enabled && this.failures.peek(key).remaining < 1) throw problems.rateLimited(this.failures.take(key).retryAfter);
  }

  failed(key: string): void {
    if (this.enabled) this.failures.take(key);
  }
}

interface Deps {
  store: MaxtraxStore;
  auth: MaxtraxAuth;
  throttle: LoginThrottle;
  config: MaxtraxConfig;
}

/** POST /auth/login with its JSON body: a new session, or 401/422/429. */
export async function login(s: Deps, tenant: string, body: Record<string, unknown>): Promise<Session> {
  onlyFields(body, ['userName', 'password']);
  const { userName, password } = body;
  if (typeof userName !== 'string' || userName === '') throw invalidField('userName', 'is required and must be a non-empty string');
  if (typeof password !== 'string' || password === '') throw invalidField('password', 'is required and must be a non-empty string');
  if (userName.length > 320) throw invalidField('userName', 'must be at most 320 characters');
  if (password.length > 1024) throw invalidField('password', 'must be at most 1024 characters');
  const key = `${tenant}\u0000${userName.toLowerCase()}`;
  s.throttle.check(key);
  const user = s.store.users.byName(tenant, userName);
  // An unknown user costs one scrypt too (no stored hash → false), so timing does not reveal user names.
  if (!(await verifyPassword(password, user?.password_hash)) || !user) {
    s.throttle.failed(key);
    throw problems.invalidCredentials();
  }
  return s.auth.startSession(user);
}

/** The refresh token of a refresh or logout body (bearer clients); undefined when the body has none. */
export function bodyRefreshToken(s: Deps, body: Record<string, unknown> | null): string | undefined {
  if (!body) return undefined;
  const field = s.auth.refreshField;
  onlyFields(body, [field]);
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw invalidField(field, 'must be a non-empty string');
  return v;
}

/** POST /auth/refresh: rotates the refresh token (a replay revokes its chain) and signs a new access token. */
export async function refresh(s: Deps, tenant: string, token: string | null): Promise<Session> {
  if (token === null) throw problems.missingRefreshToken();
  const found = s.auth.chains.find(token);
  // A token of another tenant is unknown here, and must not touch that tenant's chain.
  if (!found || found.tenant !== tenant) throw problems.invalidRefreshToken();
  const result = s.auth.chains.rotate(token, (r) => s.store.users.byId(tenant, r.subject) !== undefined);
  if (!result.ok) {
    if (result.reason === 'replayed') throw problems.replayedRefreshToken();
    if (result.reason === 'expired') throw problems.expiredRefreshToken();
    if (result.reason === 'revoked') throw problems.revokedRefreshToken();
    throw problems.invalidRefreshToken();
  }
  const user = s.store.users.byId(tenant, result.record.subject)!;
  return {
    accessToken: await s.auth.accessToken(user),
    refreshToken: result.token,
    csrfToken: randomHex(16),
    expiresIn: s.config.accessTtlSeconds,
  };
}

/** POST /auth/logout: revokes the token's chain when it is one of this tenant's. */
export function logout(s: Deps, tenant: string, token: string | null): void {
  if (token === null) return;
  const found = s.auth.chains.find(token);
  if (found && found.tenant === tenant) s.auth.chains.revoke(token);
}
