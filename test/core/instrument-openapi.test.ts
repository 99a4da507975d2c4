/** openapi/admin.json documents the snapshot and sandbox routes (tags `snapshots`, `sandboxes`) exactly as served. */
import { describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { snapshotRoutes } from '../../src/core/snapshots.js';
import { sandboxRoutes } from '../../src/core/sandboxes.js';
import { documented, openapiDoc, served, tagged } from '../support/routes.js';

const doc = openapiDoc('admin');

describe('openapi/admin.json: the test-instrument routes', () => {
  const suite = new Suite({ vendors: ['trakrf'] });

  it('documents every snapshot route, tagged snapshots', () => {
    const routes = served(snapshotRoutes(suite.instance('trakrf').snapshots), { prefix: '/__admin' });
    expect(routes.length).toBe(6);
    expect(documented(doc, { filter: tagged('snapshots') })).toEqual(routes);
  });

  it('documents every sandbox route, tagged sandboxes', () => {
    const routes = served(sandboxRoutes(suite.instance('trakrf').sandboxes), { prefix: '/__admin' });
    expect(routes.length).toBe(3);
    expect(documented(doc, { filter: tagged('sandboxes') })).toEqual(routes);
  });
});
