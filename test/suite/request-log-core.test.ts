/**
 * The request log is one core step for every vendor (issue 10): the id in the line is the one the client got in the
 * vendor's own header (TrakRF X-Request-Id, MACHHUB App-CorrelationID), or one of ours (a ULID) for vendors without
 * one; requests answered by an injected fault are logged like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { ULID_PATTERN } from '../../src/core/request-id.js';

const lines: string[] = [];
let suite: Suite;
beforeAll(() => {
  suite = new Suite({ seed: 42, log: (l) => lines.push(l) });
});
afterAll(() => suite.close());

async function logged(vendor: string, path: string, init?: RequestInit): Promise<{ res: Response; line: string }> {
  const before = lines.length;
  const res = await suite.app(vendor).request(path, init);
  await res.arrayBuffer();
  const mine = lines.slice(before);
  expect(mine, vendor).toHaveLength(1);
  return { res, line: mine[0] };
}

describe('request log from core', () => {
  it("shows the vendor's own request id, as the client got it", async () => {
    const t = await logged('trakrf', '/api/v1/assets?limit=1', { headers: { 'X-Request-Id': 'client-chosen-id' } });
    expect(t.res.headers.get('x-request-id')).toBe('client-chosen-id');
    expect(t.line).toMatch(/^trakrf GET \/api\/v1\/assets 401 \d+\.\dms client-chosen-id$/);
    const m = await logged('machhub', '/machhub/tag/list');
    const id = m.res.headers.get('app-correlationid');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.line).toMatch(new RegExp(`^machhub GET /machhub/tag/list \\d{3} \\d+\\.\\dms ${id}$`));
  });

  it('gives vendors without a request id header an id of ours', async () => {
    for (const [vendor, path] of [['maintainx', '/v1/users'], ['maxtrax', '/health/live']]) {
      const { line } = await logged(vendor, path);
      const id = line.split(' ').at(-1)!;
      expect(id, vendor).toMatch(ULID_PATTERN);
      expect(line).toMatch(new RegExp(`^${vendor} GET ${path} \\d{3} \\d+\\.\\dms ${id}$`));
    }
  });

  it('logs a request an injected fault answered, with the fault response status', async () => {
    const admin = suite.app('maintainx');
    const add = await admin.request('/__admin/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/v1/users', status: 503, times: 1 }) });
    expect(add.status).toBe(201);
    const { line } = await logged('maintainx', '/v1/users');
    expect(line).toMatch(/^maintainx GET \/v1\/users 503 \d+\.\dms [0-9A-Z]{26}$/);
  });
});
