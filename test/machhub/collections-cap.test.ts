import { describe, expect, it } from 'vitest';
import { expectText, makeSuite } from './helpers.js';

describe('a domain can create at most --machhub-max-collections collections (ours)', () => {
  const { req, app } = makeSuite({ maxCollections: 7 });

  it('past the cap: 400 plain text, nothing written; existing collections keep working', async () => {
    // acme is seeded with 5 collections.
    expect((await req('POST', '/machhub/c6', { body: { a: 1 } })).status).toBe(200);
    expect((await req('POST', '/machhub/c7', { body: { a: 1 } })).status).toBe(200);
    expectText(await req('POST', '/machhub/c8', { body: { a: 1 } }), 400, 'collection limit reached: a domain holds at most 7 collections');
    expect((await req('GET', '/machhub/c8/all')).json).toEqual([]);
    expect((await req('POST', '/machhub/c7', { body: { a: 2 } })).status).toBe(200);
    const gen = await app.request('/__admin/collections/generate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ domain: 'acme', collection: 'c9', count: 5 }) });
    expect(gen.status).toBe(400);
    expect(await gen.json()).toEqual({ error: 'collection limit reached: a domain holds at most 7 collections' });
    // Another domain has its own budget.
    expect((await req('POST', '/machhub/c8', { body: { a: 1 }, domain: 'domains:globex' })).status).toBe(200);
  });
});
