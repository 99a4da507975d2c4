/**
 * The resources served by the generic CRUD routes (locations, assets, vendors, teams, meters, parts, categories, asset
 * custom statuses, work requests and portals): what each writes — its fields, defaults, reference checks and webhook
 * events — and the create / update / delete operations over such a definition, each one transaction.
 */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Filter, Json, Row } from '../store/index.js';
import { partWebhookView } from '../views/webhooks.js';
import { pick, ref, refs, write, type Actor } from './common.js';
import { moveStock, partChanges } from './parts.js';

export interface ResourceWrites {
  kind: string;
  fields: readonly string[];
  defaults?(mx: Mx): Json;
  /** Validates a create (no `row`) or update body; may normalize it (inside the transaction). */
  check?(mx: Mx, actor: Actor, body: Json, row?: Row): void;
  /** Create only: derives stored fields that are not copied verbatim from the body. */
  build?(body: Json, data: Json): void;
  createEvent?: string;
  createPayload?(row: Row): Json;
  changeEvent?: string;
  /** The change event's payload and the properties it is about (default: the stored document). */
  changePayload?(before: Row, after: Row): { payload: Json; changed?: string[] } | null;
  /** Side effects of an update inside its transaction (stock events…). */
  afterUpdate?(mx: Mx, actor: Actor, before: Row, after: Row): void;
  deleteEvent?: string;
  deletePayload?(row: Row): Json;
}

const capitalized = (kind: string) => `${kind[0].toUpperCase()}${kind.slice(1)}`;

export function createResource(mx: Mx, actor: Actor, w: ResourceWrites, b: Json): Row {
  return write(mx, () => {
    w.check?.(mx, actor, b);
    const data = pick(w.defaults?.(mx) ?? {}, b, w.fields);
    data.creatorId = actor.userId;
    w.build?.(b, data);
    const row = mx.store.records.insert(w.kind, actor.orgId, data);
    if (w.createEvent) {
      mx.hooks.emit(row.orgId, w.createEvent, w.createPayload?.(row) ?? { [`${w.kind}Id`]: row.id }, { skip: actor.skipWebhook });
    }
    return row;
  });
}

export function updateResource(mx: Mx, actor: Actor, w: ResourceWrites, row: Row, b: Json): Row {
  return write(mx, () => {
    w.check?.(mx, actor, b, row);
    const updated = mx.store.records.update(row, pick({ ...row.data }, b, w.fields));
    w.afterUpdate?.(mx, actor, row, updated);
    if (w.changeEvent) {
      const e = w.changePayload ? w.changePayload(row, updated) : { payload: { [`${w.kind}Id`]: row.id, [`new${capitalized(w.kind)}`]: { id: row.id, ...updated.data } } };
      if (e) mx.hooks.emit(row.orgId, w.changeEvent, e.payload, { skip: actor.skipWebhook, changed: e.changed });
    }
    return updated;
  });
}

export function deleteResource(mx: Mx, actor: Actor, w: ResourceWrites, row: Row): void {
  write(mx, () => {
    mx.store.records.softDelete(row);
    if (w.deleteEvent) mx.hooks.emit(row.orgId, w.deleteEvent, w.deletePayload?.(row) ?? { [`${w.kind}Id`]: row.id, [`deleted${capitalized(w.kind)}`]: { id: row.id, ...row.data } }, { skip: actor.skipWebhook });
  });
}

const notOwnParent = (row: Row | undefined, b: Json) => {
  if (row && b.parentId === row.id) throw validation([{ error: 'parentId is not valid', fieldPath: 'parentId', fieldValue: b.parentId as number }]);
};

