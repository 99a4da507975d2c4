import { describe, expect, it } from 'vitest';
import { ADMIN, BOREALIS, MEMBER, makeSuite } from './helpers.js';

describe('maintainx cursor paging', () => {
  const { call } = makeSuite({ rateLimit: false });

  async function all(path: string, key = ADMIN): Promise<any[]> {
    const out: any[] = [];
    let url: string | null = path;
    while (url) {
      const r = await call('GET', url, { key });
      expect(r.status).toBe(200);
      out.push(...r.body.workOrders);
      if (r.body.nextCursor) expect(r.body.nextPageUrl).toContain(`cursor=${encodeURIComponent(r.body.nextCursor)}`);
      else expect(r.body.nextPageUrl).toBeNull();
      url = r.body.nextPageUrl;
    }
    return out;
  }

  it('nextPageUrl keeps the filters; pages cover the list exactly once', async () => {
    const full = (await call('GET', '/v1/workorders?limit=200&statuses=OPEN')).body.workOrders;
    const paged = await all('/v1/workorders?limit=7&statuses=OPEN');
    expect(paged.map((w) => w.id)).toEqual(full.map((w: any) => w.id));
    const first = await call('GET', '/v1/workorders?limit=7&statuses=OPEN');
    expect(first.body.nextPageUrl).toMatch(/^\/v1\/workorders\?limit=7&statuses=OPEN&cursor=/);
  });

  it('no duplicates or gaps for unchanged rows while rows are inserted, updated and deleted between pages', async () => {
    for (const sort of ['', '&sort=-createdAt', '&sort=updatedAt']) {
      const before = (await call('GET', `/v1/workorders?limit=200${sort}`)).body.workOrders.map((w: any) => w.id);
      const seen: number[] = [];
      let url: string | null = `/v1/workorders?limit=5${sort}`;
      let i = 0;
      const touched = new Set<number>();
      while (url) {
        const r = await call('GET', url);
        seen.push(...r.body.workOrders.map((w: any) => w.id));
        // Concurrent writers: a new work order and an edit of a row not yet seen.
        const created = await call('POST', '/v1/workorders', { body: { title: `concurrent ${sort} ${i++}` } });
        touched.add(created.body.id);
        const unseen = before.find((id: number) => !seen.includes(id) && !touched.has(id));
        if (unseen !== undefined && i % 3 === 0) {
          await call('PATCH', `/v1/workorders/${unseen}`, { body: { description: 'edited while paging' } });
          touched.add(unseen);
        }
        url = r.body.nextPageUrl;
      }
      expect(new Set(seen).size).toBe(seen.length); // no duplicates
      for (const id of before) if (!touched.has(id)) expect(seen, `sort ${sort}`).toContain(id); // no gaps
    }
  });

  it('teams members and organizations paginate with the same envelope', async () => {
    const r = await call('GET', '/v1/organizations?limit=1', { key: 'mx_demo_multi_org_3a8f5e2d7c1b' });
    expect(r.body.organizations).toHaveLength(1);
    const next = await call('GET', r.body.nextPageUrl, { key: 'mx_demo_multi_org_3a8f5e2d7c1b' });
    expect(next.body.organizations.map((o: any) => o.id)).toEqual([2]);
    expect(next.body.nextCursor).toBeNull();
  });
});

describe('maintainx rate limits', () => {
  it('X-Rate-Limit headers on every response; 100/60 s per user → 429; window resets on the suite clock', async () => {
    const { call, suite } = makeSuite();
    const first = await call('GET', '/v1/workorders?limit=1');
    expect(first.headers.get('x-rate-limit-limit')).toBe('100');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(Number(first.headers.get('x-rate-limit-reset'))).toBeGreaterThan(0);
    for (let i = 0; i < 99; i++) await call('GET', '/v1/versions');
    // /versions is not counted: it needs no key.
    for (let i = 0; i < 99; i++) {
      const r = await call('GET', '/v1/users/1');
      expect(r.status).toBe(200);
    }
    const limited = await call('GET', '/v1/users/1');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatch(/^Too many requests\. Please retry in \d+ seconds$/);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    // Another user of the same organization is not limited by this user's window.
    expect((await call('GET', '/v1/users/1', { key: MEMBER })).status).toBe(200);
    suite.clock.advance(61);
    const again = await call('GET', '/v1/users/1');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-rate-limit-remaining')).toBe('99');
  });

  it('per-organization limit across users (configurable)', async () => {
    const { call } = makeSuite({ userLimit: 50, orgLimit: 60 });
    for (let i = 0; i < 50; i++) expect((await call('GET', '/v1/users/1')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await call('GET', '/v1/users/1', { key: MEMBER })).status).toBe(200);
    const r = await call('GET', '/v1/users/1', { key: MEMBER });
    expect(r.status).toBe(429);
    expect(r.headers.get('x-rate-limit-limit')).toBe('60');
    // Other organizations are unaffected.
    expect((await call('GET', '/v1/users/5', { key: BOREALIS })).status).toBe(200);
  });

  it('switchable off for load tests (headers still sent)', async () => {
    const { call } = makeSuite({ rateLimit: false, userLimit: 2 });
    for (let i = 0; i < 5; i++) {
      const r = await call('GET', '/v1/users/1');
      expect(r.status).toBe(200);
      expect(r.headers.get('x-rate-limit-limit')).toBe('2');
    }
  });

  it('reset clears the windows', async () => {
    const { call, suite } = makeSuite({ userLimit: 3 });
    for (let i = 0; i < 3; i++) await call('GET', '/v1/users/1');
    expect((await call('GET', '/v1/users/1')).status).toBe(429);
    suite.reset();
    expect((await call('GET', '/v1/users/1')).status).toBe(200);
  });
});
