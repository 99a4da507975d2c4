/**
 * TrakRF's credential model over HTTP (trakrf.md §3): POST /api/v1/oauth/token (its body, the grants of ops/auth.ts,
 * HS256 access JWTs of 15 min), the authentication step and its 401 matrix, the per-key token bucket, and scopes read
 * from `x-required-scopes` in openapi/trakrf.json.
 */
import { requestHeader } from '../../core/http.js';
import { readJsonBody } from '../../core/json-body.js';
import type { VendorContext } from '../../core/vendor.js';
import { JwtSigner } from '../../core/jwt.js';
import { TokenChains } from '../../core/token-chains.js';
import { TokenBuckets } from '../../core/rate-limit.js';
import { setRequestTenant } from '../../core/scope.js';
import { badRequest, field, forbidden, payloadTooLarge, rateLimited, unauthorized, unsupportedMediaType, validationError } from './errors.js';
import { MAX_BODY_BYTES, json, readBody, type C, type Step } from './http.js';
import type { TrakrfStore } from './store/index.js';
import { revokeApiKey } from './ops/api-keys.js';
import { callerOf, grantClientCredentials, grantRefresh, type AuthInfo, type Grant } from './ops/auth.js';

const ACCESS_TTL_SECONDS = 900;
const REFRESH_TTL_SECONDS = 30 * 24 * 3600;
export const ISSUER = 'trakrf-api-key';
export const AUDIENCE = 'trakrf-api';


export class TrakrfAuth {
  readonly jwt: JwtSigner;
  readonly chains: TokenChains;
  readonly buckets: TokenBuckets;
  /** `--trakrf-rate-limit`, switchable at run time (POST /__admin/rate-limit); back to the option on every reset. */
  rateLimitEnabled: boolean;

  constructor(
    private readonly ctx: VendorContext,
    private readonly store: TrakrfStore,
    secret: Uint8Array,
  ) {
    this.jwt = new JwtSigner({ alg: 'HS256', signingKey: secret, clock: ctx.clock, header: { typ: 'JWT' }, tenantClaim: 'org_id' });
    // Every refresh failure is the same 401 here, so dead chains can go (see TokenChainOptions.pruneEvery).
    this.chains = new TokenChains(ctx.handle, ctx.clock, REFRESH_TTL_SECONDS, { pruneEvery: 1000 });
    this.buckets = new TokenBuckets(ctx.clock, 120, 1);
    this.rateLimitEnabled = ctx.config.rateLimit !== false;
    ctx.onReset(() => {
      this.buckets.clear();
      this.rateLimitEnabled = ctx.config.rateLimit !== false;
    });
  }

  /** The token endpoint's 200 for a grant: a signed access token and the chain's refresh token. */
  private async issue(c: C, { key, refreshToken }: Grant): Promise<Response> {
    const iat = this.ctx.clock.nowSeconds();
    const accessToken = await this.jwt.sign({
      org_id: key.org_id,
      scopes: JSON.parse(key.scopes) as string[],
      iss: ISSUER,
      sub: key.client_id,
      aud: [AUDIENCE],
      exp: iat + ACCESS_TTL_SECONDS,
      iat,
    });
    return json(c, { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS });
  }

  /** POST /api/v1/oauth/token (trakrf.md §3.2). */
  async token(c: C): Promise<Response> {
    const body = await readTokenBody(c);
    const grant = body.grant_type;
    if (grant === undefined) throw validationError([field('grant_type', 'required', 'grant_type is required')]);
    if (grant === '') {
      throw validationError([field('grant_type', 'too_short', 'grant_type must be at least 1 character', { min_length: 1 })]);
    }
    if (grant !== 'client_credentials' && grant !== 'refresh_token') {
      throw validationError([
        field('grant_type', 'invalid_value', 'grant_type must be one of: client_credentials, refresh_token', {
          allowed_values: ['client_credentials', 'refresh_token'],
        }),
      ]);
    }
    if (grant === 'client_credentials') {
      const { client_id: id, client_secret: secret } = body;
      if (!id || !secret) throw unauthorized('client_id and client_secret are required for client_credentials');
      const granted = grantClientCredentials(this.store, this.chains, id, secret);
      if (!granted) throw unauthorized('Invalid client credentials');
      return this.issue(c, granted);
    }
    const presented = body.refresh_token;
    if (!presented) throw unauthorized('refresh_token is required for refresh_token grant');
    const granted = grantRefresh(this.store, this.chains, presented);
    if (!granted) throw unauthorized('Invalid or expired refresh token');
    return this.issue(c, granted);
  }