export const LOCATIONS: ResourceWrites = {
  kind: 'location',
  fields: ['name', 'description', 'address', 'barcode', 'parentId', 'extraFields', 'vendorIds'],
  defaults: () => ({ description: null, address: null, barcode: null, parentId: null, extraFields: {}, vendorIds: [], teamIds: [] }),
  check(mx, actor, b, row) {
    ref(mx, actor.orgId, 'location', 'parentId', b.parentId);
    notOwnParent(row, b);
    refs(mx, actor.orgId, 'vendor', 'vendorIds', b.vendorIds);
  },
  createEvent: 'NEW_LOCATION',
  createPayload: (row) => ({ locationId: row.id }),
};

/** A manufacturer or model named by id or name (created when a new name is given). */
function resolveNamed(mx: Mx, org: number, kind: 'manufacturer' | 'model', v: { id?: number | null; name?: string | null }, extra: Json): Row {
  const scope: Filter[] = kind === 'model' ? [{ eq: '$.manufacturerId', value: extra.manufacturerId }] : [];
  if (v.id != null) {
    const r = mx.store.records.get(kind, v.id, [org]);
    if (!r || (kind === 'model' && r.data.manufacturerId !== extra.manufacturerId)) {
      throw validation([{ error: `${kind} is not valid`, fieldPath: `${kind}.id`, fieldValue: v.id }]);
    }
    return r;
  }
  if (typeof v.name !== 'string' || !v.name.trim()) throw validation([{ error: `${kind} is not valid`, fieldPath: `${kind}.name`, fieldValue: null }]);
  return mx.store.records.find(kind, org, { eq: '$.name', value: v.name }, ...scope)[0] ?? mx.store.records.insert(kind, org, { name: v.name, ...extra });
}

export const ASSETS: ResourceWrites = {
  kind: 'asset',
  fields: ['name', 'description', 'barcode', 'criticalityId', 'parentId', 'locationId', 'teamIds', 'assetTypes', 'extraFields', 'vendorIds', 'serialNumber', 'depreciation', 'manufacturer', 'model'],
  defaults: () => ({ description: null, barcode: null, criticalityId: null, parentId: null, locationId: null, teamIds: [], assetTypes: [], extraFields: {}, vendorIds: [], serialNumber: null }),
  check(mx, actor, b, row) {
    const org = actor.orgId;
    ref(mx, org, 'asset', 'parentId', b.parentId);
    notOwnParent(row, b);
    ref(mx, org, 'location', 'locationId', b.locationId);
    ref(mx, org, 'assetCriticality', 'criticalityId', b.criticalityId);
    // Bodies name the manufacturer/model as {id, name} (id wins; a name is looked up, and created when new);
    // assets store and return the names.
    let manufacturerId: number | null = null;
    const m = b.manufacturer as { id?: number | null; name?: string | null } | null | undefined;
    if (m !== undefined) {
      if (m === null) b.manufacturer = null;
      else {
        const r = resolveNamed(mx, org, 'manufacturer', m, {});
        manufacturerId = r.id;
        b.manufacturer = r.data.name;
      }
    }
    const md = b.model as { id?: number | null; name?: string | null } | null | undefined;
    if (md !== undefined && md !== null) {
      if (manufacturerId === null && typeof row?.data.manufacturer === 'string') {
        manufacturerId = mx.store.records.find('manufacturer', org, { eq: '$.name', value: row.data.manufacturer })[0]?.id ?? null;
      }
      if (manufacturerId === null) throw validation([{ error: 'model requires a manufacturer', fieldPath: 'model', fieldValue: null }]);
      b.model = resolveNamed(mx, org, 'model', md, { manufacturerId }).data.name;
    } else if (md === null || b.manufacturer === null) b.model = null;
    refs(mx, org, 'team', 'teamIds', b.teamIds);
    refs(mx, org, 'vendor', 'vendorIds', b.vendorIds);
  },
  createEvent: 'NEW_ASSET',
  createPayload: (row) => ({ assetId: row.id, newAsset: { name: row.data.name, description: row.data.description ?? null, locationId: row.data.locationId ?? null, barcode: row.data.barcode ?? null, parentId: row.data.parentId ?? null, vendorIds: row.data.vendorIds ?? [], teamIds: row.data.teamIds ?? [], assetTypes: row.data.assetTypes ?? [], extraFields: row.data.extraFields ?? {} } }),
};

