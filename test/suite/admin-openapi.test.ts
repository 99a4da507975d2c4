/** openapi/admin.json describes every control-plane route of every vendor listener, and nothing else. */
import { describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { vendors } from '../../src/vendors/index.js';
import { documented, METHODS, openapiDoc, served, tagged } from '../support/routes.js';

const doc = openapiDoc('admin');

describe('openapi/admin.json', () => {
  const suite = new Suite();
  it('documents the core routes, tagged core', () => {
    expect(documented(doc, { filter: tagged('core') })).toEqual(['GET /__admin', 'GET /__admin/clock', 'POST /__admin/clock', 'POST /__admin/reset']);
  });
  for (const v of vendors) {
    it(`documents every ${v.name} control-plane route, tagged ${v.name}`, () => {
      const admin = suite.instance(v.name).runtime.admin;
      const routes = admin ? served(admin, { prefix: '/__admin' }) : [];
      expect(routes.length).toBeGreaterThan(0);
      expect(documented(doc, { filter: tagged(v.name) })).toEqual(routes);
    });
  }
  it('has unique operation ids', () => {
    const ids = Object.values<any>(doc.paths).flatMap((ops) => METHODS.filter((m) => ops[m]).map((m) => ops[m].operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
