/** Recurring work orders on the suite clock (16 §2). */
import { describe, expect, it } from 'vitest';
import { nextOccurrence } from '../../src/vendors/maintainx/ops/recurrence.js';
import { makeSuite } from './helpers.js';

describe('maintainx recurring work orders', () => {
  it('the next date of each rule', () => {
    const mon = new Date('2027-01-04T08:00:00.000Z'); // a Monday
    expect(nextOccurrence({ type: 'DAILY' }, mon)?.toISOString()).toBe('2027-01-05T08:00:00.000Z');
    expect(nextOccurrence({ type: 'WEEKLY', interval: 1, days: ['MONDAY', 'THURSDAY'] }, mon)?.toISOString()).toBe('2027-01-07T08:00:00.000Z');
    expect(nextOccurrence({ type: 'WEEKLY', interval: 2, days: ['MONDAY'] }, mon)?.toISOString()).toBe('2027-01-18T08:00:00.000Z');
    expect(nextOccurrence({ type: 'MONTHLY', interval: 1, day: 31 }, new Date('2027-01-31T08:00:00.000Z'))?.toISOString()).toBe('2027-02-28T08:00:00.000Z');
    expect(nextOccurrence({ type: 'MONTHLY', interval: 3, day: 15 }, mon)?.toISOString()).toBe('2027-01-15T08:00:00.000Z');
    expect(nextOccurrence({ type: 'YEARLY', interval: 2 }, mon)?.toISOString()).toBe('2029-01-04T08:00:00.000Z');
    expect(nextOccurrence({ type: 'PERIODICALLY', interval: 10 }, mon)?.toISOString()).toBe('2027-01-14T08:00:00.000Z');
  });

  it('completing a recurring work order creates the next one, linked both ways, once', async () => {
    const { call, suite } = makeSuite({ rateLimit: false });
    suite.clock.freeze(true);
    suite.clock.set(new Date('2027-03-01T09:00:00.000Z'));
    const weekly = (await call('POST', '/v1/workorders', { body: { title: 'Weekly check', priority: 'LOW', dueDate: '2027-03-01T12:00:00.000Z', repeatability: { type: 'WEEKLY', interval: 1, days: ['MONDAY', 'THURSDAY'] } } })).body.id;
    const done = await call('PATCH', `/v1/workorders/${weekly}/status`, { body: { status: 'DONE' } });
    const nextId = done.body.workOrder.nextId;
    expect(nextId).toEqual(expect.any(Number));
    const next = (await call('GET', `/v1/workorders/${nextId}`)).body.workOrder;
    expect(next).toMatchObject({ title: 'Weekly check', priority: 'LOW', status: 'OPEN', previousId: weekly, nextId: null, dueDate: '2027-03-04T12:00:00.000Z', recurrenceInfo: { type: 'WEEKLY' } });
    await call('PATCH', `/v1/workorders/${weekly}/status`, { body: { status: 'OPEN' } });
    await call('PATCH', `/v1/workorders/${weekly}/status`, { body: { status: 'DONE' } });
    expect((await call('GET', `/v1/workorders/${weekly}`)).body.workOrder.nextId).toBe(nextId);
    // Without a due date, the next one is due a rule step after the completion time on the suite clock.
    suite.clock.advance(86_400 * 3);
    const daily = (await call('POST', '/v1/workorders', { body: { title: 'Daily', repeatability: { type: 'DAILY' } } })).body.id;
    const d = (await call('PATCH', `/v1/workorders/${daily}/status`, { body: { status: 'DONE' } })).body.workOrder.nextId;
    expect((await call('GET', `/v1/workorders/${d}`)).body.workOrder.dueDate).toBe('2027-03-05T09:00:00.000Z');
    const plain = (await call('POST', '/v1/workorders', { body: { title: 'Once' } })).body.id;
    expect((await call('PATCH', `/v1/workorders/${plain}/status`, { body: { status: 'DONE' } })).body.workOrder.nextId).toBeNull();
  });

  it('automationMeterTrigger recurrences fire from meter readings', async () => {
    const { call, suite } = makeSuite({ rateLimit: false });
    const meter = (await call('POST', '/v1/meters', { body: { name: 'Hours', unit: 'h', measurementType: 'AUTOMATED_SENSOR' } })).body.id;
    const repeatability = { type: 'DAILY', automationMeterTrigger: { automationTriggerInput: { meterId: meter, conditions: [{ operator: 'increasedBy', value: 100 }] }, newDueDateOffsetSeconds: 86_400 } };
    const first = (await call('POST', '/v1/workorders', { body: { title: 'Service at +100 h', repeatability } })).body.id;
    const read = (value: number) => call('POST', '/v1/meterreadings', { body: [{ meterId: meter, value }] });
    await read(1000); // baseline
    await read(1050);
    expect((await call('GET', `/v1/workorders/${first}`)).body.workOrder.nextId).toBeNull();
    await read(1101);
    const nextId = (await call('GET', `/v1/workorders/${first}`)).body.workOrder.nextId;
    const next = (await call('GET', `/v1/workorders/${nextId}`)).body.workOrder;
    expect(next).toMatchObject({ title: 'Service at +100 h', previousId: first, status: 'OPEN' });
    expect(Math.abs(Date.parse(next.dueDate) - (suite.clock.nowMs() + 86_400_000))).toBeLessThan(5_000);
    // The chain continues from the new work order, with the new baseline.
    await read(1150);
    expect((await call('GET', `/v1/workorders/${nextId}`)).body.workOrder.nextId).toBeNull();
    await read(1201);
    expect((await call('GET', `/v1/workorders/${nextId}`)).body.workOrder.nextId).toEqual(expect.any(Number));
  });
});
