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
