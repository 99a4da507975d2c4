/** What reset does to the suite clock, and POST /__admin/clock {"real": true}. */
import { afterAll, describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { adminCall } from '../support/admin.js';

const suite = new Suite({ vendors: ['trakrf', 'machhub'] });
afterAll(() => suite.close());
const admin = async (vendor: string, method: string, path: string, body?: unknown) => {
  const { status, body: json } = await adminCall(suite.app(vendor), method, path, body);
  return { status, json: json as Record<string, unknown> };
};

describe('the suite clock on reset', () => {
  it('suite.reset() returns a frozen, advanced clock to real time, running', () => {
    suite.clock.advance(900);
    suite.clock.freeze(true);
    suite.reset();
    expect(suite.clock.state()).toMatchObject({ frozen: false, offset_seconds: 0 });
    expect(Math.abs(suite.clock.nowMs() - Date.now())).toBeLessThan(1000);
  });

  it('POST /__admin/reset without a tenant does the same, for every vendor of the suite', async () => {
    await admin('trakrf', 'POST', '/clock', { freeze: true });
    await admin('trakrf', 'POST', '/clock', { set: '2030-01-01T00:00:00Z' });
    expect((await admin('machhub', 'GET', '/clock')).json).toMatchObject({ now: '2030-01-01T00:00:00.000Z', frozen: true });
    expect((await admin('machhub', 'POST', '/reset')).status).toBe(200);
    expect((await admin('trakrf', 'GET', '/clock')).json).toMatchObject({ frozen: false, offset_seconds: 0 });
  });

  it('a per-tenant reset leaves the clock alone', async () => {
    await admin('trakrf', 'POST', '/clock', { advance_seconds: 120 });
    expect((await admin('trakrf', 'POST', '/reset', { tenant: 1 })).status).toBe(200);
    expect((await admin('trakrf', 'GET', '/clock')).json).toMatchObject({ offset_seconds: 120 });
    suite.clock.reset();
  });

  it('POST /__admin/clock {"real": true} goes back to real time, running', async () => {
    await admin('trakrf', 'POST', '/clock', { advance_seconds: -86_400 });
    await admin('trakrf', 'POST', '/clock', { freeze: true });
    const r = await admin('trakrf', 'POST', '/clock', { real: true });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ frozen: false, offset_seconds: 0 });
    expect(Math.abs(Date.parse(r.json.now as string) - Date.now())).toBeLessThan(1000);
  });

  it.each([
    [{ real: false }, 'real must be true (back to real time, running)'],
    [{ real: 'yes' }, 'real must be true (back to real time, running)'],
    [{ real: true, freeze: true }, 'send exactly one of: advance_seconds, set, freeze, real'],
  ])('POST /__admin/clock %j → 400 %s, clock unchanged', async (body, error) => {
    await admin('trakrf', 'POST', '/clock', { advance_seconds: 60 });
    const r = await admin('trakrf', 'POST', '/clock', body);
    expect(r).toEqual({ status: 400, json: { error } });
    expect(suite.clock.state().offset_seconds).toBe(60);
    suite.clock.reset();
  });
});
