/**
 * One response checker for the OpenAPI documents in openapi/: `contract(vendor)` checks a response against
 * openapi/<vendor>.json (and `/__admin/…` against openapi/admin.json): the operation exists for the path template and
 * method (literal segments win over parameters), the status is documented (or `default`), the content type is a
 * documented one, a JSON body validates against the documented schema (one Ajv with ajv-formats), and no body is
 * sent where none is documented. What each vendor answers outside its document is in its `Rules` below.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { normalize } from '../../src/vendors/maintainx/openapi.js';
import { openapiDoc } from './routes.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Problems with one response ([] when it agrees with the documents). */
export type Contract = (method: string, url: string, res: Answer) => string[];

interface Rules {
  /** Prefix of the document's paths on the wire (MaintainX serves its document under /v1). */
  prefix?: string;
  /** Parameters that match more than one segment. */
  greedy?: string[];
  /** Which paths the document covers (default: all). */
  covers?(path: string): boolean;
  /** A response to a path (`pathKnown`: with another method) the documents do not describe: its problems. */
  outside?(r: Answer & { method: string; path: string; json: unknown }, pathKnown: boolean): string[];
  /** A body is allowed where the document shows none. */
  bodyWithoutContent?(r: Answer & { json: unknown }): boolean;
  /** The Content-Type header must equal a documented media type exactly (parameters included). */
  exactContentType?: boolean;
  /** Documented response headers that must be present. */
  requiredHeader?(name: string, status: number): boolean;
  /** Adjusts the document before it is compiled. */
  prepare?(doc: any): any;
}

const hasError = (json: unknown) => typeof (json as { error?: unknown } | null)?.error === 'string';

const RULES: Record<string, Rules> = {
  trakrf: {
    // The non-API pages (/healthz, /health, the SPA's 404) are outside the public spec; so are the spec itself
    // and its redirects, and the retired lookup paths (they answer the error envelope).
    covers: (path) => path.startsWith('/api/') && !/^\/api\/(v1\/)?openapi\.(json|yaml)$/.test(path),
    outside: (r) => (r.status === 404 || r.status === 405 ? trakrfError(r) : [`${r.method} ${r.path}: not in spec but answered ${r.status}`]),
    // Retry-After/WWW-Authenticate/Allow are documented on the shared error responses but only sent with 429/401/405.
    requiredHeader: (name, status) =>
      !(name === 'retry-after' && status !== 429) && !(name === 'www-authenticate' && status !== 401) && !(name === 'allow' && status !== 405),
    prepare: (doc) => {
      // error.type is an open enum (x-extensible-enum, trakrf.md §10); the fake adds one value the reference leaves
      // undocumented: payload_too_large for bodies over 1 MiB (docs/fidelity.md).
      doc.components.schemas.ErrorType.enum.push('payload_too_large');
      for (const p of ['/api/v1/assets/lookup', '/api/v1/locations/lookup', '/api/v1/locations/current']) delete doc.paths[p];
      return doc;
    },
  },
  maxtrax: {
    outside: (r, pathKnown) => (pathKnown && r.status === 405 ? [] : [`${r.method} ${r.path} → ${r.status}: undocumented`]),
    exactContentType: true,
  },
  maintainx: {
    prefix: '/v1',
    greedy: ['fileKey'],
    // Paths and methods outside the documents get the plain 404 of the vendor app.
    outside: (r) => (r.status === 404 && hasError(r.json) ? [] : [`${r.method} ${r.path}: no operation in the OpenAPI documents`]),
    // The spec documents 401 without a body; the fake sends {"error": "..."} (inferred).
    bodyWithoutContent: (r) => r.status === 401 && hasError(r.json),
    prepare: normalize,
  },
  machhub: { greedy: ['slug'] },
};

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, discriminator: false, allErrors: true, logger: false });
addFormats(ajv);

interface Template {
  doc: string;
  path: string;
  re: RegExp;
  params: number;
}

const loaded = new Map<string, { doc: any; templates: Template[] }>();

