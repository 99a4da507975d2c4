/**
 * What a first sign-in costs: sequential sign-ins that each run one scrypt (a wrong password, or an unknown user,
 * which costs the same so that timing does not reveal user names). A successful sign-in is remembered afterwards
 * (core/passwords.ts), so the load-generator scenarios measure the repeat; this is the cost they no longer pay.
 * Sequential on purpose: a flood of failing sign-ins is bounded by the thread pool, not by anything of ours.
 */
import type { BenchContext } from './types.js';

export async function firstSignIns(ctx: BenchContext, path: string, body: (i: number) => unknown, headers: Record<string, string> = {}, n = 20): Promise<string> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const r = await ctx.call('POST', path, body(i), headers);
    ms.push(performance.now() - started);
    if (r.status !== 401) throw new Error(`${path}: expected 401, got ${r.status} ${r.text}`);
  }
  ms.sort((a, b) => a - b);
  const p50 = ms[Math.floor(n / 2)];
  return `p50 ${p50.toFixed(1)} ms, p90 ${ms[Math.floor(n * 0.9)].toFixed(1)} ms over ${n} in a row (one scrypt each; ≈ ${(1000 / p50).toFixed(0)} per second per core)`;
}
