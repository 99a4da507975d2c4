/** Meter readings: the documented caps, then the reading and the meter triggers it fires, in one transaction. */
import { notFound, tooManyRequests } from '../errors.js';
import type { Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import type { Row } from '../store/index.js';
import { write, type Actor } from './common.js';
import { onReading } from './metertriggers.js';

/** Manual readings: at most N per meter per 24 h (spec: 10 every 24h). */
function manualLimit(mx: Mx, meter: Row, adding: number): void {
  if (meter.data.measurementType !== 'MANUAL') return;
  const since = new Date(mx.ctx.clock.nowMs() - 86_400_000).toISOString();
  const n = mx.store.records.countChildren('meterReading', meter.id, { cmp: 'created_at', op: '>', value: since }, { isTrue: '$.manual' });
  if (n + adding > mx.ctx.config.manualReadingsPerDay) {
    throw tooManyRequests(
      `Too Many Requests. Manual meter readings are limited to ${mx.ctx.config.manualReadingsPerDay} every 24h 00m 00s. For a higher recording frequency please use Meters of type IoT. Contact support@getmaintainx.com for help.`,
    );
  }
}

function addReading(mx: Mx, actor: Actor, meter: Row, value: number, readingDate: string | undefined, at: string): Row {
  const prev = mx.store.records.children('meterReading', meter.id).pop();
  const r = mx.store.records.insert('meterReading', meter.orgId, { value, readingDate: readingDate ?? at, manual: meter.data.measurementType === 'MANUAL' }, { parentId: meter.id });
  onReading(mx, meter, value, prev ? Number(prev.data.value) : null, actor.skipWebhook ?? false);
  return r;
}

/** POST /meters/{meterId}/readings (documented limit: 1 reading per 10 s per meter). */
export function recordReading(mx: Mx, actor: Actor, meter: Row, value: number, readingDate?: string): Row {
  return write(mx, () => {
    const recent = mx.store.records.countChildren('meterReading', meter.id, { cmp: 'created_at', op: '>', value: new Date(mx.ctx.clock.nowMs() - 10_000).toISOString() });
    if (recent > 0) throw tooManyRequests('Too many requests. Please retry in 10 seconds');
    manualLimit(mx, meter, 1);
    return addReading(mx, actor, meter, value, readingDate, mx.store.nowIso());
  });
}

/** POST /meterreadings: every meter must exist and stay within its cap, else nothing is recorded. */
export function recordReadings(
  mx: Mx,
  actor: Actor,
  orgIds: number[],
  items: Array<{ meterId: number; value: number; readingDate?: string }>,
): Array<{ meter: Row; reading: Row; value: number }> {
  return write(mx, () => {
    const meters = new Map<number, Row>();
    for (const item of items) {
      const m = mx.store.records.get('meter', item.meterId, orgIds);
      if (!m) throw notFound(notFoundMessage('POST /meterreadings'));
      meters.set(m.id, m);
    }
    for (const m of meters.values()) manualLimit(mx, m, items.filter((x) => x.meterId === m.id).length);
    const at = mx.store.nowIso();
    return items.map((item) => {
      const meter = meters.get(item.meterId)!;
      return { meter, reading: addReading(mx, actor, meter, item.value, item.readingDate, at), value: item.value };
    });
  });
}
