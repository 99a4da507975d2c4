/**
 * The request journal: the newest `--journal-size` requests of one vendor (its API, not the control plane) and the
 * calls it made to the outside (webhooks), in a fixed-size ring that also keeps under `--journal-max-bytes` (the
 * oldest entries go first). Entries keep references to what the request and the response already hold (header
 * objects, body strings cut to 64 KiB); secrets are masked when an entry is read (`view`), so recording costs a few
 * property reads per request.
 */
import { maskBody, maskHeaders, maskQuery } from './mask.js';
import { globMatcher } from './glob.js';

/** Bodies are kept up to this many bytes (UTF-8). */
export const BODY_LIMIT = 64 * 1024;
export const DEFAULT_JOURNAL_SIZE = 1000;
/** What one vendor's journal may hold (bodies, headers, URLs and a fixed cost per entry), by default. */
export const DEFAULT_JOURNAL_MAX_BYTES = 16 * 2 ** 20;
/** What an entry costs besides its strings (the entry, its slot, the header objects' own structure). */
const ENTRY_BYTES = 512;
const HEADER_BYTES = 32;
/** Longest a `wait_ms` long poll may wait. */
export const MAX_WAIT_MS = 30_000;

export type Direction = 'inbound' | 'outbound';

/** Headers as Node or a Fetch `Headers` gave them (Node's may be arrays). */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** A recorded body: text, bytes (at most 64 KiB) that are decoded when the entry is read, or none. */
export type Body = string | Uint8Array | null;

const decoder = new TextDecoder();
const sizeOf = (b: Body): number => (b === null ? 0 : typeof b === 'string' ? b.length : b.byteLength);
const textOf = (b: string | Uint8Array): string => (typeof b === 'string' ? b : decoder.decode(b));

/** What the recorder hands the journal: unmasked, headers as given. */
export interface RawEntry {
  direction: Direction;
  /** Suite-clock milliseconds when the request arrived (or the call started). */
  timeMs: number;
  tenant: string | null;
  method: string;
  url: string;
  requestHeaders: HeaderBag;
  /**
   * Null: no body; else the first 64 KiB, as text or as the bytes the request or response already held (decoded
   * when the entry is read). Filled in later when the body is read while the handler runs.
   */
  requestBody: Body;
  status: number | null;
  responseHeaders: HeaderBag;
  /** Null: no body; filled in as a streamed body passes. */
  responseBody: Body;
  durationMs: number;
  fault: string | null;
  /** Outbound only: why the call failed (no answer, a non-2xx answer). */
  error: string | null;
  /** Set by the journal when recorded: the entry's id. */
  seq?: number;
  /** Set by the journal when recorded: what it counts this entry as holding (see entryBytes). */
  bytes?: number;
  /** Set by the journal when the entry is read: the masked view, kept while the bodies stay what they were. */
  view?: CachedView;
}

export interface CachedView {
  entry: JournalEntry;
  bodies: [Body, Body];
  /** Masked or decoded bodies are strings of their own while the view is kept: counted too. */
  maskedBytes: number;
}

/** An entry the journal holds (the ring keeps the entries themselves: no wrapper object per request). */
type Slot = RawEntry & { seq: number; bytes: number };

/**
 * A new inbound entry with every field the journal adds already in place (one object shape from the start, so
 * recording adds no property to it): what is known when a request arrives; the rest is filled in as it is answered.
 */
export function inboundEntry(timeMs: number, method: string, url: string, requestHeaders: HeaderBag): RawEntry {
  return {
    direction: 'inbound',
    timeMs,
    tenant: null,
    method,
    url,
    requestHeaders,
    requestBody: null,
    status: null,
    responseHeaders: NO_HEADERS,
    responseBody: null,
    durationMs: 0,
    fault: null,
    error: null,
    seq: undefined,
    bytes: undefined,
    view: undefined,
  };
}

/** The response headers of an entry without a response (never written to: an answer replaces the object). */
const NO_HEADERS: HeaderBag = Object.freeze({}) as HeaderBag;

