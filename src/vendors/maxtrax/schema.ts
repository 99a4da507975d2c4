/** MaxTrax tables. Every row carries its tenant; no query ever crosses tenants. */
import type { Db } from '../../core/db.js';
import { TokenChains } from '../../core/token-chains.js';

/** A time column that isoTime renders: whole milliseconds in years 0000–9999. */
const renderableTime = (c: string): string => `typeof(${c}) = 'integer' AND ${c} BETWEEN -62167219200000 AND 253402300799999`;
/** `new Date(ms).toISOString()` of a renderable time (floor division and modulo, so times before 1970 too). */
const isoTime = (c: string): string =>
  `strftime('%Y-%m-%dT%H:%M:%S', (${c} - (${c} % 1000 + 1000) % 1000) / 1000, 'unixepoch') || printf('.%03dZ', (${c} % 1000 + 1000) % 1000)`;

/**
 * A weld as its list item (weldView + JSON.stringify), kept by SQLite in the row (`item_json`, a STORED generated
 * column: written with every insert and update, so a list page is its rows' text joined, issue 15). json_object
 * writes text as JSON.stringify does (same escapes, no others); a number only when it is an integer, or a multiple of
 * 1/64 below 2^20 (few digits, so both write the same shortest decimal). A row outside that (another storage type, a
 * size like 0.1 or 1e300, a time outside renderableTime) is NULL, and weldView renders it. Keys in weldView's order.
 * A generated column can only be declared by CREATE TABLE, and a --data-dir from an older build is reused as it is
 * (no migration, as for any schema change): its welds lack the column, and start refuses such a folder (core checkSchema).
 */
const WELD_ITEM = `CASE WHEN typeof(id) = 'text' AND typeof(iso_id) = 'text' AND typeof(weld_number) = 'text' AND typeof(type) = 'text'
    AND typeof(schedule) = 'text' AND typeof(status) = 'text' AND typeof(welder_id) IN ('text', 'null') AND typeof(wps) IN ('text', 'null')
    AND typeof(size) IN ('integer', 'real') AND abs(size) < 1048576 AND size * 64 = CAST(size * 64 AS INTEGER)
    AND ${renderableTime('created_at')} AND ${renderableTime('updated_at')}
  THEN json_object('id', id, 'isoId', iso_id, 'weldNumber', weld_number, 'type', type,
    'size', CASE WHEN size = CAST(size AS INTEGER) THEN CAST(size AS INTEGER) ELSE size END, 'schedule', schedule, 'status', status,
    'welderId', welder_id, 'wps', wps, 'createdAt', ${isoTime('created_at')}, 'updatedAt', ${isoTime('updated_at')}) END`;

export const SCHEMA = `
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  ready INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  user_name TEXT NOT NULL COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  display_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (tenant, user_name)
);
CREATE TABLE isos (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  iso_number TEXT NOT NULL,
  revision TEXT NOT NULL,
  line_number TEXT NOT NULL,
  area TEXT NOT NULL,
  test_package TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX isos_tenant ON isos(tenant, seq);
CREATE INDEX isos_seq ON isos(seq);
CREATE TABLE welds (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  iso_id TEXT NOT NULL,
  weld_number TEXT NOT NULL,
  type TEXT NOT NULL,
  size REAL NOT NULL,
  schedule TEXT NOT NULL,
  status TEXT NOT NULL,
  welder_id TEXT,
  wps TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  item_json TEXT GENERATED ALWAYS AS (${WELD_ITEM}) STORED
);
CREATE INDEX welds_tenant ON welds(tenant, seq);
CREATE INDEX welds_seq ON welds(seq);
CREATE INDEX welds_iso ON welds(tenant, iso_id, seq);
CREATE INDEX welds_welder ON welds(tenant, welder_id, seq);
CREATE INDEX welds_status ON welds(tenant, status, seq);
CREATE TABLE inspections (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  weld_id TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT,
  inspector_id TEXT NOT NULL,
  inspector_name TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX inspections_weld ON inspections(tenant, weld_id, seq);
CREATE INDEX inspections_seq ON inspections(seq);
`;

/** Tables holding tenant rows, children first (per-tenant reset deletes in this order, inserts in reverse). */
export const TENANT_TABLES = [
  { table: 'refresh_tokens', column: 'tenant' },
  { table: 'inspections', column: 'tenant' },
  { table: 'welds', column: 'tenant' },
  { table: 'isos', column: 'tenant' },
  { table: 'users', column: 'tenant' },
  { table: 'tenants', column: 'id' },
] as const;

export function migrate(db: Db): void {
  db.exec(SCHEMA);
  TokenChains.migrate(db);
}
