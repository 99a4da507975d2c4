/** openapi/admin.json documents the snapshot and sandbox routes (tags `snapshots`, `sandboxes`) exactly as served. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { Suite } from '../../src/suite.js';
import { snapshotRoutes } from '../../src/core/snapshots.js';
import { sandboxRoutes } from '../../src/core/sandboxes.js';

const doc = JSON.parse(readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+/g, '{}');

function documented(tag: string): string[] {
  const out: string[] = [];
  for (const [p, ops] of Object.entries<any>(doc.paths)) for (const m of METHODS) if (ops[m]?.tags?.includes(tag)) out.push(`${m} ${norm(p)}`);
  return out.sort();
}

const served = (app: Hono): string[] =>
  [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${norm('/__admin' + r.path)}`))].sort();

describe('openapi/admin.json: the test-instrument routes', () => {
  const suite = new Suite({ vendors: ['trakrf'] });

  it('documents every snapshot route, tagged snapshots', () => {
    const routes = served(snapshotRoutes(suite.instance('trakrf').snapshots));
    expect(routes.length).toBe(6);
    expect(documented('snapshots')).toEqual(routes);
  });

  it('documents every sandbox route, tagged sandboxes', () => {
    const routes = served(sandboxRoutes(suite.instance('trakrf').sandboxes));
    expect(routes.length).toBe(3);
    expect(documented('sandboxes')).toEqual(routes);
  });
});
