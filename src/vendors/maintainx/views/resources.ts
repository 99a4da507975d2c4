/**
 * Presenters of the core resources: locations, assets (with their status, manufacturers, models, criticalities,
 * custom statuses), categories, parts, vendors and contacts, users and conversations, teams and members, meters.
 */
import type { Mx } from '../http.js';
import { membersOf } from '../ops/teams.js';
import type { Json, Row } from '../store/index.js';
import { embedAssetAndLocation, fileFields, only, timestamps, type View } from './common.js';

export const locationView: View = (mx, origin, row, mode, expand) => {
  const d = row.data;
  const o: Json = {
    id: row.id, name: d.name, description: d.description ?? null, address: d.address ?? null, barcode: d.barcode ?? null,
    parentId: d.parentId ?? null, organizationId: row.orgId, extraFields: d.extraFields ?? {}, teamIds: d.teamIds ?? [],
    vendorIds: d.vendorIds ?? [], ...timestamps(row),
  };
  if (mode === 'list') {
    if (o.barcode === null) delete o.barcode; // not nullable in the list schema
    return only(o, expand, { extra_fields: 'extraFields', team_ids: 'teamIds', vendor_ids: 'vendorIds', barcode: 'barcode' });
  }
  delete o.organizationId;
  o.childrenIds = mx.store.records.find('location', row.orgId, { eq: '$.parentId', value: row.id }).map((r) => r.id);
  Object.assign(o, fileFields(mx, origin, row));
  o.deletedAt = row.deletedAt;
  return o;
};

/** The asset's open status (the latest without an end), as the asset shows it. */
function assetStatusOf(mx: Mx, asset: Row): Json | null {
  const s = mx.store.records.children('assetStatus', asset.id, { isNull: '$.endedAt' }).pop();
  if (!s) return null;
  return { status: s.data.status, downtimeType: s.data.downtimeType ?? null, startedAt: s.data.startedAt, customStatusId: s.data.customStatusId ?? null };
}

export const assetView: View = (mx, origin, row, mode, expand) => {
  const d = row.data;
  const o: Json = {
    id: row.id, name: d.name, description: d.description ?? null, parentId: d.parentId ?? null, criticalityId: d.criticalityId ?? null,
    locationId: d.locationId ?? null, serialNumber: d.serialNumber ?? null, organizationId: row.orgId, creatorId: d.creatorId ?? null,
    barcode: d.barcode ?? '', teamIds: d.teamIds ?? [], assetTypes: d.assetTypes ?? [], extraFields: d.extraFields ?? {},
    vendorIds: d.vendorIds ?? [], ...timestamps(row),
  };
  if (d.depreciation) o.depreciation = d.depreciation;
  if (typeof d.manufacturer === 'string') o.manufacturer = d.manufacturer;
  if (typeof d.model === 'string') o.model = d.model;
  const status = assetStatusOf(mx, row);
  if (status) o.status = status;
  if (mode === 'list') {
    return only(o, expand, { barcode: 'barcode', team_ids: 'teamIds', asset_types: 'assetTypes', extra_fields: 'extraFields', vendor_ids: 'vendorIds', depreciation: 'depreciation', status: 'status', manufacturer: 'manufacturer', model: 'model' });
  }
  delete o.organizationId;
  o.currentOwnerId = d.creatorId ?? 0;
  o.childrenIds = mx.store.records.find('asset', row.orgId, { eq: '$.parentId', value: row.id }).map((r) => r.id);
  Object.assign(o, fileFields(mx, origin, row));
  o.deletedAt = row.deletedAt;
  return o;
};

/** A manufacturer or a model (lists also name the organization). */
export const namedView = (r: Row, list: boolean): Json => ({
  id: r.id,
  name: r.data.name,
  ...(r.kind === 'model' ? { manufacturerId: r.data.manufacturerId ?? null } : {}),
  ...(list ? { organizationId: r.orgId } : {}),
});

/** An asset status (GET /assetstatuses, ASSET_STATUS_CHANGE's oldStatus/newStatus). */
export function assetStatusView(s: Row): Json {
  return {
    id: s.id, customStatusId: s.data.customStatusId ?? null, assetId: s.parentId, status: s.data.status, downtimeType: s.data.downtimeType ?? null,
    startedAt: s.data.startedAt, endedAt: s.data.endedAt ?? null, organizationId: s.orgId, creatorId: s.data.creatorId, updaterId: s.data.updaterId ?? null,
    createdAt: s.createdAt, updatedAt: s.updatedAt, deletedAt: s.deletedAt, description: s.data.description ?? null,
  };
}

/** The answer of POST /assets/{assetId}/status. */
export const newAssetStatusView = (s: Row): Json => {
  const d = s.data;
  return { id: s.id, status: d.status, downtimeType: d.downtimeType, startedAt: d.startedAt, customStatusId: d.customStatusId, updatedAt: s.updatedAt };
};

export const criticalityView = (r: Row): Json => ({ id: r.id, label: r.data.label, level: r.data.level });

export const customStatusView: View = (_mx, _origin, r) => ({
  id: r.id, baseAssetStatus: r.data.baseAssetStatus, label: r.data.label, ...timestamps(r), deletedAt: r.deletedAt,
  downtimeType: r.data.baseAssetStatus === 'OFFLINE' ? 'UNPLANNED' : null,
});

