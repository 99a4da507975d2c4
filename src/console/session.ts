/**
 * Console sessions and CSRF tokens. With an admin token, signing in creates a session (a random id from crypto in
 * an HttpOnly, SameSite=Strict cookie); without one every visitor shares the open session. Each form carries a
 * token derived from the session id (HMAC with a per-process key), checked on every POST beside the Origin.
 * One-time messages (a new secret, a result) live in the session until they are shown once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE = 'vf_console';
const MAX_SESSIONS = 1000;
const SESSION_MS = 12 * 3600_000;
const MAX_FLASHES = 20;

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
  /** Shown once (a new credential), then forgotten. */
  data?: unknown;
}

export interface Session {
  id: string;
  created: number;
  flashes: Map<string, Flash>;
}

/** Wrong sign-in tokens allowed per minute (real time) before sign-in pauses. */
export const MAX_FAILED_SIGN_INS = 10;

export class Sessions {
  private readonly key = randomBytes(32);
  private failures: number[] = [];
  private readonly sessions = new Map<string, Session>();
  /** The session of a console without an admin token. */
  readonly open: Session = { id: 'open', created: Date.now(), flashes: new Map() };

  create(): Session {
    // Real time, not the suite clock: moving the clock must not sign anyone out.
    const now = Date.now();
    for (const [id, s] of this.sessions) if (now - s.created > SESSION_MS || this.sessions.size >= MAX_SESSIONS) this.sessions.delete(id);
    const s: Session = { id: randomBytes(32).toString('base64url'), created: now, flashes: new Map() };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | null {
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    if (Date.now() - s.created > SESSION_MS) {
      this.sessions.delete(id);
      return null;
    }
    return s;
  }

  /** Records a wrong token; true when sign-in should pause (too many in the last minute). */
  failedSignIn(): void {
    this.failures.push(Date.now());
  }

  signInPaused(): boolean {
    const since = Date.now() - 60_000;
    this.failures = this.failures.filter((t) => t > since);
    return this.failures.length >= MAX_FAILED_SIGN_INS;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  csrf(s: Session): string {
    return createHmac('sha256', this.key).update(s.id).digest('base64url');
  }

  csrfOk(s: Session, presented: unknown): boolean {
    if (typeof presented !== 'string') return false;
    const a = Buffer.from(this.csrf(s));
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Keeps a one-time message; returns its id for the redirect. */
  flash(s: Session, f: Flash): string {
    if (s.flashes.size >= MAX_FLASHES) s.flashes.delete(s.flashes.keys().next().value!);
    const id = randomBytes(9).toString('base64url');
    s.flashes.set(id, f);
    return id;
  }

  /** Takes a one-time message out (null when already shown or unknown). */
  take(s: Session, id: string | undefined): Flash | null {
    if (!id) return null;
    const f = s.flashes.get(id) ?? null;
    s.flashes.delete(id);
    return f;
  }
}
