/**
 * Time budget for "1 MB of adversarial input answers within 100 ms": 100 ms, stretched when the shared machine is
 * slower than an idle one to at least 4× the unavoidable linear work on 1 MB (one URL/query parse, one JSON encode of
 * 2 MB, ≈ 8 ms when idle). A superlinear regex on 1 MB takes seconds or more, so it fails either way.
 */
export const MB = 1_000_000;

export function redosBudget(): number {
  const value = 'A'.repeat(MB);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    new URLSearchParams(new URL(`http://x/?k=${value}`).search).get('k');
    JSON.stringify({ a: value, b: value });
    best = Math.min(best, performance.now() - t);
  }
  return Math.max(100, 4 * best);
}

/** Best of three (after a warm-up) of an in-process request: the server's own cost. */
export async function bestOf3(call: () => Response | Promise<Response>): Promise<{ status: number; text: string; ms: number }> {
  const once = async () => {
    const t = performance.now();
    const res = await call();
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t };
  };
  await once();
  const runs = [await once(), await once(), await once()];
  return { status: runs[0].status, text: runs[0].text, ms: Math.min(...runs.map((r) => r.ms)) };
}
