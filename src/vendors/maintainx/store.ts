/** Every SQL statement of the MaintainX fake. No HTTP here: plain objects in, plain objects out. */
import type { VendorContext } from '../../core/vendor.js';
import type { CursorState } from './query.js';
import { sha256Hex } from '../../core/secrets.js';
import { replaceRows } from '../../core/db.js';
import { ORG_TABLES } from './schema.js';

export type Json = Record<string, unknown>;

export interface Row {
  id: number;
  kind: string;
  orgId: number;
  parentId: number | null;
  seq: number | null;
  data: Json;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

interface RawRow {
  id: number;
  kind: string;
  org_id: number;
  parent_id: number | null;
  seq: number | null;
  data: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const toRow = (r: RawRow): Row => ({
  id: r.id,
  kind: r.kind,
  orgId: r.org_id,
  parentId: r.parent_id,
  seq: r.seq,
  data: JSON.parse(r.data) as Json,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

export interface Org {
  id: number;
  name: string;
  timeZone: string;
  currency: string | null;
  dateFormatLocale: string | null;
  imageUrl: string | null;
}

export interface KeyInfo {
  keyId: number;
  userId: number;
  orgIds: number[];
}

/** A sortable expression: SQL over the `records` row (trusted, from allow-lists) and how to read it from a Row. */
export interface SortSpec {
  name: string;
  sql: string;
  value(row: Row): string | number | null;
  desc: boolean;
}

/** The sorts lists offer: `id`, a row column, or a date of the document (missing dates sort first). */
const SORTS: Record<string, { sql: string; value(r: Row): string | number | null }> = {
  id: { sql: 'id', value: (r) => r.id },
  createdAt: { sql: 'created_at', value: (r) => r.createdAt },
  updatedAt: { sql: 'updated_at', value: (r) => r.updatedAt },
  ...Object.fromEntries(
    ['dueDate', 'startedAt', 'completedAt', 'endedAt'].map((f) => [f, { sql: `COALESCE(json_extract(data, '$.${f}'), '')`, value: (r: Row) => (r.data[f] as string) ?? '' }]),
  ),
};

export function sortSpec(sort: { field: string; desc: boolean }): SortSpec {
  const c = SORTS[sort.field];
  if (!c) throw new Error(`no sort named ${sort.field}`);
  return { name: sort.field, sql: c.sql, value: c.value, desc: sort.desc };
}

/** A column of `records`, or a path into its JSON document (`$.assetId`, `$.procedure.title`). */
export type Field = 'id' | 'parent_id' | 'created_at' | 'updated_at' | `$.${string}`;

/**
 * A condition on `records` rows, compiled to SQL here only (values are always bound, never spliced): routes and
 * operations describe what they want, the store owns the SQL.
 */
export type Filter =
  | { eq: Field; value: unknown }
  | { in: Field; values: readonly unknown[] }
  /** Not one of `values` (rows without the field match). */
  | { notIn: Field; values: readonly unknown[] }
  /** A JSON array field with an element in `values` (or, with `key`, an element whose `key` is in `values`). */
  | { has: `$.${string}`; values: readonly unknown[]; key?: string }
  | { hasNot: `$.${string}`; values: readonly unknown[]; key?: string }
  /** A JSON object field with one of `values` as a key. */
  | { hasKey: `$.${string}`; values: readonly string[] }
  /** Case-insensitive substring. */
  | { contains: Field; text: string }
  | { isNull: Field }
  | { notNull: Field }
  /** Field is true / not true (missing counts as false). */
  | { isTrue: Field }
  | { notTrue: Field }
  | { cmp: Field; op: '>=' | '<=' | '>' | '<'; value: unknown }
  | { anyOf: readonly Filter[] }
  | { allOf: readonly Filter[] };

const COLUMNS = new Set(['id', 'parent_id', 'created_at', 'updated_at']);
const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function fieldSql(f: Field): string {
  if (COLUMNS.has(f)) return f;
  if (!PATH.test(f)) throw new Error(`not a field: ${f}`);
  return `json_extract(data, '${f}')`;
}

function pathOf(p: string): string {
  if (!PATH.test(p)) throw new Error(`not a path: ${p}`);
  return p;
}

/** SQL text and bound values of a filter list (joined with AND). */
export function compileFilters(filters: readonly Filter[], out: { sql: string[]; args: unknown[] }): void {
  for (const f of filters) out.sql.push(compile(f, out.args));
}

function compile(f: Filter, args: unknown[]): string {
  if ('eq' in f) {
    args.push(f.value);
    return `${fieldSql(f.eq)} = ?`;
  }
  if ('in' in f) {
    args.push(JSON.stringify(f.values));
    return `${fieldSql(f.in)} IN (SELECT value FROM json_each(?))`;
  }
  if ('notIn' in f) {
    args.push(JSON.stringify(f.values));
    const x = fieldSql(f.notIn);
    return `(${x} IS NULL OR ${x} NOT IN (SELECT value FROM json_each(?)))`;
  }
  if ('has' in f || 'hasNot' in f) {
    const path = pathOf('has' in f ? f.has : f.hasNot);
    const el = f.key ? `json_extract(e.value, '${pathOf(`$.${f.key}`)}')` : 'e.value';
    args.push(JSON.stringify(f.values));
    return `${'has' in f ? '' : 'NOT '}EXISTS (SELECT 1 FROM json_each(data, '${path}') AS e WHERE ${el} IN (SELECT value FROM json_each(?)))`;
  }
  if ('hasKey' in f) {
    args.push(JSON.stringify(f.values));
    return `EXISTS (SELECT 1 FROM json_each(data, '${pathOf(f.hasKey)}') AS e WHERE e.key IN (SELECT value FROM json_each(?)))`;
  }
  if ('contains' in f) {
    args.push(f.text);
    return `instr(lower(${fieldSql(f.contains)}), lower(?)) > 0`;
  }
  if ('isNull' in f) return `${fieldSql(f.isNull)} IS NULL`;
  if ('notNull' in f) return `${fieldSql(f.notNull)} IS NOT NULL`;
  if ('isTrue' in f) return `COALESCE(${fieldSql(f.isTrue)}, 0) = 1`;
  if ('notTrue' in f) return `COALESCE(${fieldSql(f.notTrue)}, 0) = 0`;
  if ('cmp' in f) {
    if (!['>=', '<=', '>', '<'].includes(f.op)) throw new Error(`not an operator: ${f.op}`);
    args.push(f.value);
    return `${fieldSql(f.cmp)} ${f.op} ?`;
  }
  const [list, join, none] = 'anyOf' in f ? [f.anyOf, ' OR ', '0'] : [f.allOf, ' AND ', '1'];
  if (list.length === 0) return none;
  return `(${list.map((x) => `(${compile(x, args)})`).join(join)})`;
}

function whereOf(filters: readonly Filter[] | undefined): { sql: string; args: unknown[] } {
  const out = { sql: [] as string[], args: [] as unknown[] };
  compileFilters(filters ?? [], out);
  return { sql: out.sql.length ? out.sql.map((w) => `(${w})`).join(' AND ') : '1', args: out.args };
}

export interface ListOptions {
  kind: string;
  orgIds: number[];
  parentId?: number;
  filters?: readonly Filter[];
  sort: SortSpec;
  cursor?: CursorState;
  limit: number;
  /** Rows shared across organizations: also those whose document names one of `orgIds` in this JSON field. */
  alsoOrgField?: string;
}

export class Store {
  /** Keys by the token presented (read on every request): valid keys only, dropped on every key write and reset. */
  private readonly keysByToken = new Map<string, KeyInfo>();

  constructor(private readonly ctx: VendorContext<any>) {
    ctx.onReset(() => this.keysByToken.clear());
  }

  /** Rows changed on this connection so far: a cached read stays valid while this does not move. */
  changes(): number {
    return this.h.totalChanges();
  }

  /**
   * The earliest start date after `nowIso` among the live work orders of `orgIds` (null when none): the next instant
   * a work-order list that hides upcoming work orders changes without a write.
   */
  nextStart(orgIds: readonly number[], nowIso: string): string | null {
    const st = this.h.prepare(
      "SELECT MIN(json_extract(data, '$.startDate')) FROM records INDEXED BY records_wo_start WHERE kind = 'workOrder' AND deleted_at IS NULL AND org_id = ? AND json_extract(data, '$.startDate') > ?",
    );
    let next: string | null = null;
    for (const o of orgIds) {
      const v = st.pluck().get(o, nowIso) as unknown;
      if (v !== null && (next === null || String(v) < next)) next = String(v);
    }
    return next;
  }

  private get h() {
    return this.ctx.handle;
  }

  nowIso(): string {
    return this.ctx.clock.now().toISOString();
  }

  /** Record and file writes happen inside an operation's transaction only (a rejected request changes nothing). */
  private writing(): void {
    if (!this.h.db.inTransaction) throw new Error('maintainx: record write outside a transaction');
  }

  // ---- organizations -------------------------------------------------------------------------------------------

  createOrg(o: { id?: number; name: string; timeZone?: string; currency?: string | null; dateFormatLocale?: string | null }): Org {
    const id =
      o.id ??
      ((this.h.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS n FROM organizations').get() as { n: number }).n);
    this.h
      .prepare(
        `INSERT INTO organizations (id, name, time_zone, currency, date_format_locale, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, o.name, o.timeZone ?? 'Etc/UTC', o.currency ?? 'USD', o.dateFormatLocale ?? 'en-US', this.nowIso());
    return this.org(id)!;
  }

  org(id: number): Org | null {
    const r = this.h.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as any;
    return r ? toOrg(r) : null;
  }

  orgs(): Org[] {
    return (this.h.prepare('SELECT * FROM organizations ORDER BY id').all() as any[]).map(toOrg);
  }

  /**
   * Per-tenant reset: the organization's rows back from the attached seeded image (schema `seeded`), or the
   * organization and its key links gone when it was not seeded (a sandbox). False when neither exists.
   */
  resetOrg(id: number, seeded: string): boolean {
    const db = this.h.db;
    const live = db.prepare('SELECT 1 FROM organizations WHERE id = ?').get(id);
    const old = db.prepare(`SELECT * FROM "${seeded}".organizations WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    if (!live && !old) return false;
    for (const t of ORG_TABLES) replaceRows(db, seeded, t, 'org_id = ?', [id]);
    if (old) {
      db.prepare('UPDATE organizations SET name = ?, time_zone = ?, currency = ?, date_format_locale = ?, image_url = ? WHERE id = ?').run(
        old.name, old.time_zone, old.currency, old.date_format_locale, old.image_url, id,
      );
    } else {
      db.prepare('DELETE FROM api_key_orgs WHERE org_id = ?').run(id);
      db.prepare('DELETE FROM organizations WHERE id = ?').run(id);
    }
    return true;
  }

  listOrgs(ids: number[], afterId: number, limit: number): Org[] {
    if (ids.length === 0) return [];
    return (
      this.h
        .prepare(
          `SELECT * FROM organizations WHERE id IN (SELECT value FROM json_each(?)) AND id > ? ORDER BY id LIMIT ?`,
        )
        .all(JSON.stringify(ids), afterId, limit) as any[]
    ).map(toOrg);
  }

  // ---- api keys ------------------------------------------------------------------------------------------------

  createKey(userId: number, keyHash: string, prefix: string, orgIds: number[], label: string | null): number {
    this.keysByToken.clear();
    const id = Number(
      this.h
        .prepare('INSERT INTO api_keys (user_id, key_hash, key_prefix, label, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(userId, keyHash, prefix, label, this.nowIso()).lastInsertRowid,
    );
    const ins = this.h.prepare('INSERT INTO api_key_orgs (key_id, org_id) VALUES (?, ?)');
    for (const o of orgIds) ins.run(id, o);
    return id;
  }

  /** The live key a bearer token names (SHA-256 of the token), or null. */
  keyByToken(token: string): KeyInfo | null {
    const hit = this.keysByToken.get(token);
    if (hit) return hit;
    const key = this.keyByHash(sha256Hex(token));
    if (key) {
      if (this.keysByToken.size >= 1000) this.keysByToken.clear();
      this.keysByToken.set(token, key);
    }
    return key;
  }

  keyByHash(hash: string): KeyInfo | null {
    const k = this.h
      .prepare('SELECT id, user_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL')
      .get(hash) as { id: number; user_id: number } | undefined;
    if (!k) return null;
    const orgs = this.h.prepare('SELECT org_id FROM api_key_orgs WHERE key_id = ? ORDER BY org_id').all(k.id) as {
      org_id: number;
    }[];
    return { keyId: k.id, userId: k.user_id, orgIds: orgs.map((o) => o.org_id) };
  }

  keys(): Array<{ id: number; userId: number; prefix: string; label: string | null; createdAt: string; revokedAt: string | null; orgIds: number[] }> {
    const rows = this.h.prepare('SELECT * FROM api_keys ORDER BY id').all() as any[];
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      prefix: r.key_prefix,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      orgIds: (this.h.prepare('SELECT org_id FROM api_key_orgs WHERE key_id = ? ORDER BY org_id').all(r.id) as any[]).map(
        (o) => o.org_id,
      ),
    }));
  }

  revokeKey(id: number): boolean {
    this.keysByToken.clear();
    return this.h.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.nowIso(), id).changes > 0;
  }

  // ---- records -------------------------------------------------------------------------------------------------

  nextSeq(orgId: number, name: string): number {
    this.writing();
    const r = this.h
      .prepare(
        `INSERT INTO counters (org_id, name, value) VALUES (?, ?, 1)
         ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(orgId, name) as { value: number };
    return r.value;
  }

  insert(kind: string, orgId: number, data: Json, opts: { parentId?: number | null; seq?: number | null; at?: string } = {}): Row {
    this.writing();
    const at = opts.at ?? this.nowIso();
    const r = this.h
      .prepare(
        `INSERT INTO records (kind, org_id, parent_id, seq, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(kind, orgId, opts.parentId ?? null, opts.seq ?? null, JSON.stringify(data), at, at) as RawRow;
    return toRow(r);
  }

  /** A live (not deleted) row of `kind` in one of `orgIds`. */
  get(kind: string, id: number, orgIds: number[]): Row | null {
    const r = this.h
      .prepare(
        `SELECT * FROM records WHERE id = ? AND kind = ? AND deleted_at IS NULL AND org_id IN (SELECT value FROM json_each(?))`,
      )
      .get(id, kind, JSON.stringify(orgIds)) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  /** A live row of `kind` in any organization (for capability links such as a work permit's external link). */
  getAnyOrg(kind: string, id: number): Row | null {
    const r = this.h.prepare('SELECT * FROM records WHERE id = ? AND kind = ? AND deleted_at IS NULL').get(id, kind) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  /** A live row of `kind` owned by one of `orgIds` or naming one of them in `field` (cross-organization rows). */
  getShared(kind: string, id: number, orgIds: number[], field: string): Row | null {
    const r = this.h
      .prepare(
        `SELECT * FROM records WHERE id = ? AND kind = ? AND deleted_at IS NULL AND (org_id IN (SELECT value FROM json_each(?)) OR json_extract(data, '$.${field}') IN (SELECT value FROM json_each(?)))`,
      )
      .get(id, kind, JSON.stringify(orgIds), JSON.stringify(orgIds)) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  getBySeq(kind: string, seq: number, orgIds: number[]): Row | null {
    const r = this.h
      .prepare(
        `SELECT * FROM records WHERE seq = ? AND kind = ? AND deleted_at IS NULL AND org_id IN (SELECT value FROM json_each(?)) ORDER BY org_id LIMIT 1`,
      )
      .get(seq, kind, JSON.stringify(orgIds)) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  getChild(kind: string, id: number, parentId: number): Row | null {
    const r = this.h
      .prepare(`SELECT * FROM records WHERE id = ? AND kind = ? AND parent_id = ? AND deleted_at IS NULL`)
      .get(id, kind, parentId) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  /** Replaces the data; bumps updatedAt unless `touch` is false. */
  update(row: Row, data: Json, touch = true, now?: string): Row {
    this.writing();
    const at = touch ? (now ?? this.nowIso()) : row.updatedAt;
    const r = this.h
      .prepare('UPDATE records SET data = ?, updated_at = ? WHERE id = ? RETURNING *')
      .get(JSON.stringify(data), at, row.id) as RawRow;
    return toRow(r);
  }

  softDelete(row: Row): void {
    this.writing();
    const at = this.nowIso();
    this.h.prepare('UPDATE records SET deleted_at = ?, updated_at = ? WHERE id = ?').run(at, at, row.id);
  }

  hardDelete(id: number): void {
    this.writing();
    this.h.prepare('DELETE FROM records WHERE id = ?').run(id);
  }

  /** Live rows of `kind` in one organization matching `filters`, by id. */
  find(kind: string, orgId: number, ...filters: Filter[]): Row[] {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT * FROM records WHERE kind = ? AND org_id = ? AND deleted_at IS NULL AND ${w.sql} ORDER BY id`)
        .all(kind, orgId, ...w.args) as RawRow[]
    ).map(toRow);
  }

  /** Open work orders (not done, canceled or skipped) of every organization whose due date is in (from, to]. */
  dueBetween(from: string, to: string): Row[] {
    return (
      this.h
        .prepare(
          `SELECT * FROM records INDEXED BY records_wo_due WHERE kind = 'workOrder' AND deleted_at IS NULL AND json_extract(data, '$.dueDate') > ? AND json_extract(data, '$.dueDate') <= ? AND json_extract(data, '$.status') NOT IN ('DONE', 'CANCELED', 'SKIPPED') ORDER BY id`,
        )
        .all(from, to) as RawRow[]
    ).map(toRow);
  }

  /** Live rows of `kind` under one parent (comments of a work order, readings of a meter…), oldest first. */
  children(kind: string, parentId: number, ...filters: Filter[]): Row[] {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT * FROM records INDEXED BY records_kind_parent WHERE kind = ? AND parent_id = ? AND deleted_at IS NULL AND ${w.sql} ORDER BY id`)
        .all(kind, parentId, ...w.args) as RawRow[]
    ).map(toRow);
  }

  countChildren(kind: string, parentId: number, ...filters: Filter[]): number {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT COUNT(*) AS n FROM records INDEXED BY records_kind_parent WHERE kind = ? AND parent_id = ? AND deleted_at IS NULL AND ${w.sql}`)
        .get(kind, parentId, ...w.args) as { n: number }
    ).n;
  }

  count(kind: string, orgId: number, ...filters: Filter[]): number {
    const w = whereOf(filters);
    return (
      this.h
        .prepare(`SELECT COUNT(*) AS n FROM records WHERE kind = ? AND org_id = ? AND deleted_at IS NULL AND ${w.sql}`)
        .get(kind, orgId, ...w.args) as { n: number }
    ).n;
  }

  /** One page in (sort, id) keyset order: stable while rows are inserted or changed elsewhere. */
  list(o: ListOptions): { rows: Row[]; more: boolean } {
    // The kind is written into the SQL (a name from code) so the per-kind sort indexes apply.
    if (!/^[A-Za-z]+$/.test(o.kind)) throw new Error(`not a kind: ${o.kind}`);
    const where = [`kind = '${o.kind}'`, 'deleted_at IS NULL'];
    const params: unknown[] = [];
    if (o.alsoOrgField) {
      // Trusted field name (from code, never from a request).
      where.push(`(org_id IN (SELECT value FROM json_each(?)) OR json_extract(data, '$.${o.alsoOrgField}') IN (SELECT value FROM json_each(?)))`);
      params.push(JSON.stringify(o.orgIds), JSON.stringify(o.orgIds));
    } else if (o.orgIds.length === 1) {
      // One organization: the (kind, org_id, sort, id) indexes serve the order and the cursor seek.
      where.push('org_id = ?');
      params.push(o.orgIds[0]);
    } else {
      where.push('org_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(o.orgIds));
    }
    if (o.parentId !== undefined) {
      where.push('parent_id = ?');
      params.push(o.parentId);
    }
    if (o.filters?.length) {
      const w = whereOf(o.filters);
      where.push(w.sql);
      params.push(...w.args);
    }
    const cmp = o.sort.desc ? '<' : '>';
    if (o.cursor) {
      if (o.sort.name === 'id') {
        where.push(`id ${cmp} ?`);
        params.push(o.cursor.id);
      } else {
        // Seeks to the cursor's sort value (an index range), then skips its ties up to the cursor's id.
        where.push(`${o.sort.sql} ${cmp}= ? AND (${o.sort.sql} ${cmp} ? OR id ${cmp} ?)`);
        params.push(o.cursor.value, o.cursor.value, o.cursor.id);
      }
    }
    const dir = o.sort.desc ? 'DESC' : 'ASC';
    const order = o.sort.name === 'id' ? `id ${dir}` : `${o.sort.sql} ${dir}, id ${dir}`;
    const index = o.parentId !== undefined ? ' INDEXED BY records_kind_parent' : '';
    const rows = (
      this.h
        .prepare(`SELECT * FROM records${index} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`)
        .all(...params, o.limit + 1) as RawRow[]
    ).map(toRow);
    const more = rows.length > o.limit;
    if (more) rows.pop();
    return { rows, more };
  }

  // ---- files ---------------------------------------------------------------------------------------------------

  /** Removes every file of a slot (thumbnail, a procedure field); true when one existed. */
  deleteSlot(recordId: number, slot: string): boolean {
    this.writing();
    return this.h.prepare('DELETE FROM files WHERE record_id = ? AND slot = ?').run(recordId, slot).changes > 0;
  }

  putFile(f: { orgId: number; recordId: number; slot: string; filename: string; mime: string; bytes: Buffer; fileKey: string }): FileRow {
    this.writing();
    if (f.slot !== 'attachment') this.deleteSlot(f.recordId, f.slot);
    else this.h.prepare('DELETE FROM files WHERE record_id = ? AND slot = ? AND filename = ?').run(f.recordId, f.slot, f.filename);
    const r = this.h
      .prepare(
        `INSERT INTO files (org_id, record_id, slot, filename, mime, size, bytes, file_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, record_id, slot, filename, mime, size, file_key, created_at`,
      )
      .get(f.orgId, f.recordId, f.slot, f.filename, f.mime, f.bytes.length, f.bytes, f.fileKey, this.nowIso()) as any;
    return fileOf(r);
  }

  files(recordId: number): FileRow[] {
    return (
      this.h
        .prepare('SELECT id, record_id, slot, filename, mime, size, file_key, created_at FROM files WHERE record_id = ? ORDER BY id')
        .all(recordId) as any[]
    ).map(fileOf);
  }

  fileBytes(fileKey: string): { mime: string; bytes: Buffer; filename: string } | null {
    const r = this.h.prepare('SELECT mime, bytes, filename FROM files WHERE file_key = ?').get(fileKey) as any;
    return r ? { mime: r.mime, bytes: r.bytes, filename: r.filename } : null;
  }

  deleteFile(recordId: number, slot: string, filename: string): boolean {
    this.writing();
    return this.h.prepare('DELETE FROM files WHERE record_id = ? AND slot = ? AND filename = ?').run(recordId, slot, filename).changes > 0;
  }

  // ---- webhook deliveries --------------------------------------------------------------------------------------

  addDelivery(d: { orgId: number; subscriptionId: number; event: string; url: string; body: string }): number {
    const at = this.nowIso();
    return Number(
      this.h
        .prepare(
          `INSERT INTO webhook_deliveries (org_id, subscription_id, event, url, body, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(d.orgId, d.subscriptionId, d.event, d.url, d.body, at, at).lastInsertRowid,
    );
  }

  updateDelivery(id: number, u: { state: string; attempts: number; responseStatus: number | null; error: string | null }): void {
    this.h
      .prepare('UPDATE webhook_deliveries SET state = ?, attempts = ?, response_status = ?, error = ?, updated_at = ? WHERE id = ?')
      .run(u.state, u.attempts, u.responseStatus, u.error, this.nowIso(), id);
  }

  /** States of the last `n` deliveries of a subscription, newest first. */
  lastDeliveryStates(subscriptionId: number, n: number): string[] {
    return this.h.prepare('SELECT state FROM webhook_deliveries WHERE subscription_id = ? ORDER BY id DESC LIMIT ?').pluck().all(subscriptionId, n) as string[];
  }

  deliveries(filter: { orgId?: number; subscriptionId?: number; state?: string }): DeliveryRow[] {
    const rows = this.h
      .prepare(
        `SELECT * FROM webhook_deliveries WHERE (? IS NULL OR org_id = ?) AND (? IS NULL OR subscription_id = ?) AND (? IS NULL OR state = ?) ORDER BY id`,
      )
      .all(
        filter.orgId ?? null,
        filter.orgId ?? null,
        filter.subscriptionId ?? null,
        filter.subscriptionId ?? null,
        filter.state ?? null,
        filter.state ?? null,
      ) as any[];
    return rows.map((r) => ({
      id: r.id,
      organizationId: r.org_id,
      subscriptionId: r.subscription_id,
      event: r.event,
      url: r.url,
      body: r.body,
      state: r.state,
      attempts: r.attempts,
      responseStatus: r.response_status,
      error: r.error,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}

export interface FileRow {
  id: number;
  recordId: number;
  slot: string;
  filename: string;
  mime: string;
  size: number;
  fileKey: string;
  createdAt: string;
}

export interface DeliveryRow {
  id: number;
  organizationId: number;
  subscriptionId: number;
  event: string;
  url: string;
  body: string;
  state: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

function toOrg(r: any): Org {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    currency: r.currency,
    dateFormatLocale: r.date_format_locale,
    imageUrl: r.image_url,
  };
}

function fileOf(r: any): FileRow {
  return {
    id: r.id,
    recordId: r.record_id,
    slot: r.slot,
    filename: r.filename,
    mime: r.mime,
    size: r.size,
    fileKey: r.file_key,
    createdAt: r.created_at,
  };
}
