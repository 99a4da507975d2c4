/**
 * The fake's OpenAPI document (`openapi/maintainx.json`, derived from the official spec) drives three things: the
 * 501 answers of the operations not built yet, request-body validation (the official request schemas, through
 * ajv; MaintainX itself validates with ajv, hence its "should have required property 'content'" messages), and the
 * response checks in the tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from './errors.js';

export interface SpecOperation {
  method: string;
  path: string;
  built: boolean;
  op: any;
}

let spec: any = null;

export function loadSpec(): any {
  spec ??= JSON.parse(readFileSync(new URL('../../../openapi/maintainx.json', import.meta.url), 'utf8'));
  return spec;
}

export function operations(): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [path, ops] of Object.entries(loadSpec().paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      out.push({ method: method.toUpperCase(), path, built: op['x-fake-built'] === true, op });
    }
  }
  return out;
}

/** OpenAPI 3.0 `nullable` → JSON Schema; drops annotations ajv does not need. */
export function normalize(schema: any): any {
  if (Array.isArray(schema)) return schema.map(normalize);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'example' || k === 'examples' || k === 'nullable' || k === 'discriminator' || k === 'xml') continue;
    if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, normalize(pv)]));
    } else out[k] = normalize(v);
  }
  if (schema.nullable === true) {
    if (out.oneOf || out.anyOf || out.allOf || out.type === undefined) return { anyOf: [out, { type: 'null' }] };
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

let ajv: Ajv | null = null;
export function getAjv(): Ajv {
  if (!ajv) {
    // Loaded with the first validation, not at start-up.
    const require = createRequire(import.meta.url);
    const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
    const addFormats = require('ajv-formats') as { default?: (a: Ajv) => Ajv } & ((a: Ajv) => Ajv);
    ajv = new AjvClass({ strict: false, allErrors: false, logger: false, validateFormats: true });
    (addFormats.default ?? addFormats)(ajv);
  }
  return ajv;
}

const requestValidators = new Map<string, ValidateFunction | null>();

/** The official request-body validator of `METHOD /path`, or null when the spec has none. */
export function requestValidator(key: string): ValidateFunction | null {
  if (!requestValidators.has(key)) {
    const [method, path] = key.split(' ');
    const op = loadSpec().paths[path]?.[method.toLowerCase()];
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    requestValidators.set(key, schema ? getAjv().compile(normalize(schema)) : null);
  }
  return requestValidators.get(key)!;
}

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** ajv's first error in MaintainX's `{error, fieldPath, fieldValue}` form (ajv v6 wording: "should …"). */
export function fieldError(err: ErrorObject, body: unknown): FieldError {
  const segments = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let value: unknown = body;
  for (const s of segments) value = value && typeof value === 'object' ? (value as any)[s] : undefined;
  const scalar =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null
      ? (value as string | number | boolean | null)
      : null;
  if (err.keyword === 'required') {
    const prop = String((err.params as { missingProperty: string }).missingProperty);
    return { error: `should have required property '${prop}'`, fieldPath: [...segments, prop].join('.'), fieldValue: null };
  }
  const path = segments.join('.') || null;
  if (err.keyword === 'enum') {
    const last = [...segments].reverse().find((s) => !/^\d+$/.test(s)) ?? 'value';
    return { error: `Invalid ${words(last)}`, fieldPath: path, fieldValue: scalar };
  }
  return { error: `should ${String(err.message ?? 'be valid').replace(/^must /, '')}`, fieldPath: path, fieldValue: scalar };
}

/** The operation's own 404 message (`properties.error.example` of its 404 response), e.g. "asset Not Found". */
export function notFoundMessage(key: string): string {
  const [method, path] = key.split(' ');
  const r = loadSpec().paths[path]?.[method.toLowerCase()]?.responses?.['404'];
  const ex = r?.content?.['application/json']?.schema?.properties?.error?.example;
  return typeof ex === 'string' ? ex : 'Not Found.';
}

/** Content types the operation accepts (attachment uploads list ~190). */
export function acceptedTypes(key: string): Set<string> {
  const [method, path] = key.split(' ');
  return new Set(Object.keys(loadSpec().paths[path]?.[method.toLowerCase()]?.requestBody?.content ?? {}));
}
