import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_BODY_LIMIT } from '../../src/core/admin.js';
import { Suite } from '../../src/suite.js';

describe('control-plane JSON bodies', () => {
  const suite = new Suite({ vendors: ['maintainx'], seed: 42 });
  afterAll(() => suite.close());
  const post = async (path: string, body: BodyInit) => {
    const res = await suite.app('maintainx').request(`/__admin${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    return { status: res.status, json: await res.json() };
  };

  it('an optional body may be empty or blank; a required one may not', async () => {
    for (const body of ['', ' \n', '\u00a0']) expect((await post('/reset', body)).status).toBe(200);
    expect(await post('/clock', '')).toEqual({ status: 400, json: { error: 'request body must be a JSON object' } });
  });

  it('bad JSON, or JSON that is not an object, is a 400 saying which', async () => {
    expect(await post('/reset', '{"tenant":')).toEqual({ status: 400, json: { error: 'request body is not valid JSON' } });
    for (const body of ['[1]', 'null', '3']) expect(await post('/reset', body)).toEqual({ status: 400, json: { error: 'request body must be a JSON object' } });
  });

  it(`a body over ${ADMIN_BODY_LIMIT} bytes is a 413, read no further than the limit`, async () => {
    const big = new Uint8Array(ADMIN_BODY_LIMIT + 1).fill(0x20);
    expect(await post('/reset', big)).toEqual({ status: 413, json: { error: `request body is larger than ${ADMIN_BODY_LIMIT} bytes` } });
    expect((await post('/reset', big.subarray(1))).status).toBe(200);
  });
});
