/** MACHHUB fixed tables. Collections live in dynamic tables named "<domain>.<collection>" (see records.ts). */
import type { Db } from '../../core/db.js';

export function migrate(db: Db): void {
  db.exec(`
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE domains (
      id TEXT PRIMARY KEY,            -- 'domains:<name>'
      name TEXT NOT NULL UNIQUE,      -- '<name>' (the table prefix)
      display_name TEXT NOT NULL,
      system INTEGER NOT NULL DEFAULT 0,
      created_dt TEXT NOT NULL
    );
    CREATE TABLE users (
      id TEXT PRIMARY KEY,            -- 'users:<key>'
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,    -- scrypt$N$r$p$salt$hash (core/passwords.ts)
      first_name TEXT NOT NULL DEFAULT '',
      last_name TEXT NOT NULL DEFAULT '',
      email TEXT NOT NULL DEFAULT '',
      number TEXT NOT NULL DEFAULT '',
      user_image TEXT,
      created_dt TEXT NOT NULL
    );
    CREATE TABLE user_domains (
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      PRIMARY KEY (user_id, domain_id)
    );
    CREATE TABLE groups (
      id TEXT PRIMARY KEY,            -- 'groups:<key>'
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      created_dt TEXT NOT NULL,
      UNIQUE (domain_id, name)
    );
    CREATE TABLE group_users (
      group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      domain_id TEXT NOT NULL,
      PRIMARY KEY (group_id, user_id)
    );
    CREATE TABLE group_features (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
      domain_id TEXT NOT NULL,
      name TEXT NOT NULL,
      action TEXT NOT NULL,
      scope TEXT NOT NULL,
      UNIQUE (group_id, name, action, scope)
    );
    CREATE TABLE api_keys (
      lookup_id TEXT PRIMARY KEY,     -- the 12 characters after 'mchx_'
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      secret_hash TEXT NOT NULL,      -- SHA-256 hex of the secret part
      expires_ms INTEGER,             -- NULL: no expiration
      created_dt TEXT NOT NULL
    );
    CREATE TABLE collections (
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      created_dt TEXT NOT NULL,
      PRIMARY KEY (domain_id, name)
    );
    CREATE TABLE collection_schemas (
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      fields TEXT NOT NULL,           -- JSON [{name, type, required, enumOptions?}]
      PRIMARY KEY (domain_id, name)
    );
    CREATE TABLE files (
      domain_id TEXT NOT NULL,
      collection TEXT NOT NULL,
      record_id TEXT NOT NULL,
      field TEXT NOT NULL,
      file_name TEXT NOT NULL,
      content_type TEXT NOT NULL,
      bytes BLOB NOT NULL,
      PRIMARY KEY (domain_id, collection, record_id, field, file_name)
    );
    CREATE TABLE tags (
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      topic TEXT NOT NULL,
      historized INTEGER NOT NULL DEFAULT 0,
      value TEXT,                     -- current value (JSON) from the last MQTT publish, NULL before any
      value_ms INTEGER,               -- when it was published (suite clock, epoch ms)
      PRIMARY KEY (domain_id, topic)
    );
    CREATE TABLE historian (
      domain_id TEXT NOT NULL,
      topic TEXT NOT NULL,
      ts INTEGER NOT NULL,            -- epoch ms
      value TEXT NOT NULL             -- JSON
    );
    CREATE INDEX historian_topic_ts ON historian (domain_id, topic, ts);
    -- A sandbox's historian until first use: its source's rows up to max_rowid are copied in then (sandbox.ts).
    CREATE TABLE historian_pending (
      domain_id TEXT PRIMARY KEY REFERENCES domains(id) ON DELETE CASCADE,
      source_id TEXT NOT NULL,
      max_rowid INTEGER NOT NULL
    );
    CREATE INDEX historian_pending_source ON historian_pending (source_id);
    CREATE TABLE processes (
      id TEXT PRIMARY KEY,            -- 'processes:<key>'
      domain_id TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      name TEXT NOT NULL,             -- bare name; served as '<domain>.<name>'
      handler TEXT NOT NULL,          -- key into the demo process registry
      data TEXT NOT NULL,             -- the Process object minus id/name/domain_id (JSON)
      created_dt TEXT NOT NULL,
      updated_dt TEXT NOT NULL,
      UNIQUE (domain_id, name)
    );
  `);
}

/** Fixed tables holding a domain_id column, for per-tenant reset. */
export const DOMAIN_TABLES = ['user_domains', 'group_users', 'group_features', 'api_keys', 'files', 'tags', 'historian', 'historian_pending', 'processes', 'collection_schemas'] as const;
