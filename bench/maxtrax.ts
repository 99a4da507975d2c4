/**
 * MaxTrax benchmark scenarios. `prepare` bulk-generates 1k or 100k welds in one transaction through the control
 * plane, signs in, and returns the request to drive. Requests carry `Host: acme.maxtrax.localhost` (tenancy by origin).
 */
import { readFileSync } from 'node:fs';
import type { BenchContext, BenchRequest, BenchScenario } from './types.js';
import { firstSignIns } from './signin.js';

const HOST = 'acme.maxtrax.localhost';
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/maxtrax.json', import.meta.url), 'utf8')) as {
  tenants: Array<{ name: string; users: Array<{ userName: string; password: string; role: string }> }>;
};

async function signIn(ctx: BenchContext, role = 'admin'): Promise<string> {
  const u = fixtures.tenants.find((t) => t.name === 'acme')!.users.find((x) => x.role === role)!;
  const r = await ctx.call('POST', '/auth/login', { userName: u.userName, password: u.password }, { Host: HOST });
  if (r.status !== 200) throw new Error(`maxtrax bench: sign-in failed (${r.status}): ${r.text}`);
  return r.json.accessToken as string;
}

/** Tenant acme with `size` welds: 1000 ISOs × 100 welds (plus the demo data) or the demo data plus 10 × 88 (1,000). */
type Size = '1k' | '100k';
async function bulk(ctx: BenchContext, size: Size = '100k'): Promise<void> {
  await ctx.call('POST', '/__admin/reset', { tenant: 'acme' });
  const body = size === '100k' ? { tenant: 'acme', isos: 1000, weldsPerIso: 100 } : { tenant: 'acme', isos: 10, weldsPerIso: 88 };
  const r = await ctx.call('POST', '/__admin/generate', body);
  if (r.status !== 201) throw new Error(`maxtrax bench: generate failed (${r.status}): ${r.text}`);
}

function authed(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Host: HOST, Authorization: `Bearer ${token}`, ...extra };
}

/** `path(id)` for each id of the first page of `list` in turn, over `size` welds, signed in as an inspector. */
async function cycling(ctx: BenchContext, size: Size, list: string, path: (id: string) => string, headers: (token: string) => Record<string, string>): Promise<BenchRequest> {
  await bulk(ctx, size);
  const token = await signIn(ctx, 'inspector');
  const ids = ((await ctx.call('GET', list, undefined, authed(token))).json.items as Array<{ id: string }>).map((x) => x.id);
  let i = 0;
  return { path: path(ids[0]), headers: headers(token), next: () => ({ path: path(ids[i++ % ids.length]) }) };
}

const HOT = '≥ 50% of bare; p50 ≤ 2× the 1k row';

/** `GET /welds` pages 1…`pages` of 50 in turn, signed in as an inspector. */
async function walk(ctx: BenchContext, size: Size, pages: number): Promise<BenchRequest> {
  await bulk(ctx, size);
  const token = await signIn(ctx, 'inspector');
  let page = 0;
  return {
    path: '/welds?page=1&pageSize=50',
    headers: authed(token),
    next: () => ({ path: `/welds?page=${(page++ % pages) + 1}&pageSize=50` }),
  };
}

/** The hot reads, over 1k welds (the reference) and over 100k. */
function reads(size: Size): BenchScenario[] {
  const over = size === '100k' ? 'over 100k welds' : 'over 1k welds';
  return [
    {
      // Every page of the 1k list; over 100k, the same 20 pages (served again, as a client polling a list sees them).
      name: `maxtrax GET /welds page of 50 ${over} (bearer, pages 1…20 in turn)`,
      vendor: 'maxtrax',
      target: size === '100k' ? HOT : 'reference',
      prepare: (ctx) => walk(ctx, size, 20),
    },
    ...(size === '100k'
      ? [
          {
            // Every request a page not served before: the cost of a cold page, which must not grow with its depth.
            name: 'maxtrax GET /welds page of 50 over 100k welds (bearer, walks pages 1…2000: every page a memo miss)',
            vendor: 'maxtrax',
            target: `${HOT}; deep page = page 1`,
            prepare: (ctx: BenchContext) => walk(ctx, size, 2000),
          },
        ]
      : []),
    {
      name: `maxtrax GET /welds filtered by status and ISO ${over}`,
      vendor: 'maxtrax',
      target: size === '100k' ? HOT : 'reference',
      prepare: (ctx) => cycling(ctx, size, '/isos?pageSize=200', (id) => `/welds?isoId=${id}&status=PENDING,REPAIR`, authed),
    },
    {
      name: `maxtrax GET /welds/{id} with audit trail (cookie mode) ${over}`,
      vendor: 'maxtrax',
      target: size === '100k' ? HOT : 'reference',
      prepare: (ctx) => cycling(ctx, size, '/welds?status=ACCEPTED&pageSize=200', (id) => `/welds/${id}`, (token) => ({ Host: HOST, Cookie: `mtx_at=${token}` })),
    },
  ];
}

export const scenarios: BenchScenario[] = [
  {
    name: 'maxtrax health/live',
    vendor: 'maxtrax',
    async prepare(): Promise<BenchRequest> {
      return { path: '/health/live', headers: { Host: HOST } };
    },
  },
  ...reads('1k'),
  ...reads('100k'),
  {
    name: 'maxtrax PATCH /welds/{id}/status (REJECTED ⇄ REPAIR)',
    vendor: 'maxtrax',
    async prepare(ctx) {
      await bulk(ctx);
      const token = await signIn(ctx, 'inspector');
      const list = await ctx.call('GET', '/welds?status=REJECTED&pageSize=200', undefined, authed(token));
      const welds = (list.json.items as Array<{ id: string }>).map((w) => ({ id: w.id, next: 'REPAIR' }));
      let i = 0;
      const step = () => {
        const w = welds[i++ % welds.length];
        const body = JSON.stringify({ status: w.next });
        w.next = w.next === 'REPAIR' ? 'REJECTED' : 'REPAIR';
        return { path: `/welds/${w.id}/status`, body };
      };
      const first = step();
      return { method: 'PATCH', ...first, headers: authed(token, { 'Content-Type': 'application/json' }), next: step };
    },
  },
  {
    name: 'maxtrax POST /auth/login, the same user again (password verified before)',
    vendor: 'maxtrax',
    target: 'report only',
    bound: 'the session: JWT signing and the refresh-token write (the password was verified by scrypt once, then remembered)',
    async prepare() {
      const u = fixtures.tenants.find((t) => t.name === 'acme')!.users.find((x) => x.role === 'inspector')!;
      return {
        method: 'POST',
        path: '/auth/login',
        headers: { Host: HOST, 'Content-Type': 'application/json' },
        body: JSON.stringify({ userName: u.userName, password: u.password }),
      };
    },
  },
  {
    name: 'maxtrax POST /auth/login, first sign-in (one scrypt, N=2^15)',
    vendor: 'maxtrax',
    target: 'report only',
    async prepare() {
      return { path: '/health/live' };
    },
    // Unknown user names (a new one each time, so the per-user throttle never answers 429) cost what a first sign-in does.
    measure: (ctx) => firstSignIns(ctx, '/auth/login', (i) => ({ userName: `bench.first.${i}`, password: 'not-a-password' }), { Host: HOST }),
  },
];