export const categoryView: View = (mx, _origin, r, mode) => {
  const o: Json = { id: r.id, label: r.data.label, description: r.data.description ?? '' };
  if (mode === 'one') {
    o.workOrderCount = mx.store.records.count('workOrder', r.orgId, { has: '$.categories', values: [r.data.label] });
    o.updatedAt = r.updatedAt;
  }
  return o;
};

export const partView: View = (mx, origin, r, mode, expand) => {
  const d = r.data;
  const o: Json = {
    id: r.id, name: d.name, description: d.description ?? null, area: d.area ?? null, unitCost: d.unitCost ?? null,
    availableQuantity: d.availableQuantity ?? 0, inStockQuantity: d.availableQuantity ?? 0, minimumQuantity: d.minimumQuantity ?? 0,
    barcode: d.barcode ?? null, locationId: d.locationId ?? null, locations: d.locations ?? [], partTypes: d.partTypes ?? [],
    assetIds: d.assetIds ?? [], teamIds: d.teamIds ?? [], extraFields: d.extraFields ?? {}, vendors: d.vendors ?? [],
    orderedQuantity: 0, reservedQuantity: 0, committedQuantities: d.committedQuantities ?? {}, assignedQuantity: d.assignedQuantity ?? 0,
    vendorIds: d.vendorIds ?? [], organizationId: r.orgId, ...timestamps(r), deletedAt: r.deletedAt,
  };
  if (mode === 'list') return only(o, expand, { extra_fields: 'extraFields', vendors: 'vendors' });
  delete o.organizationId;
  Object.assign(o, fileFields(mx, origin, r));
  return o;
};

export const vendorView: View = (mx, origin, r, mode, expand) => {
  const o: Json = { id: r.id, name: r.data.name, extraFields: r.data.extraFields ?? {} };
  if (mode === 'list') return only(o, expand, { extra_fields: 'extraFields' });
  Object.assign(o, {
    emails: r.data.emails ?? [], phoneNumbers: r.data.phoneNumbers ?? [], description: r.data.description ?? null,
    contactIds: mx.store.records.children('vendorContact', r.id).map((x) => x.id), deletedAt: r.deletedAt,
    ...fileFields(mx, origin, r),
  });
  return o;
};

export const contactView = (r: Row): Json => ({
  id: r.id, name: r.data.name, role: r.data.role ?? null, email: r.data.email ?? null, phoneNumber: r.data.phoneNumber ?? null,
  extension: r.data.extension ?? null, vendorId: r.parentId,
});

export function userView(r: Row, mode: 'list' | 'one', expand: Set<string>): Json {
  const d = r.data;
  const o: Json = {
    id: r.id, firstName: d.firstName, lastName: d.lastName, email: d.email ?? null, phoneNumber: d.phoneNumber ?? null,
    authType: d.authType ?? 'NORMAL', hourlyRate: d.hourlyRate ?? null, lastVisitedAt: d.lastVisitedAt ?? null, role: d.role ?? 'MEMBER',
    extraFields: d.extraFields ?? {},
  };
  if (mode === 'list') return only(o, expand, { role: 'role', extra_fields: 'extraFields' });
  return { ...o, customRole: d.customRole ?? null, removedFromOrganization: d.removedFromOrganization === true, externalData: d.externalData ?? null };
}

export const conversationView = (r: Row): Json => ({ id: r.id, type: r.data.type, name: (r.data.name as string) ?? null });

export const conversationMemberView = (u: Row): Json => ({ id: u.id, firstName: u.data.firstName, lastName: u.data.lastName });

export const teamView: View = (_mx, _origin, r, mode) => {
  const o: Json = { id: r.id, name: r.data.name };
  if (mode === 'one') Object.assign(o, { description: r.data.description ?? '', assetIds: r.data.assetIds ?? [], membersCount: membersOf(r).length, locationIds: r.data.locationIds ?? [] });
  return o;
};

export function teamMemberView(mx: Mx, orgId: number, m: { id: number; teamRole: string }): Json {
  const u = mx.store.records.get('user', m.id, [orgId]);
  return { id: m.id, firstName: u?.data.firstName ?? '', lastName: u?.data.lastName ?? '', teamRole: m.teamRole };
}

function lastReading(mx: Mx, r: Row): Json | null {
  const x = mx.store.records.children('meterReading', r.id).pop();
  return x ? { id: String(x.id), meterId: r.id, value: x.data.value, readingDate: x.data.readingDate, createdAt: x.createdAt } : null;
}

export const meterView: View = (mx, _origin, r, _mode, expand) => {
  const d = r.data;
  const o: Json = {
    id: r.id, assetId: d.assetId ?? null, locationId: d.locationId ?? null, creatorId: d.creatorId ?? 0, updaterId: d.updaterId ?? null,
    name: d.name, uuid: d.uuid, description: d.description ?? null, measurementType: d.measurementType ?? 'MANUAL',
    readingFrequency: d.readingFrequency ?? null, unit: d.unit, ...timestamps(r), deletedAt: r.deletedAt,
  };
  embedAssetAndLocation(mx, o, r, expand);
  if (expand.has('last_reading')) {
    const lr = lastReading(mx, r);
    if (lr) o.lastReading = lr;
  }
  return o;
};
