/**
 * Pure historian helpers: the `range` duration grammar, the SurrealQL subset accepted by `POST /machhub/historian/query`,
 * time bucketing/aggregation for the CSV export, and timestamps in an IANA time zone.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Go/SurrealDB-style durations: one or more `<int><unit>` with units ms s m h d w, e.g. `24h`, `1h30m`. */
export function parseDuration(s: string): number | null {
  if (!/^(\d{1,9}(ms|s|m|h|d|w))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total > 0 ? total : null;
}

export interface HistorianQuery {
  fields: ('topic' | 'time' | 'value')[] | '*';
  topic: string | null;
  fromMs: number;
  toMs: number;
  desc: boolean;
  limit: number;
}

export class SurqlError extends Error {}

const MAX_ROWS = 10_000;

/**
 * The documented subset:
 *   SELECT * | topic, time, value FROM historian
 *     [WHERE <cond> [AND <cond>]...]   cond: topic = '<t>' | time <op> '<rfc3339>' (op: > >= < <=)
 *     [ORDER BY time [ASC|DESC]] [LIMIT <n>] [;]
 * Strings in single or double quotes; `d'…'` datetime literals accepted.
 */
export function parseHistorianQuery(q: string): HistorianQuery {
  const src = q.trim().replace(/;\s*$/, '');
  const m = /^SELECT\s+(.+?)\s+FROM\s+historian(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+time(?:\s+(ASC|DESC))?)?(?:\s+LIMIT\s+(\d{1,6}))?$/is.exec(src);
  if (!m) throw new SurqlError('unsupported query: only SELECT … FROM historian [WHERE …] [ORDER BY time] [LIMIT n] is supported');
  let fields: HistorianQuery['fields'];
  if (m[1].trim() === '*') fields = '*';
  else {
    const list = m[1].split(',').map((f) => f.trim());
    if (!list.every((f) => f === 'topic' || f === 'time' || f === 'value')) throw new SurqlError('unsupported query: selectable fields are *, topic, time, value');
    fields = list as ('topic' | 'time' | 'value')[];
  }
  const out: HistorianQuery = { fields, topic: null, fromMs: -8.64e15, toMs: 8.64e15, desc: (m[3] ?? '').toUpperCase() === 'DESC', limit: m[4] ? Math.min(Number(m[4]), MAX_ROWS) : MAX_ROWS };
  if (m[2]) {
    for (const part of m[2].split(/\s+AND\s+/i)) {
      const c = /^(topic|time)\s*(=|>=|<=|>|<)\s*(?:d)?(?:'([^']*)'|"([^"]*)")$/i.exec(part.trim());
      if (!c) throw new SurqlError(`unsupported query condition: ${part.trim()}`);
      const field = c[1].toLowerCase();
      const lit = c[3] ?? c[4];
      if (field === 'topic') {
        if (c[2] !== '=') throw new SurqlError('unsupported query condition: topic only supports =');
        out.topic = lit;
      } else {
        const t = Date.parse(lit);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(lit) || Number.isNaN(t)) throw new SurqlError(`invalid datetime: ${lit}`);
        if (c[2] === '=') {
          out.fromMs = Math.max(out.fromMs, t);
          out.toMs = Math.min(out.toMs, t);
        } else if (c[2] === '>') out.fromMs = Math.max(out.fromMs, t + 1);
        else if (c[2] === '>=') out.fromMs = Math.max(out.fromMs, t);
        else if (c[2] === '<') out.toMs = Math.min(out.toMs, t - 1);
        else out.toMs = Math.min(out.toMs, t);
      }
    }
  }
  return out;
}

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
