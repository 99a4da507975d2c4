/**
 * Reading what a request and a response carry for the journal without changing what the client and the handler
 * see: header objects as they are, the first 64 KiB of a body. A request body is read from a clone (the handler
 * reads the other branch); a response body given as a string is read where it lies, any other from a clone
 * (read up to 64 KiB, then cancelled). Nothing buffers more than 64 KiB.
 */
import type { IncomingMessage } from 'node:http';
import { BODY_LIMIT, type HeaderBag, type RawEntry } from './journal.js';

const decoder = new TextDecoder();

/** The first 64 KiB of a string, as its own string (a slice would keep the whole body alive in the ring). */
export function headOf(text: string): string {
  if (text.length <= BODY_LIMIT && (text.length * 3 <= BODY_LIMIT || Buffer.byteLength(text) <= BODY_LIMIT)) return text;
  const cut = text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) : text;
  const bytes = Buffer.from(cut);
  if (bytes.byteLength > BODY_LIMIT) return decoder.decode(bytes.subarray(0, BODY_LIMIT));
  return cut === text ? text : bytes.toString();
}

/**
 * Bodies given as bytes are kept as they are and decoded only when the entry is read: a vendor that serves one
 * memoized page many times costs the journal nothing per request. A view of a larger buffer (a body over 64 KiB, or
 * bytes inside a bigger allocation) is copied instead, so the ring never keeps more alive than its byte budget counts.
 */
function headOfBody(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength <= BODY_LIMIT && bytes.buffer.byteLength <= BODY_LIMIT) return bytes;
  return new Uint8Array(bytes.subarray(0, BODY_LIMIT));
}

export function headOfBytes(bytes: Uint8Array): string {
  return decoder.decode(bytes.byteLength > BODY_LIMIT ? bytes.subarray(0, BODY_LIMIT) : bytes);
}

export function requestHeaders(req: Request, env: unknown): HeaderBag {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming ? incoming.headers : Object.fromEntries(req.headers);
}

/** True when the request announces a body. */
export function hasRequestBody(req: Request, env: unknown, headers: HeaderBag): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  if ((env as { incoming?: unknown } | undefined)?.incoming) {
    const length = headers['content-length'];
    return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
  }
  return req.body !== null;
}

/**
 * The string or bytes (undici's copy, detached once the body is read) a Fetch Request or Response was built from (in-process: `app.request(path, { body })`, a
 * handler's `new Response(text)`), kept by undici under a private symbol while the body is unread; undefined when
 * there is none (a stream, a Node request) or the symbol is not there.
 */
const stateSymbols = new Map<object, symbol | null>();
function sourceOf(obj: Request | Response): string | Uint8Array | undefined {
  const proto = Object.getPrototypeOf(obj) as object;
  let sym = stateSymbols.get(proto);
  if (sym === undefined) stateSymbols.set(proto, (sym = Object.getOwnPropertySymbols(obj).find((s) => s.description === 'state') ?? null));
  if (!sym) return undefined;
  const body = (obj as unknown as Record<symbol, { body?: { source?: unknown; stream?: { locked?: boolean } } | null } | undefined>)[sym]?.body;
  const source = body?.source;
  if (body?.stream?.locked) return undefined;
  return typeof source === 'string' || source instanceof Uint8Array ? source : undefined;
}

/**
 * Reads the first 64 KiB of a request body from a clone; the original stays whole for the handler. Returns a
 * promise only when the body is read asynchronously (undefined: `done` has run, or the body cannot be read).
 */
export function captureRequestBody(req: Request, done: (text: string) => void): Promise<void> | undefined {
  const source = sourceOf(req);
  if (source !== undefined) return void done(typeof source === 'string' ? headOf(source) : headOfBytes(source));
  let stream: ReadableStream<Uint8Array> | null;
  try {
    stream = req.clone().body;
  } catch {
    return undefined;
  }
  if (!stream) return void done('');
  return readHead(stream, done);
}

