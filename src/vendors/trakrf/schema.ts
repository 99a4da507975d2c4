/** TrakRF tables. Times are suite-clock milliseconds (the wire shows milliseconds, trakrf.md §5.6). */
import type { Db } from '../../core/db.js';
import { TokenChains } from '../../core/token-chains.js';

export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  subscription_active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  client_id TEXT PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);
CREATE INDEX api_keys_org ON api_keys(org_id);

CREATE TABLE assets (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  external_key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  is_active INTEGER NOT NULL DEFAULT 1,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX assets_live_key ON assets(org_id, external_key) WHERE deleted_at IS NULL;
CREATE INDEX assets_org_key ON assets(org_id, external_key, id);
CREATE INDEX assets_org_name ON assets(org_id, name, id);
CREATE INDEX assets_org_created ON assets(org_id, created_at, id);
CREATE INDEX assets_org_updated ON assets(org_id, updated_at, id);
-- covering index for list totals; validity-boundary lookups (memoized counts)
CREATE INDEX assets_org_window ON assets(org_id, deleted_at, is_active, valid_from, valid_to);
-- auto-minted keys: MAX numeric suffix of live ASSET-<digits> / LOC-<digits> keys (store.nextKey uses these literals)
CREATE INDEX assets_key_seq ON assets(org_id, CAST(substr(external_key, 7) AS INTEGER))
  WHERE deleted_at IS NULL AND external_key GLOB 'ASSET-[0-9]*' AND substr(external_key, 7) NOT GLOB '*[^0-9]*';
CREATE INDEX assets_org_valid_from ON assets(org_id, valid_from);
CREATE INDEX assets_org_valid_to ON assets(org_id, valid_to);

CREATE TABLE locations (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  external_key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  parent_id INTEGER REFERENCES locations(id),
  is_active INTEGER NOT NULL DEFAULT 1,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX locations_live_key ON locations(org_id, external_key) WHERE deleted_at IS NULL;
CREATE INDEX locations_org_key ON locations(org_id, external_key, id);
CREATE INDEX locations_parent ON locations(parent_id);
CREATE INDEX locations_key_seq ON locations(org_id, CAST(substr(external_key, 5) AS INTEGER))
  WHERE deleted_at IS NULL AND external_key GLOB 'LOC-[0-9]*' AND substr(external_key, 5) NOT GLOB '*[^0-9]*';
CREATE INDEX locations_org_valid_from ON locations(org_id, valid_from);
CREATE INDEX locations_org_valid_to ON locations(org_id, valid_to);

-- A tag belongs to exactly one asset or one location.
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  asset_id INTEGER REFERENCES assets(id),
  location_id INTEGER REFERENCES locations(id),
  tag_type TEXT NOT NULL,
  value TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER,
  -- creation order within one instant (tags sent together keep their request order)
  seq INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tags_live ON tags(org_id, tag_type, value) WHERE deleted_at IS NULL;
CREATE INDEX tags_asset ON tags(asset_id, created_at, id);
CREATE INDEX tags_location ON tags(location_id, created_at, id);
CREATE INDEX tags_org_valid_from ON tags(org_id, valid_from);
CREATE INDEX tags_org_valid_to ON tags(org_id, valid_to);

-- Scan history: one row per asset per minute (first location in the minute wins), trakrf.md §7.4.
CREATE TABLE scans (
  org_id INTEGER NOT NULL,
  asset_id INTEGER NOT NULL,
  observed_at INTEGER NOT NULL,
  location_id INTEGER,
  -- the exact instant of the first read in this minute (first location in a minute wins)
  first_at INTEGER,
  PRIMARY KEY (asset_id, observed_at)
) WITHOUT ROWID;
CREATE INDEX scans_org_time ON scans(org_id, observed_at);
CREATE INDEX scans_location ON scans(location_id);

-- asset.moved webhooks: one per org; the HMAC secret is kept as the vendor keeps it (it signs every delivery).
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL UNIQUE REFERENCES orgs(id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER
);

CREATE TABLE webhook_deliveries (
  delivery_id TEXT PRIMARY KEY,
  org_id INTEGER NOT NULL,
  webhook_id INTEGER NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  response_status INTEGER,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_org ON webhook_deliveries(org_id, created_at);
`;

/**
 * Sandboxes reading their source's scans (store/scan-links.ts): the link, and the source → sandbox id map of assets,
 * locations and tags. Also created by the first sandbox of a data dir or snapshot from before they existed.
 */
export const SCAN_LINK_TABLES = `
CREATE TABLE IF NOT EXISTS sandbox_scan_links (org INTEGER PRIMARY KEY, source INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sandbox_scan_links_source ON sandbox_scan_links(source);
CREATE TABLE IF NOT EXISTS sandbox_ids (org INTEGER NOT NULL, old INTEGER NOT NULL, new INTEGER NOT NULL, PRIMARY KEY (org, old)) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS sandbox_ids_new ON sandbox_ids(org, new);
`;

/** Tables whose rows belong to one org, with the column naming it (per-tenant reset). */
export const ORG_TABLES: Array<[table: string, column: string]> = [
  ['webhook_deliveries', 'org_id'],
  ['webhooks', 'org_id'],
  ['scans', 'org_id'],
  ['tags', 'org_id'],
  ['assets', 'org_id'],
  ['locations', 'org_id'],
  ['api_keys', 'org_id'],
  ['refresh_tokens', 'tenant'],
  ['orgs', 'id'],
];

/** Per-tenant reset narrows these tables to the rows at or after the earliest value written since the image. */
const RANGE_COLUMN: Record<string, string> = { scans: 'observed_at' };

/**
 * Records which (table, org) pairs were written since the seeded image, so a per-tenant reset restores only those.
 * Triggers log every table but scans, whose writers (ops/scans.ts ingestScans, bulk; store/scan-links.ts materialize) log their batch themselves with
 * the earliest minute it touched: a trigger per row would triple the cost of bulk ingestion. Installed after
 * seeding (the image holds the triggers and an empty log).
 */
export function trackTenantWrites(db: Db): void {
  db.exec('CREATE TABLE tenant_dirty (tbl TEXT NOT NULL, org TEXT NOT NULL, since INTEGER, PRIMARY KEY (tbl, org)) WITHOUT ROWID');
  for (const [table, column] of ORG_TABLES) {
    if (RANGE_COLUMN[table]) continue;
    const mark = (row: 'NEW' | 'OLD') => {
      const org = `CAST(${row}.${column} AS TEXT)`;
      return `INSERT INTO tenant_dirty SELECT '${table}', ${org}, NULL WHERE NOT EXISTS (SELECT 1 FROM tenant_dirty WHERE tbl = '${table}' AND org = ${org});`;
    };
    db.exec(`CREATE TRIGGER ${table}_dirty_i AFTER INSERT ON ${table} BEGIN ${mark('NEW')} END;
             CREATE TRIGGER ${table}_dirty_u AFTER UPDATE ON ${table} BEGIN ${mark('OLD')} ${mark('NEW')} END;
             CREATE TRIGGER ${table}_dirty_d AFTER DELETE ON ${table} BEGIN ${mark('OLD')} END;`);
  }
}

/** Logs that scans of `org` from `since` (a minute bucket) on were written (see trackTenantWrites). */
export function logScansWritten(db: Db, org: number, since: number): void {
  if (!db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'tenant_dirty'").get()) return;
  db.prepare(
    `INSERT INTO tenant_dirty (tbl, org, since) VALUES ('scans', ?, ?)
     ON CONFLICT (tbl, org) DO UPDATE SET since = MIN(since, excluded.since)`,
  ).run(String(org), since);
}

/** The rows of `table` a per-tenant reset of `org` must restore: SQL and params, or null when none changed. */
export function dirtyRows(db: Db, table: string, column: string, org: number): { where: string; params: unknown[] } | null {
  const key = column === 'tenant' ? String(org) : org;
  const logged = db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'tenant_dirty'").get() !== undefined;
  // Data dirs from before the write log restore every table.
  if (!logged) return { where: `${column} = ?`, params: [key] };
  const row = db.prepare('SELECT since FROM tenant_dirty WHERE tbl = ? AND org = ?').get(table, String(org)) as { since: number | null } | undefined;
  if (!row) return null;
  const range = RANGE_COLUMN[table];
  if (range && row.since !== null) return { where: `${column} = ? AND ${range} >= ?`, params: [key, row.since] };
  return { where: `${column} = ?`, params: [key] };
}

export function migrate(db: Db): void {
  db.exec(SCHEMA);
  db.exec(SCAN_LINK_TABLES);
  TokenChains.migrate(db);
}