function load(name: string, rules: Rules): { doc: any; templates: Template[] } {
  let l = loaded.get(name);
  if (!l) {
    let doc = openapiDoc(name === 'admin-doc' ? 'admin' : name);
    if (rules.prepare) doc = rules.prepare(doc);
    ajv.addSchema(doc, name);
    const prefix = rules.prefix ?? '';
    const templates = Object.keys(doc.paths).map((path) => {
      const pattern = path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^}]+)\}/g, (_, p: string) => (rules.greedy?.includes(p) ? '.+' : '[^/]+'));
      return { doc: name, path, re: new RegExp(`^${prefix}${pattern}$`), params: path.split('{').length - 1 };
    });
    templates.sort((a, b) => a.params - b.params);
    l = { doc, templates };
    loaded.set(name, l);
  }
  return l;
}

const validators = new Map<string, ValidateFunction>();

function validate(docName: string, pointer: string, value: unknown): string | null {
  const key = `${docName}#${pointer}`;
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile({ $ref: key });
    validators.set(key, v);
  }
  return v(value) ? null : ajv.errorsText(v.errors);
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolve(doc: any, node: any): { node: any; pointer: string | null } {
  let pointer: string | null = null;
  while (node?.$ref) {
    pointer = node.$ref.slice(1);
    node = (node.$ref as string).slice(2).split('/').reduce((o: any, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return { node, pointer };
}

function trakrfError(r: Answer & { json: unknown; method: string; path: string }): string[] {
  load('trakrf', RULES.trakrf);
  const e = validate('trakrf', '/components/schemas/ErrorResponse', r.json);
  return e ? [`${r.method} ${r.path} ${r.status}: ${e}`] : [];
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The checker for one vendor's responses (its document, and openapi/admin.json under /__admin). */
export function contract(vendor: string): Contract {
  const rules = RULES[vendor] ?? {};
  const adminRules: Rules = {};
  return (method, url, res) => {
    const path = new URL(url, 'http://fake.invalid').pathname;
    const admin = path === '/__admin' || path.startsWith('/__admin/');
    const r = admin ? adminRules : rules;
    if (!admin && r.covers && !r.covers(path)) return [];
    const { doc, templates } = admin ? load('admin-doc', adminRules) : load(vendor, rules);
    const docName = admin ? 'admin-doc' : vendor;
    const m = method === 'HEAD' ? 'get' : method.toLowerCase();
    const json = parsed(res.text);
    const t = templates.find((x) => x.re.test(path) && doc.paths[x.path][m]);
    if (!t) {
      const pathKnown = templates.some((x) => x.re.test(path));
      if (r.outside) return r.outside({ ...res, method, path, json }, pathKnown);
      return [`${method} ${path} → ${res.status}: no operation in openapi/${admin ? 'admin' : vendor}.json`];
    }
    const label = `${method} ${t.path} → ${res.status}`;
    const op = doc.paths[t.path][m];
    const status = String(res.status) in op.responses ? String(res.status) : 'default';
    const base = `/paths/${esc(t.path)}/${m}/responses/${status}`;
    const { node: resp, pointer } = resolve(doc, op.responses[status]);
    if (!resp) return [`${label}: status not documented`];
    const problems: string[] = [];
    for (const h of Object.keys(resp.headers ?? {})) {
      const name = h.toLowerCase();
      if (r.requiredHeader?.(name, res.status) && !res.headers.has(name)) problems.push(`${label}: missing header ${h}`);
    }
    const content: Record<string, any> = resp.content ?? {};
    if (Object.keys(content).length === 0) {
      if (res.text !== '' && !r.bodyWithoutContent?.({ ...res, json })) problems.push(`${label}: a body where none is documented`);
      return problems;
    }
    if (method === 'HEAD' || res.status === 204) return problems;
    const header = res.headers.get('content-type') ?? '';
    const type = r.exactContentType ? header : header.split(';')[0].trim().toLowerCase();
    if (!(type in content)) return [...problems, `${label}: content-type ${header || '(none)'} not documented (${Object.keys(content).join(', ')})`];
    if (content[type].schema && /^application\/(.+\+)?json$/.test(type.split(';')[0])) {
      if (json === undefined) return [...problems, `${label}: body is not JSON`];
      const schemaAt = `${pointer ?? base}/content/${esc(type)}/schema`;
      const e = validate(docName, schemaAt, json);
      if (e) problems.push(`${label}: ${e} — ${res.text.slice(0, 300)}`);
    }
    return problems;
  };
}
