/**
 * Over a listener, the journal records the body the client got when the vendor serves memoized bytes (TrakRF list
 * pages): kept by reference and decoded when the entry is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../src/suite.js';
import { scenarios } from './scenarios.js';

let fakes: RunningFakes;
let auth: Record<string, string>;
beforeAll(async () => {
  fakes = await startFakes({ vendors: ['trakrf'], seed: 42, ports: { trakrf: 0 } });
  auth = (await scenarios.find((s) => s.vendor === 'trakrf')!.signIn(fakes.urls.trakrf)).headers;
});
afterAll(() => fakes.close());

async function newest(): Promise<{ response_body: string | null; request_body: string | null; status: number }> {
  const res = await fakes.suite.app('trakrf').request('/__admin/requests?limit=1');
  return ((await res.json()) as { requests: Array<{ response_body: string | null; request_body: string | null; status: number }> }).requests[0];
}

describe('journal bodies over a listener', () => {
  it('a memoized page served many times: every entry shows the bytes the client got', async () => {
    const base = fakes.urls.trakrf;
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) texts.push(await (await fetch(`${base}/api/v1/assets?limit=5`, { headers: auth })).text());
    expect(texts[0].length).toBeGreaterThan(100);
    expect(texts[1]).toBe(texts[0]);
    const entry = await newest();
    expect(entry.status).toBe(200);
    expect(entry.response_body).toBe(texts[2]);
  });
});
