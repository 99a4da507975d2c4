import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { TokenBuckets } from '../../../core/rate-limit.js';
import type { Clock } from '../../../core/clock.js';
import { randomHex } from '../../../core/secrets.js';
import { verifyPassword } from '../../../core/passwords.js';
import { invalidField, problems } from '../errors.js';
import { noQuery, onlyFields, readJson, type Deps, type Env } from '../http.js';
import { REFRESH_COOKIE } from '../auth.js';
import type { MaxtraxConfig } from '../config.js';

/** Instances whose sign-in throttle the control plane switched off (POST /__admin/rate-limit), by config object. */
const throttleOff = new WeakSet<object>();

/** The sign-in throttle's switch: on unless switched off, back on at every reset; off anyway with 0 attempts a minute. */
export const loginThrottle = {
  enabled: (config: MaxtraxConfig): boolean => config.loginAttemptsPerMinute > 0 && !throttleOff.has(config),
  set: (config: MaxtraxConfig, enabled: boolean): void => void (enabled ? throttleOff.delete(config) : throttleOff.add(config)),
};

export function authRoutes(deps: Deps, clock: Clock, onReset: (fn: () => void) => void): Hono<Env> {
  const { store, auth, config } = deps;
  const perMinute = config.loginAttemptsPerMinute;
  const failures = new TokenBuckets(clock, Math.max(perMinute, 1), Math.max(perMinute, 1) / 60);
  onReset(() => {
    failures.clear();
    throttleOff.delete(config);
  });

  const app = new Hono<Env>();

  app.post('/auth/login', async (c) => {
    noQuery(c);
    const tenant = c.get('tenant');
    const body = (await readJson(c, config.maxBodyBytes))!;
    onlyFields(body, ['userName', 'password']);
    const { userName, password } = body;
    if (typeof userName !== 'string' || userName === '') throw invalidField('userName', 'is required and must be a non-empty string');
    if (typeof password !== 'string' || password === '') throw invalidField('password', 'is required and must be a non-empty string');
    if (userName.length > 320) throw invalidField('userName', 'must be at most 320 characters');
    if (password.length > 1024) throw invalidField('password', 'must be at most 1024 characters');
    const key = `${tenant.id}\u0000${userName.toLowerCase()}`;
    const throttled = loginThrottle.enabled(config);
    if (throttled && failures.peek(key).remaining < 1) {
      // Below one token, take() refuses without consuming and says when the next attempt is allowed.
      throw problems.rateLimited(failures.take(key).retryAfter);
    }
    const user = store.userByName(tenant.id, userName);
    // An unknown user costs one scrypt too (no stored hash → false), so timing does not reveal user names.
    if (!(await verifyPassword(password, user?.password_hash)) || !user) {
      if (throttled) failures.take(key);
      throw problems.invalidCredentials();
    }
    const session = await auth.startSession(user);
    auth.setSessionCookies(c, session);
    c.header('Cache-Control', 'no-store');
    return c.json(auth.tokenBody(session));
  });

  /** The refresh token from the body (bearer clients) or the mtx_rt cookie (PWA; then CSRF applies). */
  async function presentedRefreshToken(c: Context<Env>): Promise<string | null> {
    noQuery(c);
    const body = await readJson(c, config.maxBodyBytes, true);
    const field = auth.refreshField;
    if (body) {
      onlyFields(body, [field]);
      const v = body[field];
      if (v !== undefined) {
        if (typeof v !== 'string' || v === '') throw invalidField(field, 'must be a non-empty string');
        return v;
      }
    }
    const cookie = getCookie(c, REFRESH_COOKIE);
    if (cookie) {
      auth.checkCsrf(c);
      return cookie;
    }
    return null;
  }

  app.post('/auth/refresh', async (c) => {
    const tenant = c.get('tenant');
    const token = await presentedRefreshToken(c);
    if (token === null) throw problems.missingRefreshToken();
    const found = auth.chains.find(token);
    // A token of another tenant is unknown here, and must not touch that tenant's chain.
    if (!found || found.tenant !== tenant.id) throw problems.invalidRefreshToken();
    const result = auth.chains.rotate(token, (r) => store.userById(tenant.id, r.subject) !== undefined);
    if (!result.ok) {
      if (result.reason === 'replayed') throw problems.replayedRefreshToken();
      if (result.reason === 'expired') throw problems.expiredRefreshToken();
      if (result.reason === 'revoked') throw problems.revokedRefreshToken();
      throw problems.invalidRefreshToken();
    }
    const user = store.userById(tenant.id, result.record.subject)!;
    const session = {
      accessToken: await auth.accessToken(user),
      refreshToken: result.token,
      csrfToken: randomHex(16),
      expiresIn: config.accessTtlSeconds,
    };
    auth.setSessionCookies(c, session);
    c.header('Cache-Control', 'no-store');
    return c.json(auth.tokenBody(session));
  });

  app.post('/auth/logout', async (c) => {
    const tenant = c.get('tenant');
    const token = await presentedRefreshToken(c);
    if (token !== null) {
      const found = auth.chains.find(token);
      if (found && found.tenant === tenant.id) auth.chains.revoke(token);
    }
    auth.clearSessionCookies(c);
    return c.body(null, 204);
  });

  return app;
}
