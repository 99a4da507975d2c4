/**
 * Encoded response bodies of hot reads (the work-order list, a work order by id), kept while they are exact: nothing
 * was written on the connection since (`Store.changes`) and the suite clock stays inside the window the body was
 * computed for (an upcoming work order's start date is the end of a list's window). Bounded; cleared on reset.
 */
import type { Clock } from '../../core/clock.js';
import type { Store } from './store/index.js';

interface Entry {
  body: Uint8Array<ArrayBuffer>;
  changes: number;
  /** The suite time it was computed at and, when time can change it, the first time it no longer holds (ISO). */
  from: string;
  until: string | null;
}

const MAX_ENTRIES = 200;

export class BodyMemo {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly clock: Pick<Clock, 'nowMs'>,
    onReset: (fn: () => void) => void,
  ) {
    onReset(() => this.entries.clear());
  }

  /**
   * The body for `key` (which must capture every input of `compute` besides the data and the time). `compute` gets
   * the current time and returns the value with the time its answer stops holding (null: only a write changes it).
   */
  get(key: string, compute: (nowIso: string) => { value: unknown; until: string | null }): Uint8Array<ArrayBuffer> {
    const now = new Date(this.clock.nowMs()).toISOString();
    const changes = this.store.changes();
    const hit = this.entries.get(key);
    if (hit && hit.changes === changes && now >= hit.from && (hit.until === null || now < hit.until)) return hit.body;
    const { value, until } = compute(now);
    const body = new Uint8Array(Buffer.from(JSON.stringify(value)));
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { body, changes, from: now, until });
    return body;
  }
}
