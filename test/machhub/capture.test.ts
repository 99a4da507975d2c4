/**
 * Replays every request of the SDK 1.1.5 wire capture (verbatim: method, path, headers, body) and asserts what the
 * SDK needs from each reply: JSON on 2xx for get/post/put/delete, application/json on JSON PATCH, a Blob-able type
 * for file/CSV, plain-text errors, and App-CorrelationID everywhere.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { UUID_V4 } from './helpers.js';

interface Captured {
  n: number;
  method: string;
  path: string;
  headers: [string, string][];
  body?: string;
}

function parseCapture(): Captured[] {
  const text = readFileSync(new URL('./sdk-1.1.5-wire-capture.txt', import.meta.url), 'utf8');
  const out: Captured[] = [];
  for (const line of text.split('\n')) {
    const start = /^\[(\d+)\] (\w+) (\S+)$/.exec(line);
    if (start) {
      out.push({ n: Number(start[1]), method: start[2], path: start[3], headers: [] });
      continue;
    }
    const cur = out[out.length - 1];
    const h = /^ {6}h: ([^:]+): ?(.*)$/.exec(line);
    if (cur && h && h[1].toLowerCase() !== 'content-length') cur.headers.push([h[1], h[2]]);
    const b = /^ {6}body: (.*)$/.exec(line);
    if (cur && b) cur.body = b[1].replace(/\\r\\n/g, '\r\n');
  }
  return out;
}

interface Reply {
  status: number;
  type: string;
  text: string;
  bytes: Buffer;
  json: any;
}

async function replayAll(config: Record<string, string> = {}): Promise<Map<number, Reply>> {
  const suite = new Suite({ vendors: ['machhub'], seed: 42, config: { machhub: config } });
  const app = suite.app('machhub');
  const replies = new Map<number, Reply>();
  for (const c of parseCapture()) {
    const headers = new Headers();
    for (const [k, v] of c.headers) {
      // The capture abbreviates the Bearer token of request 37 with '…(fake JWT)'; send its ASCII part (still invalid).
      headers.append(k, v.replace(/….*$/, ''));
    }
    const r = await app.request(c.path, { method: c.method, headers, body: c.body });
    expect(r.headers.get('app-correlationid'), `[${c.n}]`).toMatch(UUID_V4);
    const bytes = Buffer.from(await r.arrayBuffer());
    const type = r.headers.get('content-type') ?? '';
    let json: any;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    replies.set(c.n, { status: r.status, type, text: bytes.toString('utf8'), bytes, json });
  }
  return replies;
}

describe('SDK 1.1.5 wire capture replay (lax, the default)', async () => {
  const captured = parseCapture();
  const r = await replayAll();

  it('parses all 37 captured requests', () => {
    expect(captured.map((c) => c.n)).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
  });

  it('every 2xx to GET/POST/PUT/DELETE has a JSON body; every error is plain text', () => {
    for (const c of captured) {
      const rep = r.get(c.n)!;
      if (rep.status >= 200 && rep.status < 300) {
        if (c.method !== 'PATCH' && c.n !== 31) {
          expect(rep.json, `[${c.n}] ${c.method} ${c.path}`).not.toBeUndefined();
          expect(rep.type, `[${c.n}]`).toMatch(/^application\/json/);
        }
      } else {
        expect(rep.type, `[${c.n}] ${rep.status} ${rep.text}`).toMatch(/^text\/plain/);
        expect(rep.status).toBeLessThan(500);
      }
    }
  });

  it('[1] bad login → 401 Invalid Username or Password; [2] good login → {success, tkn}', () => {
    expect(r.get(1)).toMatchObject({ status: 401, text: 'Invalid Username or Password' });
    const ok = r.get(2)!;
    expect(ok.status).toBe(200);
    expect(ok.json.success).toBe(true);
    expect(ok.json.tkn.split('.')).toHaveLength(3);
  });

  it('[3] the placeholder token of the capture does not validate', () => {
    expect(r.get(3)).toMatchObject({ status: 200, json: { valid: false } });
  });

  it('[4] me without a token (Node SDKs never send one) → 401', () => {
    expect(r.get(4)).toMatchObject({ status: 401, text: 'Unauthorized' });
  });

  it('[5]/[6] action and permission checks answer 200 with no access for an anonymous caller', () => {
    expect(r.get(5)).toMatchObject({ status: 200, json: { actions: [] } });
    expect(r.get(6)).toMatchObject({ status: 200, json: { success: true, permission: false } });
  });

  it('[7]–[14] users, groups and permissions', () => {
    expect(r.get(7)!.status).toBe(200);
    expect(r.get(7)!.json.map((u: any) => u.username)).toEqual(expect.arrayContaining(['admin', 'operator']));
    expect(r.get(8)).toMatchObject({ status: 404, text: 'user not found' });
    expect(r.get(9)!.status).toBe(200);
    expect(r.get(9)!.json).toMatchObject({ username: 'u', firstName: 'F', lastName: 'L', email: 'e@x', number: '123', id: { Table: 'users' } });
    expect(r.get(9)!.json.password).toBeUndefined();
    expect(r.get(10)!.json.map((g: any) => g.name)).toEqual(expect.arrayContaining(['superuser', 'member', 'operators']));
    expect(r.get(11)!.json).toMatchObject({ name: 'G', features: [{ name: 'collections', action: 'read', scope: 'domain', domain: 'domains:acme' }] });
    expect(r.get(12)).toMatchObject({ status: 404, text: 'group not found' });
    expect(r.get(13)).toMatchObject({ status: 404, text: 'group not found' });
    expect(r.get(14)).toMatchObject({ status: 200, json: { permissions: [] } });
  });

  it('[15] the full query grammar is accepted and returns a bare array of projected records', () => {
    const rep = r.get(15)!;
    expect(rep.status).toBe(200);
    expect(Array.isArray(rep.json)).toBe(true);
    for (const rec of rep.json) expect(Object.keys(rec).sort()).toEqual(['id', 'name']);
  });

  it('[16]/[17]/[18] getAll, first (limit=1) and count', () => {
    expect(r.get(16)!.json).toHaveLength(60);
    expect(r.get(16)!.json[0].id).toEqual({ Table: 'acme.products', ID: 'PROD-001' });
    expect(r.get(17)!.json).toHaveLength(1);
    expect(r.get(18)).toMatchObject({ status: 200, json: { count: 60 } });
  });

  it('[19] getOne with expand; [20] a missing id → 404 record not found', () => {
    const rec = r.get(19)!.json;
    expect(rec.id).toEqual({ Table: 'acme.products', ID: 'PROD-001' });
    expect(rec.categoryId.id.Table).toBe('acme.categories');
    expect(typeof rec.categoryId.name).toBe('string');
    expect(r.get(20)).toMatchObject({ status: 404, text: 'record not found' });
  });

  it('[21] multipart create → the created record; [22] multipart update merges; [23] delete → JSON', () => {
    const created = r.get(21)!.json;
    expect(created).toMatchObject({ name: 'Widget', price: 9.99, categoryId: { Table: 'acme.categories', ID: 'C1' } });
    expect(created.id.Table).toBe('acme.products');
    expect(created.id.ID).toMatch(/^[a-z0-9]{20}$/);
    expect(created.created_dt).toBe(created.updated_dt);
    const updated = r.get(22)!.json;
    expect(updated.price).toBe(34.99);
    expect(updated.id).toEqual({ Table: 'acme.products', ID: 'PROD-001' });
    expect(typeof updated.name).toBe('string');
    expect(r.get(23)).toMatchObject({ status: 200, json: { success: true } });
  });

  it('[24] getFile of a file that is not there → 404 text; [25] unknown id → record not found', () => {
    expect(r.get(24)).toMatchObject({ status: 404, text: 'file not found' });
    expect(r.get(25)).toMatchObject({ status: 404, text: 'record not found' });
  });

  it('[26]–[30] tags and historian', () => {
    expect(r.get(26)!.json).toContain('line1/oven/temp');
    expect(r.get(26)!.json).toContain('line1/oven/door');
    expect(r.get(27)!.json).toContain('line1/oven/temp');
    expect(r.get(27)!.json).not.toContain('line1/oven/door');
    const hist = r.get(28)!;
    expect(hist.type).toMatch(/^application\/json/);
    expect(hist.json).toHaveLength(1440);
    expect(hist.json[0]).toEqual({ timestamp: '2026-06-01T00:00:00.000Z', value: expect.any(Number) });
    const last = r.get(29)!;
    expect(last.type).toMatch(/^application\/json/);
    expect(last.json).toHaveLength(10);
    expect(last.json[0].timestamp > last.json[1].timestamp).toBe(true);
    expect(r.get(30)!.status).toBe(200);
    expect(r.get(30)!.json[0]).toEqual({ topic: expect.any(String), time: expect.any(String), value: expect.anything() });
  });

  it('[31] CSV export is gzipped, not JSON, with mapped column names in the requested time zone', () => {
    const rep = r.get(31)!;
    expect(rep.status).toBe(200);
    expect(rep.type).toBe('application/gzip');
    const csv = gunzipSync(rep.bytes).toString('utf8').split('\n');
    expect(csv[0]).toBe('Timestamp,A,c/d');
    expect(csv[1]).toMatch(/^2026-06-01T08:00:00\+08:00,\d+(\.\d+)?,\d+(\.\d+)?$/);
    expect(csv.filter(Boolean)).toHaveLength(1 + 1440);
  });

  it('[32]–[35] processes', () => {
    expect(r.get(32)).toMatchObject({ status: 200, json: { topic: 'line1/oven/temp', window: '1h' } });
    expect(r.get(33)).toMatchObject({ status: 404, text: 'process not found' });
    const list = r.get(34)!.json;
    expect(list.map((p: any) => p.name)).toContain('acme.computeAverage');
    expect(r.get(35)!.json).toMatchObject({ id: { Table: 'processes', ID: 'abc' }, triggers: [{ type: 'cron', config: { cron_expression: '0 * * * *' } }] });
  });

  it('[36] login with an API key header; [37] getAll with an unverifiable Bearer is open in lax mode', () => {
    expect(r.get(36)!.json.success).toBe(true);
    expect(r.get(37)!.status).toBe(200);
  });
});

describe('SDK 1.1.5 wire capture replay (strict)', async () => {
  const r = await replayAll({ auth: 'strict' });

  it('data routes refuse the anonymous Node SDK with 401 and keep login/validate/check open', () => {
    expect(r.get(2)!.status).toBe(200);
    expect(r.get(3)!.status).toBe(200);
    expect(r.get(5)!.status).toBe(200);
    for (const n of [7, 9, 10, 15, 16, 18, 19, 21, 22, 23, 26, 27, 28, 31, 32, 34, 35]) {
      expect(r.get(n), `[${n}]`).toMatchObject({ status: 401, text: 'Unauthorized' });
    }
  });

  it('[37] a Bearer token is checked first: the invalid placeholder JWT wins over the valid API key → 401', () => {
    expect(r.get(37)).toMatchObject({ status: 401, text: 'Unauthorized' });
  });
});
