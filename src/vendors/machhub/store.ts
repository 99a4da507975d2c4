/** All SQL for MACHHUB's fixed tables (domains, users, groups, keys, tags, historian, processes, files). */
import type { VendorDb } from '../../core/db.js';
import { randomString, sha256Hex } from '../../core/secrets.js';
import type { Rng } from '../../core/rng.js';

export interface RecordID {
  Table: string;
  ID: string;
}

export interface DomainRow {
  id: string;
  name: string;
  display_name: string;
  system: number;
  created_dt: string;
}

export interface UserRow {
  id: string;
  username: string;
  /** `scrypt$…` (core/passwords.ts). */
  password_hash: string;
  first_name: string;
  last_name: string;
  email: string;
  number: string;
  user_image: string | null;
  created_dt: string;
}

export interface Feature {
  name: string;
  action: string;
  scope: string;
}

export const RESERVED_GROUPS = ['superuser', 'member'] as const;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A SurrealDB-like record key: 20 characters of [a-z0-9]. */
export function newKey(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += ID_ALPHABET[rng.int(0, 35)];
  return s;
}

/** `domains:<name>` from a display name, as MACHHUB derives it: lower-cased, spaces → `_`. */
export function domainNameFrom(display: string): string {
  return display.trim().toLowerCase().replace(/ /g, '_');
}

export const DOMAIN_NAME = /^[a-z0-9_-]{1,64}$/;

export class Store {
  constructor(private readonly h: VendorDb) {}

