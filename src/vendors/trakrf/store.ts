/** Every TrakRF query. Takes the vendor context; returns plain objects in wire shape; no HTTP. */
import type { VendorContext } from '../../core/vendor.js';
import { randomHex, sha256Hex } from '../../core/secrets.js';
import { idFor } from './ids.js';

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

/** Escapes nothing: like Postgres ILIKE '%q%', `%` and `_` in q stay wildcards and `\` escapes. */
export const likeContains = (q: string): string => `%${q}%`;

export class TrakrfStore {
  constructor(private readonly ctx: VendorContext) {}

  private get h() {
    return this.ctx.handle;
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

  apiKey(clientId: string): ApiKeyRow | undefined {
    return this.h.prepare('SELECT * FROM api_keys WHERE client_id = ?').get(clientId) as ApiKeyRow | undefined;
  }

  apiKeys(orgId?: number): ApiKeyRow[] {
    return orgId === undefined
      ? (this.h.prepare('SELECT * FROM api_keys ORDER BY created_at, client_id').all() as ApiKeyRow[])
      : (this.h.prepare('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, client_id').all(orgId) as ApiKeyRow[]);
  }

  revokeApiKey(clientId: string): boolean {
    return (
      this.h.prepare('UPDATE api_keys SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL').run(this.ctx.clock.nowMs(), clientId)
        .changes > 0
    );
  }

  touchApiKey(clientId: string): void {
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

  // ---- assets --------------------------------------------------------------------------------------------

  /** Embedded tags of assets; `effectiveOnly` applies the temporal window (detail GETs, trakrf.md §6.2). */
  assetTags(assetIds: number[], effectiveOnly: boolean): Map<number, TagView[]> {
    const out = new Map<number, TagView[]>(assetIds.map((id) => [id, []]));
    if (assetIds.length === 0) return out;
    const now = this.ctx.clock.nowMs();
    const window = effectiveOnly ? 'AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)' : '';
    const rows = this.h
      .prepare(
        `SELECT id, asset_id, tag_type, value FROM tags
         WHERE asset_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL ${window}
         ORDER BY created_at, id`,
      )
      .all(JSON.stringify(assetIds), ...(effectiveOnly ? [now, now] : [])) as Array<TagView & { asset_id: number }>;
    for (const r of rows) out.get(r.asset_id)!.push({ id: r.id, tag_type: r.tag_type, value: r.value });
    return out;
  }

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

  getAsset(orgId: number, id: number): AssetView | undefined {
    const row = this.assetRow(orgId, id);
    if (!row) return undefined;
    return this.assetView(row, this.assetTags([row.id], true).get(row.id)!);
  }

  listAssets(q: AssetListQuery): { data: AssetView[]; total: number } {
    const now = this.ctx.clock.nowMs();
    const where = ['a.org_id = ?', 'a.valid_from <= ?', '(a.valid_to IS NULL OR a.valid_to > ?)'];
    const params: unknown[] = [q.orgId, now, now];
    if (!q.includeDeleted) where.push('a.deleted_at IS NULL');
    if (q.externalKeys.length) {
      where.push(`a.external_key IN (${q.externalKeys.map(() => '?').join(', ')})`);
      params.push(...q.externalKeys);
    }
    if (q.isActive !== undefined) {
      where.push('a.is_active = ?');
      params.push(q.isActive ? 1 : 0);
    }
    if (q.q !== undefined && q.q !== '') {
      const pat = likeContains(q.q);
      where.push(`(a.name LIKE ? ESCAPE '\\' OR a.external_key LIKE ? ESCAPE '\\' OR a.description LIKE ? ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM tags t WHERE t.asset_id = a.id AND t.deleted_at IS NULL AND t.is_active = 1
                   AND t.valid_from <= ? AND (t.valid_to IS NULL OR t.valid_to > ?) AND t.value LIKE ? ESCAPE '\\'))`);
      params.push(pat, pat, pat, now, now, pat);
    }
    const whereSql = where.join(' AND ');
    const order = q.sort.length ? q.sort.map((s) => `a.${s.field} ${s.desc ? 'DESC' : 'ASC'}`).join(', ') : 'a.external_key ASC';
    const total = (this.h.prepare(`SELECT COUNT(*) AS n FROM assets a WHERE ${whereSql}`).get(...params) as { n: number }).n;
    const rows = this.h
      .prepare(`SELECT a.* FROM assets a WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as AssetRow[];
    const tags = this.assetTags(
      rows.map((r) => r.id),
      false,
    );
    return { data: rows.map((r) => this.assetView(r, tags.get(r.id)!)), total };
  }
}
