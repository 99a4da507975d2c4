/** The journal's byte budget (issue 13 §1: memory stays bounded under sustained load): large bodies evict the oldest. */
import { describe, expect, it } from 'vitest';
import { Journal, type RawEntry } from '../../src/core/journal.js';
import { Suite } from '../../src/suite.js';

const KIB = 1024;

function entry(i: number, body: string | null): RawEntry {
  return {
    direction: 'inbound',
    timeMs: Date.UTC(2026, 0, 1) + i,
    tenant: null,
    method: 'POST',
    url: `http://127.0.0.1/api/v1/assets?i=${i}`,
    requestHeaders: { 'content-type': 'application/json' },
    requestBody: body,
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: body,
    durationMs: 1,
    fault: null,
    error: null,
  };
}

describe('journal byte budget', () => {
  it('keeps the retained bytes under the budget with sustained 64 KiB bodies, newest entries first', () => {
    const journal = new Journal('trakrf', 1000, 1024 * KIB);
    const body = 'x'.repeat(64 * KIB);
    for (let i = 0; i < 500; i++) {
      journal.record(entry(i, body));
      expect(journal.bytes).toBeLessThanOrEqual(1024 * KIB);
    }
    // Two 64 KiB bodies per entry: 7 fit in 1 MiB.
    expect(journal.length).toBe(7);
    const { requests, total } = journal.list({ limit: 100 });
    expect(total).toBe(7);
    expect(requests.map((r) => r.query)).toEqual([499, 498, 497, 496, 495, 494, 493].map((i) => `i=${i}`));
    expect(requests[0].request_body).toHaveLength(64 * KIB);
    expect(journal.get('494')?.query).toBe('i=493'); // ids count from 1
    expect(journal.get('493')).toBeNull();
    expect(journal.count()).toBe(7);
  });

  it('counts a body that arrives after the entry is recorded, and the entry count still applies', () => {
    const journal = new Journal('trakrf', 5, 1024 * KIB);
    const small = Array.from({ length: 10 }, (_, i) => entry(i, null));
    for (const e of small) journal.record(e);
    expect(journal.length).toBe(5);
    const base = journal.bytes;
    expect(base).toBeGreaterThan(0);
    expect(base).toBeLessThan(10 * KIB);
    // A streamed response body read later: counted when it lands, and the oldest entries make room.
    for (const e of small.slice(5)) journal.fill(e, 'responseBody', 'y'.repeat(300 * KIB));
    expect(journal.bytes).toBeLessThanOrEqual(1024 * KIB);
    expect(journal.length).toBe(3);
    expect(journal.list().requests.map((r) => r.query)).toEqual(['i=9', 'i=8', 'i=7']);
    expect(journal.get('9')?.response_body).toHaveLength(300 * KIB);
    // The newest entry stays even when it alone is over the budget.
    const huge = entry(10, 'z'.repeat(2048 * KIB));
    journal.record(huge);
    expect(journal.length).toBe(1);
    expect(journal.get('11')?.request_body).toHaveLength(2048 * KIB);
    journal.clear();
    expect(journal.bytes).toBe(0);
  });

  it('a suite started with journalMaxBytes keeps each vendor journal under it, over real requests with 64 KiB bodies', async () => {
    const suite = new Suite({ vendors: ['trakrf'], seed: 42, journalMaxBytes: 512 * KIB });
    try {
      const app = suite.app('trakrf');
      const body = JSON.stringify({ name: 'n'.repeat(70 * KIB) });
      for (let i = 0; i < 40; i++) {
        const res = await app.request(`/api/v1/assets?i=${i}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
      }
      const journal = suite.instance('trakrf').journal;
      expect(journal.bytes).toBeLessThanOrEqual(512 * KIB);
      expect(journal.length).toBeGreaterThan(2);
      expect(journal.length).toBeLessThan(10);
      const res = await app.request('/__admin/requests?limit=1');
      const json = (await res.json()) as { requests: Array<{ query: string; request_body: string }>; total: number };
      expect(json.total).toBe(journal.length);
      expect(json.requests[0].query).toBe('i=39');
      expect(json.requests[0].request_body).toHaveLength(64 * KIB);
    } finally {
      suite.close();
    }
  });

  it('--journal-max-bytes is a CLI flag and VENDOR_FAKES_JOURNAL_MAX_BYTES', async () => {
    const { parseCli, resolveCli } = await import('../../src/cli.js');
    expect(parseCli(['--journal-max-bytes', '1048576']).journalMaxBytes).toBe(1048576);
    expect(resolveCli([], { VENDOR_FAKES_JOURNAL_MAX_BYTES: '2097152' }).args.journalMaxBytes).toBe(2097152);
    expect(() => parseCli(['--journal-max-bytes', '10'])).toThrow('--journal-max-bytes must be an integer from 65536 to 1099511627776');
  });
});
