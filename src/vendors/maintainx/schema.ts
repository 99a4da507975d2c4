/** MaintainX tables. Resources are rows of `records` (one JSON document per object, typed columns for what is queried). */
import type { Db } from '../../core/db.js';

export function migrate(db: Db): void {
  db.exec(`
    CREATE TABLE organizations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      time_zone TEXT NOT NULL DEFAULT 'Etc/UTC',
      currency TEXT,
      date_format_locale TEXT,
      image_url TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE records (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      org_id INTEGER NOT NULL REFERENCES organizations(id),
      parent_id INTEGER,
      seq INTEGER,
      data TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    );
    CREATE INDEX records_kind_org ON records(kind, org_id, id);
    CREATE INDEX records_kind_parent ON records(kind, parent_id, id);
    CREATE INDEX records_kind_updated ON records(kind, org_id, updated_at, id);
    CREATE INDEX records_kind_created ON records(kind, org_id, created_at, id);
    CREATE UNIQUE INDEX records_seq ON records(kind, org_id, seq) WHERE seq IS NOT NULL;
    -- Lists sorted by a document date seek on (sort value, id) like the column sorts (store SORTS: same expressions),
    -- for the kinds that offer the sort only.
    CREATE INDEX records_wo_sort_due ON records(org_id, COALESCE(json_extract(data, '$.dueDate'), ''), id) WHERE kind = 'workOrder';
    CREATE INDEX records_wo_sort_started ON records(org_id, COALESCE(json_extract(data, '$.startedAt'), ''), id) WHERE kind = 'workOrder';
    CREATE INDEX records_wo_sort_completed ON records(org_id, COALESCE(json_extract(data, '$.completedAt'), ''), id) WHERE kind = 'workOrder';
    CREATE INDEX records_status_sort_ended ON records(org_id, COALESCE(json_extract(data, '$.endedAt'), ''), id) WHERE kind = 'assetStatus';
    -- The overdue sweep (due dates in a time window) and the next start date a cached work-order page waits for.
    CREATE INDEX records_wo_due ON records(json_extract(data, '$.dueDate')) WHERE kind = 'workOrder' AND deleted_at IS NULL;
    CREATE INDEX records_wo_start ON records(org_id, json_extract(data, '$.startDate')) WHERE kind = 'workOrder' AND deleted_at IS NULL;
    CREATE TABLE counters (
      org_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      value INTEGER NOT NULL,
      PRIMARY KEY (org_id, name)
    );
    CREATE TABLE api_keys (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL,
      key_hash TEXT NOT NULL UNIQUE,
      key_prefix TEXT NOT NULL,
      label TEXT,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    );
    CREATE TABLE api_key_orgs (
      key_id INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
      org_id INTEGER NOT NULL REFERENCES organizations(id),
      PRIMARY KEY (key_id, org_id)
    );
    CREATE TABLE files (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      org_id INTEGER NOT NULL,
      record_id INTEGER NOT NULL,
      slot TEXT NOT NULL,
      filename TEXT NOT NULL,
      mime TEXT NOT NULL,
      size INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      file_key TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX files_slot ON files(record_id, slot, filename);
    CREATE TABLE webhook_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      org_id INTEGER NOT NULL,
      subscription_id INTEGER NOT NULL,
      event TEXT NOT NULL,
      url TEXT NOT NULL,
      body TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      response_status INTEGER,
      error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `);
}

/** Tables holding per-organization rows, for per-tenant reset. */
export const ORG_TABLES = ['records', 'counters', 'files', 'webhook_deliveries'] as const;
