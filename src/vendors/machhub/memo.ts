/**
 * Encoded answers of collection reads (list pages, counts, records by id), each kept under a key that captures every
 * input but the collection's data (the table, which names the domain, and the raw query), and returned only while
 * the collection's stamp (Records.stamp) stands still: a write to another collection keeps it, a write to this one,
 * any other write on the connection, a schema change or a reset drops it. At most MAX_BYTES of bodies, oldest out.
 */
import { type Records, type Stamp, sameStamp } from './store/records.js';

const MAX_BYTES = 8 * 1024 * 1024;
const utf8 = new TextEncoder();

interface Entry {
  body: Uint8Array<ArrayBuffer>;
  stamp: Stamp;
}

export class PageMemo {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly records: Records) {}

  /** `compute()` (a body answered for `table`) as of now, memoized under `key`. */
  get(table: string, key: string, compute: () => string): Uint8Array<ArrayBuffer> {
    const hit = this.entries.get(key);
    if (hit && sameStamp(hit.stamp, this.records.stamp(table))) return hit.body;
    const body = utf8.encode(compute());
    // Stamped after computing: the first query on a field builds its index (a schema change, not a data change).
    this.put(key, { body, stamp: this.records.stamp(table) });
    return body;
  }

  private put(key: string, e: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.byteLength;
      this.entries.delete(key);
    }
    if (e.body.byteLength > MAX_BYTES) return;
    while (this.bytes + e.body.byteLength > MAX_BYTES) {
      const [k, oldest] = this.entries.entries().next().value!;
      this.entries.delete(k);
      this.bytes -= oldest.body.byteLength;
    }
    this.entries.set(key, e);
    this.bytes += e.body.byteLength;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
