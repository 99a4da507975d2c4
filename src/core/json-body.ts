/**
 * One strict JSON request-body reader. It never throws for bad input and never buffers past the size limit; it
 * returns what is wrong, and each vendor renders that in its own error shape.
 */

export type BodyFailure =
  /** The declared Content-Length, or the bytes streamed so far, are over the limit. */
  | { kind: 'too_large'; limit: number }
  /** No bytes (or only whitespace, with `blankIsEmpty`). */
  | { kind: 'empty' }
  /** Not UTF-8 (only with `utf8: 'strict'`). */
  | { kind: 'not_utf8' }
  /** JSON.parse's message. */
  | { kind: 'syntax'; message: string }
  /** Arrays and objects nested deeper than `maxDepth`. */
  | { kind: 'too_deep'; limit: number }
  /** A JSON value other than an object (only with `object: true`). */
  | { kind: 'not_object'; value: unknown };

export interface JsonBodyOptions {
  /** Most bytes read; more is `too_large`. */
  limit: number;
  /** Most nesting levels of arrays and objects (`{}` is 1), checked before parsing. Default: no check. */
  maxDepth?: number;
  /** `strict`: invalid UTF-8 is `not_utf8`; `replace` (the default): invalid sequences become U+FFFD. */
  utf8?: 'strict' | 'replace';
  /** Only a JSON object is accepted. */
  object?: boolean;
  /** A body of only whitespace (as `String.prototype.trim` sees it) counts as `empty`, not as a `syntax` failure. */
  blankIsEmpty?: boolean;
}

export type JsonBodyResult = { ok: true; value: unknown; bytes: Uint8Array } | { ok: false; failure: BodyFailure };

const EMPTY = new Uint8Array(0);

/**
 * The request body, at most `limit` bytes: a declared Content-Length over the limit is refused unread, and a stream
 * that goes past it is cancelled there.
 */
export async function readBytes(req: Request, limit: number): Promise<Uint8Array | { kind: 'too_large'; limit: number }> {
  const declared = req.headers.get('content-length');
  const stream = req.body;
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > limit) {
    await stream?.cancel().catch(() => undefined);
    return { kind: 'too_large', limit };
  }
  if (!stream) return EMPTY;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { kind: 'too_large', limit };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** True when arrays/objects nest deeper than `max` (one linear pass; brackets inside strings do not count). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const replacingDecoder = new TextDecoder('utf-8');

/**
 * Reads and parses a JSON body. A leading UTF-8 byte order mark is dropped, as `Request.text()` does, before
 * JSON.parse sees the text.
 */
export async function readJsonBody(req: Request, opts: JsonBodyOptions): Promise<JsonBodyResult> {
  const bytes = await readBytes(req, opts.limit);
  if (!(bytes instanceof Uint8Array)) return { ok: false, failure: bytes };
  if (bytes.byteLength === 0) return { ok: false, failure: { kind: 'empty' } };
  let text: string;
  if (opts.utf8 === 'strict') {
    try {
      text = strictDecoder.decode(bytes);
    } catch {
      return { ok: false, failure: { kind: 'not_utf8' } };
    }
  } else text = replacingDecoder.decode(bytes);
  if (opts.blankIsEmpty && text.trim() === '') return { ok: false, failure: { kind: 'empty' } };
  if (opts.maxDepth !== undefined && nestedDeeperThan(text, opts.maxDepth)) {
    return { ok: false, failure: { kind: 'too_deep', limit: opts.maxDepth } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, failure: { kind: 'syntax', message: (e as Error).message } };
  }
  if (opts.object && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    return { ok: false, failure: { kind: 'not_object', value } };
  }
  return { ok: true, value, bytes };
}
