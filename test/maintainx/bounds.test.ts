import { describe, expect, it, vi } from 'vitest';
import { Suite } from '../../src/suite.js';
import { servicesOf } from '../../src/vendors/maintainx/index.js';
import { ADMIN, makeSuite } from './helpers.js';

describe('maintainx memory bounds and request log (issue 11.8, 11.11)', () => {
  it('requests with invalid tokens keep no rate-limit state, and still answer 401 with the window headers', async () => {
    const { call, suite } = makeSuite();
    const limiter = servicesOf(suite.instance('maintainx').runtime).limiter;
    for (let i = 0; i < 300; i++) {
      const r = await call('GET', '/v1/workorders', { key: `mx_bogus_${i}` });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: 'Invalid token' });
      expect(r.headers.get('x-rate-limit-limit')).toBe('100');
    }
    expect(limiter.size).toBe(0);
    await call('GET', '/v1/workorders', { key: ADMIN });
    expect(limiter.size).toBe(2); // the user's window and the organization's
  });

  it('repeating parentSubWorkOrderTypes values never prepares a new SQL text', async () => {
    const { call, ctx } = makeSuite({ rateLimit: false });
    const texts = new Set<string>();
    const spy = vi.spyOn(ctx.handle, 'prepare');
    for (let n = 1; n <= 30; n++) {
      const q = Array.from({ length: n }, (_, i) => `parentSubWorkOrderTypes=${['PARENT', 'STANDALONE'][i % 2]}`).join('&');
      const r = await call('GET', `/v1/workorders?limit=1&${q}`);
      expect(r.status).toBe(200);
    }
    for (const c of spy.mock.calls) texts.add(String(c[0]));
    spy.mockRestore();
    const lists = [...texts].filter((t) => t.startsWith('SELECT * FROM records') && t.includes('isParent'));
    expect(lists.length).toBeLessThanOrEqual(2);
  });

  it('writes one log line per request in the format of the other vendors', async () => {
    const lines: string[] = [];
    const suite = new Suite({ vendors: ['maintainx'], seed: 42, log: (l) => lines.push(l) });
    const app = suite.app('maintainx');
    await app.request('/v1/workorders?limit=1', { headers: { authorization: `Bearer ${ADMIN}` } });
    await app.request('/v1/workorders', { headers: { authorization: 'Bearer nope' } });
    await app.request('/v1/nowhere', { headers: { authorization: `Bearer ${ADMIN}` } });
    const req = lines.filter((l) => l.startsWith('maintainx '));
    expect(req).toHaveLength(3);
    expect(req[0]).toMatch(/^maintainx GET \/v1\/workorders 200 \d+\.\dms [0-9A-HJKMNP-TV-Z]{26}$/);
    expect(req[1]).toMatch(/^maintainx GET \/v1\/workorders 401 \d+\.\dms \S+$/);
    expect(req[2]).toMatch(/^maintainx GET \/v1\/nowhere 404 \d+\.\dms \S+$/);
  });
});
