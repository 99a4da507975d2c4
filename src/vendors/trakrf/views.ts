/** TrakRF's wire shapes: stored rows → the JSON the API and its control plane answer (trakrf.md §5.6, §6, §7, §11). */
import type { ApiKeyRow, AssetRow, DeliveryRow, HistoryRow, OrgRow, ParentedLocationRow, ReportRow, TagRow, WebhookRow } from './store/index.js';
import { SECRET_PREFIX } from './webhooks.js';

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

/** A tag as assets and locations embed it: the row's own columns, in this order. */
export type TagView = TagRow;

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

export function locationView(row: ParentedLocationRow, tags: TagView[]): LocationView {
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

export function historyItem(r: HistoryRow): HistoryItem {
  return {
    event_observed_at: iso(r.observed_at),
    location_id: r.location_id,
    location_external_key: r.location_external_key,
    duration_seconds: r.next_at === null ? null : Math.floor((r.next_at - r.observed_at) / 1000),
  };
}

/** A report row with the start of its current run (`runStart`: the asset's dwell at its last place began then). */
export function reportItem(r: ReportRow, runStart: number): ReportItem {
  return {
    asset_id: r.asset_id,
    asset_external_key: r.asset_external_key,
    location_id: r.location_id,
    location_external_key: r.location_external_key,
    asset_last_seen: iso(r.seen),
    asset_deleted_at: isoOrNull(r.asset_deleted_at),
    dwell_started_at: iso(runStart),
    dwell_seconds: Math.floor((r.seen - runStart) / 1000),
  };
}

/** `GET /orgs/me`: the caller's org and key. Emitted from a Go map: keys in alphabetical order. */
export function currentOrgView(org: OrgRow, clientId: string, scopes: string[]): { api_key_id: string; id: number; name: string; scopes: string[] } {
  return { api_key_id: clientId, id: org.id, name: org.name, scopes };
}

/** An org on the control plane (`/__admin/orgs`). */
export function orgView(o: OrgRow): { id: number; name: string; subscription_active: boolean; created_at: string } {
  return { id: o.id, name: o.name, subscription_active: o.subscription_active === 1, created_at: iso(o.created_at) };
}

/** A key just minted (`POST /__admin/api-keys`): the only answer that holds the secret. */
export function newApiKeyView(row: ApiKeyRow, secret: string) {
  return {
    client_id: row.client_id,
    client_secret: secret,
    org_id: row.org_id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    expires_at: isoOrNull(row.expires_at),
    created_at: iso(row.created_at),
  };
}

/** `whsec_…abcd`, as the vendor masks the secret on every read after creation. */
function maskSecret(secret: string): string {
  return secret.length < SECRET_PREFIX.length + 8 ? `${SECRET_PREFIX}…` : `${SECRET_PREFIX}…${secret.slice(-4)}`;
}

/** A webhook registration; `secret` is masked unless given (only the creating answer shows it in full). */
export function webhookView(w: WebhookRow, secret = maskSecret(w.secret)) {
  return {
    id: w.id,
    org_id: w.org_id,
    url: w.url,
    secret,
    enabled: w.enabled === 1,
    created_at: iso(w.created_at),
    updated_at: isoOrNull(w.updated_at),
  };
}

export function deliveryView(d: DeliveryRow) {
  return {
    delivery_id: d.delivery_id,
    org_id: d.org_id,
    webhook_id: d.webhook_id,
    url: d.url,
    body: JSON.parse(d.body) as unknown,
    state: d.state,
    attempts: d.attempts,
    response_status: d.response_status,
    error: d.error,
    occurred_at: iso(d.occurred_at),
    created_at: iso(d.created_at),
    updated_at: iso(d.updated_at),
  };
}
