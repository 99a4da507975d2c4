/**
 * The hot reads answer from memoized bodies and seek with their cursors (issue 15): what a client sees must be what
 * the data says now — after every write, when time passes a start date, after a key is revoked or a tenant reset —
 * and walking the cursors of every sort visits each work order exactly once, ties included.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN, makeSuite } from './helpers.js';

describe('maintainx hot reads: memoized bodies stay exact', () => {
  it('a list or a work order read again shows the write made in between', async () => {
    const { call } = makeSuite({ rateLimit: false });
    const before = await call('GET', '/v1/workorders?limit=200');
    expect((await call('GET', '/v1/workorders?limit=200')).text).toBe(before.text);
    const made = await call('POST', '/v1/workorders', { body: { title: 'Fresh' } });
    const after = await call('GET', '/v1/workorders?limit=200');
    expect(after.body.workOrders.map((w: { id: number }) => w.id)).toContain(made.body.id);

    const one = await call('GET', `/v1/workorders/${made.body.id}`);
    expect(one.body.workOrder.title).toBe('Fresh');
    await call('PATCH', `/v1/workorders/${made.body.id}`, { body: { title: 'Renamed' } });
    expect((await call('GET', `/v1/workorders/${made.body.id}`)).body.workOrder.title).toBe('Renamed');
    // A write to another table (an attachment) shows as well.
    const put = await call('PUT', `/v1/workorders/${made.body.id}/attachments/photo.png`, { raw: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'image/png' } });
    expect(put.status).toBe(201);
    expect((await call('GET', `/v1/workorders/${made.body.id}`)).body.workOrder.attachments).toHaveLength(1);
  });

  it('an upcoming work order joins the list when the clock passes its start date, and leaves when it goes back', async () => {
    const { call, suite } = makeSuite({ rateLimit: false });
    suite.clock.freeze(true);
    suite.clock.set(new Date('2027-03-01T09:00:00.000Z'));
    const made = await call('POST', '/v1/workorders', { body: { title: 'Later', startDate: '2027-03-01T10:00:00.000Z' } });
    const ids = async () => (await call('GET', '/v1/workorders?limit=200')).body.workOrders.map((w: { id: number }) => w.id);
    expect(await ids()).not.toContain(made.body.id);
    suite.clock.set(new Date('2027-03-01T09:59:59.999Z'));
    expect(await ids()).not.toContain(made.body.id);
    suite.clock.set(new Date('2027-03-01T10:00:00.000Z'));
    expect(await ids()).toContain(made.body.id);
    suite.clock.set(new Date('2027-03-01T09:30:00.000Z'));
    expect(await ids()).not.toContain(made.body.id);
  });

  it('a revoked key stops authenticating on its next request', async () => {
    const { call } = makeSuite({ rateLimit: false });
    const user = await call('POST', '/__admin/users', { key: null, body: { organization_id: 1, firstName: 'Kim', lastName: 'Lee' } });
    const key = await call('POST', '/__admin/api-keys', { key: null, body: { user_id: user.body.id } });
    expect((await call('GET', '/v1/workorders?limit=1', { key: key.body.key })).status).toBe(200);
    expect((await call('DELETE', `/__admin/api-keys/${key.body.id}`, { key: null })).status).toBe(204);
    const after = await call('GET', '/v1/workorders?limit=1', { key: key.body.key });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'Invalid token' });
  });

  it('a tenant reset drops what the memo held for it', async () => {
    const { call } = makeSuite({ rateLimit: false });
    const seeded = await call('GET', '/v1/workorders?limit=200');
    await call('POST', '/v1/workorders', { body: { title: 'Gone after reset' } });
    const written = await call('GET', '/v1/workorders?limit=200');
    expect(written.text).not.toBe(seeded.text);
    expect((await call('POST', '/__admin/reset', { key: null, body: { tenant: '1' } })).status).toBe(200);
    expect((await call('GET', '/v1/workorders?limit=200')).text).toBe(seeded.text);
    expect((await call('GET', '/v1/workorders?limit=1', { key: ADMIN })).status).toBe(200);
  });
});

describe('maintainx cursors: every sort visits each work order once', () => {
  it('walks 250 work orders with equal timestamps and due dates in every sort and direction', async () => {
    const { call, suite } = makeSuite({ rateLimit: false });
    suite.clock.freeze(true);
    const org = await call('POST', '/__admin/organizations', { key: null, body: { name: 'Ties' } });
    const user = await call('POST', '/__admin/users', { key: null, body: { organization_id: org.body.id, firstName: 'T', lastName: 'Ies' } });
    const key = (await call('POST', '/__admin/api-keys', { key: null, body: { user_id: user.body.id } })).body.key;
    expect((await call('POST', '/__admin/workorders/bulk', { key: null, body: { organization_id: org.body.id, count: 250 } })).status).toBe(201);
    for (const sort of ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'dueDate', '-dueDate', 'completedAt', '-completedAt']) {
      const seen: number[] = [];
      let path: string | null = `/v1/workorders?limit=100&sort=${sort}`;
      while (path) {
        const page: { body: { workOrders: Array<{ id: number }>; nextPageUrl: string | null } } = await call('GET', path, { key });
        seen.push(...page.body.workOrders.map((w) => w.id));
        path = page.body.nextPageUrl;
      }
      expect(seen, sort).toHaveLength(250);
      expect(new Set(seen).size, sort).toBe(250);
      // Equal sort values come in id order (descending with a descending sort).
      const sorted = [...seen].sort((a, b) => (sort.startsWith('-') ? b - a : a - b));
      expect(seen, sort).toEqual(sorted);
    }
  });
});
