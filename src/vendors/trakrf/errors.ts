/**
 * TrakRF's error envelope (trakrf.md §4): `{"error":{type,title,status,detail,instance,request_id[,fields]}}`,
 * `application/json; charset=utf-8`, fixed title per type, keys in this order, trailing newline.
 */
export type ErrorType =
  | 'validation_error'
  | 'bad_request'
  | 'unauthorized'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'missing_org_context'
  | 'rate_limited'
  | 'internal_error';

export type FieldCode =
  | 'required'
  | 'invalid_value'
  | 'unknown_field'
  | 'too_short'
  | 'too_long'
  | 'too_small'
  | 'too_large'
  | 'fk_not_found'
  | 'ambiguous_fields'
  | 'read_only'
  | 'invalid_context';

export interface FieldError {
  field: string;
  code: FieldCode;
  message: string;
  params?: Record<string, unknown>;
}

const TITLES: Record<string, string> = {
  validation_error: 'Validation failed',
  bad_request: 'Bad request',
  unauthorized: 'Unauthorized',
  payment_required: 'Payment required',
  forbidden: 'Forbidden',
  capability_required: 'Capability required',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  unsupported_media_type: 'Unsupported media type',
  missing_org_context: 'Missing org context',
  rate_limited: 'Rate limited',
  internal_error: 'Internal server error',
};

const STATUS: Record<ErrorType, number> = {
  validation_error: 400,
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  missing_org_context: 422,
  rate_limited: 429,
  internal_error: 500,
};

/** `TitleForType`: unknown types get `Error`. */
const titleFor = (type: string): string => TITLES[type] ?? 'Error';

export class TrakrfError extends Error {
  readonly status: number;
  constructor(
    readonly type: ErrorType,
    readonly detail: string,
    readonly fields: FieldError[] = [],
    readonly headers: Record<string, string> = {},
    status = STATUS[type],
  ) {
    super(detail);
    this.status = status;
  }
}

/** `WriteValidationError`: detail is the first message, plus `(and N more validation error(s))`. */
export function validationError(fields: FieldError[]): TrakrfError {
  const first = fields[0]?.message ?? 'Request did not pass validation';
  const more = fields.length - 1;
  const detail = more > 0 ? `${first} (and ${more} more validation ${more === 1 ? 'error' : 'errors'})` : first;
  return new TrakrfError('validation_error', detail, fields);
}

export function field(field: string, code: FieldCode, message: string, params?: Record<string, unknown>): FieldError {
  return params ? { field, code, message, params } : { field, code, message };
}

const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="trakrf-api"' };

export const unauthorized = (detail: string) => new TrakrfError('unauthorized', detail, [], WWW_AUTHENTICATE);
export const forbidden = (scope: string) => new TrakrfError('forbidden', `Missing required scope: ${scope}`);
export const notFound = (detail: string) => new TrakrfError('not_found', detail);
export const badRequest = (detail: string) => new TrakrfError('bad_request', detail);
export const conflict = (detail: string) => new TrakrfError('conflict', detail);
export const unsupportedMediaType = (detail: string) => new TrakrfError('unsupported_media_type', detail);
export const methodNotAllowed = (allow: string) =>
  new TrakrfError('method_not_allowed', `Allowed methods: ${allow}`, [], { Allow: allow });
export const rateLimited = (retryAfter: number) =>
  new TrakrfError('rate_limited', `Retry after ${retryAfter} seconds`, [], { 'Retry-After': String(retryAfter) });
export const paymentRequired = () =>
  new TrakrfError('payment_required', 'Organization subscription is not active or has expired');
export const payloadTooLarge = (limit: number) =>
  new TrakrfError('payload_too_large', `Request body must not exceed ${limit} bytes`);
export const internalError = () => new TrakrfError('internal_error', 'An unexpected error occurred');

export const JSON_CT = 'application/json; charset=utf-8';

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * JSON body as the Go encoder writes it: no HTML escaping, trailing newline — but U+2028/U+2029 are still escaped
 * (encoding/json always escapes them, SetEscapeHTML(false) or not).
 */
export function jsonBody(value: unknown): string {
  const text = JSON.stringify(value);
  return (text.includes('\u2028') || text.includes('\u2029') ? text.replace(LINE_SEPARATORS, (ch) => (ch === '\u2028' ? '\\u2028' : '\\u2029')) : text) + '\n';
}

/** The envelope's bytes (keys in the vendor's order; `fields` only when there are any). */
function envelope(err: TrakrfError, instance: string, requestId: string): string {
  const e: Record<string, unknown> = {
    type: err.type,
    title: titleFor(err.type),
    status: err.status,
    detail: err.detail,
    instance,
    request_id: requestId,
  };
  if (err.fields.length) e.fields = err.fields;
  return jsonBody({ error: e });
}

/**
 * The one renderer of every TrakRF error answer: the envelope with its status, the pipeline's standard headers of
 * the request (`standard`: request id, CORS, rate-limit headers), the content type and the error's own headers.
 */
export function renderError(err: TrakrfError, instance: string, requestId: string, standard: Record<string, string>): Response {
  const headers = { ...standard, 'Content-Type': JSON_CT, ...err.headers };
  return new Response(envelope(err, instance, requestId), { status: err.status, headers });
}

/** The type an injected fault's status answers with; statuses TrakRF has no type for use the nearest (INFERRED). */
const TYPE_OF_STATUS: Record<number, ErrorType> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'missing_org_context',
  429: 'rate_limited',
  500: 'internal_error',
};

/**
 * The error of an injected fault (POST /__admin/faults with a status): that status's type, the reason as detail; a
 * 429 as the bucket answers it (one second to wait), a 401 with its WWW-Authenticate.
 */
export function faultError(status: number, reason: string): TrakrfError {
  if (status === 429) return rateLimited(1);
  if (status === 401) return unauthorized(reason);
  const type = TYPE_OF_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
  return new TrakrfError(type, reason, [], {}, status);
}
