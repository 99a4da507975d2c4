/**
 * Weld list pages rendered by SQLite (issue 15: each row's item kept in its generated column `item_json`) are byte for
 * byte what weldView + JSON.stringify write, for any stored value: rows SQLite cannot render that way (odd numbers,
 * other storage types, times outside years 0000–9999) are refused and rendered by weldView. The item follows every
 * write and reset. The fast ISO 8601 formatter equals Date#toISOString.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Suite } from '../../src/suite.js';
import { MaxtraxStore, type WeldRow } from '../../src/vendors/maxtrax/store/index.js';
import { iso8601, weldView } from '../../src/vendors/maxtrax/views.js';
import { adminCall } from '../support/admin.js';
import { makeSuite, random } from './helpers.js';

const t = makeSuite();
afterAll(() => t.suite.close());

const TEXTS = ['W-001', '', 'a"b', 'back\\slash', 'ctl\u0000\u0001\b\t\n\f\r\u001f\u007f', 'é😀', 'line\u2028sep\u2029', '</script>', "it's", '\ud800x'];
const SIZES: unknown[] = [0.5, 0.75, 2, 24, -0, -0.5, 0.015625, 1048575.984375, 1048576, 0.1, 1 / 3, 123.456, 1e300, -1e-7, Infinity, -Infinity, 2 ** 53, '7', 'abc'];
const TIMES: unknown[] = [0, 1, 999, 86_399_999, 1_766_312_468_930, 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, -62_167_219_200_000, -62_167_219_200_001, 1.5, 8.64e15, '1766312468930'];

describe('MaxTrax weld rows rendered by SQLite', () => {
  it('equal weldView + JSON.stringify for every kind of stored value, page by page', () => {
    const store = new MaxtraxStore(t.suite.instances.get('maxtrax')!.ctx.handle);
    const next = random(15);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const tenant = 'render-check';
    for (let i = 0; i < 400; i++) {
      const plain = i % 3 === 0;
      store.welds.insert({
        id: `w-${i}-${plain ? 'x' : pick(TEXTS)}`,
        tenant,
        iso_id: plain ? 'iso-1' : pick(TEXTS),
        weld_number: pick(TEXTS),
        type: pick(TEXTS),
        size: (plain ? pick([0.5, 0.75, 1, 1.5, 2, 24]) : pick(SIZES)) as number,
        schedule: pick(TEXTS),
        status: 'PENDING',
        welder_id: next() < 0.3 ? null : pick(TEXTS),
        wps: next() < 0.3 ? null : pick(TEXTS),
        created_at: (plain ? 1_766_000_000_000 + Math.floor(next() * 1e10) : pick(TIMES)) as number,
        updated_at: (plain ? 1_766_000_000_000 + Math.floor(next() * 1e10) : pick(TIMES)) as number,
      });
    }
    let fast = 0;
    for (const size of [1, 7, 50]) {
      for (let offset = 0; offset < 400; offset += size) {
        const rows = store.welds.list(tenant, {}, offset, size).rows as WeldRow[];
        let expected: string;
        try {
          expected = JSON.stringify(rows.map(weldView));
        } catch {
          continue; // a time Date refuses: weldView throws, and so does the fast rendering (checked below)
        }
        const rendered = store.welds.listItems(tenant, {}, offset, size).items;
        if (rendered !== undefined) {
          fast++;
          expect(rendered, `offset ${offset}, size ${size}`).toBe(expected);
        }
      }
    }
    // Single plain rows do take the fast way.
    expect(fast).toBeGreaterThan(100);
  });

  it('every page of the generated data is rendered by SQLite', () => {
    const store = new MaxtraxStore(t.suite.instances.get('maxtrax')!.ctx.handle);
    const { items, total } = store.welds.listItems('acme', {}, 0, 200);
    expect(total).toBeGreaterThan(0);
    expect(items).toBe(JSON.stringify(store.welds.list('acme', {}, 0, 200).rows.map(weldView)));
  });
});

describe('MaxTrax item_json (the list item SQLite keeps in each weld row)', () => {
  const store = () => new MaxtraxStore(t.suite.instances.get('maxtrax')!.ctx.handle);
  const db = () => t.suite.instances.get('maxtrax')!.ctx.handle.db;
  /** The first page of a tenant's welds as SQLite keeps it, and as weldView writes it. */
  const page = (tenant: string, size = 200) => {
    const s = store();
    return { sql: s.welds.listItems(tenant, {}, 0, size).items, js: JSON.stringify(s.welds.list(tenant, {}, 0, size).rows.map(weldView)) };
  };

  it('writes each time as toISOString does for whole milliseconds in years 0000–9999, else is null', () => {
    const FIRST = -62_167_219_200_000;
    const LAST = 253_402_300_799_999;
    const next = random(3339);
    const times = [FIRST, FIRST + 1, FIRST - 1, LAST, LAST - 1, LAST + 1, 0, -1, 1, -999, -1000, -1001, 86_399_999, -86_400_000, 951_782_400_000, -2_203_891_200_001];
    for (let i = 0; i < 4000; i++) {
      times.push(Math.floor(FIRST + next() * (LAST - FIRST)));
      // Whole days plus a few milliseconds either side (day, hour and second carries).
      times.push(Math.floor(FIRST / 86_400_000 + next() * ((LAST - FIRST) / 86_400_000)) * 86_400_000 + Math.floor(next() * 3) - 1);
    }
    const s = store();
    const tenant = 'time-check';
    times.forEach((ms, i) => {
      s.welds.insert({
        id: `t-${i}`, tenant, iso_id: 'iso', weld_number: 'W', type: 'BW', size: 2, schedule: '40', status: 'PENDING',
        welder_id: null, wps: null, created_at: ms, updated_at: times[(i * 7) % times.length],
      });
    });
    const rows = db().prepare('SELECT *, item_json FROM welds WHERE tenant = ? ORDER BY seq').all(tenant) as Array<WeldRow & { item_json: string | null }>;
    expect(rows).toHaveLength(times.length);
    let rendered = 0;
    for (const r of rows) {
      const inRange = [r.created_at, r.updated_at].every((ms) => ms >= FIRST && ms <= LAST);
      if (!inRange) {
        expect(r.item_json, String(r.created_at)).toBeNull();
        continue;
      }
      rendered++;
      const { item_json: item, ...row } = r;
      expect(item, `${r.created_at} ${r.updated_at}`).toBe(JSON.stringify(weldView(row)));
    }
    expect(rendered).toBeGreaterThan(7000);
  });

  it('joins a page in seq order, whatever order the rows were written in', () => {
    const next = random(77);
    const tenant = 'order-check';
    const base = (db().prepare('SELECT COALESCE(MAX(seq), 0) FROM welds').pluck().get() as number) + 1;
    const seqs = Array.from({ length: 300 }, (_, i) => base + i);
    for (let i = seqs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [seqs[i], seqs[j]] = [seqs[j], seqs[i]];
    }
    const insert = db().prepare(`INSERT INTO welds (id, seq, tenant, iso_id, weld_number, type, size, schedule, status, welder_id, wps, created_at, updated_at)
      VALUES (?, ?, ?, 'iso', ?, 'BW', 2, '40', 'PENDING', NULL, NULL, ?, ?)`);
    for (const seq of seqs) insert.run(`o-${seq}`, seq, tenant, `W-${seq}`, 1_766_000_000_000 + seq, 1_766_000_000_000 + seq);
    for (const [offset, size] of [[0, 200], [37, 50], [250, 100]]) {
      const s = store();
      const items = s.welds.listItems(tenant, {}, offset, size).items;
      expect(items).toBe(JSON.stringify(s.welds.list(tenant, {}, offset, size).rows.map(weldView)));
      const numbers = (JSON.parse(items!) as Array<{ weldNumber: string }>).map((w) => Number(w.weldNumber.slice(2)));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
  });

  it('follows a status change at once, and per-tenant reset, restore, full reset and sandboxes', async () => {
    const admin = (method: string, path: string, body?: unknown) => adminCall(t.suite.app('maxtrax'), method, path, body);
    expect((await admin('POST', '/reset', {})).status).toBe(200);
    const { token } = await t.login('inspector');
    const list = () => t.call('GET', '/welds?pageSize=50', { token });
    const before = await list();
    expect(page('acme').sql).toBe(page('acme').js);
    const id = (before.json.items as Array<{ id: string; status: string }>).find((w) => w.status === 'PENDING')!.id;
    expect((await admin('POST', '/snapshots', { name: 'items' })).status).toBe(201);

    t.suite.clock.advance(61);
    const patched = await t.call('PATCH', `/welds/${id}/status`, { token, body: { status: 'REPAIR' } });
    expect(patched.status).toBe(200);
    const after = await list();
    const { inspections: _, ...detail } = patched.json;
    expect(after.json.items.find((w: { id: string }) => w.id === id)).toEqual(detail);
    expect(detail.updatedAt).not.toBe(before.json.items.find((w: { id: string }) => w.id === id).updatedAt);
    expect(page('acme').sql).toBe(page('acme').js);

    expect((await admin('POST', '/reset', { tenant: 'acme' })).status).toBe(200);
    expect((await list()).text).toBe(before.text);
    expect(page('acme').sql).toBe(page('acme').js);

    expect((await t.call('PATCH', `/welds/${id}/status`, { token, body: { status: 'ACCEPTED' } })).status).toBe(200);
    expect((await admin('POST', '/snapshots/items/restore')).status).toBe(200);
    expect((await list()).text).toBe(before.text);

    const sandbox = await admin('POST', '/sandboxes', { from: 'acme' });
    expect(sandbox.status).toBe(201);
    const tenant = sandbox.body.tenant as string;
    const copied = page(tenant);
    expect(copied.sql).toBeDefined();
    expect(copied.sql).toBe(copied.js);
    expect(JSON.parse(copied.sql!)).toHaveLength(JSON.parse(page('acme').sql!).length);

    expect((await admin('POST', '/reset', {})).status).toBe(200);
    expect((await list()).text).toBe(before.text);
  });
});

