/**
 * Strict write-body decoding and the struct validators (trakrf.md §4.1 "Body decode", "Validator messages"):
 * pure functions from bytes / parsed values to values or field errors. No HTTP, no SQL.
 */
import { nestedDeeperThan } from '../../core/json-body.js';
import { badRequest, field, validationError, type FieldError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = Record<string, Json>;

/**
 * Nesting limit. Go's encoding/json stops at 10000 (`exceeded max depth`); the fake stops at 1000 because V8's
 * recursive JSON.stringify overflows the stack a few thousand levels deep (docs/fidelity.md).
 */
export const MAX_DEPTH = 1000;

const notJson = () => badRequest('Request body is not valid JSON');

/** `DecodeJSONStrict` up to the object check: bytes → a JSON object, or a `bad_request`. */
export function decodeObject(raw: Uint8Array): Obj {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw notJson();
  }
  if (text.includes('\u0000') || text.trim() === '' || nestedDeeperThan(text, MAX_DEPTH)) throw notJson();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw notJson();
  }
  if (parsed === null) throw badRequest('Request body must be a JSON object (RFC 7396)');
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Request body could not be decoded as the expected type');
  }
  return parsed as Obj;
}

/** Unknown top-level keys, all of them, sorted: `unknown field "<key>" in request body`. */
export function unknownKeys(body: Obj, allowed: readonly string[]): FieldError[] {
  return Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .sort()
    .map((k) => field(k, 'unknown_field', `unknown field "${k}" in request body`));
}

function jsonType(v: Json | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // boolean | string | object
}

export function typeMismatch(name: string, expected: string, v: Json): FieldError {
  const received = jsonType(v);
  return field(name, 'invalid_value', `${name} must be ${expected}; received ${received}`, {
    expected_type: expected,
    received_type: received,
  });
}

const runeLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export const CONTROL_EXCEPT_WS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
const CONTROL_PATTERN = '^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*$';
export const EXTERNAL_KEY_RE = /^[A-Za-z0-9-]+$/;
export const EXTERNAL_KEY_PATTERN = '^[A-Za-z0-9-]+$';
const NAME_PATTERN = '^\\S(?:[^\\x00-\\x1F\\x7F]*\\S)?$';
// Go's \S is ASCII-only in RE2 without (?U)... but the runtime validator also rejects Unicode spaces (trakrf.md §8.1).
const NAME_RE = /^[^\s\x00-\x1F\x7F](?:[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F])?$/u;

const chars = (n: number) => `${n} character${n === 1 ? '' : 's'}`;

export function minLength(name: string, min: number): FieldError {
  return field(name, 'too_short', `${name} must be at least ${chars(min)}`, { min_length: min });
}
export function maxLength(name: string, max: number): FieldError {
  return field(name, 'too_long', `${name} must be at most ${max} characters`, { max_length: max });
}
export const required = (name: string): FieldError => field(name, 'required', `${name} is required`);

export function externalKeyErrors(name: string, v: string): FieldError[] {
  const n = runeLength(v);
  if (n < 1) return [minLength(name, 1)];
  if (n > 255) return [maxLength(name, 255)];
  if (!EXTERNAL_KEY_RE.test(v)) {
    return [
      field(
        name,
        'invalid_value',
        `${name} must match ^[A-Za-z0-9-]+$ (alphanumerics and hyphens only — underscore, period, whitespace, slash, colon, and non-ASCII are reserved)`,
        { pattern: EXTERNAL_KEY_PATTERN },
      ),
    ];
  }
  return [];
}

export function nameErrors(v: string): FieldError[] {
  const n = runeLength(v);
  if (n < 1) return [minLength('name', 1)];
  if (n > 255) return [maxLength('name', 255)];
  if (!NAME_RE.test(v)) {
    return [
      field(
        'name',
        'invalid_value',
        'name must not start or end with whitespace, must not contain control characters (including tab, newline, carriage return), and must not be only whitespace',
        { pattern: NAME_PATTERN },
      ),
    ];
  }
  return [];
}

/** Free text with a length range and no C0 controls except \t \n \r (description, tag value). */
export function textErrors(name: string, v: string, min: number, max: number): FieldError[] {
  const n = runeLength(v);
  if (n < min) return [minLength(name, min)];
  if (n > max) return [maxLength(name, max)];
  if (CONTROL_EXCEPT_WS.test(v)) {
    return [field(name, 'invalid_value', `${name} must not contain control characters (NUL, etc.)`, { pattern: CONTROL_PATTERN })];
  }
  return [];
}

// ---- timestamps (trakrf.md §5.6) ----------------------------------------------------------------------------

const SENTINELS = new Set([Date.UTC(1970, 0, 1), (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d.getTime();
})()]);
export const isSentinel = (ms: number): boolean => SENTINELS.has(ms);

/** RFC 3339 in seconds, as Go's time.RFC3339 formats a UTC instant (used inside messages). */
const rfc3339Seconds = (ms: number): string => new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().replace('.000Z', 'Z');

export function windowError(validFrom: number, validTo: number | null): FieldError | null {
  if (validTo === null || validTo > validFrom) return null;
  return field(
    'valid_to',
    'invalid_value',
    `valid_to (${rfc3339Seconds(validTo)}) must be after valid_from (${rfc3339Seconds(validFrom)}); the currently-effective window is half-open so a row with valid_to <= valid_from is never effective`,
  );
}

// ---- tags ---------------------------------------------------------------------------------------------------

const TAG_TYPES = ['rfid', 'ble', 'barcode'] as const;
export interface TagInput {
  tag_type: string;
  value: string;
}

/** One TagRequest (strict): type errors, then required/enum/length checks. Field names are leaf names. */
export function tagErrors(v: Json, listName?: string): { tag?: TagInput; errors: FieldError[] } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { errors: [typeMismatch(listName ?? 'body', 'object', v)] };
  }
  const unknown = unknownKeys(v, ['tag_type', 'value']);
  if (unknown.length) return { errors: unknown };
  const errors: FieldError[] = [];
  const t = v.tag_type;
  const val = v.value;
  if (t !== undefined && t !== null && typeof t !== 'string') return { errors: [typeMismatch('tag_type', 'string', t)] };
  if (val !== undefined && val !== null && typeof val !== 'string') return { errors: [typeMismatch('value', 'string', val)] };
  if (t === undefined || t === null) errors.push(required('tag_type'));
  else if (!(TAG_TYPES as readonly string[]).includes(t)) {
    errors.push(field('tag_type', 'invalid_value', `tag_type must be one of: ${TAG_TYPES.join(', ')}`, { allowed_values: [...TAG_TYPES] }));
  }
  if (val === undefined || val === null) errors.push(required('value'));
  else errors.push(...textErrors('value', val, 1, 255));
  if (errors.length) return { errors };
  return { tag: { tag_type: t as string, value: val as string }, errors };
}

/** Throws the validation error if any. */
export function check(errors: FieldError[]): void {
  if (errors.length) throw validationError(errors);
}
