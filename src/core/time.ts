/** RFC 3339 timestamps: parsing (lenient and strict) and formatting in UTC. */

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The shape of RFC 3339, then whatever `new Date` makes of it (Feb 30 rolls over to March): a Date, or null. */
export function parseRfc3339(value: unknown): Date | null {
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const STRICT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A strict RFC 3339 `date-time` as epoch milliseconds, or null: any offset (`Z`, `z`, `±hh:mm`), `T` or `t`,
 * fractional digits of any length truncated to milliseconds, calendar dates only (no month 13, no Feb 29 outside
 * leap years, no 24:00). A leap second (`:60`) is refused: epoch milliseconds cannot hold it (Go's time.Parse
 * refuses it too).
 */
export function parseRfc3339Ms(s: string): number | null {
  const m = STRICT.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMin = 0;
  if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - offsetMin * 60_000;
}

function checkedIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (iso.length !== 24) throw new RangeError(`not an RFC 3339 year (0000–9999): ${iso}`);
  return iso;
}

/** `2026-06-01T12:00:00.000Z`: UTC, exactly three fractional digits. RangeError outside the years 0000–9999. */
export function formatRfc3339Ms(ms: number): string {
  return checkedIso(ms);
}

/** `2026-06-01T12:00:00Z`: UTC, whole seconds (the milliseconds dropped, rounding down). */
export function formatRfc3339Seconds(ms: number): string {
  return `${checkedIso(Math.floor(ms / 1000) * 1000).slice(0, 19)}Z`;
}
