import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MB, redosBudget } from '../support/budget.js';
import { formatRfc3339Ms, formatRfc3339Seconds, parseRfc3339, parseRfc3339Ms } from '../../src/core/time.js';

/** Epoch ms of the years 0000–9999. */
const MIN = new Date('0000-01-01T00:00:00Z').getTime();
const MAX = new Date('9999-12-31T23:59:59.999Z').getTime();
const instant = fc.integer({ min: MIN, max: MAX });
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

describe('formatting', () => {
  it('formatRfc3339Ms: UTC, three fractional digits, Z; parses back to the same instant', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const s = formatRfc3339Ms(ms);
        expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(parseRfc3339Ms(s)).toBe(ms);
      }),
    );
    expect(formatRfc3339Ms(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('formatRfc3339Seconds: whole seconds, rounded down (also before 1970)', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const s = formatRfc3339Seconds(ms);
        expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(parseRfc3339Ms(s)).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
    expect(formatRfc3339Seconds(-1)).toBe('1969-12-31T23:59:59Z');
    expect(formatRfc3339Seconds(1_999)).toBe('1970-01-01T00:00:01Z');
  });

  it('years outside 0000–9999 and invalid instants are a RangeError', () => {
    for (const ms of [MAX + 1, MIN - 1, Number.NaN]) {
      expect(() => formatRfc3339Ms(ms)).toThrow(RangeError);
      expect(() => formatRfc3339Seconds(ms)).toThrow(RangeError);
    }
  });
});

describe('parseRfc3339Ms', () => {
  it('any offset and any number of fractional digits: the instant, truncated to milliseconds', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        fc.stringMatching(/^\d{0,12}$/),
        fc.constantFrom('T', 't'),
        (ms, offset, extra, t) => {
          const whole = Math.floor(ms / 1000) * 1000;
          const local = new Date(whole + offset * 60_000);
          if (local.getUTCFullYear() < 0 || local.getUTCFullYear() > 9999) return;
          const frac = pad(ms - whole, 3) + extra;
          const sign = offset < 0 ? '-' : '+';
          const off = offset === 0 && extra.length % 2 ? 'z' : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
          const s = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}${t}${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${frac}${off}`;
          expect(parseRfc3339Ms(s), s).toBe(ms);
        },
      ),
    );
  });

  it('short fractions are scaled, not read as milliseconds; -00:00 is UTC', () => {
    expect(parseRfc3339Ms('2026-06-01T12:00:00.5Z')).toBe(Date.UTC(2026, 5, 1, 12, 0, 0, 500));
    expect(parseRfc3339Ms('2026-06-01T12:00:00.05Z')).toBe(Date.UTC(2026, 5, 1, 12, 0, 0, 50));
    expect(parseRfc3339Ms('2026-06-01T12:00:00.9999999Z')).toBe(Date.UTC(2026, 5, 1, 12, 0, 0, 999));
    expect(parseRfc3339Ms('2026-06-01T12:00:00-00:00')).toBe(Date.UTC(2026, 5, 1, 12));
    expect(parseRfc3339Ms('2026-06-01T12:00:00+05:30')).toBe(Date.UTC(2026, 5, 1, 6, 30));
    expect(parseRfc3339Ms('0050-01-01T00:00:00Z')).toBe(new Date('0050-01-01T00:00:00Z').getTime());
  });

  it('agrees with Date.parse on valid timestamps', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const s = formatRfc3339Ms(ms).replace('.000Z', 'Z');
        expect(parseRfc3339Ms(s)).toBe(Date.parse(s));
      }),
    );
  });

  it('leap days only in leap years', () => {
    for (const y of [2000, 2024, 1600, 4]) expect(parseRfc3339Ms(`${pad(y, 4)}-02-29T00:00:00Z`), String(y)).not.toBeNull();
    for (const y of [1900, 2100, 2026, 1]) expect(parseRfc3339Ms(`${pad(y, 4)}-02-29T00:00:00Z`), String(y)).toBeNull();
  });

  it('rejects what RFC 3339 rejects', () => {
    for (const s of [
      '2026-06-01T12:00:00', // no offset
      '2026-06-01T24:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-06-00T00:00:00Z',
      '2026-06-01T12:60:00Z',
      '2026-06-01T12:00:61Z',
      '2026-06-01T23:59:60Z', // a leap second: not representable in epoch ms
      '2026-06-01T12:00:00.Z',
      '2026-06-01T12:00:00+24:00',
      '2026-06-01T12:00:00+05:60',
      '2026-06-01T12:00:00+05',
      '2026-06-01T12:00:00+0530',
      '2026-06-01 12:00:00Z',
      '2026-6-01T12:00:00Z',
      '26-06-01T12:00:00Z',
      '+002026-06-01T12:00:00Z',
      '2026-06-01',
      '2026-06-01T12:00Z',
      ' 2026-06-01T12:00:00Z',
      '2026-06-01T12:00:00Z ',
      '2026-06-01T12:00:00ZZ',
      '２０２６-06-01T12:00:00Z',
      '',
    ]) {
      expect(parseRfc3339Ms(s), s).toBeNull();
    }
  });

  it('never throws and is linear on long input', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseRfc3339Ms(s)));
    const budget = redosBudget();
    const long = `2026-06-01T12:00:00.${'1'.repeat(MB)}`;
    const t = performance.now();
    expect(parseRfc3339Ms(long)).toBeNull();
    expect(performance.now() - t).toBeLessThan(budget);
  });
});

describe('parseRfc3339 (the lenient one the control plane uses)', () => {
  it('keeps its behaviour: RFC 3339 shape, then new Date', () => {
    expect(parseRfc3339('2026-06-01T12:00:00Z')?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(parseRfc3339('2026-06-01T12:00:00')).toBeNull();
    expect(parseRfc3339(42)).toBeNull();
  });
});
