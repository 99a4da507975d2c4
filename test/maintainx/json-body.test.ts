/** MaintainX JSON bodies read through core/json-body.ts render each failure as the fake always has. */
import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

const notJson = { errors: [{ error: 'Request body is not valid JSON', fieldPath: null, fieldValue: null }] };

describe('maintainx JSON bodies', () => {
  const { call } = makeSuite({ rateLimit: false, maxAttachmentBytes: 4 * 1024 * 1024 });
  const json = { 'content-type': 'application/json' };

  it('a body both too deep and invalid is "not valid JSON"; a valid deep one is "nested deeper"', async () => {
    const open = '['.repeat(40);
    expect((await call('POST', '/v1/workorders', { raw: open, headers: json })).body).toEqual(notJson);
    const deep = await call('POST', '/v1/workorders', { raw: `{"title":"x","extraFields":{"a":${open}${']'.repeat(40)}}}`, headers: json });
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].error).toBe('Request body is nested deeper than 32 levels');
  });

  it('whitespace, a byte order mark and invalid UTF-8 read as before', async () => {
    expect((await call('POST', '/v1/workorders', { raw: '   ', headers: json })).body).toEqual(notJson);
    const bom = await call('POST', '/v1/workorders', { raw: new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('{"title":"bom"}')]), headers: json });
    expect(bom.status).toBe(200);
    const bad = await call('POST', '/v1/workorders', { raw: new Uint8Array([...Buffer.from('{"title":"'), 0xff, ...Buffer.from('"}')]), headers: json });
    expect(bad.status).toBe(200);
    expect((await call('GET', `/v1/workorders/${bad.body.id}`)).body.workOrder.title).toBe('\ufffd');
  });

  it('past 1 MiB a JSON body is refused with 413 even where attachments may be larger', async () => {
    const big = JSON.stringify({ title: 'x', description: 'y'.repeat(1024 * 1024) });
    const r = await call('POST', '/v1/workorders', { raw: big, headers: json });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error: 'Request body must not exceed 1048576 bytes' });
  });
});
