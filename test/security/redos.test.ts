/**
 * Every regex MaxTrax and MaintainX apply to client input (headers, query parameters, bodies, hosts) answers 1 MB of
 * adversarial input — the shapes that make backtracking regexes blow up — within the budget (issue 12 #1; TrakRF and
 * MACHHUB have their own: test/trakrf/limits.test.ts, test/machhub/limits.test.ts).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { Suite } from '../../src/suite.js';
import { MB, bestOf3, redosBudget } from '../support/budget.js';

const suite = new Suite({ vendors: ['maxtrax', 'maintainx'], seed: 42 });
afterAll(() => suite.close());
const half = MB / 2;
const MX_KEY = 'mx_demo_acme_admin_4f1c2b7e9a0d';
const ACME = 'acme.maxtrax.localhost';

type Case = [name: string, vendor: 'maxtrax' | 'maintainx', method: string, path: string, headers: Record<string, string>, body: string | undefined, status: number];

const cases: Case[] = [
  ['MaxTrax Authorization: Bearer + spaces + junk', 'maxtrax', 'GET', '/welds', { Host: ACME, Authorization: `Bearer ${'a'.repeat(half)}${' '.repeat(half)}!` }, undefined, 401],
  ['MaxTrax Authorization: Bearer + only spaces', 'maxtrax', 'GET', '/welds', { Host: ACME, Authorization: `Bearer${' '.repeat(MB)}x !` }, undefined, 401],
  ['MaxTrax Content-Type suffix (+json)', 'maxtrax', 'POST', '/auth/login', { Host: ACME, 'Content-Type': `application/${'a.'.repeat(half)}!json` }, '{}', 415],
  ['MaxTrax Content-Type parameters', 'maxtrax', 'POST', '/auth/login', { Host: ACME, 'Content-Type': `application/json ${' '.repeat(MB)}x` }, '{}', 415],
  ['MaxTrax Host label', 'maxtrax', 'GET', '/health/live', { Host: `${'a-'.repeat(half)}.maxtrax.localhost` }, undefined, 404],
  ['MaxTrax X-Forwarded-Host list', 'maxtrax', 'GET', '/health/live', { Host: ACME, 'X-Forwarded-Host': `${'a'.repeat(half)}!.maxtrax.io,${','.repeat(half)}` }, undefined, 404],
  ['MaxTrax page digits', 'maxtrax', 'GET', `/welds?page=${'1'.repeat(MB)}x`, { Host: ACME }, undefined, 401],
  ['MaintainX Authorization: bearer + spaces + junk', 'maintainx', 'GET', '/v1/users', { Authorization: `Bearer ${'a'.repeat(half)}${' '.repeat(half)}!` }, undefined, 401],
  ['MaintainX X-Organization-Id digits', 'maintainx', 'GET', '/v1/workorders', { Authorization: `Bearer ${MX_KEY}`, 'X-Organization-Id': `${'1'.repeat(MB)}x` }, undefined, 400],
  ['MaintainX date filter', 'maintainx', 'GET', `/v1/workorders?updatedAt[gte]=2026-01-01T00:00:00.${'1'.repeat(MB)}`, { Authorization: `Bearer ${MX_KEY}` }, undefined, 400],
  ['MaintainX integer filter', 'maintainx', 'GET', `/v1/workorders?limit=${'1'.repeat(MB)}`, { Authorization: `Bearer ${MX_KEY}` }, undefined, 400],
  ['MaintainX cursor', 'maintainx', 'GET', `/v1/workorders?cursor=${'A'.repeat(MB)}!`, { Authorization: `Bearer ${MX_KEY}` }, undefined, 400],
  ['MaintainX subscription URL', 'maintainx', 'POST', '/v1/subscriptions', { Authorization: `Bearer ${MX_KEY}`, 'Content-Type': 'application/json' }, JSON.stringify({ url: `http://${'a'.repeat(half)}${' '.repeat(half / 4)}x`, type: 'NEW_WORK_ORDER' }), 400],
];

describe('1 MB of adversarial input answers within the budget', () => {
  test.each(cases)('%s', async (_name, vendor, method, path, headers, body, status) => {
    const app = suite.app(vendor);
    const r = await bestOf3(() => app.request(path, { method, headers, body }));
    expect(r.status, r.text.slice(0, 300)).toBe(status);
    expect(r.ms).toBeLessThan(redosBudget());
  });
});