/** One entry as clients see it (GET /__admin/requests): secrets masked. */
export interface JournalEntry {
  id: string;
  time: string;
  vendor: string;
  direction: Direction;
  tenant: string | null;
  method: string;
  url: string;
  path: string;
  /** The raw query string without `?` ("" when none), secret parameters masked. */
  query: string;
  request_headers: Record<string, string>;
  request_body: string | null;
  status: number | null;
  response_headers: Record<string, string>;
  response_body: string | null;
  duration_ms: number;
  /** The vendor's request/correlation id (X-Request-Id, App-CorrelationID), or null. */
  request_id: string | null;
  fault: string | null;
  error: string | null;
}

export interface JournalFilter {
  method?: string;
  /** Exact path, or a glob where `*` matches any run of characters. */
  path?: string;
  /** `200`, or a class such as `4xx`. */
  status?: string;
  tenant?: string;
  direction?: Direction;
  /** An RFC 3339 time (entries at or after it) or an entry id (entries after it). */
  since?: string;
  /** Most entries to return (default 100). */
  limit?: number;
}

type Predicate = (s: Slot) => boolean;

const CORRELATION_HEADERS = ['x-request-id', 'app-correlationid', 'x-correlation-id', 'request-id'];

export function pathAndQuery(url: string): { path: string; query: string } {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const rest = start < 0 ? '/' : url.slice(start);
  const hash = rest.indexOf('#');
  const noHash = hash < 0 ? rest : rest.slice(0, hash);
  const q = noHash.indexOf('?');
  return q < 0 ? { path: noHash, query: '' } : { path: noHash.slice(0, q), query: noHash.slice(q + 1) };
}

