/**
 * Recurring work orders: a work order created with `repeatability` (returned as `recurrenceInfo`) gets its next
 * occurrence when it is first marked DONE, due at the rule's next date after the current due date (or after the
 * completion time when it had none), linked by `previousId` / `nextId`.
 */
import type { Json } from '../store/index.js';

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const DAY_MS = 86_400_000;

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** The first date of the rule strictly after `from` (UTC, keeping the time of day), or null for non-calendar rules. */
export function nextOccurrence(rule: Json, from: Date): Date | null {
  const interval = Math.max(1, Number(rule.interval ?? 1));
  const t = from.getTime();
  switch (rule.type) {
    case 'DAILY':
      return new Date(t + DAY_MS);
    case 'PERIODICALLY':
      // INFERRED: `interval` counts days.
      return new Date(t + interval * DAY_MS);
    case 'WEEKLY': {
      const days = new Set(((rule.days as string[]) ?? []).map((d) => DAYS.indexOf(d)).filter((d) => d >= 0));
      if (days.size === 0) return new Date(t + 7 * interval * DAY_MS);
      const weekStart = t - from.getUTCDay() * DAY_MS;
      for (let i = 1; i <= 7 * interval + 7; i++) {
        const c = t + i * DAY_MS;
        const week = Math.floor((c - weekStart) / (7 * DAY_MS));
        if (days.has(new Date(c).getUTCDay()) && week % interval === 0) return new Date(c);
      }
      return null;
    }
    case 'MONTHLY': {
      const day = Number(rule.day ?? from.getUTCDate());
      for (let k = 0; k <= 2; k++) {
        const y = from.getUTCFullYear();
        const m = from.getUTCMonth() + k * interval;
        const yy = y + Math.floor(m / 12);
        const mm = ((m % 12) + 12) % 12;
        const d = new Date(Date.UTC(yy, mm, Math.min(day, daysInMonth(yy, mm)), from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
        if (d.getTime() > t) return d;
      }
      return null;
    }
    case 'YEARLY': {
      const y = from.getUTCFullYear() + interval;
      const m = from.getUTCMonth();
      return new Date(Date.UTC(y, m, Math.min(from.getUTCDate(), daysInMonth(y, m)), from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
    }
    default:
      return null;
  }
}
