/** TrakRF's wire shapes: stored rows → the JSON the API answers (trakrf.md §5.6, §6, §7). */
import type { ApiKeyRow, AssetRow, LocationRow } from './store.js';

/** RFC 3339 UTC with exactly three fractional digits (trakrf.md §5.6). */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

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

export interface HistoryItem {
  event_observed_at: string;
  location_id: number | null;
  location_external_key: string | null;
  duration_seconds: number | null;
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

export function apiKeyView(row: ApiKeyRow): ApiKeyView {
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

export function assetView(row: AssetRow, tags: TagView[]): AssetView {
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

export function locationView(row: LocationRow & { parent_key: string | null }, tags: TagView[]): LocationView {
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