export const ASSET_CUSTOM_STATUSES: ResourceWrites = { kind: 'assetCustomStatus', fields: ['label', 'baseAssetStatus'] };

export const CATEGORIES: ResourceWrites = {
  kind: 'category',
  fields: ['label', 'description'],
  defaults: () => ({ description: '' }),
  check(mx, actor, b, row) {
    if (typeof b.label === 'string') {
      const dup = mx.store.records.find('category', actor.orgId, { eq: '$.label', value: b.label }, { notIn: 'id', values: [row?.id ?? 0] });
      if (dup.length) throw validation([{ error: 'label already exists', fieldPath: 'label', fieldValue: b.label }]);
    }
  },
};

export const PARTS: ResourceWrites = {
  kind: 'part',
  fields: ['name', 'description', 'area', 'unitCost', 'availableQuantity', 'minimumQuantity', 'barcode', 'locationId', 'locations', 'partTypes', 'assetIds', 'teamIds', 'extraFields', 'vendors', 'committedQuantities', 'assignedQuantity', 'vendorIds'],
  defaults: () => ({ description: null, area: null, unitCost: null, availableQuantity: 0, minimumQuantity: 0, barcode: null, locationId: null, locations: [], partTypes: [], assetIds: [], teamIds: [], extraFields: {}, vendors: [], vendorIds: [], assignedQuantity: 0, committedQuantities: {} }),
  check(mx, actor, b) {
    ref(mx, actor.orgId, 'location', 'locationId', b.locationId);
    refs(mx, actor.orgId, 'asset', 'assetIds', b.assetIds);
    refs(mx, actor.orgId, 'team', 'teamIds', b.teamIds);
    refs(mx, actor.orgId, 'vendor', 'vendorIds', b.vendorIds);
  },
  createEvent: 'NEW_PART',
  createPayload: (r) => ({ partId: r.id, newPart: partWebhookView(r) }),
  changeEvent: 'PART_CHANGE',
  changePayload(before, after) {
    // A quantity change goes through moveStock (PART_QUANTITY_CHANGE + its own PART_CHANGE).
    const changed = partChanges(before.data, after.data).filter((p) => p !== 'AVAILABLE_QUANTITY');
    return changed.length ? { payload: { partId: after.id, newPart: partWebhookView(after) }, changed } : null;
  },
  afterUpdate(mx, actor, before, after) {
    const delta = Number(after.data.availableQuantity ?? 0) - Number(before.data.availableQuantity ?? 0);
    if (delta !== 0) moveStock(mx, { ...after, data: { ...after.data, availableQuantity: before.data.availableQuantity } }, delta, 'MANUAL_RESTOCK', actor.userId, { skip: actor.skipWebhook });
  },
  deleteEvent: 'PART_DELETE',
  deletePayload: (r) => ({ partId: r.id, deletedPart: partWebhookView(r) }),
};

export const VENDORS: ResourceWrites = {
  kind: 'vendor',
  fields: ['name', 'description', 'extraFields', 'emails', 'phoneNumbers'],
  defaults: () => ({ description: null, extraFields: {}, emails: [], phoneNumbers: [] }),
  createEvent: 'NEW_VENDOR',
  createPayload: (r) => ({ vendorId: r.id }),
};

export const TEAMS: ResourceWrites = {
  kind: 'team',
  fields: ['name', 'description', 'assetIds', 'locationIds'],
  defaults: () => ({ description: '', assetIds: [], locationIds: [], members: [] }),
  check(mx, actor, b) {
    refs(mx, actor.orgId, 'asset', 'assetIds', b.assetIds);
    refs(mx, actor.orgId, 'location', 'locationIds', b.locationIds);
    refs(mx, actor.orgId, 'user', 'memberIds', b.memberIds);
  },
  build(b, data) {
    if (Array.isArray(b.memberIds)) data.members = [...new Set(b.memberIds as number[])].map((id) => ({ id, teamRole: 'MEMBER' }));
  },
};

