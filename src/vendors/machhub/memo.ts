/**
 * Encoded answers of collection reads (list pages, counts, records by id), each kept under a key that captures every
 * input but the collection's data (the table, which names the domain, and the raw query), and returned only while
 * the collection's stamp (Records.stamp) stands still: a write to another collection keeps it, a write to this one,
 * any other write on the connection, a schema change or a reset drops it. At most MAX_BYTES of bodies, oldest out.
 * Also which GET requests route to which answer (so a hit skips routing), and Settled: fixed-table lookups kept while
 * the connection stands still.
 */
import { type Probe, type Records, type Stamp, sameStamp } from './store/records.js';

const MAX_BYTES = 8 * 1024 * 1024;
const utf8 = new TextEncoder();

interface Entry {
  body: Uint8Array<ArrayBuffer>;
  stamp: Stamp;
}

/** Requests (domain and URL) known to route to a memoized answer, at most this many. */
const MAX_ROUTES = 4096;

export class PageMemo {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** By `<domain name>\n<URL>` of a GET: the table and key of its memoized answer (see answer). */
  private readonly routes = new Map<string, { table: string; key: string }>();

  constructor(private readonly records: Records) {}

  /**
   * `compute()` (a body answered for `table`) as of now, memoized under `key`; `at`, when given, is a probe taken
   * since the last write (the request's: see RequestState.probe).
   */
  get(table: string, key: string, compute: () => string, at?: Probe): Uint8Array<ArrayBuffer> {
    const hit = this.fresh(table, key, at);
    if (hit) return hit;
    const body = utf8.encode(compute());
    // Stamped after computing: the first query on a field builds its index (a schema change, not a data change).
    this.put(key, { body, stamp: this.records.stamp(table) });
    return body;
  }

  /**
   * Notes that a GET of `route` (`<domain name>\n<URL>`) was answered from `key`: the routing of a method and URL
   * never changes, so the next such request can be answered before routing (answer).
   */
  remember(route: string, table: string, key: string): void {
    if (this.routes.has(route)) return;
    if (this.routes.size >= MAX_ROUTES) this.routes.clear();
    this.routes.set(route, { table, key });
  }

  /** The memoized answer of a GET of `route` while it stands as of `at`; undefined when it must be routed. */
  answer(route: string, at: Probe): Uint8Array<ArrayBuffer> | undefined {
    const r = this.routes.get(route);
    return r && this.fresh(r.table, r.key, at);
  }

  /** The body memoized under `key` while `table`'s stamp stands as it was when it was computed. */
  private fresh(table: string, key: string, at?: Probe): Uint8Array<ArrayBuffer> | undefined {
    const hit = this.entries.get(key);
    return hit && sameStamp(hit.stamp, this.records.stamp(table, at)) ? hit.body : undefined;
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
    this.routes.clear();
    this.bytes = 0;
  }
}

/**
 * Lookups of fixed-table rows (a domain's name, a user) kept while the connection stands still: any write on it
 * (total_changes() moves), a schema change or a new connection drops them all, so a deleted user or domain is
 * refused at once. Bounded: past MAX_SETTLED keys it starts over.
 */
const MAX_SETTLED = 1024;

export class Settled<V> {
  private readonly values = new Map<string, V>();
  private at: Probe | undefined;

  constructor(private readonly read: (key: string) => V) {}

  /** `read(key)` as of `at` (a probe taken since the last write). */
  get(key: string, at: Probe): V {
    const was = this.at;
    if (!was || was.changes !== at.changes || was.version !== at.version || was.db !== at.db || this.values.size >= MAX_SETTLED) {
      this.values.clear();
      this.at = at;
    } else if (this.values.has(key)) return this.values.get(key)!;
    const v = this.read(key);
    this.values.set(key, v);
    return v;
  }
}