  // ---- settings
  setting(key: string): string | undefined {
    return (this.h.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  putSetting(key: string, value: string): void {
    this.h.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  }

  // ---- domains
  domainById(id: string): DomainRow | undefined {
    return this.h.prepare('SELECT * FROM domains WHERE id = ?').get(id) as DomainRow | undefined;
  }
  /** A domain's name (the per-request lookup: one column, no row object). */
  domainName(id: string): string | undefined {
    return this.h.prepare('SELECT name FROM domains WHERE id = ?').pluck().get(id) as string | undefined;
  }
  domains(): DomainRow[] {
    return this.h.prepare('SELECT * FROM domains ORDER BY created_dt, rowid').all() as DomainRow[];
  }
  createDomain(display: string, now: string, rng: Rng, system = false): DomainRow {
    const name = domainNameFrom(display);
    const id = `domains:${name}`;
    this.h.prepare('INSERT INTO domains (id, name, display_name, system, created_dt) VALUES (?, ?, ?, ?, ?)').run(id, name, display, system ? 1 : 0, now);
    for (const g of RESERVED_GROUPS) this.createGroup(id, g, now, rng);
    return this.domainById(id)!;
  }

  // ---- users
  userById(id: string): UserRow | undefined {
    return this.h.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }
  userByName(username: string): UserRow | undefined {
    return this.h.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
  }
  /** `passwordHash` is a `scrypt$…` string from core/passwords.ts (hashed before the write transaction). */
  createUser(
    u: { id: string; username: string; passwordHash: string; firstName?: string; lastName?: string; email?: string; number?: string; userImage?: string | null },
    now: string,
  ): UserRow {
    this.h
      .prepare(
        `INSERT INTO users (id, username, password_hash, first_name, last_name, email, number, user_image, created_dt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.username, u.passwordHash, u.firstName ?? '', u.lastName ?? '', u.email ?? '', u.number ?? '', u.userImage ?? null, now);
    return this.userById(u.id)!;
  }
  addUserToDomain(userId: string, domainId: string): void {
    this.h.prepare('INSERT OR IGNORE INTO user_domains (user_id, domain_id) VALUES (?, ?)').run(userId, domainId);
  }
  userInDomain(userId: string, domainId: string): boolean {
    return !!this.h.prepare('SELECT 1 FROM user_domains WHERE user_id = ? AND domain_id = ?').get(userId, domainId);
  }
  usersInDomain(domainId: string): UserRow[] {
    return this.h
      .prepare('SELECT u.* FROM users u JOIN user_domains d ON d.user_id = u.id WHERE d.domain_id = ? ORDER BY u.created_dt, u.id')
      .all(domainId) as UserRow[];
  }
  userDomains(userId: string): string[] {
    return (this.h.prepare('SELECT domain_id FROM user_domains WHERE user_id = ? ORDER BY domain_id').all(userId) as { domain_id: string }[]).map((r) => r.domain_id);
  }
  userGroupIds(userId: string, domainId?: string): string[] {
    const rows = domainId
      ? this.h.prepare('SELECT group_id FROM group_users WHERE user_id = ? AND domain_id = ? ORDER BY group_id').all(userId, domainId)
      : this.h.prepare('SELECT group_id FROM group_users WHERE user_id = ? ORDER BY group_id').all(userId);
    return (rows as { group_id: string }[]).map((r) => r.group_id);
  }

  // ---- groups and features
  createGroup(domainId: string, name: string, now: string, rng: Rng, id = `groups:${newKey(rng)}`): string {
    this.h.prepare('INSERT INTO groups (id, domain_id, name, created_dt) VALUES (?, ?, ?, ?)').run(id, domainId, name, now);
    return id;
  }
  groupById(id: string): { id: string; domain_id: string; name: string; created_dt: string } | undefined {
    return this.h.prepare('SELECT * FROM groups WHERE id = ?').get(id) as any;
  }
  groupByName(domainId: string, name: string): { id: string; domain_id: string; name: string } | undefined {
    return this.h.prepare('SELECT * FROM groups WHERE domain_id = ? AND lower(name) = lower(?)').get(domainId, name) as any;
  }
  groupsInDomain(domainId: string): { id: string; name: string; created_dt: string }[] {
    return this.h.prepare('SELECT * FROM groups WHERE domain_id = ? ORDER BY created_dt, id').all(domainId) as any;
  }
  groupFeatures(groupId: string): Feature[] {
    return this.h.prepare('SELECT name, action, scope FROM group_features WHERE group_id = ? ORDER BY seq').all(groupId) as Feature[];
  }
  groupUserIds(groupId: string): string[] {
    return (this.h.prepare('SELECT user_id FROM group_users WHERE group_id = ? ORDER BY user_id').all(groupId) as { user_id: string }[]).map((r) => r.user_id);
  }
  addFeature(groupId: string, domainId: string, f: Feature): void {
    this.h.prepare('INSERT OR IGNORE INTO group_features (group_id, domain_id, name, action, scope) VALUES (?, ?, ?, ?, ?)').run(groupId, domainId, f.name, f.action, f.scope);
  }
  addUserToGroup(groupId: string, userId: string, domainId: string): void {
    this.h.prepare('INSERT OR IGNORE INTO group_users (group_id, user_id, domain_id) VALUES (?, ?, ?)').run(groupId, userId, domainId);
    this.addUserToDomain(userId, domainId);
  }
  /** Whether the user is in the reserved `superuser` group of the domain. */
  isSuperuser(userId: string, domainId: string): boolean {
    return !!this.h
      .prepare(`SELECT 1 FROM group_users gu JOIN groups g ON g.id = gu.group_id WHERE gu.user_id = ? AND g.domain_id = ? AND lower(g.name) = 'superuser'`)
      .get(userId, domainId);
  }
  /** The user's features inherited from every group they hold in that domain (only that domain). */
  userFeatures(userId: string, domainId: string): Feature[] {
    return this.h
      .prepare(
        `SELECT DISTINCT f.name, f.action, f.scope FROM group_features f JOIN group_users gu ON gu.group_id = f.group_id
         WHERE gu.user_id = ? AND f.domain_id = ? ORDER BY f.name, f.action, f.scope`,
      )
      .all(userId, domainId) as Feature[];
  }

  // ---- API keys
  createApiKey(domainId: string, name: string, expiresMs: number | null, now: string): { key: string; lookupId: string } {
    const lookupId = randomString(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    const secret = randomString(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    this.insertApiKey(lookupId, domainId, name, sha256Hex(secret), expiresMs, now);
    return { key: `mchx_${lookupId}${secret}`, lookupId };
  }
  insertApiKey(lookupId: string, domainId: string, name: string, secretHash: string, expiresMs: number | null, now: string): void {
    this.h.prepare('INSERT INTO api_keys (lookup_id, domain_id, name, secret_hash, expires_ms, created_dt) VALUES (?, ?, ?, ?, ?, ?)').run(lookupId, domainId, name, secretHash, expiresMs, now);
  }
  apiKey(lookupId: string): { lookup_id: string; domain_id: string; name: string; secret_hash: string; expires_ms: number | null; created_dt: string } | undefined {
    return this.h.prepare('SELECT * FROM api_keys WHERE lookup_id = ?').get(lookupId) as any;
  }
  apiKeys(domainId?: string): { lookup_id: string; domain_id: string; name: string; expires_ms: number | null; created_dt: string }[] {
    return (domainId
      ? this.h.prepare('SELECT lookup_id, domain_id, name, expires_ms, created_dt FROM api_keys WHERE domain_id = ? ORDER BY created_dt, lookup_id').all(domainId)
      : this.h.prepare('SELECT lookup_id, domain_id, name, expires_ms, created_dt FROM api_keys ORDER BY created_dt, lookup_id').all()) as any;
  }

  // ---- tags and historian
  upsertTag(domainId: string, topic: string, historized: boolean): void {
    this.h.prepare('INSERT INTO tags (domain_id, topic, historized) VALUES (?, ?, ?) ON CONFLICT (domain_id, topic) DO UPDATE SET historized = max(historized, excluded.historized)').run(domainId, topic, historized ? 1 : 0);
  }
  tags(domainId: string, historizedOnly = false): string[] {
    const sql = historizedOnly
      ? 'SELECT topic FROM tags WHERE domain_id = ? AND historized = 1 ORDER BY topic'
      : 'SELECT topic FROM tags WHERE domain_id = ? ORDER BY topic';
    return (this.h.prepare(sql).all(domainId) as { topic: string }[]).map((r) => r.topic);
  }
  // ---- declared collection schemas (designer)
  collectionSchemas(domainId: string): { name: string; description: string; fields: SchemaField[] }[] {
    return (this.h.prepare('SELECT name, description, fields FROM collection_schemas WHERE domain_id = ? ORDER BY name').all(domainId) as { name: string; description: string; fields: string }[]).map((r) => ({
      name: r.name,
      description: r.description,
      fields: JSON.parse(r.fields),
    }));
  }
  putCollectionSchema(domainId: string, name: string, description: string, fieldsJson: string): void {
    this.h.prepare('INSERT INTO collection_schemas (domain_id, name, description, fields) VALUES (?, ?, ?, ?) ON CONFLICT (domain_id, name) DO UPDATE SET description = excluded.description, fields = excluded.fields').run(domainId, name, description, fieldsJson);
  }

  /** A published value: the tag's current value, plus a historian point when the tag is historized (one transaction). */
  setTagValue(domainId: string, topic: string, valueJson: string, ms: number): void {
    this.h.transaction(() => {
      historianReady(this.h, domainId);
      this.h
        .prepare('INSERT INTO tags (domain_id, topic, historized, value, value_ms) VALUES (?, ?, 0, ?, ?) ON CONFLICT (domain_id, topic) DO UPDATE SET value = excluded.value, value_ms = excluded.value_ms')
        .run(domainId, topic, valueJson, ms);
      const t = this.h.prepare('SELECT historized FROM tags WHERE domain_id = ? AND topic = ?').get(domainId, topic) as { historized: number };
      if (t.historized) this.h.prepare('INSERT INTO historian (domain_id, topic, ts, value) VALUES (?, ?, ?, ?)').run(domainId, topic, ms, valueJson);
    });
  }
  tagValues(domainId: string): { topic: string; historized: number; value: string | null; value_ms: number | null }[] {
    return this.h.prepare('SELECT topic, historized, value, value_ms FROM tags WHERE domain_id = ? ORDER BY topic').all(domainId) as any;
  }
  hasTag(domainId: string, topic: string): boolean {
    return !!this.h.prepare('SELECT 1 FROM tags WHERE domain_id = ? AND topic = ?').get(domainId, topic);
  }
  addPoint(domainId: string, topic: string, ts: number, value: unknown): void {
    historianReady(this.h, domainId);
    this.h.prepare('INSERT INTO historian (domain_id, topic, ts, value) VALUES (?, ?, ?, ?)').run(domainId, topic, ts, JSON.stringify(value));
  }
  points(domainId: string, topic: string, fromMs: number, toMs: number, desc = false, limit = -1): { ts: number; value: string }[] {
    historianReady(this.h, domainId);
    return this.h
      .prepare(`SELECT ts, value FROM historian WHERE domain_id = ? AND topic = ? AND ts >= ? AND ts < ? ORDER BY ts ${desc ? 'DESC' : 'ASC'}, rowid ${desc ? 'DESC' : 'ASC'} LIMIT ?`)
      .all(domainId, topic, fromMs, toMs, limit) as { ts: number; value: string }[];
  }
  lastPoints(domainId: string, topic: string, limit: number): { ts: number; value: string }[] {
    historianReady(this.h, domainId);
    return this.h.prepare('SELECT ts, value FROM historian WHERE domain_id = ? AND topic = ? ORDER BY ts DESC, rowid DESC LIMIT ?').all(domainId, topic, limit) as any;
  }
  /** Historian rows for the SurrealQL subset (topic filter optional). */
  historianRows(domainId: string, topic: string | null, fromMs: number, toMs: number, desc: boolean, limit: number): { topic: string; ts: number; value: string }[] {
    historianReady(this.h, domainId);
    return this.h
      .prepare(
        `SELECT topic, ts, value FROM historian WHERE domain_id = ? AND (? IS NULL OR topic = ?) AND ts >= ? AND ts <= ?
         ORDER BY ts ${desc ? 'DESC' : 'ASC'}, rowid ${desc ? 'DESC' : 'ASC'} LIMIT ?`,
      )
      .all(domainId, topic, topic, fromMs, toMs, limit) as any;
  }

  // ---- processes
  processes(domainId: string): ProcessRow[] {
    return this.h.prepare('SELECT * FROM processes WHERE domain_id = ? ORDER BY created_dt, id').all(domainId) as ProcessRow[];
  }
  processById(id: string): ProcessRow | undefined {
    return this.h.prepare('SELECT * FROM processes WHERE id = ?').get(id) as ProcessRow | undefined;
  }
  processByName(domainId: string, name: string): ProcessRow | undefined {
    return this.h.prepare('SELECT * FROM processes WHERE domain_id = ? AND name = ?').get(domainId, name) as ProcessRow | undefined;
  }
  insertProcess(p: ProcessRow): void {
    this.h.prepare('INSERT INTO processes (id, domain_id, name, handler, data, created_dt, updated_dt) VALUES (?, ?, ?, ?, ?, ?, ?)').run(p.id, p.domain_id, p.name, p.handler, p.data, p.created_dt, p.updated_dt);
  }
  updateProcessData(id: string, data: string, now: string): void {
    this.h.prepare('UPDATE processes SET data = ?, updated_dt = ? WHERE id = ?').run(data, now, id);
  }

  // ---- files
  putFile(domainId: string, collection: string, recordId: string, field: string, fileName: string, contentType: string, bytes: Buffer): void {
    this.h
      .prepare('INSERT OR REPLACE INTO files (domain_id, collection, record_id, field, file_name, content_type, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(domainId, collection, recordId, field, fileName, contentType, bytes);
  }
  file(domainId: string, collection: string, recordId: string, field: string, fileName: string): { content_type: string; bytes: Buffer } | undefined {
    return this.h
      .prepare('SELECT content_type, bytes FROM files WHERE domain_id = ? AND collection = ? AND record_id = ? AND field = ? AND file_name = ?')
      .get(domainId, collection, recordId, field, fileName) as any;
  }
  deleteFiles(domainId: string, collection: string, recordId: string): void {
    this.h.prepare('DELETE FROM files WHERE domain_id = ? AND collection = ? AND record_id = ?').run(domainId, collection, recordId);
  }
}

/** A declared collection field (designer). */
export interface SchemaField {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'datetime' | 'object' | 'array' | 'record' | 'enum' | 'file';
  required: boolean;
  enumOptions?: string[];
}

export interface ProcessRow {
  id: string;
  domain_id: string;
  name: string;
  handler: string;
  data: string;
  created_dt: string;
  updated_dt: string;
}

/**
 * A sandbox gets its source's historian points on first use rather than at creation (copying ≈ 15k points would cost
 * most of the creation time): `historian_pending` names the source and the last rowid the sandbox saw. Historian rows
 * are only appended, so the source's rows up to that rowid are exactly the sandbox's copy; they are copied in (in
 * the source's index order, ties in rowid order, as a copy at creation would be) before the sandbox's historian is
 * first read or written, and before its source is reset or deleted.
 */
export function historianReady(h: { prepare: VendorDb['prepare']; transaction: VendorDb['transaction'] }, domainId: string): void {
  const pending = h.prepare('SELECT source_id, max_rowid FROM historian_pending WHERE domain_id = ?').get(domainId) as { source_id: string; max_rowid: number } | undefined;
  if (!pending) return;
  h.transaction(() => {
    h.prepare(
      'INSERT INTO historian (domain_id, topic, ts, value) SELECT ?, topic, ts, value FROM historian WHERE domain_id = ? AND rowid <= ? ORDER BY topic, ts, rowid',
    ).run(domainId, pending.source_id, pending.max_rowid);
    h.prepare('DELETE FROM historian_pending WHERE domain_id = ?').run(domainId);
  });
}

/** Before `sourceId`'s historian loses rows (its reset or deletion): the sandboxes still reading it take their copy. */
export function historianDependentsReady(h: { prepare: VendorDb['prepare']; transaction: VendorDb['transaction'] }, sourceId: string): void {
  for (const id of h.prepare('SELECT domain_id FROM historian_pending WHERE source_id = ?').pluck().all(sourceId) as string[]) historianReady(h, id);
}