function headerValue(headers: HeaderBag, lower: string): string | null {
  for (const k in headers) {
    if (k.length !== lower.length || k.toLowerCase() !== lower) continue;
    const v = headers[k];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  return null;
}

function contentType(headers: HeaderBag): string {
  return headerValue(headers, 'content-type') ?? '';
}

function headerBytes(headers: HeaderBag): number {
  let n = 0;
  for (const k in headers) {
    const v = headers[k];
    n += HEADER_BYTES + k.length + (typeof v === 'string' ? v.length : Array.isArray(v) ? v.join('').length : 0);
  }
  return n;
}

/** An entry's size as the byte budget counts it: its strings (one byte per character) plus a fixed cost. */
function entryBytes(r: RawEntry): number {
  return (
    ENTRY_BYTES +
    r.url.length +
    headerBytes(r.requestHeaders) +
    headerBytes(r.responseHeaders) +
    sizeOf(r.requestBody) +
    sizeOf(r.responseBody)
  );
}

export class Journal {
  private ring: Array<Slot | undefined>;
  private seq = 0;
  private readonly waiters = new Set<{ test: Predicate; need: number; done: () => void }>();
  private readonly subscribers = new Set<(e: JournalEntry) => void>();

  /** Bytes the held entries count for (entryBytes), kept under maxBytes. */
  private held = 0;

  constructor(
    readonly vendor: string,
    private size: number = DEFAULT_JOURNAL_SIZE,
    readonly maxBytes: number = DEFAULT_JOURNAL_MAX_BYTES,
  ) {
    this.ring = new Array(Math.max(0, size));
  }

  /** What the held entries count for against `maxBytes`. */
  get bytes(): number {
    return this.held;
  }

  /** False with `--journal-size 0`: nothing is recorded. */
  get enabled(): boolean {
    return this.size > 0;
  }

  get capacity(): number {
    return this.size;
  }

  /** Entries held now (at most the capacity). */
  get length(): number {
    return this.size <= 0 ? 0 : this.seq - Math.max(this.floor, this.seq - this.size);
  }

  /** Sequence numbers up to this one were cleared (DELETE /__admin/requests). */
  private floor = 0;

  /** Appends an entry (dropping the oldest when full). Returns its id, or null when the journal is off. */
  record(raw: RawEntry): string | null {
    const seq = this.push(raw);
    return seq === 0 ? null : String(seq);
  }

  /** `record` without making the id string (the request path's): the entry's sequence number, 0 when the journal is off. */
  push(raw: RawEntry): number {
    if (this.size <= 0) return 0;
    // Recorded twice (the same object): held twice, as two entries.
    if (raw.seq !== undefined) raw = { ...raw, seq: undefined, bytes: undefined, view: undefined };
    const slot = raw as Slot;
    slot.seq = ++this.seq;
    slot.bytes = entryBytes(raw);
    const at = (slot.seq - 1) % this.size;
    const old = this.ring[at];
    if (old && old.seq > this.floor) this.held -= old.bytes;
    this.ring[at] = slot;
    this.held += slot.bytes;
    if (this.held > this.maxBytes) this.evict();
    if (this.subscribers.size) {
      const view = this.view(slot);
      for (const fn of this.subscribers) {
        try {
          fn(view);
        } catch {
          /* a subscriber's failure is its own */
        }
      }
    }
    if (this.waiters.size) for (const w of this.waiters) if (w.test(slot) && --w.need <= 0) w.done();
    return slot.seq;
  }

  /**
   * Sets a body that arrived after the entry was recorded (a request body the handler read, a streamed response),
   * counting it against the byte budget.
   */
  fill(raw: RawEntry, which: 'requestBody' | 'responseBody', body: string | Uint8Array): void {
    const delta = sizeOf(body) - sizeOf(raw[which]);
    raw[which] = body;
    const slot = raw.seq === undefined ? undefined : this.slotOf(raw.seq);
    if (slot !== raw) return;
    slot.bytes += delta;
    this.held += delta;
    if (this.held > this.maxBytes) this.evict();
  }

  /** The slot of a held entry. */
  private slotOf(seq: number): Slot | undefined {
    if (this.size <= 0 || seq > this.seq || seq <= Math.max(this.floor, this.seq - this.size)) return undefined;
    const slot = this.ring[(seq - 1) % this.size];
    return slot && slot.seq === seq ? slot : undefined;
  }

  /** Drops the oldest entries until the rest fit in maxBytes (the newest entry stays whatever its size). */
  private evict(): void {
    let low = Math.max(this.floor, this.seq - this.size);
    while (this.held > this.maxBytes && low < this.seq - 1) {
      const at = low % this.size;
      const slot = this.ring[at];
      low++;
      if (slot && slot.seq === low) {
        this.held -= slot.bytes;
        this.ring[at] = undefined;
      }
    }
    this.floor = low;
  }

  /**
   * Calls `fn` with every new entry (masked), as it is recorded; returns the function that stops it. An entry's
   * body may still grow after the call while a streamed response passes (`get(id)` later has the whole of it).
   */
  subscribe(fn: (e: JournalEntry) => void): () => void {
    this.subscribers.add(fn);
    return () => void this.subscribers.delete(fn);
  }

  private *newestFirst(): Generator<Slot> {
    const low = Math.max(this.floor, this.seq - this.size);
    for (let s = this.seq; s > low; s--) {
      const slot = this.ring[(s - 1) % this.size];
      if (slot && slot.seq === s) yield slot;
    }
  }

  list(filter: JournalFilter = {}): { requests: JournalEntry[]; total: number } {
    const test = this.predicate(filter);
    const limit = filter.limit ?? 100;
    const requests: JournalEntry[] = [];
    let total = 0;
    if (this.size <= 0) return { requests, total };
    for (const slot of this.newestFirst()) {
      if (!test(slot)) continue;
      total++;
      if (requests.length < limit) requests.push(this.view(slot));
    }
    return { requests, total };
  }

  count(filter: JournalFilter = {}): number {
    if (this.size <= 0) return 0;
    const test = this.predicate(filter);
    let n = 0;
    for (const slot of this.newestFirst()) if (test(slot)) n++;
    return n;
  }

  get(id: string): JournalEntry | null {
    if (!/^[1-9]\d{0,15}$/.test(id)) return null;
    const slot = this.slotOf(Number(id));
    return slot ? this.view(slot) : null;
  }

  clear(): void {
    this.floor = this.seq;
    this.held = 0;
    this.ring = new Array(Math.max(0, this.size));
  }

  /** Changes the capacity (keeps nothing). */
  resize(size: number): void {
    this.size = Math.max(0, size);
    this.clear();
  }

  /**
   * Resolves once at least `min` entries match (counting those already held), or after `ms`, or when `signal`
   * aborts. No polling: each recorded entry is tested against the open waits.
   */
  waitFor(filter: JournalFilter, min: number, ms: number, signal?: AbortSignal): Promise<void> {
    const test = this.predicate(filter);
    let have = 0;
    if (this.size > 0) for (const slot of this.newestFirst()) if (test(slot) && ++have >= min) return Promise.resolve();
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = {
        test,
        need: min - have,
        done: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.done);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, Math.min(ms, MAX_WAIT_MS));
      signal?.addEventListener('abort', waiter.done);
      this.waiters.add(waiter);
    });
  }

  /** Long polls open now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Ends every open long poll (full reset, close). */
  releaseWaiters(): void {
    for (const w of [...this.waiters]) w.done();
  }

  private predicate(f: JournalFilter): Predicate {
    const tests: Predicate[] = [];
    if (f.method) {
      const m = f.method.toUpperCase();
      tests.push((s) => s.method === m);
    }
    if (f.path) {
      const match = globMatcher(f.path);
      tests.push((s) => match(pathAndQuery(s.url).path));
    }
    if (f.status) {
      const st = f.status.toLowerCase();
      if (st.endsWith('xx')) {
        const cls = Number(st[0]);
        tests.push((s) => s.status !== null && Math.floor(s.status / 100) === cls);
      } else {
        const n = Number(st);
        tests.push((s) => s.status === n);
      }
    }
    if (f.tenant !== undefined) tests.push((s) => s.tenant === f.tenant);
    if (f.direction) tests.push((s) => s.direction === f.direction);
    if (f.since) {
      const since = f.since;
      if (/^\d+$/.test(since)) {
        const after = Number(since);
        tests.push((s) => s.seq > after);
      } else {
        const ms = Date.parse(since);
        tests.push((s) => s.timeMs >= ms);
      }
    }
    return tests.length === 0 ? () => true : (s) => tests.every((t) => t(s));
  }

  private view(slot: Slot): JournalEntry {
    const r = slot;
    // Bodies are filled in after the entry is recorded (a request body read by the handler, a streamed response):
    // the cached view holds while both are what they were when it was built.
    const cached = r.view;
    if (cached && cached.bodies[0] === r.requestBody && cached.bodies[1] === r.responseBody) return cached.entry;
    const { path, query } = pathAndQuery(r.url);
    const responseHeaders = maskHeaders(r.responseHeaders);
    let requestId: string | null = null;
    for (const h of CORRELATION_HEADERS) {
      requestId = headerValue(r.responseHeaders, h);
      if (requestId !== null) break;
    }
    const view: JournalEntry = {
      id: String(slot.seq),
      time: new Date(r.timeMs).toISOString(),
      vendor: this.vendor,
      direction: r.direction,
      tenant: r.tenant,
      method: r.method,
      url: r.url.replace(/\?.*$/s, query ? `?${maskQuery(query)}` : ''),
      path,
      query: maskQuery(query),
      request_headers: maskHeaders(r.requestHeaders),
      request_body: r.requestBody === null ? null : maskBody(textOf(r.requestBody), contentType(r.requestHeaders)),
      status: r.status,
      response_headers: responseHeaders,
      response_body: r.responseBody === null ? null : maskBody(textOf(r.responseBody), contentType(r.responseHeaders)),
      duration_ms: r.durationMs,
      request_id: requestId,
      fault: r.fault,
      error: r.error,
    };
    // A masked or decoded body is a string of its own while the view is cached: it counts too.
    const masked = (view.request_body !== r.requestBody ? view.request_body!.length : 0) + (view.response_body !== r.responseBody ? view.response_body!.length : 0);
    const was = cached?.maskedBytes ?? 0;
    if (this.slotOf(slot.seq) === slot) this.held += masked - was;
    slot.bytes += masked - was;
    r.view = { entry: view, bodies: [r.requestBody, r.responseBody], maskedBytes: masked };
    return view;
  }
}
