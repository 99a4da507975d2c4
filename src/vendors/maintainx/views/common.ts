/** Pieces every MaintainX presenter shares: files with their URLs, the embedded asset and location, field selection. */
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';

/** How a resource presenter is called: `origin` is the request's `scheme://host` (file URLs point there). */
export type View = (mx: Mx, origin: string, row: Row, mode: 'list' | 'one', expand: Set<string>) => Json;

export const timestamps = (row: Row) => ({ createdAt: row.createdAt, updatedAt: row.updatedAt });

/** Drops the fields of `map` (expand name → field) whose expand name was not asked for. */
export const only = (o: Json, expand: Set<string>, map: Record<string, string>): Json => {
  for (const [exp, field] of Object.entries(map)) if (!expand.has(exp)) delete o[field];
  return o;
};

/** The files of a row as MaintainX shows them (`url` served by the control plane on `origin`). */
export function filesView(mx: Mx, origin: string, row: Row): { attachments: Json[]; thumbnail: Json | null; byField: Map<number, Json> } {
  const files = mx.store.files.of(row.id);
  const view = (f: (typeof files)[number]) => ({
    id: f.id,
    mimeType: f.mime,
    fileName: f.filename,
    url: `${origin}/__admin/files/${f.fileKey}`,
    createdAt: f.createdAt,
    width: null,
    height: null,
  });
  const thumb = files.find((f) => f.slot === 'thumbnail');
  const byField = new Map<number, Json>();
  for (const f of files) if (f.slot.startsWith('procedure:')) byField.set(Number(f.slot.slice(10)), view(f));
  return { attachments: files.filter((f) => f.slot === 'attachment').map(view), thumbnail: thumb ? view(thumb) : null, byField };
}

/** The `attachments` and `thumbnail` fields of an entity's answer (without the procedure-field map). */
export function fileFields(mx: Mx, origin: string, row: Row): { attachments: Json[]; thumbnail: Json | null } {
  const { attachments, thumbnail } = filesView(mx, origin, row);
  return { attachments, thumbnail };
}

/** The asset object embedded by `expand=asset` (work orders, meters). */
export function embeddedAsset(a: Row, extra = false): Json {
  const d = a.data;
  return {
    id: a.id, name: d.name, description: d.description ?? null, parentId: d.parentId ?? null, criticalityId: d.criticalityId ?? null,
    locationId: d.locationId ?? null, serialNumber: d.serialNumber ?? null, createdAt: a.createdAt, updatedAt: a.updatedAt,
    creatorId: d.creatorId ?? null, ...(extra ? { assetExtraFields: d.extraFields ?? {} } : {}),
  };
}

/** The location object embedded by `expand=location`. */
export function embeddedLocation(l: Row, extra = false): Json {
  const d = l.data;
  return {
    id: l.id, name: d.name, description: d.description ?? null, address: d.address ?? null, parentId: d.parentId ?? null,
    createdAt: l.createdAt, updatedAt: l.updatedAt, ...(extra ? { locationExtraFields: d.extraFields ?? {} } : {}),
  };
}

/**
 * `expand=asset` / `expand=location` on a record holding assetId/locationId (work orders, work requests, meters);
 * `extraFieldsExpandable` where the endpoint also offers `asset_extra_fields` / `location_extra_fields`.
 */
export function embedAssetAndLocation(mx: Mx, o: Json, r: Row, expand: Set<string>, extraFieldsExpandable = false): void {
  const d = r.data;
  if (expand.has('asset') && typeof d.assetId === 'number') {
    const a = mx.store.records.get('asset', d.assetId, [r.orgId]);
    if (a) o.asset = embeddedAsset(a, extraFieldsExpandable && expand.has('asset_extra_fields'));
  }
  if (expand.has('location') && typeof d.locationId === 'number') {
    const l = mx.store.records.get('location', d.locationId, [r.orgId]);
    if (l) o.location = embeddedLocation(l, extraFieldsExpandable && expand.has('location_extra_fields'));
  }
}
