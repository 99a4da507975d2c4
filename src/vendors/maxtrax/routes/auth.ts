import { Hono } from 'hono';
import { REFRESH_COOKIE, type Session } from '../auth.js';
import { cookie, noQuery, readJson, type C, type Env, type MaxtraxServices } from '../http.js';
import { bodyRefreshToken, login, logout, refresh } from '../ops/sessions.js';

/** Sign-in, refresh and sign-out; tokens in the body (bearer clients) and in cookies (the PWA). */
export function authRoutes(s: MaxtraxServices): Hono<Env> {
  const { auth, config } = s;
  const app = new Hono<Env>();

  const issued = (c: C, session: Session) => {
    auth.setSessionCookies(c, session);
    c.header('Cache-Control', 'no-store');
    return c.json(auth.tokenBody(session));
  };

  /** The refresh token from the body (bearer clients) or the mtx_rt cookie (PWA; then CSRF applies). */
  async function presentedRefreshToken(c: C): Promise<string | null> {
    noQuery(c);
    const fromBody = bodyRefreshToken(s, await readJson(c, config.maxBodyBytes, true));
    if (fromBody !== undefined) return fromBody;
    const fromCookie = cookie(c, REFRESH_COOKIE);
    if (fromCookie) {
      auth.checkCsrf(c);
      return fromCookie;
    }
    return null;
  }

  app.post(
    '/auth/login',
    s.gate.open(async (c) => {
      noQuery(c);
      const body = (await readJson(c, config.maxBodyBytes))!;
      return issued(c, await login(s, c.get('tenant').id, body));
    }),
  );

  app.post(
    '/auth/refresh',
    s.gate.open(async (c) => issued(c, await refresh(s, c.get('tenant').id, await presentedRefreshToken(c)))),
  );

  app.post(
    '/auth/logout',
    s.gate.open(async (c) => {
      logout(s, c.get('tenant').id, await presentedRefreshToken(c));
      auth.clearSessionCookies(c);
      return c.body(null, 204);
    }),
  );

  return app;
}
