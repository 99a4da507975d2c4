/** MaxTrax state across clock moves and resets. */
import { afterAll, describe, expect, it } from 'vitest';
import { expectProblem, makeSuite, user } from './helpers.js';

const { suite, call } = makeSuite();
afterAll(() => suite.close());

describe('MaxTrax sign-in throttle and the clock', () => {
  it('a throttled user name can sign in again after the clock moves back (it does not stay 429)', async () => {
    suite.clock.freeze(true);
    const u = user('inspector');
    for (let i = 0; i < 10; i++) await call('POST', '/auth/login', { body: { userName: u.userName, password: 'wrong' } });
    expectProblem(await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } }), 429, 'too-many-requests');
    const back = await call('POST', '/__admin/clock', { body: { advance_seconds: -600 } });
    expect(back.status).toBe(200);
    expect((await call('POST', '/auth/login', { body: { userName: u.userName, password: u.password } })).status).toBe(200);
    await call('POST', '/__admin/reset', {});
  });

  it('a full reset returns the clock to real time and unfreezes it, so time does not leak into the next test', async () => {
    await call('POST', '/__admin/clock', { body: { advance_seconds: 3600 } });
    await call('POST', '/__admin/clock', { body: { freeze: true } });
    expect((await call('GET', '/__admin/clock')).json).toMatchObject({ frozen: true, offset_seconds: 3600 });
    expect((await call('POST', '/__admin/reset', {})).status).toBe(200);
    expect((await call('GET', '/__admin/clock')).json).toMatchObject({ frozen: false, offset_seconds: 0 });
  });
});
