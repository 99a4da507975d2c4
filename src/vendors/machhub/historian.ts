/**
 * Pure historian helpers: the `range` duration grammar (the SurrealQL subset is in surql.ts), time bucketing/aggregation for the CSV export, and timestamps in an IANA time zone.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Go/SurrealDB-style durations: one or more `<int><unit>` with units ms s m h d w, e.g. `24h`, `1h30m`. */
export function parseDuration(s: string): number | null {
  if (s.length > 64 || !/^(\d{1,9}(ms|s|m|h|d|w))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total > 0 ? total : null;
}

export { SurqlError } from './surql.js';
import { SurqlError } from './surql.js';

export const SAMPLE_RATE = /^(\d{1,4})_(second|minute|hour|day)$/;
const RATE_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function sampleRateMs(rate: string): number | null {
  if (rate === '' || rate === 'none') return null;
  const m = SAMPLE_RATE.exec(rate);
  if (!m || Number(m[1]) === 0) throw new SurqlError(`invalid sampleRate: ${rate}`);
  return Number(m[1]) * RATE_MS[m[2]];
}

export const AGGREGATIONS = ['', 'mean', 'sum', 'min', 'max', 'median', 'none'] as const;

export function aggregate(values: number[], how: string): number | null {
  if (!values.length) return null;
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'median': {
      const s = [...values].sort((a, b) => a - b);
      const mid = s.length >> 1;
      return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }
    case 'none':
      return values[values.length - 1];
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/** `2026-06-01T08:00:00+08:00`: the instant in `timeZone` (UTC when empty). Throws RangeError on a bad zone. */
export function formatInZone(ms: number, timeZone: string): string {
  if (!timeZone || timeZone === 'UTC') return new Date(ms).toISOString().replace('.000Z', 'Z');
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offMin = Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
