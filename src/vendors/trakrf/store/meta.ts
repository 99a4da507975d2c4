/** Named queries on `meta`: settings of the database and the shared id sequence of assets, locations and tags. */
import type { VendorDb } from '../../../core/db.js';
import { idFor } from '../ids.js';

export class MetaStore {
  constructor(private readonly h: VendorDb) {}

  get(key: string): string | undefined {
    return (this.h.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.h.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The next surrogate id of the shared sequence, and its sequence number (tags keep it as their creation order). */
  next(): { id: number; seq: number } {
    return this.take(1);
  }

  /** Shorthand for `next().id`. */
  nextId(): number {
    return this.take(1).id;
  }

  /** `n` ids in sequence order (bulk generation), the sequence moved once. */
  nextIds(n: number): number[] {
    const first = this.seq() + 1;
    const keys = this.idKeys();
    const ids = Array.from({ length: n }, (_, i) => idFor(first + i, keys));
    this.set('id_seq', String(first + n - 1));
    return ids;
  }

  private take(n: number): { id: number; seq: number } {
    const seq = this.seq() + n;
    this.set('id_seq', String(seq));
    return { id: idFor(seq, this.idKeys()), seq };
  }

  private seq(): number {
    return Number(this.get('id_seq') ?? '0');
  }

  private idKeys(): number[] {
    return JSON.parse(this.get('id_keys')!) as number[];
  }
}
