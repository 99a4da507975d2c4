/**
 * The other core resources through one CRUD factory (create → `{id}`, get → `{<singular>}`, list → page, patch →
 * `{<singular>}`, delete → 204), each with its own fields, presenter, filters, 404 strings (from the spec) and events.
 */
import type { Hono } from 'hono';
import { deleteRecord } from '../ops/common.js';
import { createNamed, setAssetStatus, updateAssetStatus } from '../ops/assets.js';
import {
  ASSET_CUSTOM_STATUSES,
  ASSETS,
  CATEGORIES,
  createContact,
  createResource,
  deleteResource,
  LOCATIONS,
  METERS,
  PARTS,
  TEAMS,
  updateContact,
  updateResource,
  VENDORS,
  type ResourceWrites,
} from '../ops/resources.js';
import { recordReading, recordReadings } from '../ops/meters.js';
import { checkCanInvite, createUser, messageUser, postMessage, removeUser, updateUser } from '../ops/users.js';
import { addTeamMember, membersOf, removeTeamMember, updateTeamMember } from '../ops/teams.js';
import { assetStatusView } from '../views.js';
import { notFound, MxError } from '../errors.js';
import { actorOf, body, lazyActorOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { enumList, expandParam, intList, intParam, one, sortParam, stringList, type Sort } from '../query.js';
import type { Filter, Json, Row } from '../store/index.js';
import { attachmentRoutes, fileFields, dateFilters, embedAssetAndLocation, need } from './shared.js';

interface ResourceDef {
  /** What the resource writes (ops/resources.ts). */
  writes: ResourceWrites;
  base: string;
  one: string;
  /** Key of the PATCH envelope when it differs from `one` (e.g. `assetcustomstatus`). */
  patchKey?: string;
  many: string;
  createStatus: 200 | 201;
  present(c: C, row: Row, mode: 'list' | 'one', expand: Set<string>): Json;
  listFilters?(c: C, filters: Filter[]): Sort | void;
  listExpand?: readonly string[];
  getExpand?: readonly string[];
  attachments?: boolean;
}

const customFieldFilter = (c: C, filters: Filter[]) => {
  const names = stringList(params(c), 'customFieldName');
  if (names) {
    filters.push({ hasKey: '$.extraFields', values: names });
  }
};

export function crud(app: Hono<Env>, mx: Mx, def: ResourceDef): void {
  const { base } = def;
  const kind = def.writes.kind;

  app.post(base, async (c) => {
    const b = await body(c, `POST ${base}`);
    const row = createResource(mx, lazyActorOf(c), def.writes, b);
    return c.json({ id: row.id }, def.createStatus);
  });

  app.get(base, async (c) => {
    const expand = expandParam(params(c), def.listExpand ?? []);
    const filters: Filter[] = [];
    const sort = def.listFilters?.(c, filters) ?? undefined;
    return c.json(
      await page(c, mx, { kind, listKey: def.many, orgIds: c.env.orgIds, filters, sort, present: (r) => def.present(c, r, 'list', expand) }),
    );
  });

  app.get(`${base}/:id`, (c) => {
    const expand = expandParam(params(c), def.getExpand ?? []);
    const row = need(mx, c, kind, `GET ${base}/{id}`);
    return c.json({ [def.one]: def.present(c, row, 'one', expand) });
  });

  app.patch(`${base}/:id`, async (c) => {
    const row = need(mx, c, kind, `PATCH ${base}/{id}`);
    const b = await body(c, `PATCH ${base}/{id}`);
    const updated = updateResource(mx, lazyActorOf(c), def.writes, row, b);
    return c.json({ [def.patchKey ?? def.one]: def.present(c, updated, 'one', new Set()) });
  });

  app.delete(`${base}/:id`, (c) => {
    deleteResource(mx, lazyActorOf(c), def.writes, need(mx, c, kind, `DELETE ${base}/{id}`));
    return c.body(null, 204);
  });

  if (def.attachments) attachmentRoutes(app, mx, base, kind);
}

const ts = (row: Row) => ({ createdAt: row.createdAt, updatedAt: row.updatedAt });
const only = (o: Json, expand: Set<string>, map: Record<string, string>) => {
  for (const [exp, field] of Object.entries(map)) if (!expand.has(exp)) delete o[field];
  return o;
};

export function resourceRoutes(app: Hono<Env>, mx: Mx): void {
  // ---- locations ----------------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: LOCATIONS, base: '/locations', one: 'location', many: 'locations', createStatus: 200,
    listExpand: ['extra_fields', 'team_ids', 'vendor_ids', 'barcode'],
    listFilters(c, filters) {
      const name = one(params(c), 'name');
      if (name !== undefined) {
        filters.push({ contains: '$.name', text: name });
      }
      customFieldFilter(c, filters);
    },
    present(c, row, mode, expand) {
      const d = row.data;
      const o: Json = {
        id: row.id, name: d.name, description: d.description ?? null, address: d.address ?? null, barcode: d.barcode ?? null,
        parentId: d.parentId ?? null, organizationId: row.orgId, extraFields: d.extraFields ?? {}, teamIds: d.teamIds ?? [],
        vendorIds: d.vendorIds ?? [], ...ts(row),
      };
      if (mode === 'list') {
        if (o.barcode === null) delete o.barcode; // not nullable in the list schema
        return only(o, expand, { extra_fields: 'extraFields', team_ids: 'teamIds', vendor_ids: 'vendorIds', barcode: 'barcode' });
      }
      delete o.organizationId;
      o.childrenIds = mx.store.records.find('location', row.orgId, { eq: '$.parentId', value: row.id }).map((r) => r.id);
      Object.assign(o, fileFields(mx, c, row));
      o.deletedAt = row.deletedAt;
      return o;
    },
    attachments: true,
  });

  // ---- assets -------------------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: ASSETS, base: '/assets', one: 'asset', many: 'assets', createStatus: 201,
    listExpand: ['barcode', 'team_ids', 'asset_types', 'extra_fields', 'vendor_ids', 'depreciation', 'status', 'manufacturer', 'model'],
    listFilters(c, filters) {
      const p = params(c);
      const loc = intParam(p, 'locationId');
      if (loc !== undefined) {
        filters.push({ eq: '$.locationId', value: loc });
      }
      for (const f of ['manufacturer', 'model']) {
        const v = stringList(p, f);
        if (v) {
          filters.push({ in: `$.${f}`, values: v });
        }
      }
      dateFilters(c, filters);
      customFieldFilter(c, filters);
      return sortParam(p, ['id', 'createdAt', 'updatedAt'], { field: 'id', desc: false });
    },
    present(c, row, mode, expand) {
      const d = row.data;
      const o: Json = {
        id: row.id, name: d.name, description: d.description ?? null, parentId: d.parentId ?? null, criticalityId: d.criticalityId ?? null,
        locationId: d.locationId ?? null, serialNumber: d.serialNumber ?? null, organizationId: row.orgId, creatorId: d.creatorId ?? null,
        barcode: d.barcode ?? '', teamIds: d.teamIds ?? [], assetTypes: d.assetTypes ?? [], extraFields: d.extraFields ?? {},
        vendorIds: d.vendorIds ?? [], ...ts(row),
      };
      if (d.depreciation) o.depreciation = d.depreciation;
      if (typeof d.manufacturer === 'string') o.manufacturer = d.manufacturer;
      if (typeof d.model === 'string') o.model = d.model;
      const status = assetStatusOf(row);
      if (status) o.status = status;
      if (mode === 'list') {
        return only(o, expand, { barcode: 'barcode', team_ids: 'teamIds', asset_types: 'assetTypes', extra_fields: 'extraFields', vendor_ids: 'vendorIds', depreciation: 'depreciation', status: 'status', manufacturer: 'manufacturer', model: 'model' });
      }
      delete o.organizationId;
      o.currentOwnerId = d.creatorId ?? 0;
      o.childrenIds = mx.store.records.find('asset', row.orgId, { eq: '$.parentId', value: row.id }).map((r) => r.id);
      Object.assign(o, fileFields(mx, c, row));
      o.deletedAt = row.deletedAt;
      return o;
    },
    attachments: true,
  });

  // ---- manufacturers and models ----------------------------------------------------------------------------------
  for (const def of [
    { kind: 'manufacturer', base: '/manufacturers', one: 'manufacturer', many: 'manufacturers' },
    { kind: 'model', base: '/models', one: 'model', many: 'models' },
  ] as const) {
    const view = (r: Row, list: boolean): Json => ({
      id: r.id,
      name: r.data.name,
      ...(def.kind === 'model' ? { manufacturerId: r.data.manufacturerId ?? null } : {}),
      ...(list ? { organizationId: r.orgId } : {}),
    });
    app.post(def.base, async (c) => {
      const b = await body(c, `POST ${def.base}`);
      return c.json({ id: createNamed(mx, lazyActorOf(c), def.kind, b).id }, 201);
    });
    app.get(def.base, async (c) => c.json(await page(c, mx, { kind: def.kind, listKey: def.many, orgIds: c.env.orgIds, present: (r) => view(r, true) })));
    app.get(`${def.base}/:id`, (c) => c.json({ [def.one]: view(need(mx, c, def.kind, `GET ${def.base}/{id}`), false) }));
  }

  const assetStatusOf = (asset: Row): Json | null => {
    const s = mx.store.records.children('assetStatus', asset.id, { isNull: '$.endedAt' }).pop();
    if (!s) return null;
    return { status: s.data.status, downtimeType: s.data.downtimeType ?? null, startedAt: s.data.startedAt, customStatusId: s.data.customStatusId ?? null };
  };
  const presentStatus = assetStatusView;

  app.post('/assets/:assetId/status', async (c) => {
    const asset = need(mx, c, 'asset', 'POST /assets/{assetId}/status', 'assetId');
    const b = await body(c, 'POST /assets/{assetId}/status');
    const s = setAssetStatus(mx, lazyActorOf(c), asset, b);
    const d = s.data;
    return c.json({ assetStatus: { id: s.id, status: d.status, downtimeType: d.downtimeType, startedAt: d.startedAt, customStatusId: d.customStatusId, updatedAt: s.updatedAt } }, 201);
  });

  app.get('/assetstatuses', async (c) => {
    const p = params(c);
    const filters: Filter[] = [];
    const ids = intList(p, 'assetId');
    if (ids) {
      filters.push({ in: 'parent_id', values: ids });
    }
    const sort = sortParam(p, ['createdAt', 'updatedAt', 'startedAt', 'endedAt'], { field: 'id', desc: false });
    const s = sort.field === 'startedAt' ? { ...sort, field: 'createdAt' } : sort;
    return c.json(await page(c, mx, { kind: 'assetStatus', listKey: 'assetStatuses', orgIds: c.env.orgIds, filters, sort: s, present: presentStatus }));
  });

  app.patch('/assetstatuses/:id', async (c) => {
    const row = need(mx, c, 'assetStatus', 'PATCH /assetstatuses/{id}');
    const b = await body(c, 'PATCH /assetstatuses/{id}');
    return c.json({ assetStatus: presentStatus(updateAssetStatus(mx, lazyActorOf(c), row, b)) });
  });

  // ---- criticalities (read-only, seeded per organization) -----------------------------------------------------
  const presentCrit = (r: Row): Json => ({ id: r.id, label: r.data.label, level: r.data.level });
  app.get('/assetcriticalities', async (c) => {
    const p = params(c);
    const filters: Filter[] = [];
    const label = one(p, 'label');
    if (label !== undefined) {
      filters.push({ eq: '$.label', value: label });
    }
    const level = intParam(p, 'level');
    if (level !== undefined) {
      filters.push({ eq: '$.level', value: level });
    }
    return c.json(await page(c, mx, { kind: 'assetCriticality', listKey: 'assetCriticalities', orgIds: c.env.orgIds, filters, present: presentCrit }));
  });
  app.get('/assetcriticalities/:id', (c) => c.json({ assetCriticality: presentCrit(need(mx, c, 'assetCriticality', 'GET /assetcriticalities/{id}')) }));

  // ---- asset custom statuses ----------------------------------------------------------------------------------
  crud(app, mx, {
    writes: ASSET_CUSTOM_STATUSES, base: '/assetcustomstatuses', one: 'assetCustomStatus', patchKey: 'assetcustomstatus', many: 'assetCustomStatuses',
    createStatus: 201,
    present: (_c, r) => ({ id: r.id, baseAssetStatus: r.data.baseAssetStatus, label: r.data.label, ...ts(r), deletedAt: r.deletedAt, downtimeType: r.data.baseAssetStatus === 'OFFLINE' ? 'UNPLANNED' : null }),
  });

  // ---- categories ---------------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: CATEGORIES, base: '/categories', one: 'category', many: 'categories', createStatus: 201,
    present(_c, r, mode) {
      const o: Json = { id: r.id, label: r.data.label, description: r.data.description ?? '' };
      if (mode === 'one') {
        o.workOrderCount = mx.store.records.count('workOrder', r.orgId, { has: '$.categories', values: [r.data.label] });
        o.updatedAt = r.updatedAt;
      }
      return o;
    },
  });

  // ---- parts --------------------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: PARTS, base: '/parts', one: 'part', many: 'parts', createStatus: 201,
    listExpand: ['extra_fields', 'vendors'],
    listFilters(c, filters) {
      const p = params(c);
      const nums = stringList(p, 'partNumber');
      if (nums) {
        filters.push({ in: '$.barcode', values: nums });
      }
      dateFilters(c, filters);
      customFieldFilter(c, filters);
      return sortParam(p, ['id', 'createdAt', 'updatedAt'], { field: 'id', desc: false });
    },
    present(c, r, mode, expand) {
      const d = r.data;
      const o: Json = {
        id: r.id, name: d.name, description: d.description ?? null, area: d.area ?? null, unitCost: d.unitCost ?? null,
        availableQuantity: d.availableQuantity ?? 0, inStockQuantity: d.availableQuantity ?? 0, minimumQuantity: d.minimumQuantity ?? 0,
        barcode: d.barcode ?? null, locationId: d.locationId ?? null, locations: d.locations ?? [], partTypes: d.partTypes ?? [],
        assetIds: d.assetIds ?? [], teamIds: d.teamIds ?? [], extraFields: d.extraFields ?? {}, vendors: d.vendors ?? [],
        orderedQuantity: 0, reservedQuantity: 0, committedQuantities: d.committedQuantities ?? {}, assignedQuantity: d.assignedQuantity ?? 0,
        vendorIds: d.vendorIds ?? [], organizationId: r.orgId, ...ts(r), deletedAt: r.deletedAt,
      };
      if (mode === 'list') return only(o, expand, { extra_fields: 'extraFields', vendors: 'vendors' });
      delete o.organizationId;
      Object.assign(o, fileFields(mx, c, r));
      return o;
    },
    attachments: true,
  });

  // ---- vendors + contacts -------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: VENDORS, base: '/vendors', one: 'vendor', many: 'vendors', createStatus: 201,
    listExpand: ['extra_fields'],
    listFilters: (c, filters) => customFieldFilter(c, filters),
    present(c, r, mode, expand) {
      const o: Json = { id: r.id, name: r.data.name, extraFields: r.data.extraFields ?? {} };
      if (mode === 'list') return only(o, expand, { extra_fields: 'extraFields' });
      Object.assign(o, {
        emails: r.data.emails ?? [], phoneNumbers: r.data.phoneNumbers ?? [], description: r.data.description ?? null,
        contactIds: mx.store.records.children('vendorContact', r.id).map((x) => x.id), deletedAt: r.deletedAt,
        ...fileFields(mx, c, r),
      });
      return o;
    },
    attachments: true,
  });

  const presentContact = (r: Row): Json => ({ id: r.id, name: r.data.name, role: r.data.role ?? null, email: r.data.email ?? null, phoneNumber: r.data.phoneNumber ?? null, extension: r.data.extension ?? null, vendorId: r.parentId });
  const contact = (c: C, key: string): Row => {
    const vendor = mx.store.records.get('vendor', pathId(c), c.env.orgIds);
    const r = vendor ? mx.store.records.getChild('vendorContact', pathId(c, 'contactId'), vendor.id) : null;
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };
  app.post('/vendors/:id/contacts', async (c) => {
    const vendor = need(mx, c, 'vendor', 'POST /vendors/{id}/contacts');
    const b = await body(c, 'POST /vendors/{id}/contacts');
    return c.json(presentContact(createContact(mx, vendor, b)), 201);
  });
  app.get('/vendors/:id/contacts', async (c) => {
    const vendor = need(mx, c, 'vendor', 'GET /vendors/{id}/contacts');
    return c.json(await page(c, mx, { kind: 'vendorContact', listKey: 'contacts', orgIds: [vendor.orgId], parentId: vendor.id, present: presentContact }));
  });
  app.get('/vendors/:id/contacts/:contactId', (c) => c.json({ vendorContact: presentContact(contact(c, 'GET /vendors/{id}/contacts/{contactId}')) }));
  app.patch('/vendors/:id/contacts/:contactId', async (c) => {
    const r = contact(c, 'PATCH /vendors/{id}/contacts/{contactId}');
    const b = await body(c, 'PATCH /vendors/{id}/contacts/{contactId}');
    return c.json({ contact: presentContact(updateContact(mx, r, b)) });
  });
  app.delete('/vendors/:id/contacts/:contactId', (c) => {
    deleteRecord(mx, contact(c, 'DELETE /vendors/{id}/contacts/{contactId}'));
    return c.body(null, 204);
  });

  // ---- users + messages ---------------------------------------------------------------------------------------
  const presentUser = (_c: C, r: Row, mode: 'list' | 'one', expand: Set<string>): Json => {
    const d = r.data;
    const o: Json = {
      id: r.id, firstName: d.firstName, lastName: d.lastName, email: d.email ?? null, phoneNumber: d.phoneNumber ?? null,
      authType: d.authType ?? 'NORMAL', hourlyRate: d.hourlyRate ?? null, lastVisitedAt: d.lastVisitedAt ?? null, role: d.role ?? 'MEMBER',
      extraFields: d.extraFields ?? {},
    };
    if (mode === 'list') return only(o, expand, { role: 'role', extra_fields: 'extraFields' });
    return { ...o, customRole: d.customRole ?? null, removedFromOrganization: d.removedFromOrganization === true, externalData: d.externalData ?? null };
  };
  app.post('/users', async (c) => {
    checkCanInvite(mx, c.env.userId, c.env.keyOrgIds);
    const b = await body(c, 'POST /users');
    return c.json({ id: createUser(mx, actorOf(c), b).id }, 201);
  });
  app.get('/users', async (c) => {
    const p = params(c);
    const expand = expandParam(p, ['role', 'extra_fields']);
    const filters: Filter[] = [{ notTrue: '$.removedFromOrganization' }];
    const emails = stringList(p, 'email');
    if (emails) {
      filters.push({ in: '$.email', values: emails });
    }
    const assignable = one(p, 'onlyAssignable');
    if (assignable === 'true') filters.push({ notIn: '$.role', values: ['REQUESTER', 'SERVICE_ACCOUNT'] });
    return c.json(await page(c, mx, { kind: 'user', listKey: 'users', orgIds: c.env.orgIds, filters, present: (r) => presentUser(c, r, 'list', expand) }));
  });
  app.get('/users/:id', (c) => c.json({ user: presentUser(c, need(mx, c, 'user', 'GET /users/{id}'), 'one', new Set()) }));
  app.patch('/users/:id', async (c) => {
    const r = need(mx, c, 'user', 'PATCH /users/{id}');
    const b = await body(c, 'PATCH /users/{id}');
    return c.json({ user: presentUser(c, updateUser(mx, actorOf(c), c.env.keyOrgIds, r, b), 'one', new Set()) });
  });
  app.delete('/users/:id', (c) => {
    removeUser(mx, actorOf(c), c.env.keyOrgIds, need(mx, c, 'user', 'DELETE /users/{id}'));
    return c.body(null, 204);
  });
  app.post('/users/:id/messages', async (c) => {
    const r = need(mx, c, 'user', 'POST /users/{id}/messages');
    const b = await body(c, 'POST /users/{id}/messages');
    return c.json({ conversationId: messageUser(mx, actorOf(c), r, b.content).id }, 201);
  });

  // ---- conversations (the caller's own: direct messages created through POST /users/{id}/messages) ------------
  const memberOf = (c: C, r: Row) => ((r.data.memberIds as number[]) ?? []).includes(c.env.userId);
  const conversation = (c: C, key: string): Row => {
    const r = mx.store.records.get('conversation', pathId(c), c.env.orgIds);
    if (!r || !memberOf(c, r)) throw notFound(notFoundMessage(key));
    return r;
  };
  app.get('/conversations', async (c) => {
    const p = params(c);
    const filters: Filter[] = [{ has: '$.memberIds', values: [c.env.userId] }];
    const types = enumList(p, 'type', ['GROUP', 'DM', 'TEAM'] as const);
    if (types) {
      filters.push({ in: '$.type', values: types });
    }
    if (one(p, 'onlyNamed') === 'true') filters.push({ notNull: '$.name' });
    return c.json(await page(c, mx, { kind: 'conversation', listKey: 'conversations', orgIds: c.env.orgIds, filters, present: (r) => ({ id: r.id, type: r.data.type, name: (r.data.name as string) ?? null }) }));
  });
  app.get('/conversations/:id/members', async (c) => {
    const conv = conversation(c, 'GET /conversations/{id}/members');
    return c.json(
      await page(c, mx, {
        kind: 'user',
        listKey: 'members',
        orgIds: [conv.orgId],
        filters: [{ in: 'id', values: (conv.data.memberIds as number[]) ?? [] }],
        present: (u) => ({ id: u.id, firstName: u.data.firstName, lastName: u.data.lastName }),
      }),
    );
  });
  app.post('/conversations/:id/messages', async (c) => {
    const conv = conversation(c, 'POST /conversations/{id}/messages');
    const b = await body(c, 'POST /conversations/{id}/messages');
    return c.json({ id: postMessage(mx, actorOf(c), conv, b.content).id }, 201);
  });

  // ---- teams + members ----------------------------------------------------------------------------------------
  const members = membersOf;
  crud(app, mx, {
    writes: TEAMS, base: '/teams', one: 'team', many: 'teams', createStatus: 201,
    present(_c, r, mode) {
      const o: Json = { id: r.id, name: r.data.name };
      if (mode === 'one') Object.assign(o, { description: r.data.description ?? '', assetIds: r.data.assetIds ?? [], membersCount: members(r).length, locationIds: r.data.locationIds ?? [] });
      return o;
    },
  });
  const presentMember = (orgId: number, m: { id: number; teamRole: string }): Json => {
    const u = mx.store.records.get('user', m.id, [orgId]);
    return { id: m.id, firstName: u?.data.firstName ?? '', lastName: u?.data.lastName ?? '', teamRole: m.teamRole };
  };
  app.post('/teams/:id/members', async (c) => {
    const team = need(mx, c, 'team', 'POST /teams/{id}/members');
    const b = await body(c, 'POST /teams/{id}/members');
    return c.json({ id: addTeamMember(mx, team, b) }, 201);
  });
  app.get('/teams/:id/members', (c) => {
    const team = need(mx, c, 'team', 'GET /teams/{id}/members');
    // Members live inside the team document; paged by user id.
    const p = params(c);
    const all = members(team).slice().sort((a, b) => a.id - b.id);
    const limit = (() => { const v = one(p, 'limit'); return v === undefined ? 100 : Number(v); })();
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new MxError(400, { error: 'limit must be between 1 and 200' });
    const cur = one(p, 'cursor');
    let after = 0;
    if (cur !== undefined) {
      const m = /^m(\d{1,15})$/.exec(Buffer.from(cur, 'base64url').toString('utf8'));
      if (!m) throw new MxError(400, { error: 'Invalid cursor' });
      after = Number(m[1]);
    }
    const rest = all.filter((m) => m.id > after);
    const pageItems = rest.slice(0, limit);
    const next = rest.length > limit ? Buffer.from(`m${pageItems[pageItems.length - 1].id}`).toString('base64url') : null;
    const url = new URL(c.req.url);
    url.searchParams.set('cursor', next ?? '');
    return c.json({ members: pageItems.map((m) => presentMember(team.orgId, m)), nextCursor: next, nextPageUrl: next ? url.pathname + url.search : null });
  });
  const member = (c: C, key: string) => {
    const team = mx.store.records.get('team', pathId(c, 'teamId'), c.env.orgIds);
    const userId = pathId(c, 'userId');
    const m = team ? members(team).find((x) => x.id === userId) : undefined;
    if (!team || !m) throw notFound(notFoundMessage(key));
    return { team, m };
  };
  app.patch('/teams/:teamId/members/:userId', async (c) => {
    const { team, m } = member(c, 'PATCH /teams/{teamId}/members/{userId}');
    const b = await body(c, 'PATCH /teams/{teamId}/members/{userId}');
    return c.json({ member: presentMember(team.orgId, updateTeamMember(mx, team, m, b)) });
  });
  app.delete('/teams/:teamId/members/:userId', (c) => {
    const { team, m } = member(c, 'DELETE /teams/{teamId}/members/{userId}');
    removeTeamMember(mx, team, m);
    return c.body(null, 204);
  });

  // ---- meters + readings --------------------------------------------------------------------------------------
  const lastReading = (r: Row) => {
    const x = mx.store.records.children('meterReading', r.id).pop();
    return x ? { id: String(x.id), meterId: r.id, value: x.data.value, readingDate: x.data.readingDate, createdAt: x.createdAt } : null;
  };
  const presentMeter = (_c: C, r: Row, _m: 'list' | 'one', expand: Set<string>): Json => {
    const d = r.data;
    const o: Json = {
      id: r.id, assetId: d.assetId ?? null, locationId: d.locationId ?? null, creatorId: d.creatorId ?? 0, updaterId: d.updaterId ?? null,
      name: d.name, uuid: d.uuid, description: d.description ?? null, measurementType: d.measurementType ?? 'MANUAL',
      readingFrequency: d.readingFrequency ?? null, unit: d.unit, ...ts(r), deletedAt: r.deletedAt,
    };
    embedAssetAndLocation(mx, o, r, expand);
    if (expand.has('last_reading')) {
      const lr = lastReading(r);
      if (lr) o.lastReading = lr;
    }
    return o;
  };
  crud(app, mx, {
    writes: METERS, base: '/meters', one: 'meter', many: 'meters', createStatus: 201,
    listExpand: ['asset', 'location', 'last_reading'],
    getExpand: ['asset', 'location', 'last_reading'],
    listFilters(c, filters) {
      const p = params(c);
      const type = enumList(p, 'measurementType', ['MANUAL', 'IOT_DEVICE', 'AUTOMATED_SENSOR'] as const);
      if (type) {
        if (type.length > 1) throw new MxError(400, { error: 'measurementType must be a single value' });
        filters.push({ eq: '$.measurementType', value: type[0] });
      }
      const assets = intList(p, 'assets');
      if (assets) {
        filters.push({ in: '$.assetId', values: assets });
      }
    },
    present: presentMeter,
  });

  app.post('/meters/:meterId/readings', async (c) => {
    const meter = need(mx, c, 'meter', 'POST /meters/{meterId}/readings', 'meterId');
    const b = await body(c, 'POST /meters/{meterId}/readings');
    const r = recordReading(mx, actorOf(c), meter, b.readingValue as number, b.readingDate as string | undefined);
    return c.json({ id: String(r.id), createdAt: r.createdAt, readingDate: r.data.readingDate, readingValue: b.readingValue }, 201);
  });

  app.post('/meterreadings', async (c) => {
    const b = await body<Json[]>(c, 'POST /meterreadings');
    const out = recordReadings(mx, actorOf(c), c.env.orgIds, b as Array<{ meterId: number; value: number; readingDate?: string }>);
    return c.json(out.map(({ meter, reading, value }) => ({ meterId: meter.id, value, createdAt: reading.createdAt, readingDate: reading.data.readingDate })), 201);
  });
}
