/** openapi/admin.json documents the test-instrument routes (tags journal, faults, discovery) exactly. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Suite } from '../../src/suite.js';

const doc = JSON.parse(readFileSync(new URL('../../openapi/admin.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const TAGS = ['journal', 'faults', 'discovery'];
const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]+/g, '{}');

describe('openapi/admin.json: test instrument', () => {
  it('documents every journal and fault route the control plane serves, and no other', () => {
    const suite = new Suite({ vendors: ['trakrf'] });
    const documented: string[] = [];
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      for (const m of METHODS) if (ops[m]?.tags?.some((t: string) => TAGS.includes(t))) documented.push(`${m} ${norm(p)}`);
    }
    const served = suite
      .instance('trakrf')
      .testingRoutes()
      .map(({ method, path }) => `${method.toLowerCase()} ${norm(path)}`);
    expect([...new Set(served)].sort()).toEqual(documented.sort());
    suite.close();
  });
});
