/**
 * A body the vendor hands over as bytes is kept by reference only when that is all it keeps alive: a view of a
 * larger buffer (a body over 64 KiB, or bytes inside a bigger allocation) is copied, so the journal never retains
 * more than its byte budget counts.
 */
import { describe, expect, it } from 'vitest';
import { captureResponse } from '../../src/core/capture.js';
import { BODY_LIMIT } from '../../src/core/journal.js';

/** A response shaped like @hono/node-server's lightweight one: `[status, body, headers]` under a `cache` symbol. */
const CACHE = Symbol('cache');
function lightweight(body: Uint8Array): Response {
  const res = new Response(null);
  Object.defineProperty(res, CACHE, { value: [200, body, { 'content-type': 'application/json' }] });
  return res;
}

describe('journal capture of byte bodies', () => {
  it('keeps a small standalone body as the same bytes', () => {
    const small = new Uint8Array(new ArrayBuffer(1000)).fill(65);
    expect(captureResponse(lightweight(small), () => {}).body).toBe(small);
  });

  it('copies the first 64 KiB of a larger body instead of a view that keeps it all alive', () => {
    const big = new Uint8Array(4 * 2 ** 20).fill(66);
    const kept = captureResponse(lightweight(big), () => {}).body as Uint8Array;
    expect(kept.byteLength).toBe(BODY_LIMIT);
    expect(kept.buffer.byteLength).toBe(BODY_LIMIT);
    expect(kept.every((b) => b === 66)).toBe(true);
  });

  it('copies a small view into a big allocation', () => {
    const pool = new Uint8Array(2 ** 20).fill(67);
    const kept = captureResponse(lightweight(pool.subarray(10, 510)), () => {}).body as Uint8Array;
    expect(kept.byteLength).toBe(500);
    expect(kept.buffer.byteLength).toBe(500);
  });
});
