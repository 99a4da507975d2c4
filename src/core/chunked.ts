/**
 * Bulk work (the control plane's data generators) in bounded pieces: `run(from, to)` handles units [from, to) —
 * typically in one transaction — and the event loop gets a turn between pieces, so every other listener of the
 * process keeps answering while a large generation runs.
 */
export async function inChunks(total: number, chunk: number, run: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < total; from += chunk) {
    if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    run(from, Math.min(total, from + chunk));
  }
}

/**
 * Like `inChunks`, but the piece size adapts so that each `run(from, to)` takes about `sliceMs` (measured on the
 * previous piece): the event loop gets a turn at least that often whatever the machine's speed or load.
 */
export async function inTimeSlices(total: number, sliceMs: number, run: (from: number, to: number) => void): Promise<void> {
  let size = 64;
  for (let from = 0; from < total; ) {
    if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const to = Math.min(total, from + size);
    const started = performance.now();
    run(from, to);
    const took = Math.max(performance.now() - started, 0.05);
    size = Math.max(1, Math.min(size * 4, Math.floor(((to - from) * sliceMs) / took)));
    from = to;
  }
}