async function readHead(stream: ReadableStream<Uint8Array>, done: (text: string) => void): Promise<void> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_LIMIT) {
      const { done: end, value } = await reader.read();
      if (end) break;
      // Only what fits is kept (a view, not a copy), so a 1 MB chunk costs nothing more than a small one.
      const part = value.byteLength > BODY_LIMIT - size ? value.subarray(0, BODY_LIMIT - size) : value;
      chunks.push(part);
      size += part.byteLength;
    }
  } catch {
    /* the client went away: keep what arrived */
  } finally {
    reader.cancel().catch(() => {});
  }
  done(headOfBytes(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

/** @hono/node-server's lightweight Response keeps `[status, body, headers]` under a private symbol. */
let cacheSymbol: symbol | null | undefined;
function lightweightCache(res: Response): [number, unknown, unknown] | undefined {
  if (cacheSymbol === undefined) {
    const sym = Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
    if (!sym) return undefined;
    cacheSymbol = sym;
  }
  return cacheSymbol ? ((res as unknown as Record<symbol, [number, unknown, unknown] | undefined>)[cacheSymbol]) : undefined;
}

export interface CapturedResponse {
  /** The response to send: the same object, or one whose body is tapped as it streams. */
  response: Response;
  status: number;
  headers: HeaderBag;
  /** Known now (null: no body), or undefined when `onBody` fills it in once `bodyRead` settles. */
  body: string | Uint8Array | null | undefined;
  bodyRead?: Promise<void>;
}

/** What a response fills in of a journal entry. */
export type ResponseParts = Pick<RawEntry, 'status' | 'responseHeaders' | 'responseBody'>;

function bagOf(h: unknown): HeaderBag {
  if (!h) return { 'content-type': 'text/plain; charset=UTF-8' };
  if (h instanceof Headers) return Object.fromEntries(h);
  if (Array.isArray(h)) return Object.fromEntries(h as Array<[string, string]>);
  return h as HeaderBag;
}

/**
 * Status, headers and body of a response written into `into`, without consuming the response (the client gets the
 * same object). Returns a promise only when the body is read from a clone: `onBody` gets `into` and the body then
 * (a function made once, not one per request).
 */
export function captureInto<P extends ResponseParts>(res: Response, into: P, onBody: (into: P, text: string) => void): Promise<void> | undefined {
  const cache = lightweightCache(res);
  if (cache) {
    const [status, body, headers] = cache;
    const bytes = body instanceof Uint8Array;
    if (typeof body === 'string' || bytes || body === null || body === undefined) {
      into.status = status;
      into.responseHeaders = bagOf(headers);
      into.responseBody = typeof body === 'string' ? headOf(body) : bytes ? headOfBody(body) : null;
      return undefined;
    }
  }
  into.status = res.status;
  into.responseHeaders = Object.fromEntries(res.headers);
  into.responseBody = null;
  if (res.body === null) return undefined;
  const source = sourceOf(res);
  // undici's bytes are its own copy, detached once the body is read: decoded now.
  if (source !== undefined) {
    into.responseBody = typeof source === 'string' ? headOf(source) : headOfBytes(source);
    return undefined;
  }
  // A clone, read up to 64 KiB and then cancelled: the entry gets its body whether or not the client reads it, and
  // the branch the client reads holds at most what was read here.
  return readHead(res.clone().body!, (text) => onBody(into, text));
}

/** Status, headers and body of a response, without consuming it. */
export function captureResponse(res: Response, onBody: (text: string) => void): CapturedResponse {
  const parts: ResponseParts = { status: null, responseHeaders: {}, responseBody: null };
  const bodyRead = captureInto(res, parts, (_, text) => onBody(text));
  return { response: res, status: parts.status!, headers: parts.responseHeaders, body: bodyRead ? undefined : parts.responseBody, bodyRead };
}
