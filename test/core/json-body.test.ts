import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestedDeeperThan, readBytes, readJsonBody, type JsonBodyOptions } from '../../src/core/json-body.js';
import { MB, redosBudget } from '../support/budget.js';

const enc = new TextEncoder();

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

/** A request whose body arrives in the given chunks. */
function chunked(chunks: Uint8Array[]): Request {
  let i = 0;
  return post(
    new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (i < chunks.length) ctl.enqueue(chunks[i++]);
        else ctl.close();
      },
    }),
  );
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(from, p));
    from = p;
  }
  return out;
}

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('readBytes', () => {
  it('no body and an empty body are zero bytes', async () => {
    expect(await readBytes(new Request('http://x/'), 10)).toEqual(new Uint8Array());
    expect(await readBytes(post(''), 10)).toEqual(new Uint8Array());
  });

  it('exactly `limit` bytes pass, one more is too_large, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { maxLength: 6 }), async (bytes, cuts) => {
        expect(await readBytes(chunked(splitAt(bytes, cuts)), bytes.length)).toEqual(bytes);
        expect(await readBytes(chunked(splitAt(bytes, cuts)), bytes.length - 1)).toEqual({ kind: 'too_large', limit: bytes.length - 1 });
      }),
    );
  });

  it('a declared Content-Length over the limit is refused without reading; a wrong small one does not let more through', async () => {
    let pulled = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(ctl) {
          pulled++;
          ctl.enqueue(new Uint8Array(1024));
        },
      });
    const declared = new Request('http://x/', { method: 'POST', body: endless(), headers: { 'content-length': '5000' }, duplex: 'half' } as RequestInit);
    pulled = 0;
    expect(await readBytes(declared, 4999)).toEqual({ kind: 'too_large', limit: 4999 });
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's own first pull on construction
    const lying = new Request('http://x/', { method: 'POST', body: endless(), headers: { 'content-length': '10' }, duplex: 'half' } as RequestInit);
    expect(await readBytes(lying, 4096)).toEqual({ kind: 'too_large', limit: 4096 });
  });

  it('stops reading an endless stream at the limit and cancels it', async () => {
    let pulled = 0;
    let cancelled = false;
    const req = post(
      new ReadableStream<Uint8Array>({
        pull(ctl) {
          pulled++;
          ctl.enqueue(new Uint8Array(1000));
        },
        cancel() {
          cancelled = true;
        },
      }),
    );
    expect(await readBytes(req, 10_000)).toEqual({ kind: 'too_large', limit: 10_000 });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(13);
  });
});

