/**
 * MACHHUB errors: an HTTP status plus a plain-text body (D `api/errors.md`). Permission denial is 401; MACHHUB
 * documents no 403.
 */
export class MachhubError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 500 | 503,
    message: string,
  ) {
    super(message);
  }
}

export const err = {
  /** Login with a wrong username or password (exact string from D `api/errors.md`). */
  invalidCredentials: () => new MachhubError(401, 'Invalid Username or Password'),
  /** Missing or invalid credential, or action not allowed (body inferred). */
  unauthorized: () => new MachhubError(401, 'Unauthorized'),
  /** Unknown or malformed Domain header ("bad Domain ID", D `api/errors.md`). */
  badDomain: () => new MachhubError(400, 'bad Domain ID'),
  badRequest: (message: string) => new MachhubError(400, message),
  invalidBody: () => new MachhubError(400, 'Invalid request body'),
  /** SDK-observed text: `Collection operation 'getOne' failed on 'x': (EXCEPTION) Not Found - record not found`. */
  recordNotFound: () => new MachhubError(404, 'record not found'),
  notFound: (what: string) => new MachhubError(404, `${what} not found`),
  recordExists: (id: string) => new MachhubError(409, `Database record \`${id}\` already exists`),
  conflict: (message: string) => new MachhubError(409, message),
  tooLarge: () => new MachhubError(413, 'Request Entity Too Large'),
  unsupportedMedia: (type: string) => new MachhubError(415, `Unsupported Media Type: ${type}`),
  /** Fiber's default 404 for unknown routes. */
  noRoute: (method: string, path: string) => new MachhubError(404, `Cannot ${method} ${path}`),
};

/**
 * An injected fault's answer (POST /__admin/faults with a status): Fiber's plain text, the reason phrase as the body
 * (Fiber's default error text), App-CorrelationID like every answer; a 429 adds Retry-After (MACHHUB documents no
 * limiter: INFERRED from Fiber's limiter middleware).
 */
export function faultResponse(status: number, reason: string, correlationId: string): Response {
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8', 'App-CorrelationID': correlationId };
  if (status === 429) headers['Retry-After'] = '1';
  return new Response(reason, { status, headers });
}
