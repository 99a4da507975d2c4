/** MaxTrax tables. Every row carries its tenant; no query ever crosses tenants. */
import type { Db } from '../../core/db.js';
import { TokenChains } from '../../core/token-chains.js';

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
  updated_at INTEGER NOT NULL
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
