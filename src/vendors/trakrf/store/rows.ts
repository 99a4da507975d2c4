/** Row shapes of TrakRF's tables and the query inputs of the store's list queries. */

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

/** The columns assets and locations share. */
export interface KeyedRow {
  id: number;
  org_id: number;
  external_key: string;
  name: string;
  description: string | null;
  is_active: number;
  valid_from: number;
  valid_to: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface AssetRow extends KeyedRow {
  metadata: string;
}

export interface LocationRow extends KeyedRow {
  parent_id: number | null;
}

/** A location with its parent's current external_key (read through the join, so a parent rename shows through). */
export type ParentedLocationRow = LocationRow & { parent_key: string | null };

/** A live tag as assets and locations embed it. */
export interface TagRow {
  id: number;
  tag_type: string;
  value: string;
}

export type Owner = 'asset' | 'location';

/** One row of an asset's history: a minute bucket, where it was read, and the next bucket inside the window. */
export interface HistoryRow {
  observed_at: number;
  location_id: number | null;
  location_external_key: string | null;
  next_at: number | null;
}

/** One asset of the asset-locations report: its last sighting (`src_*`: the scan rows' own ids, for run lookups). */
export interface ReportRow {
  asset_id: number;
  src_asset: number;
  src_location: number | null;
  seen: number;
  asset_external_key: string;
  asset_deleted_at: number | null;
  location_id: number | null;
  location_external_key: string | null;
}

/** An org's asset.moved webhook registration. */
export interface WebhookRow {
  id: number;
  org_id: number;
  url: string;
  secret: string;
  enabled: number;
  created_at: number;
  updated_at: number | null;
}

/** One asset.moved delivery and how it went. */
export interface DeliveryRow {
  delivery_id: string;
  org_id: number;
  webhook_id: number;
  url: string;
  body: string;
  occurred_at: number;
  state: 'pending' | 'retrying' | 'delivered' | 'failed' | 'dropped';
  attempts: number;
  response_status: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

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

export interface LocationListQuery extends AssetListQuery {
  parentIds: number[];
  parentKeys: string[];
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