describe('MaxTrax --data-dir from a build before item_json', () => {
  it('is refused at start with a one-line reason, not served with failing lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-maxtrax-old-'));
    try {
      new Suite({ vendors: ['maxtrax'], dataDir: dir }).close();
      // The welds table as older builds created it: the same columns without the generated one.
      const db = new Database(join(dir, 'maxtrax.db'));
      db.exec(`CREATE TABLE welds_old AS SELECT id, seq, tenant, iso_id, weld_number, type, size, schedule, status, welder_id, wps, created_at, updated_at FROM welds;
        DROP TABLE welds; ALTER TABLE welds_old RENAME TO welds;`);
      db.close();
      expect(() => new Suite({ vendors: ['maxtrax'], dataDir: dir })).toThrow(/another version of vendor-fakes \(its table welds is not this version's\); delete the folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MaxTrax iso8601', () => {
  it('equals Date#toISOString, edges and random times alike', () => {
    const next = random(8601);
    const cases = [0, -0, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, 86_400_000, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, -62_198_755_200_000, 8.64e15, 1.5, 1e12 + 0.25];
    for (let i = 0; i < 20_000; i++) cases.push(Math.floor(next() * 253_402_300_800_000), Math.floor(next() * 3e9) + 1.7e12);
    for (const ms of cases) expect(iso8601(ms), String(ms)).toBe(new Date(ms).toISOString());
    expect(() => iso8601(8.64e15 + 1)).toThrow(RangeError);
    expect(() => iso8601(Number.NaN)).toThrow(RangeError);
  });
});
