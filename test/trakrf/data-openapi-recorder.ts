/**
 * Records every /api response the TrakRF data tests produce and validates it against openapi/trakrf.json:
 * body schema for the documented status (or `default`), JSON content type, and the documented headers.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, expect } from 'vitest';

export interface Recorded {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const recorded: Recorded[] = [];

export function recordResponse(method: string, path: string, r: { status: number; headers: Headers; body: unknown }): void {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
  recorded.push({ method, path: path.split('?')[0], status: r.status, headers, body: r.body });
}

type Op = { responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }> };
export const spec = JSON.parse(readFileSync(new URL('../../openapi/trakrf.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Op>>;
};

// error.type is an open enum (x-extensible-enum, trakrf.md §10); the fake adds one value the reference leaves
// undocumented: payload_too_large for bodies over 1 MiB (docs/fidelity.md).
const forAjv = structuredClone(spec) as any;
forAjv.components.schemas.ErrorType.enum.push('payload_too_large');

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const ajv = new Ajv({ strict: false, discriminator: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ ...forAjv, $id: 'trakrf' } as object);

const patterns = Object.keys(spec.paths).map((p) => ({ p, re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$') }));

/** The spec path template a concrete path matches (static segments win over templates). */
export function specPath(path: string): string | undefined {
  const hits = patterns.filter((x) => x.re.test(path)).map((x) => x.p);
  return hits.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

const compiled = new Map<string, ValidateFunction>();

const RETIRED = new Set(['/api/v1/assets/lookup', '/api/v1/locations/lookup', '/api/v1/locations/current']);

function validate(ref: string, r: Recorded): string[] {
  const id = 'trakrf' + ref;
  let v = compiled.get(id);
  if (!v) {
    v = ajv.compile({ $ref: id });
    compiled.set(id, v);
  }
  return v(r.body) ? [] : [`${r.method} ${r.path} ${r.status}: ${ajv.errorsText(v.errors)}`];
}

/** Problems with one response, or [] when it agrees with the spec. */
export function problems(r: Recorded): string[] {
  const out: string[] = [];
  const tmpl = specPath(r.path);
  const method = r.method === 'HEAD' ? 'get' : r.method.toLowerCase();
  // The spec documents itself nowhere: /api/openapi.* and the /api/v1/openapi.* redirects.
  if (/^\/api\/(v1\/)?openapi\.(json|yaml)$/.test(r.path)) return out;
  const op = tmpl ? spec.paths[tmpl][method] : undefined;
  if (!tmpl || !op || RETIRED.has(r.path)) {
    // Unknown routes (404), known paths with another method (405) and the retired lookup paths (404) answer the
    // error envelope; nothing else may be served outside the spec.
    if (r.status !== 404 && r.status !== 405) out.push(`${r.method} ${r.path}: not in spec but answered ${r.status}`);
    else out.push(...validate('#/components/schemas/ErrorResponse', r));
    return out;
  }
  const key = String(r.status) in op.responses ? String(r.status) : 'default';
  const resp = op.responses[key];
  if (!resp) return [`${r.method} ${tmpl}: status ${r.status} not documented`];
  if (r.method !== 'HEAD' && r.status !== 204) {
    const ct = r.headers['content-type'] ?? '';
    if (!ct.startsWith('application/json')) out.push(`${r.method} ${tmpl} ${r.status}: content-type ${ct}`);
    const schema = resp.content?.['application/json']?.schema as { $ref?: string } | undefined;
    if (schema?.$ref) out.push(...validate(schema.$ref, r));
    else out.push(`${r.method} ${tmpl} ${r.status}: no JSON schema documented`);
  }
  for (const h of Object.keys(resp.headers ?? {})) {
    const name = h.toLowerCase();
    // Retry-After/WWW-Authenticate/Allow are documented on the shared error responses but only sent with 429/401/405.
    if (name === 'retry-after' && r.status !== 429) continue;
    if (name === 'www-authenticate' && r.status !== 401) continue;
    if (name === 'allow' && r.status !== 405) continue;
    if (!(name in r.headers)) out.push(`${r.method} ${tmpl} ${r.status}: missing header ${h}`);
  }
  return out;
}

/** Every data test file calls this once: at the end, every response it produced must agree with the spec. */
export function checkRecordedAgainstSpec(): void {
  afterAll(() => {
    const bad = recorded.flatMap(problems);
    expect(bad, bad.slice(0, 10).join('\n')).toEqual([]);
    expect(recorded.length).toBeGreaterThan(0);
  });
}
