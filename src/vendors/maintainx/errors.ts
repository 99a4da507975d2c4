/**
 * MaintainX error bodies. Two JSON shapes (official OpenAPI): `{"error": "…"}` and
 * `{"errors": [{"error", "fieldPath", "fieldValue"}]}`. Strings are the spec's own examples where it gives them.
 */
import { HTTPException } from 'hono/http-exception';
import { clientClosedResponse, clientGone } from '../../core/http.js';
import { QueryError } from './query.js';

export interface FieldError {
  error: string;
  fieldPath?: string | null;
  fieldValue?: string | number | boolean | null;
}

export class MxError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : 'error');
  }
}

const single = (status: number, error: string) => new MxError(status, { error });
const multi = (status: number, errors: FieldError[]) => new MxError(status, { errors });

/** 401 — the spec documents "Invalid token" with no body; the body shape is inferred. */
export const invalidToken = () => single(401, 'Invalid token');
/** 400 — spec example on every write that takes x-organization-id. */
export const missingOrgHeader = () => multi(400, [{ error: 'Missing x-organization-id header.' }]);
/** 400 — spec text: "You cannot use both headers (x-organization-id and x-organization-ids) at the same time." */
export const bothOrgHeaders = () =>
  multi(400, [{ error: 'You cannot use both headers (x-organization-id and x-organization-ids) at the same time.' }]);
export const badOrgHeader = (name: string, value: string) =>
  multi(400, [{ error: `Invalid ${name} header.`, fieldPath: name, fieldValue: value }]);
/** 403 — inferred: a key asking for an organization it does not belong to. */
export const orgForbidden = (name: string, value: string) =>
  multi(403, [{ error: 'You do not have access to this organization.', fieldPath: name, fieldValue: value }]);
/** 404 with the operation's own message (`Not Found.` on GET by id, `<entity> Not Found` on writes). */
export const notFound = (message: string) => single(404, message);
/** 400 on writes: validation errors. */
export const validation = (errors: FieldError[]) => multi(400, errors);
export const forbidden = (message: string) => multi(403, [{ error: message }]);
export const tooManyRequests = (message: string) => single(429, message);
export const payloadTooLarge = () => single(413, 'Attachment size must not exceed 1mB');
export const notImplemented = (method: string, path: string) =>
  single(501, `${method} ${path} is not implemented by this fake yet.`);
export const internal = () => single(500, 'Internal server error.');

/**
 * An injected fault's answer (POST /__admin/faults with a status): `{"error": "<reason>"}`; a 429 carries the
 * rate-limit headers of a spent window and Retry-After (INFERRED: the vendor's own 429 names the wait only in
 * X-Rate-Limit-Reset and the message).
 */
export function faultResponse(status: number, reason: string, limit: number, windowSeconds: number): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  let error = reason;
  if (status === 429) {
    error = `Too many requests. Please retry in ${windowSeconds} seconds`;
    Object.assign(headers, {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': '0',
      'X-Rate-Limit-Reset': String(windowSeconds),
      'Retry-After': String(windowSeconds),
    });
  }
  return new Response(JSON.stringify({ error }), { status, headers });
}

/** A JSON response built the way Hono's `c.json` builds it (the header names and order on the wire follow from it). */
export function jsonResponse(value: unknown, status: number, headers?: Record<string, string>): Response {
  const all: Record<string, string> = { 'Content-Type': 'application/json', ...headers };
  let init: Record<string, string> | Headers = all;
  if (Object.keys(all).length > 1) {
    init = new Headers();
    for (const k in all) init.set(k, all[k]);
  }
  return new Response(JSON.stringify(value), { status, headers: init });
}

/** The one renderer of every error a MaintainX request ends with. */
export function renderError(err: Error, req: Request, method: string, path: string, log: (line: string) => void): Response {
  // Reads answer 400 as {"error"} ("Error with query"); writes document their 400s as {"errors": [...]}.
  const write = method !== 'GET';
  const asWrite = (message: string) => ({ errors: [{ error: message, fieldPath: null, fieldValue: null }] });
  // Attachment uploads (PUT …/attachments/{filename}) document their 400 as a bare JSON string (official spec).
  if (method === 'PUT' && /\/attachments\/[^/]+$/.test(path) && (err instanceof QueryError || (err instanceof MxError && err.status === 400))) {
    const body = err instanceof MxError ? (err.body as { error?: string; errors?: Array<{ error: string }> }) : { error: err.message };
    return jsonResponse(body.error ?? body.errors?.[0]?.error ?? 'Bad arguments.', 400);
  }
  if (err instanceof MxError) {
    const single = err.status === 400 && write && typeof (err.body as { error?: unknown }).error === 'string';
    return jsonResponse(single ? asWrite((err.body as { error: string }).error) : err.body, err.status, err.headers);
  }
  if (err instanceof QueryError) return jsonResponse(write ? asWrite(err.message) : { error: err.message }, 400);
  if (err instanceof HTTPException) return jsonResponse({ error: err.message || 'Bad request' }, err.status);
  if (clientGone(err, req)) return clientClosedResponse();
  log(`maintainx: internal error: ${err.stack ?? err.message}`);
  return jsonResponse(internal().body, 500);
}
