/**
 * MaxTrax errors: RFC 9457 Problem Details (`application/problem+json`) with `type`, `title`, `status`, `detail`
 * and `instance`. The docs name only the shape; the `type` URIs and titles below are ours (inferred) and stable —
 * they are listed in docs/fidelity.md. One function per problem, and one renderer (problemResponse).
 */
export const PROBLEM_BASE = 'https://developers.maxtrax.io/problems/';

export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export interface ProblemBody {
  type: string;
  title: string;
  status: ProblemStatus;
  detail: string;
  instance?: string;
  [k: string]: unknown;
}

export class Problem extends Error {
  override name = 'Problem';
  constructor(
    readonly status: ProblemStatus,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  body(instance: string): ProblemBody {
    return {
      type: PROBLEM_BASE + this.slug,
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      ...this.extensions,
    };
  }
}

const BEARER = 'Bearer realm="maxtrax"';

/** Ids and hosts echoed in a detail, cut to a readable length. */
function echo(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

export const problems = {
  malformedJson: (why: string) => new Problem(400, 'malformed-request', 'Malformed request', `The request body is not valid JSON: ${why}`),
  badRequest: (detail: string) => new Problem(400, 'malformed-request', 'Malformed request', detail),
  unknownQuery: (names: string[], allowed: readonly string[]) =>
    new Problem(
      400,
      'invalid-query',
      'Invalid query parameter',
      `Unknown query parameter${names.length > 1 ? 's' : ''}: ${names.join(', ')}. ` +
        (allowed.length ? `Allowed: ${allowed.join(', ')}.` : 'This endpoint takes no query parameters.'),
    ),
  invalidQuery: (detail: string) => new Problem(400, 'invalid-query', 'Invalid query parameter', detail),
  unauthenticated: () =>
    new Problem(401, 'unauthenticated', 'Authentication required',
      'Send an access token in the Authorization header (Bearer) or the mtx_at cookie.', { 'WWW-Authenticate': BEARER }),
  malformedAuthorization: () =>
    new Problem(401, 'invalid-token', 'Invalid access token',
      'The Authorization header must be "Bearer <access-token>".', {
        'WWW-Authenticate': `${BEARER}, error="invalid_request"`,
      }),
  invalidToken: () =>
    new Problem(401, 'invalid-token', 'Invalid access token', 'The access token is invalid.', {
      'WWW-Authenticate': `${BEARER}, error="invalid_token", error_description="The access token is invalid"`,
    }),
  expiredToken: () =>
    new Problem(401, 'invalid-token', 'Invalid access token', 'The access token has expired.', {
      'WWW-Authenticate': `${BEARER}, error="invalid_token", error_description="The access token has expired"`,
    }),
  wrongTenantToken: () =>
    new Problem(401, 'invalid-token', 'Invalid access token', 'The access token was not issued for this tenant.', {
      'WWW-Authenticate': `${BEARER}, error="invalid_token", error_description="The access token was not issued for this tenant"`,
    }),
  invalidCredentials: () =>
    new Problem(401, 'invalid-credentials', 'Invalid credentials', 'The user name or password is incorrect.'),
  missingRefreshToken: () =>
    new Problem(401, 'invalid-refresh-token', 'Invalid refresh token',
      'No refresh token: send {"refreshToken": "..."} or the mtx_rt cookie.'),
  invalidRefreshToken: () =>
    new Problem(401, 'invalid-refresh-token', 'Invalid refresh token', 'The refresh token is invalid.'),
  expiredRefreshToken: () =>
    new Problem(401, 'invalid-refresh-token', 'Invalid refresh token', 'The refresh token has expired.'),
  revokedRefreshToken: () =>
    new Problem(401, 'invalid-refresh-token', 'Invalid refresh token', 'The refresh token has been revoked.'),
  replayedRefreshToken: () =>
    new Problem(401, 'invalid-refresh-token', 'Invalid refresh token',
      'The refresh token has already been used; the session it belongs to has been revoked.'),
  csrfMissing: () =>
    new Problem(403, 'csrf-token-mismatch', 'CSRF token mismatch',
      'Cookie-authenticated requests that change state must send the X-CSRF-Token header.'),
  csrfMismatch: () =>
    new Problem(403, 'csrf-token-mismatch', 'CSRF token mismatch',
      'The X-CSRF-Token header does not match the CSRF cookie.'),
  forbiddenRole: (role: string, action: string) =>
    new Problem(403, 'forbidden', 'Forbidden', `The ${role} role may not ${action}.`),
  forbiddenWeld: (id: string) =>
    new Problem(403, 'forbidden', 'Forbidden', `Weld ${echo(id)} is not assigned to you.`),
  tenantNotFound: (host: string) =>
    new Problem(404, 'tenant-not-found', 'Tenant not found', `No MaxTrax tenant is served at ${echo(host)}.`),
  routeNotFound: (method: string, path: string) =>
    new Problem(404, 'not-found', 'Not found', `No resource at ${method} ${echo(path)}.`),
  isoNotFound: (id: string) => new Problem(404, 'not-found', 'Not found', `ISO ${echo(id)} was not found.`),
  weldNotFound: (id: string) => new Problem(404, 'not-found', 'Not found', `Weld ${echo(id)} was not found.`),
  methodNotAllowed: (method: string, allow: string[]) =>
    new Problem(405, 'method-not-allowed', 'Method not allowed', `${method} is not allowed here. Allowed: ${allow.join(', ')}.`, {
      Allow: allow.join(', '),
    }),
  invalidTransition: (id: string, from: string, to: string, allowed: readonly string[]) =>
    new Problem(409, 'invalid-status-transition', 'Invalid status transition',
      `Weld ${id} cannot move from ${from} to ${to}. ` +
        (allowed.length ? `Allowed from ${from}: ${allowed.join(', ')}.` : `${from} is a final status.`),
      {}, { currentStatus: from, requestedStatus: to }),
  payloadTooLarge: (limit: number) =>
    new Problem(413, 'payload-too-large', 'Payload too large', `The request body exceeds ${limit} bytes.`),
  unsupportedMediaType: (got: string) =>
    new Problem(415, 'unsupported-media-type', 'Unsupported media type',
      `Content-Type must be application/json${got ? `, not ${got}` : ''}.`),
  validation: (detail: string, errors: Array<{ field: string; message: string }>) =>
    new Problem(422, 'validation-failed', 'Validation failed', detail, {}, { errors }),
  rateLimited: (retryAfter: number) =>
    new Problem(429, 'too-many-requests', 'Too many requests',
      `Too many sign-in attempts. Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`, {
        'Retry-After': String(retryAfter),
      }),
  notReady: (tenant: string) =>
    new Problem(503, 'not-ready', 'Service unavailable', `The store of tenant ${tenant} is not ready.`, { 'Retry-After': '5' }),
  internal: () => new Problem(500, 'internal-error', 'Internal server error', 'An unexpected error occurred.'),
};

/** The one renderer of a problem: `instance` is the request path. */
export function problemResponse(p: Problem, path: string): Response {
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...p.headers });
  return new Response(JSON.stringify(p.body(path)), { status: p.status, headers });
}

/** Builds a 422 for one field. */
export function invalidField(field: string, message: string): Problem {
  return problems.validation(`${field}: ${message}`, [{ field, message }]);
}

/** Refuses body members outside `allowed` (422, one error per member). */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) {
    throw problems.validation(
      `Unknown field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}.`,
      extra.map((field) => ({ field, message: 'is not a known field' })),
    );
  }
}

/**
 * An injected fault's problem (POST /__admin/faults with a status): the problem this module has for the status, or
 * one named after the reason (INFERRED, like every type URI here). A 429 is the sign-in throttle's, a 503 the
 * not-ready one's (both with Retry-After).
 */
export function statusProblem(status: number, reason: string): Problem {
  if (status === 429) return problems.rateLimited(1);
  if (status === 503) return new Problem(503, 'service-unavailable', 'Service unavailable', 'The service is temporarily unavailable.', { 'Retry-After': '5' });
  if (status === 500) return problems.internal();
  const slug = reason.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'error';
  return new Problem(status as ProblemStatus, slug, reason, `${reason}.`);
}
