/**
 * Recording without a fault rule (the request path every vendor takes with the journal on): what the entry holds
 * for a synchronous or asynchronous answer, an escaped error, and a request body; and the ring holding the entries
 * themselves (an entry object recorded twice is two entries).
 */
import { describe, expect, it } from 'vitest';
import { Faults } from '../../src/core/faults.js';
import { Journal, inboundEntry } from '../../src/core/journal.js';
import { observedFetch } from '../../src/core/observe.js';
import { setRequestTenant } from '../../src/core/scope.js';
import { Rng } from '../../src/core/rng.js';
import type { FetchHandler } from '../../src/core/vendor.js';

const T0 = Date.UTC(2026, 0, 1);

function observed(fetch: FetchHandler) {
  const journal = new Journal('trakrf', 10);
  const faults = new Faults(() => new Rng(1), () => new Date(T0));
  const handler = observedFetch({ fetch }, { nowMs: () => T0, journal, faults, errorResponse: (status) => new Response(null, { status }) });
  return { journal, handler };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' } });

describe('journal recording without fault rules', () => {
  it('records a synchronous answer at once, with the tenant the vendor reported', async () => {
    const { journal, handler } = observed(() => {
      setRequestTenant(7);
      return json({ ok: true });
    });
    const res = handler(new Request('http://127.0.0.1/api/v1/assets?limit=1&token=abcdefghijklmnopqrstuvwxyz', { headers: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } }));
    expect(res).toBeInstanceOf(Response);
    expect(journal.length).toBe(1);
    const [e] = journal.list().requests;
    expect(e).toMatchObject({
      id: '1',
      time: new Date(T0).toISOString(),
      tenant: '7',
      method: 'GET',
      path: '/api/v1/assets',
      query: 'limit=1&token=abcdef%E2%80%A6wxyz',
      status: 200,
      request_body: null,
      response_body: '{"ok":true}',
      request_id: 'req-1',
      fault: null,
      error: null,
    });
    expect(e.request_headers.authorization).toBe('Bearer abcdef…wxyz');
    expect(await (res as Response).json()).toEqual({ ok: true });
  });

  it('records an asynchronous answer, an escaped error (status 500) and a rejected promise', async () => {
    let mode: 'async' | 'throw' | 'reject' = 'async';
    const { journal, handler } = observed(() => {
      if (mode === 'throw') throw new Error('boom');
      if (mode === 'reject') return Promise.reject(new Error('later boom'));
      return Promise.resolve(json({ n: 1 }, 201));
    });
    const res = await handler(new Request('http://127.0.0.1/a'));
    expect(res.status).toBe(201);
    mode = 'throw';
    expect(() => handler(new Request('http://127.0.0.1/b'))).toThrow('boom');
    mode = 'reject';
    await expect(handler(new Request('http://127.0.0.1/c'))).rejects.toThrow('later boom');
    const entries = journal.list().requests;
    expect(entries.map((e) => [e.path, e.status, e.error])).toEqual([
      ['/c', 500, 'later boom'],
      ['/b', 500, 'boom'],
      ['/a', 201, null],
    ]);
    expect(entries[2].response_body).toBe('{"n":1}');
  });

  it('keeps the request body the handler reads, and the handler still reads all of it', async () => {
    const { journal, handler } = observed(async (req: Request) => json(await req.json()));
    const body = JSON.stringify({ name: 'x', client_secret: 'abcdefghijklmnopqrstuvwxyz' });
    const res = await handler(new Request('http://127.0.0.1/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    expect(await res.json()).toEqual(JSON.parse(body));
    const [e] = journal.list().requests;
    expect(e.request_body).toBe('{"name":"x","client_secret":"abcdef…wxyz"}');
  });

  it('an entry object recorded twice is held as two entries with their own ids', () => {
    const journal = new Journal('trakrf', 10);
    const entry = inboundEntry(T0, 'GET', 'http://127.0.0.1/x', {});
    expect(journal.record(entry)).toBe('1');
    expect(journal.record(entry)).toBe('2');
    expect(journal.push(entry)).toBe(3);
    expect(journal.list().requests.map((e) => e.id)).toEqual(['3', '2', '1']);
    expect(new Journal('trakrf', 0).push(inboundEntry(T0, 'GET', 'http://127.0.0.1/x', {}))).toBe(0);
  });
});
