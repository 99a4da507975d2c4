/**
 * In-process (no listener in this file, so Request and Response are undici's own): the journal records the bodies the
 * client sent and got, even though undici's copy of a byte body is detached once the client reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Suite } from '../../src/suite.js';

let suite: Suite;
let auth: Record<string, string>;
beforeAll(async () => {
  suite = new Suite({ vendors: ['trakrf'], seed: 42 });
  const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/trakrf.json', import.meta.url), 'utf8'));
  const full = fixtures.orgs[0].api_keys.find((k: { name: string }) => k.name === 'demo-full');
  const res = await suite.app('trakrf').request('/api/v1/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: full.client_id, client_secret: full.client_secret }),
  });
  auth = { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
});
afterAll(() => suite.close());

async function newest(): Promise<{ response_body: string | null; request_body: string | null; status: number }> {
  const res = await suite.app('trakrf').request('/__admin/requests?limit=1');
  return ((await res.json()) as { requests: Array<{ response_body: string | null; request_body: string | null; status: number }> }).requests[0];
}

describe('journal bodies in-process', () => {
  it('in-process, after the client has read the body', async () => {
    const app = suite.app('trakrf');
    const res = await app.request('/api/v1/assets?limit=3', { headers: auth });
    const text = await res.text();
    expect((await newest()).response_body).toBe(text);
    const post = await app.request('/api/v1/assets', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: new TextEncoder().encode('{"name":') });
    const postText = await post.text();
    const entry = await newest();
    expect(entry.request_body).toBe('{"name":');
    expect(entry.response_body).toBe(postText);
  });
});
