import { describe, expect, test } from 'vitest';
import { fieldsOf, setup, checkRecordedAgainstSpec } from './helpers.js';

const c = setup();
checkRecordedAgainstSpec();

const post = (body: unknown) => c.call('POST', '/api/v1/assets', body);
const one = async (body: unknown) => fieldsOf(await post(body));

async function rawPost(body: string | Uint8Array, headers: Record<string, string> = {}) {
  return c.raw('POST', '/api/v1/assets', {
    body,
    headers: { Authorization: `Bearer ${await c.token()}`, 'Content-Type': 'application/json', ...headers },
  });
}

describe('body decoding', () => {
  test.each([
    ['malformed', '{"name":'],
    ['empty', ''],
    ['trailing garbage', '{"name":"a"} x'],
    ['raw NUL byte', '{"name":"a\u0000"}'],
    ['single quotes', "{'name':'a'}"],
  ])('%s → bad_request "Request body is not valid JSON"', async (_, body) => {
    const r = await rawPost(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'bad_request', title: 'Bad request', detail: 'Request body is not valid JSON', instance: '/api/v1/assets' });
    expect(r.body.error.fields).toBeUndefined();
  });

  test('non-UTF-8 bytes → not valid JSON', async () => {
    const r = await rawPost(new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(r.body.error.detail).toBe('Request body is not valid JSON');
  });

  test('null → RFC 7396 message; other non-objects → could not be decoded', async () => {
    expect((await rawPost('null')).body.error.detail).toBe('Request body must be a JSON object (RFC 7396)');
    for (const b of ['[]', '"x"', '1', 'true']) {
      const r = await rawPost(b);
      expect(r.body.error).toMatchObject({ type: 'bad_request', detail: 'Request body could not be decoded as the expected type' });
    }
    const patch = await c.call('GET', '/api/v1/assets?limit=1');
    const r = await c.call('PATCH', `/api/v1/assets/${patch.body.data[0].id}`, 'null');
    expect(r.body.error.detail).toBe('Request body must be a JSON object (RFC 7396)');
  });

  test('deep JSON: beyond 1000 levels is refused, up to 1000 round-trips through metadata', async () => {
    const deep = (levels: number) => '{"name":"x","metadata":' + '{"a":'.repeat(levels - 1) + '1' + '}'.repeat(levels - 1) + '}'; // total depth = levels
    expect((await rawPost(deep(1001))).body.error.detail).toBe('Request body is not valid JSON');
    expect((await rawPost('{"name":"x","tags":' + '['.repeat(100000) + ']'.repeat(100000) + '}')).body.error.detail).toBe('Request body is not valid JSON');
    const ok = await rawPost(deep(1000));
    expect(ok.status).toBe(201);
    let m = ok.body.data.metadata;
    let levels = 0;
    while (typeof m === 'object') {
      m = m.a;
      levels++;
    }
    expect(levels).toBe(999);
    expect((await c.call('GET', `/api/v1/assets/${ok.body.data.id}`)).status).toBe(200);
  });

  test('bodies over 1 MiB → 413 payload_too_large, nothing stored', async () => {
    const big = JSON.stringify({ name: 'OVERSIZED', metadata: { blob: 'x'.repeat(1 << 20) } });
    const r = await rawPost(big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ type: 'payload_too_large', status: 413, detail: 'Request body must not exceed 1048576 bytes' });
    expect((await c.call('GET', '/api/v1/assets?q=OVERSIZED')).body.total_count).toBe(0);
    // just under the limit is fine
    const under = JSON.stringify({ name: 'big2', metadata: { blob: 'x'.repeat((1 << 20) - 100) } });
    expect((await rawPost(under)).status).toBe(201);
  });

  test('unknown keys: all of them, sorted; nested tag keys too', async () => {
    expect(await one({ name: 'x', zulu: 1, alpha: 2, Name: 3 })).toEqual([
      { field: 'Name', code: 'unknown_field', message: 'unknown field "Name" in request body' },
      { field: 'alpha', code: 'unknown_field', message: 'unknown field "alpha" in request body' },
      { field: 'zulu', code: 'unknown_field', message: 'unknown field "zulu" in request body' },
    ]);
    expect(await one({ name: 'x', tags: [{ tag_type: 'rfid', value: 'v', is_active: true }] })).toEqual([
      { field: 'is_active', code: 'unknown_field', message: 'unknown field "is_active" in request body' },
    ]);
  });

  test('type mismatches name expected and received JSON types', async () => {
    const cases: Array<[Record<string, unknown>, string, string, string]> = [
      [{ name: 5 }, 'name', 'string', 'integer'],
      [{ name: 'x', is_active: 1.5 }, 'is_active', 'boolean', 'number'],
      [{ name: 'x', is_active: 'true' }, 'is_active', 'boolean', 'string'],
      [{ name: 'x', description: {} }, 'description', 'string', 'object'],
      [{ name: 'x', tags: 'rfid' }, 'tags', 'array', 'string'],
      [{ name: 'x', external_key: ['A'] }, 'external_key', 'string', 'array'],
    ];
    for (const [body, f, expected, received] of cases) {
      expect(await one(body), JSON.stringify(body)).toEqual([
        { field: f, code: 'invalid_value', message: `${f} must be ${expected}; received ${received}`, params: { expected_type: expected, received_type: received } },
      ]);
    }
    expect(await one({ name: 'x', metadata: 'm' })).toEqual([{ field: 'metadata', code: 'invalid_value', message: 'metadata must be a JSON object' }]);
  });
});

