/**
 * Memoized reads of one org's data (list totals, encoded list pages). A value is returned only while nothing was
 * written on the connection (the store's change counter) and the clock stays inside [computed-at, the org's next
 * validity boundary), so it always equals what computing it now would return. At most 500 entries.
 */
export interface MemoSource {
  /** The connection's change counter (any write moves it). */
  changes(): number;
  /** The next instant at which the org's answers can change without a write (a validity window, retention). */
  nextBoundary(orgId: number, now: number): number;
  now(): number;
}

export class OrgMemo {
  private readonly entries = new Map<string, { value: unknown; changes: number; from: number; until: number }>();

  constructor(private readonly source: MemoSource) {}

  /** `compute()` as of now, memoized under `key`, which must capture every input of `compute` but the org's data. */
  get<T>(key: string, orgId: number, compute: () => T): T {
    const now = this.source.now();
    const changes = this.source.changes();
    const hit = this.entries.get(key);
    if (hit && hit.changes === changes && now >= hit.from && now < hit.until) return hit.value as T;
    const value = compute();
    if (this.entries.size >= 500) this.entries.clear();
    this.entries.set(key, { value, changes, from: now, until: this.source.nextBoundary(orgId, now) });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
