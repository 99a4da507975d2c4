/** Bodies without Content-Length (chunked) are cut at the limit as they stream; under it they are served as usual. */
import { describe, expect, it } from 'vitest';
import { ADMIN, makeSuite } from './helpers.js';

function stream(text: string, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(at, (at += chunk)));
    },
  });
}

describe('maintainx streamed request bodies', () => {
  const { app } = makeSuite({ rateLimit: false });
  const post = (body: ReadableStream<Uint8Array>) =>
    app.request('/v1/workorders', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);

  it('over the limit: 413 in the MaintainX shape', async () => {
    const res = await post(stream(JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) })));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Request body must not exceed 1048576 bytes' });
  });

  it('under the limit: the work order is created', async () => {
    const res = await post(stream(JSON.stringify({ title: 'Streamed' }), 4));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: number }).id).toBeGreaterThan(0);
  });
});
