/** Every TrakRF query. Takes the vendor context; returns plain objects in wire shape; no HTTP. */
import type { VendorContext } from '../../core/vendor.js';
import type { Db } from '../../core/db.js';
import { randomHex, sha256Hex } from '../../core/secrets.js';
import { idFor } from './ids.js';
import { conflict } from './errors.js';
import type { TagInput } from './body.js';
import type { CreateInput, PatchInput } from './writes.js';
import type { StoredScan } from './webhooks.js';
import { logScansWritten } from './schema.js';
import { beforeScanWrite, mappedId, scanSource, sourceId } from './scan-links.js';

export const ALL_SCOPES = ['assets:read', 'assets:write', 'locations:read', 'locations:write', 'tracking:read', 'keys:admin'] as const;

export interface OrgRow {
  id: number;
  name: string;
  subscription_active: number;
  created_at: number;
}

export interface ApiKeyRow {
  client_id: string;
  org_id: number;
  name: string;
  scopes: string;
  secret_hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface ApiKeyView {
  client_id: string;
  org_id: number;
  name: string;
  scopes: string[];
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface TagView {
  id: number;
  tag_type: string;
  value: string;
}

export interface AssetRow {
  id: number;
  org_id: number;
  external_key: string;
  name: string;
  description: string | null;
  metadata: string;
  is_active: number;
  valid_from: number;
  valid_to: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface AssetView {
  id: number;
  external_key: string;
  name: string;
  description: string | null;
  metadata: Record<string, unknown>;
  is_active: boolean;
  valid_from: string;
  valid_to: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  tags: TagView[];
}

/** RFC 3339 UTC with exactly three fractional digits (trakrf.md §5.6). */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export type SortSpec = Array<{ field: string; desc: boolean }>;

export interface AssetListQuery {
  orgId: number;
  limit: number;
  offset: number;
  externalKeys: string[];
  isActive?: boolean;
  includeDeleted: boolean;
  q?: string;
  sort: SortSpec;
}

/** SQLite refuses LIKE patterns over 50,000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH); Postgres has no such limit. */
const LIKE_LIMIT_BYTES = 50_000;
/** The longest searchable value (a description, 1,024 characters; names, keys and tag values are shorter). */
const MAX_SEARCHABLE_CHARS = 1024;

/**
 * Escapes nothing: like Postgres ILIKE '%q%', `%` and `_` in q stay wildcards and `\` escapes. A pattern over
 * SQLite's limit is replaced by an equivalent one: runs of `%` collapse to one, and a pattern that needs more
 * characters than any searchable value has becomes one that matches nothing (so a huge `q` answers like Postgres).
 */
export const likeContains = (q: string): string => {
  const pat = `%${q}%`;
  if (pat.length <= LIKE_LIMIT_BYTES / 4 || Buffer.byteLength(pat) <= LIKE_LIMIT_BYTES) return pat;
  let out = '';
  let need = 0;
  let lastWild = false;
  let escape = false;
  for (const ch of pat) {
    if (escape) {
      out += ch;
      need++;
      escape = false;
      lastWild = false;
    } else if (ch === '\\') {
      out += ch;
      escape = true;
    } else if (ch === '%') {
      if (!lastWild) out += ch;
      lastWild = true;
    } else {
      out += ch;
      need++;
      lastWild = false;
    }
    if (need > MAX_SEARCHABLE_CHARS) return '_'.repeat(MAX_SEARCHABLE_CHARS + 1) + '%';
  }
  return out;
};

export class TrakrfStore {
  /**
   * Memoized reads (list totals, rendered list pages): exact, dropped on any write (total_changes) or when a validity
   * window boundary of the org passes.
   */
  private readonly memos = new Map<string, { value: unknown; changes: number; from: number; until: number }>();

  private readonly keyRows = new Map<string, ApiKeyRow>();

  constructor(private readonly ctx: VendorContext) {
    ctx.onReset(() => {
      this.memos.clear();
      this.keyRows.clear();
    });
  }

  /**
   * A value computed from one org's data as of `now`, memoized. The cached value is returned only while nothing was
   * written on this connection and `now` stays inside [computed-at, next valid_from/valid_to boundary of the org),
   * so it always equals what `compute` would return now. `key` must capture every other input of `compute`.
   */
  memo<T>(key: string, orgId: number, compute: () => T): T {
    const now = this.ctx.clock.nowMs();
    const changes = this.h.totalChanges();
    const hit = this.memos.get(key);
    if (hit && hit.changes === changes && now >= hit.from && now < hit.until) return hit.value as T;
    const value = compute();
    if (this.memos.size >= 500) this.memos.clear();
    this.memos.set(key, { value, changes, from: now, until: this.nextBoundary(orgId, now) });
    return value;
  }

  /** COUNT(*) of a list query, memoized (see memo). */
  private countCached(sql: string, params: unknown[], now: number, orgId: number): number {
    const key = 'count\u0000' + sql + '\u0000' + JSON.stringify(params.map((p) => (p === now ? '@now' : p)));
    return this.memo(key, orgId, () => (this.h.prepare(sql).get(...params) as { n: number }).n);
  }

  /** The next instant at which any asset, location or tag of the org enters or leaves its validity window, or a scan leaves retention. */
  private nextBoundary(orgId: number, now: number): number {
    const row = this.h
      .prepare(
        `SELECT MIN(t) AS t FROM (
           SELECT MIN(valid_from) AS t FROM assets WHERE org_id = @o AND valid_from > @now
           UNION ALL SELECT MIN(valid_to) FROM assets WHERE org_id = @o AND valid_to > @now
           UNION ALL SELECT MIN(valid_from) FROM locations WHERE org_id = @o AND valid_from > @now
           UNION ALL SELECT MIN(valid_to) FROM locations WHERE org_id = @o AND valid_to > @now
           UNION ALL SELECT MIN(valid_from) FROM tags WHERE org_id = @o AND valid_from > @now
           UNION ALL SELECT MIN(valid_to) FROM tags WHERE org_id = @o AND valid_to > @now
           UNION ALL SELECT MIN(observed_at) + @r + 1 FROM scans WHERE org_id = @so AND observed_at >= @now - @r)`,
      )
      .get({ o: orgId, so: scanSource(this.h, orgId).org, now, r: this.retentionMs }) as { t: number | null };
    return row.t ?? Number.POSITIVE_INFINITY;
  }

  /** Refreshes the planner's statistics (after bulk generation). */
  analyze(): void {
    this.h.db.exec('ANALYZE');
  }

  private get h() {
    return this.ctx.handle;
  }

  /**
   * History retention (`asset_scans` retention policy, 365 days in the backend's migration 000008): scans older than
   * this, on the suite clock, are gone from every read. Applied at read time, so moving the clock drops them.
   */
  get retentionMs(): number {
    return Math.round(Number(this.ctx.config.historyRetentionDays) * 86_400_000);
  }

  // ---- meta, ids -------------------------------------------------------------------------------------------

  meta(key: string): string | undefined {
    return (this.h.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.h.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  private idKeys(): number[] {
    return JSON.parse(this.meta('id_keys')!) as number[];
  }

  /** Next surrogate id from the shared sequence (assets, locations and tags share it). */
  nextId(): number {
    const seq = Number(this.meta('id_seq') ?? '0') + 1;
    this.setMeta('id_seq', String(seq));
    return idFor(seq, this.idKeys());
  }

  // ---- orgs ----------------------------------------------------------------------------------------------

  createOrg(name: string, id?: number): OrgRow {
    return this.h
      .prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?) RETURNING *')
      .get(id ?? null, name, this.ctx.clock.nowMs()) as OrgRow;
  }

  org(id: number): OrgRow | undefined {
    return this.h.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
  }

  orgs(): OrgRow[] {
    return this.h.prepare('SELECT * FROM orgs ORDER BY id').all() as OrgRow[];
  }

  setSubscription(orgId: number, active: boolean): void {
    this.h.prepare('UPDATE orgs SET subscription_active = ? WHERE id = ?').run(active ? 1 : 0, orgId);
  }

  // ---- API keys ------------------------------------------------------------------------------------------

  /** Mints a key: returns the row and the secret (shown once; only its SHA-256 is stored). */
  createApiKey(input: { orgId: number; name: string; scopes: string[]; expiresAt: number | null; clientId?: string; secret?: string }): {
    row: ApiKeyRow;
    secret: string;
  } {
    const secret = input.secret ?? `trakrf_${randomHex(32)}`;
    const row = this.h
      .prepare(
        `INSERT INTO api_keys (client_id, org_id, name, scopes, secret_hash, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        input.clientId ?? this.ctx.rng.uuid(),
        input.orgId,
        input.name,
        JSON.stringify(input.scopes),
        sha256Hex(secret),
        this.ctx.clock.nowMs(),
        input.expiresAt,
      ) as ApiKeyRow;
    return { row, secret };
  }

  /**
   * A key row, read on every authenticated request, so kept in memory. Every write to api_keys goes through this
   * store (create, revoke, touch) and drops the copy; resets (all or one tenant) clear it too.
   */
  apiKey(clientId: string): ApiKeyRow | undefined {
    let row = this.keyRows.get(clientId);
    if (!row) {
      row = this.h.prepare('SELECT * FROM api_keys WHERE client_id = ?').get(clientId) as ApiKeyRow | undefined;
      if (!row) return undefined;
      if (this.keyRows.size >= 10_000) this.keyRows.clear();
      this.keyRows.set(clientId, row);
    }
    return row;
  }

  apiKeys(orgId?: number): ApiKeyRow[] {
    return orgId === undefined
      ? (this.h.prepare('SELECT * FROM api_keys ORDER BY created_at, client_id').all() as ApiKeyRow[])
      : (this.h.prepare('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, client_id').all(orgId) as ApiKeyRow[]);
  }

  revokeApiKey(clientId: string): boolean {
    this.keyRows.delete(clientId);
    return (
      this.h.prepare('UPDATE api_keys SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL').run(this.ctx.clock.nowMs(), clientId)
        .changes > 0
    );
  }

  touchApiKey(clientId: string): void {
    this.keyRows.delete(clientId);
    this.h.prepare('UPDATE api_keys SET last_used_at = ? WHERE client_id = ?').run(this.ctx.clock.nowMs(), clientId);
  }

  apiKeyView(row: ApiKeyRow): ApiKeyView {
    return {
      client_id: row.client_id,
      org_id: row.org_id,
      name: row.name,
      scopes: JSON.parse(row.scopes) as string[],
      expires_at: isoOrNull(row.expires_at),
      created_at: iso(row.created_at),
      revoked_at: isoOrNull(row.revoked_at),
      last_used_at: isoOrNull(row.last_used_at),
    };
  }

  // ---- tags ----------------------------------------------------------------------------------------------

  /** Embedded tags of assets or locations; `effectiveOnly` applies the temporal window (detail GETs, §6.2). */
  ownerTags(owner: Owner, ids: number[], effectiveOnly: boolean): Map<number, TagView[]> {
    const out = new Map<number, TagView[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const now = this.ctx.clock.nowMs();
    const col = OWNER_COLUMN[owner];
    const window = effectiveOnly ? 'AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)' : '';
    // INDEXED BY: with stale statistics (say, from a bulk generation before the org grew through the API) SQLite
    // chose a scan of every tag over the owner index, making each read and write O(table).
    const rows = this.h
      .prepare(
        `SELECT id, ${col} AS owner, tag_type, value FROM tags INDEXED BY tags_${owner}
         WHERE ${col} IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL ${window}
         ORDER BY created_at, seq, id`,
      )
      .all(JSON.stringify(ids), ...(effectiveOnly ? [now, now] : [])) as Array<TagView & { owner: number }>;
    for (const r of rows) out.get(r.owner)!.push({ id: r.id, tag_type: r.tag_type, value: r.value });
    return out;
  }

  /** Every live tag of one owner (PATCH echo comparison). */
  liveTags(owner: Owner, id: number): TagView[] {
    return this.ownerTags(owner, [id], false).get(id)!;
  }

  private insertTag(orgId: number, owner: Owner, ownerId: number, tag: TagInput, now: number): TagView {
    const id = this.nextId();
    const seq = Number(this.meta('id_seq'));
    this.h
      .prepare(
        `INSERT INTO tags (id, org_id, ${OWNER_COLUMN[owner]}, tag_type, value, is_active, valid_from, created_at, seq)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      )
      .run(id, orgId, ownerId, tag.tag_type, tag.value, now, now, seq);
    return { id, tag_type: tag.tag_type, value: tag.value };
  }

  private liveTag(orgId: number, tag: TagInput): { id: number; asset_id: number | null; location_id: number | null } | undefined {
    return this.h
      .prepare('SELECT id, asset_id, location_id FROM tags WHERE org_id = ? AND tag_type = ? AND value = ? AND deleted_at IS NULL')
      .get(orgId, tag.tag_type, tag.value) as { id: number; asset_id: number | null; location_id: number | null } | undefined;
  }

  /** Tags sent inline on create: any duplicate (in the org or within the request) → one generic 409. */
  private insertInlineTags(orgId: number, owner: Owner, ownerId: number, tags: TagInput[], now: number): void {
    const seen = new Set<string>();
    for (const t of tags) {
      const k = `${t.tag_type}\u0000${t.value}`;
      if (seen.has(k) || this.liveTag(orgId, t)) throw conflict('one or more tags already exist');
      seen.add(k);
    }
    for (const t of tags) this.insertTag(orgId, owner, ownerId, t, now);
  }

  /** POST /{assets|locations}/{id}/tags. */
  addTag(orgId: number, owner: Owner, ownerId: number, tag: TagInput): TagView {
    return this.h.transaction(() => {
      const holder = this.liveTag(orgId, tag);
      if (holder) {
        const kind: Owner = holder.asset_id !== null ? 'asset' : 'location';
        const row = this.h
          .prepare(`SELECT name, external_key FROM ${kind === 'asset' ? 'assets' : 'locations'} WHERE id = ?`)
          .get(holder.asset_id ?? holder.location_id) as { name: string; external_key: string } | undefined;
        throw conflict(
          row
            ? `tag ${tag.tag_type}:${tag.value} already exists — it is attached to ${kind} "${row.name}" (${row.external_key}); remove it there before attaching here`
            : `tag ${tag.tag_type}:${tag.value} already exists`,
        );
      }
      return this.insertTag(orgId, owner, ownerId, tag, this.ctx.clock.nowMs());
    });
  }

  /** DELETE /{assets|locations}/{id}/tags/{tag_id}: false when the tag is not live on this owner. */
  removeTag(orgId: number, owner: Owner, ownerId: number, tagId: number): boolean {
    return (
      this.h
        .prepare(`UPDATE tags SET deleted_at = ? WHERE id = ? AND org_id = ? AND ${OWNER_COLUMN[owner]} = ? AND deleted_at IS NULL`)
        .run(this.ctx.clock.nowMs(), tagId, orgId, ownerId).changes > 0
    );
  }

  // ---- shared write helpers --------------------------------------------------------------------------------

  /**
   * Next auto-minted key: MAX numeric suffix over live `PREFIX-<digits>` keys + 1 (gaps are not backfilled). The
   * literals match the partial expression indexes assets_key_seq / locations_key_seq, named with INDEXED BY so this
   * stays a lookup of the index's last entry whatever the statistics (without any, SQLite walked the org's rows).
   */
  private nextKey(table: 'assets' | 'locations', orgId: number): string {
    const sql =
      table === 'assets'
        ? `SELECT MAX(CAST(substr(external_key, 7) AS INTEGER)) AS n FROM assets INDEXED BY assets_key_seq
           WHERE org_id = ? AND deleted_at IS NULL AND external_key GLOB 'ASSET-[0-9]*' AND substr(external_key, 7) NOT GLOB '*[^0-9]*'`
        : `SELECT MAX(CAST(substr(external_key, 5) AS INTEGER)) AS n FROM locations INDEXED BY locations_key_seq
           WHERE org_id = ? AND deleted_at IS NULL AND external_key GLOB 'LOC-[0-9]*' AND substr(external_key, 5) NOT GLOB '*[^0-9]*'`;
    const row = this.h.prepare(sql).get(orgId) as { n: number | null };
    const [prefix, width] = table === 'assets' ? ['ASSET-', 4] : ['LOC-', 3];
    return prefix + String((row.n ?? 0) + 1).padStart(width, '0');
  }

  /**
   * The live row holding `key` in the org (at most one: the `<table>_live_key` unique index). INDEXED BY: with stale
   * statistics SQLite walked every live row of the org instead, making each write O(org).
   */
  private liveRowByKey<R>(table: 'assets' | 'locations', orgId: number, key: string): R | undefined {
    return this.h
      .prepare(`SELECT * FROM ${table} INDEXED BY ${table}_live_key WHERE org_id = ? AND external_key = ? AND deleted_at IS NULL`)
      .get(orgId, key) as R | undefined;
  }

  private keyTaken(table: 'assets' | 'locations', orgId: number, key: string, exceptId?: number): boolean {
    const row = this.liveRowByKey<{ id: number }>(table, orgId, key);
    return row !== undefined && row.id !== exceptId;
  }


  /** updated_at = now, but always past the previous value (a frozen clock still shows the write). */
  private touchTime(prev: number): number {
    return Math.max(this.ctx.clock.nowMs(), prev + 1);
  }

  // ---- assets --------------------------------------------------------------------------------------------

  assetView(row: AssetRow, tags: TagView[]): AssetView {
    return {
      id: row.id,
      external_key: row.external_key,
      name: row.name,
      description: row.description,
      metadata: JSON.parse(row.metadata) as Record<string, unknown>,
      is_active: row.is_active === 1,
      valid_from: iso(row.valid_from),
      valid_to: isoOrNull(row.valid_to),
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
      deleted_at: isoOrNull(row.deleted_at),
      tags,
    };
  }

  /** A live asset of the org (validity window ignored), or undefined. */
  assetRow(orgId: number, id: number): AssetRow | undefined {
    return this.h.prepare('SELECT * FROM assets WHERE id = ? AND org_id = ? AND deleted_at IS NULL').get(id, orgId) as
      | AssetRow
      | undefined;
  }

  liveAssetByKey(orgId: number, key: string): AssetRow | undefined {
    return this.liveRowByKey<AssetRow>('assets', orgId, key);
  }

  liveLocationIds(orgId: number): number[] {
    return (this.h.prepare('SELECT id FROM locations WHERE org_id = ? AND deleted_at IS NULL ORDER BY external_key').all(orgId) as { id: number }[]).map(
      (r) => r.id,
    );
  }

  getAsset(orgId: number, id: number): AssetView | undefined {
    const row = this.assetRow(orgId, id);
    if (!row) return undefined;
    return this.assetView(row, this.ownerTags('asset', [row.id], true).get(row.id)!);
  }

  listAssets(q: AssetListQuery): { data: AssetView[]; total: number } {
    const now = this.ctx.clock.nowMs();
    const where = ['a.org_id = ?', 'a.valid_from <= ?', '(a.valid_to IS NULL OR a.valid_to > ?)'];
    const params: unknown[] = [q.orgId, now, now];
    if (!q.includeDeleted) where.push('a.deleted_at IS NULL');
    if (q.externalKeys.length) {
      where.push(`a.external_key IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(q.externalKeys));
    }
    if (q.isActive !== undefined) {
      where.push('a.is_active = ?');
      params.push(q.isActive ? 1 : 0);
    }
    if (q.q !== undefined && q.q !== '') {
      registerLower(this.h.db);
      where.push(searchClause('a', 'asset_id', true, q.q));
      params.push(...searchParams(q.q, now));
    }
    const whereSql = where.join(' AND ');
    const order = q.sort.length ? q.sort.map((s) => `a.${s.field} ${s.desc ? 'DESC' : 'ASC'}`).join(', ') : 'a.external_key ASC';
    const total = this.countCached(`SELECT COUNT(*) AS n FROM assets a WHERE ${whereSql}`, params, now, q.orgId);
    const rows = this.h
      .prepare(`SELECT a.* FROM assets a WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as AssetRow[];
    const tags = this.ownerTags(
      'asset',
      rows.map((r) => r.id),
      false,
    );
    return { data: rows.map((r) => this.assetView(r, tags.get(r.id)!)), total };
  }

  createAsset(orgId: number, input: CreateInput): AssetView {
    return this.h.transaction(() => {
      const now = this.ctx.clock.nowMs();
      const key = input.external_key ?? this.nextKey('assets', orgId);
      if (this.keyTaken('assets', orgId, key)) throw conflict(`asset with external_key ${key} already exists`);
      const id = this.nextId();
      this.h
        .prepare(
          `INSERT INTO assets (id, org_id, external_key, name, description, metadata, is_active, valid_from, valid_to, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, orgId, key, input.name, input.description, metadataJson(input.metadata), input.is_active ? 1 : 0, input.valid_from ?? now, input.valid_to, now, now);
      this.insertInlineTags(orgId, 'asset', id, input.tags, now);
      const row = this.assetRow(orgId, id)!;
      return this.assetView(row, this.liveTags('asset', id));
    });
  }

  updateAsset(orgId: number, row: AssetRow, patch: PatchInput): AssetView {
    return this.h.transaction(() => {
      const next = {
        name: patch.name ?? row.name,
        description: patch.description === undefined ? row.description : patch.description,
        metadata: patch.metadata === undefined ? row.metadata : metadataJson(patch.metadata),
        is_active: patch.is_active === undefined ? row.is_active : patch.is_active ? 1 : 0,
        valid_from: patch.valid_from ?? row.valid_from,
        valid_to: patch.valid_to === undefined ? row.valid_to : patch.valid_to,
      };
      this.h
        .prepare(
          `UPDATE assets SET name = ?, description = ?, metadata = ?, is_active = ?, valid_from = ?, valid_to = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(next.name, next.description, next.metadata, next.is_active, next.valid_from, next.valid_to, this.touchTime(row.updated_at), row.id);
      return this.getAsset(orgId, row.id)!;
    });
  }

  /** Soft delete: frees the key, cascades to the asset's tags. */
  deleteAsset(orgId: number, id: number): boolean {
    return this.h.transaction(() => {
      const now = this.ctx.clock.nowMs();
      const done = this.h.prepare('UPDATE assets SET deleted_at = ? WHERE id = ? AND org_id = ? AND deleted_at IS NULL').run(now, id, orgId).changes > 0;
      if (done) this.h.prepare('UPDATE tags SET deleted_at = ? WHERE asset_id = ? AND deleted_at IS NULL').run(now, id);
      return done;
    });
  }

  renameAsset(orgId: number, row: AssetRow, key: string): AssetView {
    return this.h.transaction(() => {
      if (key !== row.external_key) {
        if (this.keyTaken('assets', orgId, key, row.id)) throw conflict(`asset with external_key ${key} already exists`);
        this.h.prepare('UPDATE assets SET external_key = ?, updated_at = ? WHERE id = ?').run(key, this.touchTime(row.updated_at), row.id);
      }
      return this.getAsset(orgId, row.id)!;
    });
  }

  // ---- locations -----------------------------------------------------------------------------------------

  locationView(row: LocationRow & { parent_key: string | null }, tags: TagView[]): LocationView {
    return {
      id: row.id,
      external_key: row.external_key,
      name: row.name,
      description: row.description,
      parent_id: row.parent_id,
      parent_external_key: row.parent_id === null ? null : row.parent_key,
      is_active: row.is_active === 1,
      valid_from: iso(row.valid_from),
      valid_to: isoOrNull(row.valid_to),
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
      deleted_at: isoOrNull(row.deleted_at),
      tags,
    };
  }

  locationRow(orgId: number, id: number): LocationRow | undefined {
    return this.h.prepare('SELECT * FROM locations WHERE id = ? AND org_id = ? AND deleted_at IS NULL').get(id, orgId) as
      | LocationRow
      | undefined;
  }

  liveLocationByKey(orgId: number, key: string): LocationRow | undefined {
    return this.liveRowByKey<LocationRow>('locations', orgId, key);
  }

  /** Rows with their parent's current external_key (recomputed on read, so a parent rename shows through). */
  private locationViews(rows: Array<LocationRow & { parent_key: string | null }>, effectiveTags: boolean): LocationView[] {
    const tags = this.ownerTags(
      'location',
      rows.map((r) => r.id),
      effectiveTags,
    );
    return rows.map((r) => this.locationView(r, tags.get(r.id)!));
  }

  getLocation(orgId: number, id: number): LocationView | undefined {
    const row = this.h
      .prepare(
        `SELECT l.*, p.external_key AS parent_key FROM locations l LEFT JOIN locations p ON p.id = l.parent_id
         WHERE l.id = ? AND l.org_id = ? AND l.deleted_at IS NULL`,
      )
      .get(id, orgId) as (LocationRow & { parent_key: string | null }) | undefined;
    return row ? this.locationViews([row], true)[0] : undefined;
  }

  listLocations(q: LocationListQuery): { data: LocationView[]; total: number } {
    const now = this.ctx.clock.nowMs();
    const where = ['l.org_id = ?', 'l.valid_from <= ?', '(l.valid_to IS NULL OR l.valid_to > ?)'];
    const params: unknown[] = [q.orgId, now, now];
    if (!q.includeDeleted) where.push('l.deleted_at IS NULL');
    if (q.externalKeys.length) {
      where.push('l.external_key IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.externalKeys));
    }
    if (q.parentIds.length) {
      where.push('l.parent_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.parentIds));
    }
    if (q.parentKeys.length) {
      where.push('p.external_key IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.parentKeys));
    }
    if (q.isActive !== undefined) {
      where.push('l.is_active = ?');
      params.push(q.isActive ? 1 : 0);
    }
    if (q.q !== undefined && q.q !== '') {
      registerLower(this.h.db);
      where.push(searchClause('l', 'location_id', true, q.q));
      params.push(...searchParams(q.q, now));
    }
    const whereSql = where.join(' AND ');
    const from = 'FROM locations l LEFT JOIN locations p ON p.id = l.parent_id';
    const order = [...q.sort.map((s) => `l.${s.field} ${s.desc ? 'DESC' : 'ASC'}`), 'l.id ASC'];
    if (!q.sort.length) order.unshift('l.external_key ASC');
    const total = this.countCached(`SELECT COUNT(*) AS n ${from} WHERE ${whereSql}`, params, now, q.orgId);
    const rows = this.h
      .prepare(`SELECT l.*, p.external_key AS parent_key ${from} WHERE ${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Array<LocationRow & { parent_key: string | null }>;
    return { data: this.locationViews(rows, false), total };
  }

  createLocation(orgId: number, input: CreateInput, parentId: number | null): LocationView {
    return this.h.transaction(() => {
      const now = this.ctx.clock.nowMs();
      const key = input.external_key ?? this.nextKey('locations', orgId);
      if (this.keyTaken('locations', orgId, key)) throw conflict(`location with external_key ${key} already exists`);
      const id = this.nextId();
      this.h
        .prepare(
          `INSERT INTO locations (id, org_id, external_key, name, description, parent_id, is_active, valid_from, valid_to, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, orgId, key, input.name, input.description, parentId, input.is_active ? 1 : 0, input.valid_from ?? now, input.valid_to, now, now);
      this.insertInlineTags(orgId, 'location', id, input.tags, now);
      return this.getLocation(orgId, id)!;
    });
  }

  /** Live descendant ids of a location (excluding itself). */
  private descendantIds(id: number): number[] {
    return (
      this.h
        .prepare(
          `WITH RECURSIVE d(id) AS (
             SELECT id FROM locations WHERE parent_id = ? AND deleted_at IS NULL
             UNION SELECT l.id FROM locations l JOIN d ON l.parent_id = d.id WHERE l.deleted_at IS NULL)
           SELECT id FROM d`,
        )
        .all(id) as { id: number }[]
    ).map((r) => r.id);
  }

  updateLocation(orgId: number, row: LocationRow, patch: PatchInput, parentId: number | null | undefined): LocationView {
    return this.h.transaction(() => {
      if (parentId !== undefined && parentId !== null) {
        if (parentId === row.id) throw conflict(`parent_id ${parentId} would create a self-referential cycle`);
        if (this.descendantIds(row.id).includes(parentId)) {
          throw conflict(`parent_id ${parentId} would create a cycle through location ${row.id}`);
        }
      }
      this.h
        .prepare(
          `UPDATE locations SET name = ?, description = ?, is_active = ?, valid_from = ?, valid_to = ?, parent_id = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(
          patch.name ?? row.name,
          patch.description === undefined ? row.description : patch.description,
          patch.is_active === undefined ? row.is_active : patch.is_active ? 1 : 0,
          patch.valid_from ?? row.valid_from,
          patch.valid_to === undefined ? row.valid_to : patch.valid_to,
          parentId === undefined ? row.parent_id : parentId,
          this.touchTime(row.updated_at),
          row.id,
        );
      return this.getLocation(orgId, row.id)!;
    });
  }

  /** 409 while live children or placed assets exist (children checked first); else soft delete + tag cascade. */
  deleteLocation(orgId: number, id: number): void {
    this.h.transaction(() => {
      if (this.h.prepare('SELECT 1 FROM locations WHERE parent_id = ? AND deleted_at IS NULL').get(id)) {
        throw conflict('location has descendant locations; reassign or remove them before deleting (cascade is not supported)');
      }
      // A sandbox still reading its source's scans asks with the source's location id and maps the assets back.
      const linked = scanSource(this.h, orgId).linked;
      const placed = this.h
        .prepare(
          `SELECT 1 FROM (SELECT DISTINCT asset_id FROM scans WHERE location_id = @loc AND observed_at >= @cut) x
           JOIN assets a ON a.id = ${linked ? mappedId('@org', 'x.asset_id') : 'x.asset_id'} AND a.org_id = @org AND a.deleted_at IS NULL
           WHERE (SELECT s.location_id FROM scans s WHERE s.asset_id = x.asset_id ORDER BY s.observed_at DESC LIMIT 1) = @loc
           LIMIT 1`,
        )
        .get({ org: orgId, loc: linked ? sourceId(this.h, orgId, id) : id, cut: this.ctx.clock.nowMs() - this.retentionMs });
      if (placed) throw conflict('location has assets placed at it; move or remove them before deleting (cascade is not supported)');
      const now = this.ctx.clock.nowMs();
      this.h.prepare('UPDATE locations SET deleted_at = ? WHERE id = ?').run(now, id);
      this.h.prepare('UPDATE tags SET deleted_at = ? WHERE location_id = ? AND deleted_at IS NULL').run(now, id);
    });
  }

  renameLocation(orgId: number, row: LocationRow, key: string): { data: LocationView; descendant_count_affected: number } {
    return this.h.transaction(() => {
      let affected = 0;
      if (key !== row.external_key) {
        if (this.keyTaken('locations', orgId, key, row.id)) throw conflict(`location with external_key ${key} already exists`);
        this.h.prepare('UPDATE locations SET external_key = ?, updated_at = ? WHERE id = ?').run(key, this.touchTime(row.updated_at), row.id);
        affected = this.descendantIds(row.id).length;
      }
      return { data: this.getLocation(orgId, row.id)!, descendant_count_affected: affected };
    });
  }

  /** Tree endpoints: live rows only, no validity filter, fixed orders (trakrf.md §6.2). */
  locationTree(kind: 'ancestors' | 'children' | 'descendants', id: number, limit: number, offset: number): { data: LocationView[]; total: number } {
    const select = 'SELECT l.*, p.external_key AS parent_key FROM locations l LEFT JOIN locations p ON p.id = l.parent_id';
    let sql: string;
    if (kind === 'children') {
      sql = `${select} WHERE l.parent_id = @id AND l.deleted_at IS NULL ORDER BY l.name ASC, l.id ASC`;
    } else if (kind === 'ancestors') {
      sql = `WITH RECURSIVE a(id, rdepth) AS (
               SELECT parent_id, 1 FROM locations WHERE id = @id AND parent_id IS NOT NULL
               UNION ALL SELECT l.parent_id, a.rdepth + 1 FROM locations l JOIN a ON l.id = a.id
               WHERE l.parent_id IS NOT NULL AND a.rdepth < 10000)
             ${select} JOIN a ON a.id = l.id WHERE l.deleted_at IS NULL ORDER BY a.rdepth DESC, l.id ASC`;
    } else {
      // depth-first by the lower(external_key) path; char(1) sorts below every key character, so a node's subtree
      // comes before its next sibling (element-wise path comparison).
      sql = `WITH RECURSIVE d(id, path) AS (
               SELECT id, lower(external_key) FROM locations WHERE parent_id = @id AND deleted_at IS NULL
               UNION ALL SELECT l.id, d.path || char(1) || lower(l.external_key) FROM locations l JOIN d ON l.parent_id = d.id
               WHERE l.deleted_at IS NULL AND length(d.path) < 1000000)
             ${select} JOIN d ON d.id = l.id ORDER BY d.path ASC, l.id ASC`;
    }
    const all = this.h.prepare(sql).all({ id }) as Array<LocationRow & { parent_key: string | null }>;
    return { data: this.locationViews(all.slice(offset, offset + limit), false), total: all.length };
  }

  // ---- scans, history, report ----------------------------------------------------------------------------

  /**
   * Stores scan events at minute granularity: one row per asset per minute; within a minute the earliest read's
   * location wins, whatever order the events arrive in.
   */
  /** Stores scans in one transaction; returns how many rows were written, and lists them in `stored` when given. */
  ingestScans(orgId: number, scans: Array<{ assetId: number; locationId: number | null; at: number }>, stored?: StoredScan[]): number {
    const up = this.h.prepare(
      `INSERT INTO scans (org_id, asset_id, observed_at, location_id, first_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(asset_id, observed_at) DO UPDATE SET location_id = excluded.location_id, first_at = excluded.first_at
       WHERE excluded.first_at < COALESCE(scans.first_at, scans.observed_at)`,
    );
    const old = this.h.prepare('SELECT location_id FROM scans WHERE asset_id = ? AND observed_at = ?');
    return this.h.transaction(() => {
      beforeScanWrite(this.h, orgId);
      let n = 0;
      let since = Number.POSITIVE_INFINITY;
      for (const s of scans) {
        const bucket = Math.floor(s.at / 60_000) * 60_000;
        const before = stored ? (old.get(s.assetId, bucket) as { location_id: number | null } | undefined) : undefined;
        const changed = up.run(orgId, s.assetId, bucket, s.locationId, s.at).changes;
        n += changed;
        if (changed && bucket < since) since = bucket;
        if (stored && changed) {
          stored.push({ assetId: s.assetId, locationId: s.locationId, bucket, ...(before ? { replaced: { locationId: before.location_id } } : {}) });
        }
      }
      // scans have no write-log trigger (bulk ingestion): every write to them goes through here
      if (n) logScansWritten(this.h.db, orgId, since);
      return n;
    });
  }

  assetHistory(q: HistoryQuery): { data: HistoryItem[]; total: number } {
    const now = this.ctx.clock.nowMs();
    const range = `${q.from !== undefined ? 'AND s.observed_at >= @from' : ''} ${q.to !== undefined ? 'AND s.observed_at <= @to' : ''}`;
    // A sandbox still reading its source's scans reads the source asset's rows, locations mapped to its own.
    const linked = scanSource(this.h, q.orgId).linked;
    const asset = linked ? sourceId(this.h, q.orgId, q.assetId) : q.assetId;
    const loc = linked ? mappedId('@org', 's.location_id') : 's.location_id';
    const p = { a: asset, org: q.orgId, from: q.from ?? null, to: q.to ?? null, now, cut: now - this.retentionMs, limit: q.limit, offset: q.offset };
    const named = (sql: string, keys: string[]) => Object.fromEntries(keys.filter((k) => sql.includes('@' + k)).map((k) => [k, (p as Record<string, unknown>)[k]]));
    const countSql = `SELECT COUNT(*) AS n FROM scans s WHERE s.asset_id = @a AND s.observed_at >= @cut ${range}`;
    const total = (this.h.prepare(countSql).get(named(countSql, ['a', 'cut', 'from', 'to'])) as { n: number }).n;
    const desc = q.sort.length ? q.sort[0].desc : true;
    // observed_at is unique per asset (minute buckets), so the documented location_id tiebreak never applies; the
    // page walks the primary key and each row looks up its successor inside the window (duration_seconds).
    const sql = `SELECT s.observed_at, ${loc} AS location_id, loc.external_key AS location_external_key,
        (SELECT MIN(n.observed_at) FROM scans n WHERE n.asset_id = s.asset_id AND n.observed_at > s.observed_at
           ${q.to !== undefined ? 'AND n.observed_at <= @to' : ''}) AS next_at
      FROM scans s LEFT JOIN locations loc ON loc.id = ${loc} AND loc.deleted_at IS NULL
           AND loc.valid_from <= @now AND (loc.valid_to IS NULL OR loc.valid_to > @now)
      WHERE s.asset_id = @a AND s.observed_at >= @cut ${range}
      ORDER BY s.observed_at ${desc ? 'DESC' : 'ASC'} LIMIT @limit OFFSET @offset`;
    const rows = this.h.prepare(sql).all(named(sql, ['a', 'org', 'cut', 'from', 'to', 'now', 'limit', 'offset'])) as Array<{
      observed_at: number;
      location_id: number | null;
      location_external_key: string | null;
      next_at: number | null;
    }>;
    return {
      data: rows.map((r) => ({
        event_observed_at: iso(r.observed_at),
        location_id: r.location_id,
        location_external_key: r.location_external_key,
        duration_seconds: r.next_at === null ? null : Math.floor((r.next_at - r.observed_at) / 1000),
      })),
      total,
    };
  }

  assetLocations(q: ReportQuery): { data: ReportItem[]; total: number } {
    const now = this.ctx.clock.nowMs();
    const where = ['a.org_id = ?', 'a.valid_from <= ?', '(a.valid_to IS NULL OR a.valid_to > ?)'];
    const params: unknown[] = [q.orgId, now, now];
    if (!q.includeDeleted) where.push('a.deleted_at IS NULL');
    if (q.assetIds.length) {
      where.push('a.id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.assetIds));
    }
    if (q.assetKeys.length) {
      where.push('a.external_key IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.assetKeys));
    }
    if (q.locationIds.length) {
      where.push('loc.id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.locationIds));
    }
    if (q.locationKeys.length) {
      where.push('loc.external_key IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(q.locationKeys));
    }
    if (q.q !== undefined && q.q !== '') {
      registerLower(this.h.db);
      where.push(searchClause('a', 'asset_id', false, q.q));
      params.push(...searchParams(q.q, now, false));
    }
    const order = q.sort.length
      ? // Postgres order: NULLs last ascending, first descending (location_external_key can be null)
        [...q.sort.map((s) => `${REPORT_SORT[s.field]} ${s.desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`), 'r.asset_id ASC']
      : ['r.seen DESC', 'r.asset_id ASC'];
    // A sandbox still reading its source's scans groups the source's rows and maps the ids to its own; the run
    // lookups below read the source's rows (src_*).
    const source = scanSource(this.h, q.orgId);
    const map = (column: string) => (source.linked ? mappedId('@org', column) : column);
    const base = `
      WITH last AS (SELECT asset_id, MAX(observed_at) AS seen FROM scans WHERE org_id = @source AND observed_at >= ? - ${this.retentionMs} GROUP BY asset_id),
      r AS (SELECT ${map('l.asset_id')} AS asset_id, l.asset_id AS src_asset, l.seen, ${map('s.location_id')} AS location_id, s.location_id AS src_location
            FROM last l JOIN scans s ON s.asset_id = l.asset_id AND s.observed_at = l.seen)
      SELECT r.asset_id, r.src_asset, r.src_location, r.seen, a.external_key AS asset_external_key, a.deleted_at AS asset_deleted_at,
             loc.id AS location_id, loc.external_key AS location_external_key
      FROM r JOIN assets a ON a.id = r.asset_id
      LEFT JOIN locations loc ON loc.id = r.location_id AND loc.deleted_at IS NULL AND loc.valid_from <= ? AND (loc.valid_to IS NULL OR loc.valid_to > ?)
      WHERE ${where.join(' AND ')}`;
    const all = [now, now, now, ...params, { source: source.org, ...(source.linked ? { org: q.orgId } : {}) }];
    const total = this.countCached(`SELECT COUNT(*) AS n FROM (${base})`, all, now, q.orgId);
    const rows = this.h
      .prepare(`SELECT * FROM (${base}) r ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`)
      .all(...all, q.limit, q.offset) as Array<{
      asset_id: number;
      src_asset: number;
      src_location: number | null;
      seen: number;
      asset_external_key: string;
      asset_deleted_at: number | null;
      location_id: number | null;
      location_external_key: string | null;
    }>;
    // The current run: scans since the last read at a different place (a null-location read breaks a run).
    const runStart = this.h.prepare(
      `SELECT MIN(observed_at) AS start FROM scans WHERE asset_id = @id AND observed_at >= @cut AND observed_at > COALESCE(
         (SELECT MAX(observed_at) FROM scans WHERE asset_id = @id AND observed_at < @seen AND (location_id IS NOT @loc OR location_id IS NULL)),
         -9007199254740991)`,
    );
    return {
      data: rows.map((r) => {
        const start = r.src_location === null ? r.seen : ((runStart.get({ id: r.src_asset, seen: r.seen, loc: r.src_location, cut: now - this.retentionMs }) as { start: number }).start ?? r.seen);
        return {
          asset_id: r.asset_id,
          asset_external_key: r.asset_external_key,
          location_id: r.location_id,
          location_external_key: r.location_external_key,
          asset_last_seen: iso(r.seen),
          asset_deleted_at: isoOrNull(r.asset_deleted_at),
          dwell_started_at: iso(start),
          dwell_seconds: Math.floor((r.seen - start) / 1000),
        };
      }),
      total,
    };
  }

  // ---- bulk generation (control plane, bench) -----------------------------------------------------------

  /** Inserts `n` assets (one rfid tag each) in one transaction; keys continue the org's ASSET-N sequence. */
  generateAssets(orgId: number, n: number, rng: { next(): number }): number {
    const count = this.h.transaction(() => {
      const now = this.ctx.clock.nowMs();
      const first = Number(this.nextKey('assets', orgId).slice(6));
      const ins = this.h.prepare(
        `INSERT INTO assets (id, org_id, external_key, name, description, metadata, is_active, valid_from, valid_to, created_at, updated_at)
         VALUES (?, ?, ?, ?, NULL, '{}', ?, ?, NULL, ?, ?)`,
      );
      const tag = this.h.prepare(
        `INSERT INTO tags (id, org_id, asset_id, tag_type, value, is_active, valid_from, created_at, seq) VALUES (?, ?, ?, 'rfid', ?, 1, ?, ?, 0)`,
      );
      let seq = Number(this.meta('id_seq') ?? '0');
      const keys = this.idKeys();
      for (let i = 0; i < n; i++) {
        const id = idFor(++seq, keys);
        const r = rng.next();
        const t = now - (n - i) * 1000;
        ins.run(id, orgId, `ASSET-${String(first + i).padStart(4, '0')}`, `${GEN_KINDS[r % GEN_KINDS.length]} ${first + i}`, r % 10 === 0 ? 0 : 1, t, t, t);
        tag.run(idFor(++seq, keys), orgId, id, `GEN${String(first + i).padStart(12, '0')}${(r >>> 0).toString(16).toUpperCase()}`, t, t);
      }
      this.setMeta('id_seq', String(seq));
      return n;
    });
    this.analyze();
    return count;
  }
}

/**
 * `metadata` as the vendor returns it: decoded into a Go map, whose JSON encoding sorts keys at every level (so
 * key order on read is alphabetical, not the order sent).
 */
export function metadataJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          .map((k) => [k, sorted(o[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value));
}

const GEN_KINDS = ['Forklift', 'Pallet jack', 'Tote', 'Roll cage', 'Scanner', 'Cart'];

const REPORT_SORT: Record<string, string> = {
  asset_last_seen: 'r.seen',
  asset_external_key: 'r.asset_external_key',
  location_external_key: 'r.location_external_key',
};

const NON_ASCII = /[^\x00-\x7F]/;

/**
 * `q`: ILIKE '%q%' (`%`/`_` stay wildcards, `\` escapes as Postgres's default LIKE escape) over name,
 * external_key[, description] and the owner's active, currently-effective tag values. SQLite's LIKE folds ASCII case
 * only; Postgres's ILIKE lowercases both sides with lower() in a multibyte encoding, so a `q` with non-ASCII
 * characters compares `trakrf_lower(column)` with the lowercased pattern (JavaScript's Unicode lowercase).
 */
function searchClause(alias: string, ownerColumn: string, withDescription: boolean, q: string): string {
  const fold = NON_ASCII.test(q);
  const like = (col: string) => `${fold ? `trakrf_lower(${col})` : col} LIKE ? ESCAPE '\\'`;
  return `(${like(`${alias}.name`)} OR ${like(`${alias}.external_key`)}${withDescription ? ` OR ${like(`${alias}.description`)}` : ''}
    OR EXISTS (SELECT 1 FROM tags t WHERE t.${ownerColumn} = ${alias}.id AND t.deleted_at IS NULL AND t.is_active = 1
               AND t.valid_from <= ? AND (t.valid_to IS NULL OR t.valid_to > ?) AND ${like('t.value')}))`;
}

function searchParams(q: string, now: number, withDescription = true): unknown[] {
  const pat = NON_ASCII.test(q) ? likeContains(q).toLowerCase() : likeContains(q);
  return withDescription ? [pat, pat, pat, now, now, pat] : [pat, pat, now, now, pat];
}

/** Connections `trakrf_lower` is registered on (reset opens a new one). */
const folding = new WeakSet<object>();
function registerLower(db: Db): void {
  if (folding.has(db)) return;
  db.function('trakrf_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  folding.add(db);
}

export type Owner = 'asset' | 'location';
const OWNER_COLUMN: Record<Owner, string> = { asset: 'asset_id', location: 'location_id' };

export interface LocationRow {
  id: number;
  org_id: number;
  external_key: string;
  name: string;
  description: string | null;
  parent_id: number | null;
  is_active: number;
  valid_from: number;
  valid_to: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface LocationView {
  id: number;
  external_key: string;
  name: string;
  description: string | null;
  parent_id: number | null;
  parent_external_key: string | null;
  is_active: boolean;
  valid_from: string;
  valid_to: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  tags: TagView[];
}

export interface LocationListQuery {
  orgId: number;
  limit: number;
  offset: number;
  externalKeys: string[];
  parentIds: number[];
  parentKeys: string[];
  isActive?: boolean;
  includeDeleted: boolean;
  q?: string;
  sort: SortSpec;
}

export interface HistoryQuery {
  orgId: number;
  assetId: number;
  limit: number;
  offset: number;
  from?: number;
  to?: number;
  sort: SortSpec;
}

export interface HistoryItem {
  event_observed_at: string;
  location_id: number | null;
  location_external_key: string | null;
  duration_seconds: number | null;
}

export interface ReportQuery {
  orgId: number;
  limit: number;
  offset: number;
  assetIds: number[];
  assetKeys: string[];
  locationIds: number[];
  locationKeys: string[];
  includeDeleted: boolean;
  q?: string;
  sort: SortSpec;
}

export interface ReportItem {
  asset_id: number;
  asset_external_key: string;
  location_id: number | null;
  location_external_key: string | null;
  asset_last_seen: string;
  asset_deleted_at: string | null;
  dwell_started_at: string;
  dwell_seconds: number;
}
