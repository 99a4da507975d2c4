/** openapi/admin.json describes every control-plane route of every vendor listener, and nothing else. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Suite } from '../../src/suite.js';
import { vendors } from '../../src/vendors/index.js';

const doc = JSON.parse(readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+/g, '{}').replace(/\/\*$/, '/{}');

function documented(tag: string): string[] {
  const out: string[] = [];
  for (const [p, ops] of Object.entries<any>(doc.paths)) for (const m of METHODS) if (ops[m]?.tags?.includes(tag)) out.push(`${m} ${norm(p)}`);
  return out.sort();
}

function served(app: { routes: { method: string; path: string }[] }): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${norm('/__admin' + (r.path === '/' ? '' : r.path))}`))].sort();
}

describe('openapi/admin.json', () => {
  const suite = new Suite();
  it('documents the core routes, tagged core', () => {
    expect(documented('core')).toEqual(['get /__admin', 'get /__admin/clock', 'post /__admin/clock', 'post /__admin/reset']);
  });
  for (const v of vendors) {
    it(`documents every ${v.name} control-plane route, tagged ${v.name}`, () => {
      const admin = suite.instance(v.name).runtime.admin;
      const routes = admin ? served(admin) : [];
      expect(routes.length).toBeGreaterThan(0);
      expect(documented(v.name)).toEqual(routes);
    });
  }
  it('has unique operation ids', () => {
    const ids = Object.values<any>(doc.paths).flatMap((ops) => METHODS.filter((m) => ops[m]).map((m) => ops[m].operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
