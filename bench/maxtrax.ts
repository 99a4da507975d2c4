/**
 * MaxTrax benchmark scenarios. `prepare` bulk-generates 100k welds in one transaction through the control plane,
 * signs in, and returns the request to drive. Requests carry `Host: acme.maxtrax.localhost` (tenancy by origin).
 */
import { readFileSync } from 'node:fs';
import type { BenchContext, BenchRequest, BenchScenario } from './types.js';

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

/** 1000 ISOs × 100 welds = 100k welds (plus the demo data), once per run. */
async function bulk(ctx: BenchContext): Promise<void> {
  await ctx.call('POST', '/__admin/reset', { tenant: 'acme' });
  const r = await ctx.call('POST', '/__admin/generate', { tenant: 'acme', isos: 1000, weldsPerIso: 100 });
  if (r.status !== 201) throw new Error(`maxtrax bench: generate failed (${r.status}): ${r.text}`);
}

function authed(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Host: HOST, Authorization: `Bearer ${token}`, ...extra };
}

export const scenarios: BenchScenario[] = [
  {
    name: 'maxtrax health/live',
    vendor: 'maxtrax',
    async prepare(): Promise<BenchRequest> {
      return { path: '/health/live', headers: { Host: HOST } };
    },
  },
  {
    name: 'maxtrax GET /welds page of 50 over 100k welds (bearer)',
    vendor: 'maxtrax',
    async prepare(ctx) {
      await bulk(ctx);
      const token = await signIn(ctx, 'inspector');
      let page = 0;
      return {
        path: '/welds?page=1&pageSize=50',
        headers: authed(token),
        next: () => ({ path: `/welds?page=${(page++ % 2000) + 1}&pageSize=50` }),
      };
    },
  },
  {
    name: 'maxtrax GET /welds filtered by status and ISO over 100k welds',
    vendor: 'maxtrax',
    async prepare(ctx) {
      await bulk(ctx);
      const token = await signIn(ctx, 'inspector');
      const isos = await ctx.call('GET', '/isos?pageSize=200', undefined, authed(token));
      const ids = (isos.json.items as Array<{ id: string }>).map((i) => i.id);
      let i = 0;
      return {
        path: `/welds?isoId=${ids[0]}&status=PENDING,REPAIR`,
        headers: authed(token),
        next: () => ({ path: `/welds?isoId=${ids[i++ % ids.length]}&status=PENDING,REPAIR` }),
      };
    },
  },
  {
    name: 'maxtrax GET /welds/{id} with audit trail (cookie mode)',
    vendor: 'maxtrax',
    async prepare(ctx) {
      await bulk(ctx);
      const token = await signIn(ctx, 'inspector');
      const list = await ctx.call('GET', '/welds?status=ACCEPTED&pageSize=200', undefined, authed(token));
      const ids = (list.json.items as Array<{ id: string }>).map((w) => w.id);
      let i = 0;
      return {
        path: `/welds/${ids[0]}`,
        headers: { Host: HOST, Cookie: `mtx_at=${token}` },
        next: () => ({ path: `/welds/${ids[i++ % ids.length]}` }),
      };
    },
  },
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
    name: 'maxtrax POST /auth/login',
    vendor: 'maxtrax',
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
];
