/**
 * Weld list pages rendered by SQLite (issue 15) are byte for byte what weldView + JSON.stringify write, for any stored
 * value: rows SQLite cannot render that way (odd numbers, other storage types) are refused and rendered by weldView.
 * The fast ISO 8601 formatter equals Date#toISOString.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MaxtraxStore, type WeldRow } from '../../src/vendors/maxtrax/store/index.js';
import { iso8601, weldItemsJson, weldView } from '../../src/vendors/maxtrax/views.js';
import { makeSuite, random } from './helpers.js';

const t = makeSuite();
afterAll(() => t.suite.close());

const TEXTS = ['W-001', '', 'a"b', 'back\\slash', 'ctl\u0000\u0001\b\t\n\f\r\u001f\u007f', 'é😀', 'line\u2028sep\u2029', '</script>', "it's", '\ud800x'];
const SIZES: unknown[] = [0.5, 0.75, 2, 24, -0, -0.5, 0.015625, 1048575.984375, 1048576, 0.1, 1 / 3, 123.456, 1e300, -1e-7, Infinity, -Infinity, 2 ** 53, '7', 'abc'];
const TIMES: unknown[] = [0, 1, 999, 86_399_999, 1_766_312_468_930, 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, 1.5, 8.64e15];

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
        const rendered = weldItemsJson(store.welds.listJson(tenant, {}, offset, size).rows);
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
    const { rows, total } = store.welds.listJson('acme', {}, 0, 200);
    expect(total).toBeGreaterThan(0);
    const items = weldItemsJson(rows);
    expect(items).toBe(JSON.stringify(store.welds.list('acme', {}, 0, 200).rows.map(weldView)));
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
