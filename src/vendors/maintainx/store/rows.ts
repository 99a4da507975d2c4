/** The row types the MaintainX store hands out, and how a `records` row is read. */

export type Json = Record<string, unknown>;

/** A `records` row: every entity of the API (work orders, assets, parts…) is one, its fields in `data`. */
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

export interface RawRow {
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

export const toRow = (r: RawRow): Row => ({
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

/** What every entity store works on: the live connection (it changes on reset), the store's clock. */
export interface Conn {
  readonly handle: import('../../../core/db.js').VendorDb;
  nowIso(): string;
  /** Throws unless inside a transaction: record and file writes happen in an operation's transaction only. */
  writing(): void;
}
