/**
 * Row → wire: the JSON representations (field names inferred from the data model page; camelCase like `userName`)
 * and the list envelope. Weld list items are also kept rendered by SQLite (schema.ts, `item_json`).
 */
import type { MaxtraxConfig } from './config.js';
import type { InspectionRow, IsoRow, WeldRow } from './store/index.js';

const DAY = 86_400_000;
/** The last millisecond toISOString writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** "YYYY-MM-DDT" by day number; cleared when full. */
const dayPrefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, without a Date per call for whole milliseconds in years 1970–9999 (a list page writes
 * a hundred of them); anything else goes through Date, errors included.
 */
export function iso8601(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    dayPrefixes.set(day, (prefix = new Date(day * DAY).toISOString().slice(0, 11)));
  }
  const t = ms - day * DAY;
  const s = Math.floor(t / 1000);
  return `${prefix}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}.${THREE_DIGITS[t % 1000]}Z`;
}

export function isoView(r: IsoRow) {
  return {
    id: r.id,
    isoNumber: r.iso_number,
    revision: r.revision,
    lineNumber: r.line_number,
    area: r.area,
    testPackage: r.test_package,
    createdAt: iso8601(r.created_at),
    updatedAt: iso8601(r.updated_at),
  };
}

export function weldView(r: WeldRow) {
  return {
    id: r.id,
    isoId: r.iso_id,
    weldNumber: r.weld_number,
    type: r.type,
    size: r.size,
    schedule: r.schedule,
    status: r.status,
    welderId: r.welder_id,
    wps: r.wps,
    createdAt: iso8601(r.created_at),
    updatedAt: iso8601(r.updated_at),
  };
}

function inspectionView(r: InspectionRow) {
  return {
    id: r.id,
    weldId: r.weld_id,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    reason: r.reason,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    recordedAt: iso8601(r.recorded_at),
  };
}

/** A weld with its audit trail (GET /welds/{id}, PATCH /welds/{id}/status). */
export function weldDetailView(w: WeldRow, inspections: InspectionRow[]) {
  return { ...weldView(w), inspections: inspections.map(inspectionView) };
}

/** A JSON body and the headers besides Content-Type that go with it. */
export interface Rendered {
  body: string;
  headers?: Record<string, string>;
}

/**
 * A list page in the configured envelope, around its items already written as a JSON array. `url` is the request
 * URL: the array envelope's Link header keeps its path and query, with `page` and `pageSize` set. Header names are lower-case in the order a Fetch `Headers` lists
 * them, so the response goes out as it did when it was built through one.
 */
export function listView(config: MaxtraxConfig, items: string, page: number, pageSize: number, total: number, url: string): Rendered {
  const totalPages = Math.ceil(total / pageSize);
  if (config.listEnvelope === 'array') {
    const headers: Record<string, string> = {};
    const links: string[] = [];
    const u = new URL(url);
    const link = (p: number, rel: string) => {
      u.searchParams.set('page', String(p));
      u.searchParams.set('pageSize', String(pageSize));
      links.push(`<${u.pathname}${u.search}>; rel="${rel}"`);
    };
    if (page < totalPages) link(page + 1, 'next');
    if (page > 1) link(Math.min(page - 1, Math.max(totalPages, 1)), 'prev');
    if (totalPages > 0) {
      link(1, 'first');
      link(totalPages, 'last');
    }
    if (links.length) headers.link = links.join(', ');
    headers['x-total-count'] = String(total);
    return { body: items, headers };
  }
  // JSON.stringify({ items, page, pageSize, totalItems, totalPages }) around the written items (all integers).
  return { body: `{"items":${items},"page":${page},"pageSize":${pageSize},"totalItems":${total},"totalPages":${totalPages}}` };
}