export const METERS: ResourceWrites = {
  kind: 'meter',
  fields: ['name', 'description', 'measurementType', 'readingFrequency', 'unit', 'assetId', 'locationId'],
  defaults: (mx) => ({ uuid: mx.ctx.rng.uuid(), measurementType: 'MANUAL', description: null, assetId: null, locationId: null, readingFrequency: null }),
  check(mx, actor, b) {
    ref(mx, actor.orgId, 'asset', 'assetId', b.assetId);
    ref(mx, actor.orgId, 'location', 'locationId', b.locationId);
  },
};

/** `creatorContactInfo` string → {type, value} (the spec: type inferred from the string). */
function contactInfo(v: unknown): Json | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  const value = v.trim();
  const type = /^[^\s@]+@[^\s@]+$/.test(value) ? 'EMAIL' : /^\+?[\d\s().-]{6,}$/.test(value) ? 'PHONE' : 'OTHER';
  return { type, value };
}

/**
 * Work requests. The API has no status route: a request is PENDING until a work order is created from it
 * (`POST /workorders` with `workRequestId` → APPROVED, `workOrderId` set), and DONE when that work order is done.
 */
export const WORK_REQUESTS: ResourceWrites = {
  kind: 'workRequest',
  fields: ['title', 'description', 'priority', 'assetId', 'locationId', 'extraFields', 'approverTeamId', 'creatorContactInfo'],
  defaults: () => ({ description: null, priority: 'NONE', assetId: null, locationId: null, extraFields: {}, approverTeamId: null, requestStatus: 'PENDING', workOrderId: null }),
  check(mx, actor, b) {
    ref(mx, actor.orgId, 'asset', 'assetId', b.assetId);
    ref(mx, actor.orgId, 'location', 'locationId', b.locationId);
    ref(mx, actor.orgId, 'team', 'approverTeamId', b.approverTeamId);
    if (b.title !== undefined && String(b.title).trim() === '') throw validation([{ error: 'title should not be empty', fieldPath: 'title', fieldValue: b.title as string }]);
    if ('creatorContactInfo' in b) b.creatorContactInfo = contactInfo(b.creatorContactInfo);
  },
  createEvent: 'NEW_WORK_REQUEST',
  createPayload: (r) => ({ workRequestId: r.id }),
};

export const WORK_REQUEST_PORTALS: ResourceWrites = {
  kind: 'workRequestPortal',
  fields: ['title', 'welcomeText', 'descriptionPlaceholder', 'contactInformation', 'locationId', 'assetId', 'emailOnly', 'sendEmailNotification'],
  // The public portal page lives on the vendor's app host; the fake only hands out a stable address.
  defaults: (mx) => ({ welcomeText: null, descriptionPlaceholder: null, contactInformation: null, locationId: null, assetId: null, emailOnly: false, sendEmailNotification: false, portalUrl: `https://app.getmaintainx.com/request-portal/${mx.ctx.rng.uuid()}` }),
  check(mx, actor, b) {
    ref(mx, actor.orgId, 'asset', 'assetId', b.assetId);
    ref(mx, actor.orgId, 'location', 'locationId', b.locationId);
  },
};

const CONTACT_FIELDS = ['name', 'role', 'email', 'phoneNumber', 'extension'];

/** POST /vendors/{id}/contacts. */
export function createContact(mx: Mx, vendor: Row, b: Json): Row {
  return write(mx, () => mx.store.records.insert('vendorContact', vendor.orgId, pick({}, b, CONTACT_FIELDS), { parentId: vendor.id }));
}

/** PATCH /vendors/{id}/contacts/{contactId}. */
export function updateContact(mx: Mx, r: Row, b: Json): Row {
  return write(mx, () => mx.store.records.update(r, pick({ ...r.data }, b, CONTACT_FIELDS)));
}
