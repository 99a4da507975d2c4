/** Response checks against openapi/maintainx.json (and openapi/admin.json for the control plane). */
import { readFileSync } from 'node:fs';
import { getAjv, loadSpec, normalize } from '../../src/vendors/maintainx/openapi.js';
import type { ValidateFunction } from 'ajv';

const admin = JSON.parse(readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8'));

interface Template {
  method: string;
  path: string;
  re: RegExp;
  op: any;
  doc: 'api' | 'admin';
}

let templates: Template[] | null = null;

function build(): Template[] {
  const out: Template[] = [];
  const add = (paths: Record<string, any>, prefix: string, doc: 'api' | 'admin') => {
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, any>)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{fileKey\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+');
        const re = new RegExp('^' + prefix + pattern + '$');
        out.push({ method: method.toUpperCase(), path, re, op, doc });
      }
    }
  };
  add(loadSpec().paths, '/v1', 'api');
  add(admin.paths, '', 'admin');
  // Literal segments win over parameters (e.g. /assets/{assetId}/status vs /assets/{id}/...).
  out.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  return out;
}

const compiled = new Map<string, ValidateFunction>();

function resolve(doc: any, node: any): any {
  if (node && node.$ref) {
    const parts = node.$ref.replace(/^#\//, '').split('/');
    let cur = doc;
    for (const p of parts) cur = cur[p];
    return resolve(doc, cur);
  }
  return node;
}

function deref(doc: any, node: any): any {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n));
  if (!node || typeof node !== 'object') return node;
  if (node.$ref) return deref(doc, resolve(doc, node));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v)]));
}

/** Null when the response matches the document, else what is wrong. */
export function checkResponse(method: string, url: string, status: number, body: unknown, contentType: string | null): string | null {
  templates ??= build();
  // As the server sees it (dot segments resolved).
  const path = new URL(url, 'http://fake.invalid').pathname;
  const t = templates.find((x) => x.method === method && x.re.test(path));
  if (!t) {
    // Paths and methods outside the documents get the plain 404 of the vendor app.
    if (status === 404 && body && typeof (body as any).error === 'string') return null;
    return `${method} ${path}: no operation in the OpenAPI documents`;
  }
  const doc = t.doc === 'api' ? loadSpec() : admin;
  const r = resolve(doc, t.op.responses?.[String(status)]);
  if (!r) return `${method} ${t.path}: status ${status} not documented`;
  const schema = r.content?.['application/json']?.schema;
  if (!schema) {
    if (status === 401 && t.doc === 'api') {
      // The spec documents 401 without a body; the fake sends {"error": "..."} (inferred).
      return body && typeof (body as any).error === 'string' ? null : `${method} ${t.path}: 401 body is not {error}`;
    }
    if (r.content && Object.keys(r.content).length) return null;
    return body === null || body === '' ? null : `${method} ${t.path} ${status}: body where none is documented`;
  }
  if (!contentType?.includes('json')) return `${method} ${t.path} ${status}: content-type ${contentType}`;
  const key = `${t.doc} ${method} ${t.path} ${status}`;
  let v = compiled.get(key);
  if (!v) {
    v = getAjv().compile(normalize(deref(doc, schema)));
    compiled.set(key, v);
  }
  if (v(body)) return null;
  return `${key}: ${getAjv().errorsText(v.errors)} — ${JSON.stringify(body).slice(0, 300)}`;
}
