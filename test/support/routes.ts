/**
 * Route lists for the OpenAPI sync tests: what an app serves and what a document describes, as sorted
 * `METHOD /path/{}` strings (parameter names and a trailing `/*` both become `{}`), so the two compare with toEqual.
 */
import { readFileSync } from 'node:fs';

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface RouteLike {
  method: string;
  path: string;
  operationId?: string;
}

/** `/a/{id}`, `/a/:id` and `/a/*` all become `/a/{}`. */
export const normPath = (p: string): string => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+/g, '{}').replace(/\/\*$/, '/{}');

/** openapi/<name>.json, parsed. */
export function openapiDoc(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../openapi/${name}.json`, import.meta.url), 'utf8'));
}

/**
 * The routes an app serves (Hono's `routes`, or a route table), ALL-method middleware left out. With `prefix`
 * (`/__admin`), a sub-app's `/` is the prefix itself. `operationIds` appends each route's operationId.
 */
export function served(app: { routes: RouteLike[] } | RouteLike[], opts: { prefix?: string; operationIds?: boolean } = {}): string[] {
  const routes = Array.isArray(app) ? app : app.routes;
  const prefix = opts.prefix ?? '';
  const keys = routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => {
      const path = normPath(prefix + (prefix && r.path === '/' ? '' : r.path));
      return `${r.method.toUpperCase()} ${path}${opts.operationIds && r.operationId ? ` ${r.operationId}` : ''}`;
    });
  return [...new Set(keys)].sort();
}

/** The operations a document describes, optionally only those `filter` keeps (e.g. by tag). */
export function documented(doc: any, opts: { filter?: (op: any) => boolean; prefix?: string; operationIds?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const m of METHODS) {
      const op = ops[m];
      if (op && (!opts.filter || opts.filter(op))) out.push(`${m.toUpperCase()} ${normPath((opts.prefix ?? '') + path)}${opts.operationIds ? ` ${op.operationId}` : ''}`);
    }
  }
  return out.sort();
}

/** Filter for `documented`: operations carrying `tag`. */
export const tagged = (tag: string) => (op: any): boolean => Boolean(op.tags?.includes(tag));
