/**
 * A MACHHUB sandbox's historian points are copied from its source on first use (creation stays cheap): what the
 * sandbox answers must equal a copy taken at creation, whatever the source does afterwards, and no point crosses.
 */
import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';
import { adminCall } from '../support/admin.js';

const TOPIC = 'line1/oven/temp';
const RANGE = { topic: TOPIC, start_time: '2026-06-01T00:00:00.000Z', range: '7d' };

describe('MACHHUB sandbox historian', () => {
  const { req, suite, app } = makeSuite();
  const admin = async (method: string, path: string, body?: unknown) => {
    const { status, body: json } = await adminCall(app, method, path, body);
    return { status, json };
  };
  const series = async (domain: string) => {
    const r = await req('PATCH', '/machhub/historian', { body: RANGE, domain });
    expect(r.status).toBe(200);
    return r.json as Array<{ timestamp: string; value: unknown }>;
  };
  const point = (domain: string, timestamp: string, value: number) =>
    admin('POST', '/historian', { domain, topic: TOPIC, points: [{ timestamp, value }] });

  it('equals the source at creation; later writes on either side, resets and chained sandboxes stay apart', async () => {
    const before = await series('domains:acme');
    expect(before.length).toBeGreaterThan(1000);
    expect((await point('domains:acme', '2026-06-03T00:00:30.000Z', 1)).status).toBe(200);
    const atCreation = await series('domains:acme');

    const a = (await admin('POST', '/sandboxes', { from: 'domains:acme' })).json.tenant as string;
    const b = (await admin('POST', '/sandboxes', { from: 'domains:acme' })).json.tenant as string;
    // The source moves on before either sandbox reads its historian: neither sees it.
    expect((await point('domains:acme', '2026-06-03T00:00:40.000Z', 2)).status).toBe(200);
    expect(await series(a)).toEqual(atCreation);

    expect((await point(a, '2026-06-03T00:00:50.000Z', 3)).status).toBe(200);
    const c = (await admin('POST', '/sandboxes', { from: a })).json.tenant as string;
    const inA = await series(a);
    expect(inA).toHaveLength(atCreation.length + 1);
    expect(await series(c)).toEqual(inA);

    // Resetting the source (its added points go) and deleting sandbox a leave b and c as they were.
    expect((await admin('POST', '/reset', { tenant: 'domains:acme' })).status).toBe(200);
    expect(await series('domains:acme')).toEqual(before);
    expect((await admin('DELETE', `/sandboxes/${a}`)).status).toBe(200);
    expect(await series(b)).toEqual(atCreation);
    expect(await series(c)).toEqual(inA);
  });

  it('survives a snapshot restore taken before the first use', async () => {
    const s = (await admin('POST', '/sandboxes', { from: 'domains:acme' })).json.tenant as string;
    expect((await admin('POST', '/snapshots', { name: 'pending' })).status).toBe(201);
    const copy = await series(s);
    expect((await point(s, '2026-06-03T00:01:00.000Z', 9)).status).toBe(200);
    expect((await admin('POST', '/snapshots/pending/restore')).status).toBe(200);
    expect(await series(s)).toEqual(copy);
  });

  it('creation does not grow with the source historian', async () => {
    const time = () => {
      const started = performance.now();
      suite.instance('machhub').sandboxes.create('domains:acme');
      return performance.now() - started;
    };
    time();
    const small = Math.min(time(), time(), time());
    const points = Array.from({ length: 50_000 }, (_, i) => ({ timestamp: new Date(Date.UTC(2026, 5, 10) + i * 1000).toISOString(), value: i }));
    expect((await admin('POST', '/historian', { domain: 'domains:acme', topic: TOPIC, points })).status).toBe(200);
    const big = Math.min(time(), time(), time());
    // A copy at creation of 50,000 more points costs tens of milliseconds more; the link costs the same.
    expect(big).toBeLessThan(small * 2 + 5);
  });
});