describe('readJsonBody', () => {
  const opts: JsonBodyOptions = { limit: 1 << 20 };

  it('any JSON value round-trips; the limit boundary is exact on the encoded bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.array(fc.nat(), { maxLength: 4 }), async (value, cuts) => {
        const bytes = enc.encode(JSON.stringify(value));
        const r = await readJsonBody(chunked(splitAt(bytes, cuts)), { limit: bytes.length });
        expect(r).toEqual({ ok: true, value: JSON.parse(JSON.stringify(value)), bytes });
        expect(await readJsonBody(post(bytes), { limit: bytes.length - 1 })).toEqual({ ok: false, failure: { kind: 'too_large', limit: bytes.length - 1 } });
      }),
    );
  });

  it('with utf8 replace it answers exactly what JSON.parse(await req.text()) does, for any bytes, and never throws', async () => {
    const jsonish = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.jsonValue().map((v) => enc.encode(JSON.stringify(v))),
      fc.tuple(fc.jsonValue(), fc.uint8Array({ maxLength: 3 }), fc.nat()).map(([v, junk, at]) => {
        const b = enc.encode(JSON.stringify(v));
        const i = at % (b.length + 1);
        return Uint8Array.from([...b.slice(0, i), ...junk, ...b.slice(i)]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(jsonish, fc.boolean(), async (bytes, bom) => {
        const body = bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
        const text = await post(body).text();
        const r = await readJsonBody(post(body), opts);
        let expected: unknown;
        try {
          expected = body.length === 0 ? { ok: false, failure: { kind: 'empty' } } : { ok: true, value: JSON.parse(text), bytes: body };
        } catch (e) {
          expected = { ok: false, failure: { kind: 'syntax', message: (e as Error).message } };
        }
        expect(r).toEqual(expected);
      }),
    );
  });

  it('a leading byte order mark is dropped once, as Request.text() does; a second one is a syntax error', async () => {
    expect(await readJsonBody(post(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc.encode('{"a":1}')])), { ...opts, utf8: 'strict' })).toMatchObject({ ok: true, value: { a: 1 } });
    const twice = await readJsonBody(post(Uint8Array.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...enc.encode('{}')])), opts);
    expect(twice).toMatchObject({ ok: false, failure: { kind: 'syntax' } });
  });

  it('invalid UTF-8: strict → not_utf8; replace → U+FFFD in the value', async () => {
    const bad = Uint8Array.from([0x22, 0xff, 0xc3, 0x22]); // "\xff\xc3"
    expect(await readJsonBody(post(bad), { ...opts, utf8: 'strict' })).toEqual({ ok: false, failure: { kind: 'not_utf8' } });
    expect(await readJsonBody(post(bad), { ...opts, utf8: 'replace' })).toMatchObject({ ok: true, value: '\ufffd\ufffd' });
    expect(await readJsonBody(post(bad), opts)).toMatchObject({ ok: true, value: '\ufffd\ufffd' });
    // An overlong encoding and a lone surrogate are not UTF-8 either.
    for (const b of [[0x22, 0xc0, 0xaf, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22]]) {
      expect(await readJsonBody(post(Uint8Array.from(b)), { ...opts, utf8: 'strict' })).toEqual({ ok: false, failure: { kind: 'not_utf8' } });
    }
  });

  it('empty: no body or zero bytes; blank only with blankIsEmpty (as String.prototype.trim sees it)', async () => {
    expect(await readJsonBody(new Request('http://x/'), opts)).toEqual({ ok: false, failure: { kind: 'empty' } });
    expect(await readJsonBody(post(''), opts)).toEqual({ ok: false, failure: { kind: 'empty' } });
    expect(await readJsonBody(post(' \n\t'), opts)).toMatchObject({ ok: false, failure: { kind: 'syntax' } });
    for (const blank of [' \n\t\r', '\u00a0', '\ufeff\ufeff '])
      expect(await readJsonBody(post(blank), { ...opts, blankIsEmpty: true })).toEqual({ ok: false, failure: { kind: 'empty' } });
  });

  it('syntax carries JSON.parse’s message', async () => {
    for (const text of ['{"a":', '{a:1}', '[1,]', 'nul', '{"a":1}x']) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(await readJsonBody(post(text), opts)).toEqual({ ok: false, failure: { kind: 'syntax', message } });
    }
  });

  it('object: only a JSON object passes; anything else is not_object with the value', async () => {
    for (const value of [null, [], [1], 1, 'x', true]) {
      expect(await readJsonBody(post(JSON.stringify(value)), { ...opts, object: true })).toEqual({ ok: false, failure: { kind: 'not_object', value } });
      expect(await readJsonBody(post(JSON.stringify(value)), opts)).toMatchObject({ ok: true, value });
    }
    expect(await readJsonBody(post('{"__proto__":{"x":1}}'), { ...opts, object: true })).toMatchObject({ ok: true });
  });

  it('maxDepth: exactly maxDepth levels pass, one more is too_deep, checked before parsing', async () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(await readJsonBody(post(nest(64)), { ...opts, maxDepth: 64 })).toMatchObject({ ok: true });
    expect(await readJsonBody(post(nest(65)), { ...opts, maxDepth: 64 })).toEqual({ ok: false, failure: { kind: 'too_deep', limit: 64 } });
    // Unbalanced (not JSON) but too deep: the depth check answers first.
    expect(await readJsonBody(post('{"a":'.repeat(70)), { ...opts, maxDepth: 64 })).toEqual({ ok: false, failure: { kind: 'too_deep', limit: 64 } });
    // Brackets inside strings, escaped quotes included, do not count.
    expect(await readJsonBody(post(JSON.stringify({ s: '[[[[\\"[[[[' })), { ...opts, maxDepth: 1 })).toMatchObject({ ok: true });
  });

  it('nestedDeeperThan agrees with the depth of the parsed value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        expect(nestedDeeperThan(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
    );
  });

  it('a depth bomb of 1 MB is answered in linear time', async () => {
    const budget = redosBudget();
    const bombs: Array<[string, string]> = [
      ['['.repeat(MB), 'too_deep'],
      [`[${'[[]],'.repeat(MB / 6)}1]`, 'ok'],
      [`[${'"\\\\[",'.repeat(MB / 6)}1]`, 'ok'],
    ];
    for (const [text, kind] of bombs) {
      // Best of three: a loaded machine may pause one run; a superlinear scan is slow every time. A body that
      // parses costs at least what JSON.parse alone does on it (half a million small arrays): 4× that is allowed.
      let best = Number.POSITIVE_INFINITY;
      let parse = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const r = await readJsonBody(post(text), { limit: 2 * MB, maxDepth: 1000 });
        best = Math.min(best, performance.now() - t);
        expect(r.ok ? 'ok' : r.failure.kind).toBe(kind);
        if (kind === 'ok') {
          const p = performance.now();
          JSON.parse(text);
          parse = Math.min(parse, performance.now() - p);
        }
      }
      expect(best).toBeLessThan(Math.max(budget, kind === 'ok' ? 4 * parse : 0));
    }
  });
});