  /** Revoking a key kills its refresh chains now and its access tokens on their next use. */
  revokeKey(clientId: string): boolean {
    return revokeApiKey(this.store, this.chains, clientId);
  }

  /**
   * `APIKeyAuth` / `EitherAuth`: the 401 matrix (trakrf.md §3.4). Returns who is calling, or throws the 401; a
   * promise only the first time a token is seen (its signature check).
   */
  private identify(c: C): AuthInfo | Promise<AuthInfo> {
    const header = requestHeader(c, 'authorization');
    if (!header) {
      // Go's Header.Get: an empty header is an absent header.
      throw unauthorized(requestHeader(c, 'x-api-key') ? 'Use Authorization: Bearer <token>' : 'Missing authorization header');
    }
    const space = header.indexOf(' ');
    if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') throw unauthorized('Invalid authorization header format');
    const token = header.slice(space + 1);
    if (token === '') throw unauthorized('Invalid or expired token');
    const payload = this.jwt.verifiedPayload<Claims>(token, CHECKS);
    if (payload) return callerOf(this.store, payload.sub, payload.scopes);
    return this.jwt.verify<Claims>(token, CHECKS).then((verified) => {
      if (!verified.ok) throw unauthorized('Invalid or expired token');
      return callerOf(this.store, verified.payload.sub, verified.payload.scopes);
    });
  }

  /** `RateLimit`: the per-key token bucket, burst 120, 1 token/s (trakrf.md §9). 401s never reach it. */
  readonly rateLimit: Step = (c) => {
    if (!this.rateLimitEnabled) return;
    const result = this.buckets.take(c.get('auth').clientId);
    c.env.rate = result;
    if (!result.allowed) throw rateLimited(result.retryAfter);
  };

  readonly authenticate: Step = (c) => {
    const auth = this.identify(c);
    if (auth instanceof Promise) return auth.then((a) => void (setRequestTenant(a.orgId), c.set('auth', a)));
    setRequestTenant(auth.orgId);
    c.set('auth', auth);
  };
}

type Claims = { org_id: unknown; scopes: unknown; sub: unknown };
const CHECKS = { issuer: ISSUER, audience: AUDIENCE };

/** `RequireScope`: exact string match, `:write` does not imply `:read`. */
export function requireScopes(scopes: readonly string[]): Step {
  return (c) => {
    const held = c.get('auth').scopes;
    for (const s of scopes) if (!held.includes(s)) throw forbidden(s);
  };
}

interface TokenBody {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  refresh_token?: string;
}

const TOKEN_FIELDS = ['grant_type', 'client_id', 'client_secret', 'refresh_token'] as const;

/** JSON (lenient: unknown keys ignored) or form (body only, first value wins). */
async function readTokenBody(c: C): Promise<TokenBody> {
  const ct = requestHeader(c, 'content-type') ?? '';
  const isJson = ct === 'application/json' || ct === 'application/json; charset=utf-8';
  const isForm = ct.startsWith('application/x-www-form-urlencoded');
  if (!isJson && !isForm) throw unsupportedMediaType('Content-Type must be application/json or application/x-www-form-urlencoded');
  const invalid = () => badRequest('Request body is not valid JSON');
  const out: TokenBody = {};
  if (isJson) {
    const read = await readJsonBody(c.req.raw, { limit: MAX_BODY_BYTES, utf8: 'strict', object: true });
    if (!read.ok) throw read.failure.kind === 'too_large' ? payloadTooLarge(read.failure.limit) : invalid();
    for (const k of TOKEN_FIELDS) {
      const v = (read.value as Record<string, unknown>)[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw invalid();
      out[k] = v;
    }
    return out;
  }
  const raw = await readBody(c);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw invalid();
  }
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let k: string;
    let v: string;
    try {
      k = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replaceAll('+', ' '));
      v = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replaceAll('+', ' '));
    } catch {
      throw invalid();
    }
    if ((TOKEN_FIELDS as readonly string[]).includes(k) && out[k as keyof TokenBody] === undefined) out[k as keyof TokenBody] = v;
  }
  return out;
}
