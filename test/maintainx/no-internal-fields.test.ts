/**
 * Entities with attachments answer `attachments` and `thumbnail` only: the procedure-field file map the fake keeps
 * beside them is internal (it once leaked as `"byField":{}` on locations, assets, parts, vendors and work requests).
 */
import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

describe('maintainx entity answers carry no internal fields', () => {
  const { call } = makeSuite({ rateLimit: false });

  it.each([
    ['locations', 'location'],
    ['assets', 'asset'],
    ['parts', 'part'],
    ['vendors', 'vendor'],
    ['workrequests', 'workRequest'],
  ])('GET /v1/%s/{id}', async (many, one) => {
    // The demo data has no work request: one is made first.
    if (many === 'workrequests') expect((await call('POST', '/v1/workrequests', { body: { title: 'No internal fields' } })).status).toBe(200);
    const list = await call('GET', `/v1/${many}?limit=1`);
    expect(list.status).toBe(200);
    const id = (Object.values(list.body).find(Array.isArray) as Array<{ id: number }>)[0].id;
    const res = await call('GET', `/v1/${many}/${id}`);
    expect(res.status).toBe(200);
    const entity = res.body[one] as Record<string, unknown>;
    expect(entity).toHaveProperty('attachments');
    expect(entity).not.toHaveProperty('byField');
    expect(res.text).not.toContain('byField');
  });
});
