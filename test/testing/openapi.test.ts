/** openapi/admin.json documents the test-instrument routes (tags journal, faults, discovery) exactly. */
import { describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { documented, openapiDoc, served } from '../support/routes.js';

const doc = openapiDoc('admin');
const TAGS = ['journal', 'faults', 'discovery'];

describe('openapi/admin.json: test instrument', () => {
  it('documents every journal and fault route the control plane serves, and no other', () => {
    const suite = new Suite({ vendors: ['trakrf'] });
    const routes = served(suite.instance('trakrf').testingRoutes());
    expect(routes).toEqual(documented(doc, { filter: (op) => op.tags?.some((t: string) => TAGS.includes(t)) }));
    suite.close();
  });
});
