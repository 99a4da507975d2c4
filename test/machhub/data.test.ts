import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDuration, formatInZone } from '../../src/vendors/machhub/historian.js';
import fc from 'fast-check';
import { expectText, makeSuite } from './helpers.js';

describe('device info', () => {
  const { req } = makeSuite();
  it('GET /machhub/ and /machhub answer the device document', async () => {
    for (const p of ['/machhub/', '/machhub']) {
      const r = await req('GET', p);
      expect(r.json).toMatchObject({ device_name: 'edge-01', uns: { basePath: 'machhub', bind: { mqtt: { port: '1883', enabled: true } } }, version: expect.any(String) });
    }
  });
});

describe('historian helpers (pure)', () => {
  it('durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    for (const bad of ['', 'h', '1', '1y', '-1h', '0s', '1.5h']) expect(parseDuration(bad), bad).toBeNull();
    fc.assert(fc.property(fc.string(), (s) => { const v = parseDuration(s); return v === null || v > 0; }));
  });

  it('time zones', () => {
    expect(formatInZone(Date.parse('2026-06-01T00:00:00Z'), 'Asia/Kuala_Lumpur')).toBe('2026-06-01T08:00:00+08:00');
    expect(formatInZone(Date.parse('2026-01-15T12:00:00Z'), 'America/New_York')).toBe('2026-01-15T07:00:00-05:00');
    expect(formatInZone(Date.parse('2026-06-01T00:00:00Z'), '')).toBe('2026-06-01T00:00:00Z');
    expect(() => formatInZone(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('tags and historian routes', () => {
  const { req, app, suite } = makeSuite();

  it('range query: [start, start+range), ascending; without range up to now', async () => {
    const r = await req('PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: '2026-06-01T01:00:00.000Z', range: '30m' } });
    expect(r.json).toHaveLength(30);
    expect(r.json[0].timestamp).toBe('2026-06-01T01:00:00.000Z');
    expect(r.json[29].timestamp).toBe('2026-06-01T01:29:00.000Z');
    const open = await req('PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: '2026-06-02T23:00:00Z' } });
    expect(open.json).toHaveLength(60);
    expect((await req('PATCH', '/machhub/historian', { body: { topic: 'no/such', start_time: '2026-06-01T00:00:00Z' } })).json).toEqual([]);
  });

  it('range query validation → 400', async () => {
    expectText(await req('PATCH', '/machhub/historian', { body: { start_time: '2026-06-01T00:00:00Z' } }), 400, 'topic is required');
    expectText(await req('PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: 'yesterday' } }), 400, 'start_time must be an RFC 3339 timestamp');
    expectText(await req('PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: '2026-06-01T00:00:00Z', range: '1y' } }), 400, 'range must be a duration such as 30m, 24h or 7d');
  });

  it('last N, desc by default or asc; bad limits → 400', async () => {
    const d = await req('PATCH', '/machhub/historian/last', { body: { topic: 'c/d', limit: 3 } });
    expect(d.json.map((p: any) => p.timestamp)).toEqual(['2026-06-02T23:59:00.000Z', '2026-06-02T23:58:00.000Z', '2026-06-02T23:57:00.000Z']);
    const a = await req('PATCH', '/machhub/historian/last', { body: { topic: 'c/d', limit: 3, sort: 'asc' } });
    expect(a.json.map((p: any) => p.timestamp)).toEqual(['2026-06-02T23:57:00.000Z', '2026-06-02T23:58:00.000Z', '2026-06-02T23:59:00.000Z']);
    for (const limit of [0, -1, 1.5, '10', null]) expectText(await req('PATCH', '/machhub/historian/last', { body: { topic: 'c/d', limit } }), 400, 'limit must be an integer between 1 and 10000');
    expectText(await req('PATCH', '/machhub/historian/last', { body: { topic: 'c/d', limit: 1, sort: 'up' } }), 400, 'sort must be asc or desc');
  });

  it('control-plane injection adds tags and points', async () => {
    const r = await app.request('/__admin/historian', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ domain: 'acme', topic: 'line2/new', points: [{ timestamp: '2026-07-01T00:00:00Z', value: 1 }, { timestamp: '2026-07-01T00:01:00Z', value: { on: true } }] }) });
    expect(r.status).toBe(200);
    expect((await req('GET', '/machhub/tag/list')).json).toContain('line2/new');
    expect((await req('GET', '/machhub/historian/list')).json).toContain('line2/new');
    expect((await req('PATCH', '/machhub/historian/last', { body: { topic: 'line2/new', limit: 5 } })).json).toEqual([
      { timestamp: '2026-07-01T00:01:00.000Z', value: { on: true } },
      { timestamp: '2026-07-01T00:00:00.000Z', value: 1 },
    ]);
    const bad = await app.request('/__admin/historian', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ domain: 'acme', topic: 'x', points: [{ value: 1 }] }) });
    expect(bad.status).toBe(400);
  });

  it('historian query: the documented subset works, the rest is a clear 400', async () => {
    const r = await req('POST', '/machhub/historian/query', { body: { query: "SELECT time, value FROM historian WHERE topic = 'a/b' AND time >= '2026-06-01T00:00:00Z' ORDER BY time ASC LIMIT 3" } });
    expect(r.json).toEqual([
      { time: '2026-06-01T00:00:00.000Z', value: expect.any(Number) },
      { time: '2026-06-01T00:01:00.000Z', value: expect.any(Number) },
      { time: '2026-06-01T00:02:00.000Z', value: expect.any(Number) },
    ]);
    expectText(await req('POST', '/machhub/historian/query', { body: { query: 'DELETE historian' } }), 400, /^unsupported query: only SELECT/);
    expectText(await req('POST', '/machhub/historian/query', { body: {} }), 400, 'query is required');
  });

  it('CSV export: aggregation per sample bucket, mapping, validation', async () => {
    const body = { topics: ['a/b'], startDate: '2026-06-01T00:00:00.000Z', endDate: '2026-06-01T01:00:00.000Z', timezone: '', sampleRate: '15_minute', aggregation: 'max', mapping: {} };
    const r = await app.request('/machhub/historian/export/aggregated', { method: 'POST', headers: { Domain: 'domains:acme', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.headers.get('content-type')).toBe('application/gzip');
    const lines = gunzipSync(Buffer.from(await r.arrayBuffer())).toString().trim().split('\n');
    expect(lines[0]).toBe('Timestamp,a/b');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2026-06-01T00:00:00Z', '2026-06-01T00:15:00Z', '2026-06-01T00:30:00Z', '2026-06-01T00:45:00Z']);
    const raw = (await req('PATCH', '/machhub/historian', { body: { topic: 'a/b', start_time: '2026-06-01T00:00:00Z', range: '15m' } })).json.map((p: any) => p.value);
    expect(Number(lines[1].split(',')[1])).toBe(Math.max(...raw));
    const bad = async (patch: Record<string, unknown>, msg: string | RegExp) => expectText(await req('POST', '/machhub/historian/export/aggregated', { body: { ...body, ...patch } }), 400, msg);
    await bad({ timezone: 'Mars/Olympus' }, 'invalid timezone: Mars/Olympus');
    await bad({ sampleRate: '7_fortnight' }, 'invalid sampleRate: 7_fortnight');
    await bad({ aggregation: 'avg' }, 'invalid aggregation: avg');
    await bad({ topics: [] }, 'topics must be a non-empty array of topic strings');
    await bad({ endDate: '2026-05-01T00:00:00Z' }, 'endDate must be after startDate');
    void suite;
  });
});

describe('processes', () => {
  const { req, suite } = makeSuite();

  it('execute returns the handler value raw; windows end at the suite clock', async () => {
    suite.clock.freeze(true);
    suite.clock.set(new Date('2026-06-01T12:00:00Z'));
    const r = await req('POST', '/machhub/processes/execute', { body: { name: 'computeAverage', input: { window: '1h' } } });
    expect(r.json).toEqual({ topic: 'line1/oven/temp', window: '1h', count: 61, average: expect.any(Number) });
    expect(r.json.average).toBeGreaterThan(150);
    expect((await req('POST', '/machhub/processes/execute', { body: { name: 'acme.echoPayload', input: { a: [1] } } })).json).toEqual({ a: [1] });
    expect((await req('POST', '/machhub/processes/execute', { body: { name: 'countProducts' } })).json).toEqual({ collection: 'products', count: 60 });
    suite.clock.reset();
  });

  it('errors: unknown 404, disabled 400, bad input 400, bad window 400', async () => {
    expectText(await req('POST', '/machhub/processes/execute', { body: { name: 'p2', input: {} } }), 404, 'process not found');
    expectText(await req('POST', '/machhub/processes/execute', { body: { name: 'legacyExport' } }), 400, 'process is disabled');
    expectText(await req('POST', '/machhub/processes/execute', { body: { name: 'echoPayload', input: [1] } }), 400, 'input must be an object');
    expectText(await req('POST', '/machhub/processes/execute', { body: { name: 'computeAverage', input: { window: 'forever' } } }), 400, 'invalid window: forever');
    expectText(await req('POST', '/machhub/processes/execute', { body: { input: {} } }), 400, 'name is required');
  });

  it('triggers: replaced as a whole, validated by type; the process shows them', async () => {
    const r = await req('PUT', '/machhub/processes/triggers/processes:count01', { body: { triggers: [{ type: 'interval', config: { interval_value: 5, interval_unit: 'minute' } }, { type: 'tag_change', config: { tag: 'a/b' } }] } });
    expect(r.json.triggers).toHaveLength(2);
    const list = (await req('GET', '/machhub/processes/domain')).json;
    expect(list.find((p: any) => p.id.ID === 'count01')).toMatchObject({ name: 'acme.countProducts', language: 'python', enabled: true, triggers: r.json.triggers, domain_id: 'domains:acme' });
    const bad = async (t: unknown, msg: RegExp) => expectText(await req('PUT', '/machhub/processes/triggers/processes:count01', { body: { triggers: [t] } }), 400, msg);
    await bad({ type: 'sometimes' }, /type must be one of/);
    await bad({ type: 'cron', config: { cron_expression: 'now' } }, /cron_expression/);
    await bad({ type: 'interval', config: { interval_value: 0 } }, /interval_value/);
    await bad({ type: 'http', config: { endpoint: 'Bad Slug' } }, /endpoint must match/);
    expectText(await req('PUT', '/machhub/processes/triggers/processes:none', { body: { triggers: [] } }), 404, 'process not found');
  });

  it('POST /process/<slug> runs the process with an http trigger on that endpoint', async () => {
    expect((await req('POST', '/process/echo', { body: { hello: 'world' } })).json).toEqual({ hello: 'world' });
    expect((await req('POST', '/process/echo', { raw: '' })).json).toEqual({});
    expectText(await req('POST', '/process/nope', { body: {} }), 404, 'process not found');
    expectText(await req('POST', '/process/echo', { raw: '[', headers: { 'Content-Type': 'application/json' } }), 400, 'Invalid request body');
  });
});
