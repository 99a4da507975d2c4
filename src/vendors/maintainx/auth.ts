/**
 * Auth: `Authorization: Bearer <api key>` (scheme matched case-insensitively; the vendor's docs write `bearer`).
 * Keys are opaque, stored as SHA-256, bound to one or more organizations. Multi-organization keys must name the
 * organization with `x-organization-id` (or `x-organization-ids` on the list endpoints that take it, never both).
 * Then the rate limits: per user and per organization, fixed windows on the suite clock.
 */
import { FixedWindows, type WindowResult } from '../../core/rate-limit.js';
import { setRequestTenant } from '../../core/scope.js';
import {
  MxError,
  badOrgHeader,
  bothOrgHeaders,
  invalidToken,
  missingOrgHeader,
  orgForbidden,
  tooManyRequests,
} from './errors.js';
import type { Mx } from './http.js';
import type { KeyInfo } from './store/index.js';

export const KEY_PREFIX = 'mx_';

/** GET collections that accept `x-organization-ids` (official spec). */
const MULTI_ORG_LISTS = new Set(['/assets', '/locations', '/manufacturers', '/models', '/parts']);
/** Operations without an organization: the token's organizations, the API versions. */
const NO_ORG = new Set(['/organizations', '/versions']);

const BEARER = /^bearer\s+(\S+)\s*$/i;
const ORG_ID = /^\d{1,12}$/;

export function rateLimiter(mx: Mx) {
  const cfg = mx.ctx.config;
  const users = new FixedWindows(mx.ctx.clock, cfg.userLimit, cfg.windowSeconds);
  const orgs = new FixedWindows(mx.ctx.clock, cfg.orgLimit, cfg.windowSeconds);
  const configured = cfg.rateLimit;
  mx.ctx.onReset(() => {
    users.clear();
    orgs.clear();
    cfg.rateLimit = configured;
  });
  const headers = (r: WindowResult): Record<string, string> => ({
    'X-Rate-Limit-Limit': String(r.limit),
    'X-Rate-Limit-Remaining': String(r.remaining),
    'X-Rate-Limit-Reset': String(r.retryAfter),
  });
  return {
    /** Keys held by the windows (for tests of the memory bound). */
    get size(): number {
      return users.size + orgs.size;
    },
    /** The headers of a window without counting a request. */
    peek(userKey: string): Record<string, string> {
      return headers(users.peek(userKey));
    },
    /** Counts one request; returns the headers to send, or throws the 429. */
    take(userKey: string, orgIds: number[]): Record<string, string> {
      if (!cfg.rateLimit) {
        return { 'X-Rate-Limit-Limit': String(cfg.userLimit), 'X-Rate-Limit-Remaining': String(cfg.userLimit), 'X-Rate-Limit-Reset': String(cfg.windowSeconds) };
      }
      const results: WindowResult[] = [users.take(userKey)];
      if (results[0].allowed) {
        for (const o of orgIds) {
          const r = orgs.take(`o:${o}`);
          results.push(r);
          if (!r.allowed) break;
        }
      }
      const refused = results.find((r) => !r.allowed);
      if (refused) {
        throw new MxError(
          429,
          tooManyRequests(`Too many requests. Please retry in ${refused.retryAfter} seconds`).body,
          headers(refused),
        );
      }
      const tightest = results.reduce((a, b) => (b.remaining < a.remaining ? b : a));
      return headers(tightest);
    },
  };
}

/** Who a request authenticated as, and the organizations it acts on (one, except lists with x-organization-ids). */
export interface Caller {
  userId: number;
  keyOrgIds: number[];
  orgIds: number[];
}

export type Limiter = ReturnType<typeof rateLimiter>;

/**
 * Authenticates a /v1 request other than /v1/versions and a work-permit signature (synchronously: no step waits).
 * Returns the caller and the rate-limit headers of the request it counted; throws the MxError to answer with.
 */
export function authenticate(
  mx: Mx,
  limiter: Limiter,
  method: string,
  path: string,
  header: (name: string) => string | undefined,
): { caller: Caller; rate: Record<string, string> } {
  const resource = '/' + (path.split('/')[2] ?? '');
  const key = bearerKey(mx, header);
  // A key whose organizations were all removed (per-tenant reset) no longer authenticates.
  // Unknown keys are not counted (no window per invalid token, so crafted tokens cost no memory).
  if (!key || key.orgIds.length === 0) throw new MxError(401, invalidToken().body, limiter.peek('anon'));
  let orgIds: number[] = [];
  try {
    const one = header('x-organization-id');
    const many = header('x-organization-ids');
    if (one !== undefined && many !== undefined) throw bothOrgHeaders();
    if (one !== undefined) {
      const v = one.trim();
      if (!ORG_ID.test(v)) throw badOrgHeader('x-organization-id', one);
      if (!key.orgIds.includes(Number(v))) throw orgForbidden('x-organization-id', one);
      orgIds = [Number(v)];
    } else if (many !== undefined && method === 'GET' && MULTI_ORG_LISTS.has(path.replace(/^\/v1/, ''))) {
      const parts = many.split(',').map((s) => s.trim());
      if (parts.length === 0 || parts.some((s) => !ORG_ID.test(s))) throw badOrgHeader('x-organization-ids', many);
      const ids = [...new Set(parts.map(Number))];
      const foreign = ids.find((id) => !key.orgIds.includes(id));
      if (foreign !== undefined) throw orgForbidden('x-organization-ids', many);
      orgIds = ids;
    } else if (NO_ORG.has(resource)) {
      orgIds = key.orgIds;
    } else if (key.orgIds.length === 1) {
      orgIds = key.orgIds;
    } else {
      throw missingOrgHeader();
    }
  } catch (err) {
    // Header errors still count against the user's window and carry its headers.
    if (err instanceof MxError) Object.assign(err.headers, limiter.take(`u:${key.userId}`, []));
    throw err;
  }
  setRequestTenant(orgIds.length === 1 ? orgIds[0] : null);
  const rate = limiter.take(`u:${key.userId}`, NO_ORG.has(resource) ? [] : orgIds);
  return { caller: { userId: key.userId, keyOrgIds: key.orgIds, orgIds }, rate };
}

/** The key of the request's `Authorization: Bearer …`, or null. */
export function bearerKey(mx: Mx, header: (name: string) => string | undefined): KeyInfo | null {
  const m = BEARER.exec(header('authorization') ?? '');
  return m ? mx.store.keys.byToken(m[1]) : null;
}