describe('field validators', () => {
  test('name', async () => {
    const msg = 'name must not start or end with whitespace, must not contain control characters (including tab, newline, carriage return), and must not be only whitespace';
    for (const name of [' lead', 'trail ', '   ', 'tab\tinside', 'nl\n', '\u00a0nbsp', 'ideo\u3000']) {
      expect(await one({ name }), JSON.stringify(name)).toEqual([{ field: 'name', code: 'invalid_value', message: msg, params: { pattern: '^\\S(?:[^\\x00-\\x1F\\x7F]*\\S)?$' } }]);
    }
    expect(await one({ name: '' })).toEqual([{ field: 'name', code: 'too_short', message: 'name must be at least 1 character', params: { min_length: 1 } }]);
    expect(await one({ name: 'n'.repeat(256) })).toEqual([{ field: 'name', code: 'too_long', message: 'name must be at most 255 characters', params: { max_length: 255 } }]);
    expect(await one({})).toEqual([{ field: 'name', code: 'required', message: 'name is required' }]);
    // length counts characters, not bytes; inner spaces and non-ASCII are fine
    expect((await post({ name: '€'.repeat(255) })).status).toBe(201);
    expect((await post({ name: 'Gabelstapler Nr. 3 — Süd' })).status).toBe(201);
  });

  test('description and the multi-field detail', async () => {
    expect(await one({ name: 'x', description: '' })).toEqual([
      { field: 'description', code: 'too_short', message: 'description must be at least 1 character', params: { min_length: 1 } },
    ]);
    expect((await one({ name: 'x', description: 'd'.repeat(1025) }))[0]).toMatchObject({ code: 'too_long', message: 'description must be at most 1024 characters' });
    expect((await one({ name: 'x', description: 'bell\u0007' }))[0]).toMatchObject({ code: 'invalid_value', message: 'description must not contain control characters (NUL, etc.)' });
    expect((await post({ name: 'x', description: 'line\nbreak\tand tab' })).status).toBe(201);
    // encoded like Go: <>& as-is, U+2028/U+2029 escaped
    const sep = await post({ name: 'a\u2028b <&>', description: 'c\u2029d' });
    expect(sep.text).toContain('"name":"a\\u2028b <&>"');
    expect(sep.text).toContain('"description":"c\\u2029d"');
    expect(sep.body.data.name).toBe('a\u2028b <&>');
    const r = await post({ name: '', description: '', tags: [{ tag_type: 'x', value: '' }] });
    expect(fieldsOf(r).map((f) => [f.field, f.code])).toEqual([
      ['name', 'too_short'],
      ['description', 'too_short'],
      ['tag_type', 'invalid_value'],
      ['value', 'too_short'],
    ]);
    expect(r.body.error.detail).toBe('name must be at least 1 character (and 3 more validation errors)');
  });

  test('external_key on create: too_short only for "", pattern for whitespace and non-ASCII, checked before name', async () => {
    expect(await one({ name: 'x', external_key: '' })).toEqual([
      { field: 'external_key', code: 'too_short', message: 'external_key must be at least 1 character', params: { min_length: 1 } },
    ]);
    for (const k of ['  ', 'a_b', 'a.b', 'a/b', 'a:b', 'ключ']) {
      expect((await one({ name: '', external_key: k }))[0], k).toMatchObject({ field: 'external_key', code: 'invalid_value', params: { pattern: '^[A-Za-z0-9-]+$' } });
    }
    expect((await one({ name: 'x', external_key: 'K'.repeat(256) }))[0].code).toBe('too_long');
  });

  test('timestamps: RFC 3339 any offset in, UTC millis out; date-only, slashes, "" and numbers refused', async () => {
    for (const v of ['2026-01-01', '2026/01/01T00:00:00Z', '', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01 00:00:00Z']) {
      expect(await one({ name: 'x', valid_from: v }), v).toEqual([{ field: 'valid_from', code: 'invalid_value', message: 'valid_from must be an RFC 3339 timestamp' }]);
    }
    expect(await one({ name: 'x', valid_to: 1700000000 })).toEqual([{ field: 'valid_to', code: 'invalid_value', message: 'valid_to must be an RFC 3339 timestamp' }]);
    const r = await post({ name: 'x', valid_from: '2024-02-29T23:59:59.999999-05:30', valid_to: '2099-12-31T23:59:59z' });
    expect(r.body.data.valid_from).toBe('2024-03-01T05:29:59.999Z');
    expect(r.body.data.valid_to).toBe('2099-12-31T23:59:59.000Z');
  });

  test('sentinels and the half-open validity window', async () => {
    expect(await one({ name: 'x', valid_from: '1970-01-01T01:00:00+01:00', valid_to: '0001-01-01T00:00:00Z' })).toEqual([
      {
        field: 'valid_from',
        code: 'invalid_value',
        message: 'valid_from must not be a default-value sentinel (1970-01-01T01:00:00+01:00); omit the field to use the server default, or provide a real timestamp',
      },
      { field: 'valid_to', code: 'invalid_value', message: 'valid_to must not be a default-value sentinel (0001-01-01T00:00:00Z); use JSON null to leave the field unset' },
    ]);
    const list = await c.call('GET', '/api/v1/assets?limit=1');
    const patched = await c.call('PATCH', `/api/v1/assets/${list.body.data[0].id}`, { valid_from: '0001-01-01T00:00:00Z' });
    expect(fieldsOf(patched)[0].message).toBe(
      'valid_from must not be a default-value sentinel (0001-01-01T00:00:00Z); omit the field to leave unchanged, or provide a real timestamp',
    );
    expect(await one({ name: 'x', valid_from: '2026-01-01T00:00:00.500Z', valid_to: '2026-01-01T00:00:00.500Z' })).toEqual([
      {
        field: 'valid_to',
        code: 'invalid_value',
        message:
          'valid_to (2026-01-01T00:00:00Z) must be after valid_from (2026-01-01T00:00:00Z); the currently-effective window is half-open so a row with valid_to <= valid_from is never effective',
      },
    ]);
    // valid_from defaults to now: a valid_to in the past is checked against it
    expect((await one({ name: 'x', valid_to: '2001-01-01T00:00:00Z' }))[0].field).toBe('valid_to');
    // a PATCH is checked against the merged values
    const a = list.body.data[0];
    const bad = await c.call('PATCH', `/api/v1/assets/${a.id}`, { valid_to: a.valid_from });
    expect(fieldsOf(bad)[0].field).toBe('valid_to');
  });

  test('huge arrays: every invalid tag is reported; many valid tags are stored in order', async () => {
    const invalid = Array.from({ length: 500 }, () => ({ tag_type: 'nfc', value: 'v' }));
    const r = await post({ name: 'x', tags: invalid });
    expect(fieldsOf(r)).toHaveLength(500);
    expect(r.body.error.detail).toBe('tag_type must be one of: rfid, ble, barcode (and 499 more validation errors)');
    const many = Array.from({ length: 1000 }, (_, i) => ({ tag_type: 'rfid', value: `BULK-${i}` }));
    const ok = await post({ name: 'Many tags', tags: many });
    expect(ok.status).toBe(201);
    expect(ok.body.data.tags.map((t: any) => t.value)).toEqual(many.map((t) => t.value));
  });
});
