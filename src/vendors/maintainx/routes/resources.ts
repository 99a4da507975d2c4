/**
 * The other core resources through one CRUD factory (create → `{id}`, get → `{<singular>}`, list → page, patch →
 * `{<singular>}`, delete → 204), each with its own writes (ops/resources.ts), view, list filters and 404 strings (from
 * the spec); and the routes of asset statuses, users, conversations, team members, vendor contacts and meter readings.
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
import { type View } from '../views/common.js';
import {
  assetStatusView,
  assetView,
  categoryView,
  contactView,
  conversationMemberView,
  conversationView,
  criticalityView,
  customStatusView,
  locationView,
  meterView,
  namedView,
  newAssetStatusView,
  partView,
  teamMemberView,
  teamView,
  userView,
  vendorView,
} from '../views/resources.js';
import { notFound, MxError } from '../errors.js';
import { actorOf, body, lazyActorOf, originOf, page, params, pathId, type C, type Env, type Mx } from '../http.js';
import { notFoundMessage } from '../openapi.js';
import { enumList, expandParam, intList, intParam, one, sortParam, stringList, type Sort } from '../query.js';
import type { Filter, Json, Row } from '../store/index.js';
import { attachmentRoutes, customFieldFilter, dateFilters, need } from './shared.js';

interface ResourceDef {
  /** What the resource writes (ops/resources.ts). */
  writes: ResourceWrites;
  base: string;
  one: string;
  /** Key of the PATCH envelope when it differs from `one` (e.g. `assetcustomstatus`). */
  patchKey?: string;
  many: string;
  createStatus: 200 | 201;
  view: View;
  listFilters?(c: C, filters: Filter[]): Sort | void;
  listExpand?: readonly string[];
  getExpand?: readonly string[];
  attachments?: boolean;
}

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
    const origin = originOf(c);
    return c.json(
      await page(c, mx, { kind, listKey: def.many, orgIds: c.env.orgIds, filters, sort, present: (r) => def.view(mx, origin, r, 'list', expand) }),
    );
  });

  app.get(`${base}/:id`, (c) => {
    const expand = expandParam(params(c), def.getExpand ?? []);
    const row = need(mx, c, kind, `GET ${base}/{id}`);
    return c.json({ [def.one]: def.view(mx, originOf(c), row, 'one', expand) });
  });

  app.patch(`${base}/:id`, async (c) => {
    const row = need(mx, c, kind, `PATCH ${base}/{id}`);
    const b = await body(c, `PATCH ${base}/{id}`);
    const updated = updateResource(mx, lazyActorOf(c), def.writes, row, b);
    return c.json({ [def.patchKey ?? def.one]: def.view(mx, originOf(c), updated, 'one', new Set()) });
  });

  app.delete(`${base}/:id`, (c) => {
    deleteResource(mx, lazyActorOf(c), def.writes, need(mx, c, kind, `DELETE ${base}/{id}`));
    return c.body(null, 204);
  });

  if (def.attachments) attachmentRoutes(app, mx, base, kind);
}

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
    view: locationView,
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
    view: assetView,
    attachments: true,
  });

  // ---- manufacturers and models ----------------------------------------------------------------------------------
  for (const def of [
    { kind: 'manufacturer', base: '/manufacturers', one: 'manufacturer', many: 'manufacturers' },
    { kind: 'model', base: '/models', one: 'model', many: 'models' },
  ] as const) {
    app.post(def.base, async (c) => {
      const b = await body(c, `POST ${def.base}`);
      return c.json({ id: createNamed(mx, lazyActorOf(c), def.kind, b).id }, 201);
    });
    app.get(def.base, async (c) => c.json(await page(c, mx, { kind: def.kind, listKey: def.many, orgIds: c.env.orgIds, present: (r) => namedView(r, true) })));
    app.get(`${def.base}/:id`, (c) => c.json({ [def.one]: namedView(need(mx, c, def.kind, `GET ${def.base}/{id}`), false) }));
  }

  app.post('/assets/:assetId/status', async (c) => {
    const asset = need(mx, c, 'asset', 'POST /assets/{assetId}/status', 'assetId');
    const b = await body(c, 'POST /assets/{assetId}/status');
    return c.json({ assetStatus: newAssetStatusView(setAssetStatus(mx, lazyActorOf(c), asset, b)) }, 201);
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
    return c.json(await page(c, mx, { kind: 'assetStatus', listKey: 'assetStatuses', orgIds: c.env.orgIds, filters, sort: s, present: assetStatusView }));
  });

  app.patch('/assetstatuses/:id', async (c) => {
    const row = need(mx, c, 'assetStatus', 'PATCH /assetstatuses/{id}');
    const b = await body(c, 'PATCH /assetstatuses/{id}');
    return c.json({ assetStatus: assetStatusView(updateAssetStatus(mx, lazyActorOf(c), row, b)) });
  });

  // ---- criticalities (read-only, seeded per organization) -----------------------------------------------------
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
    return c.json(await page(c, mx, { kind: 'assetCriticality', listKey: 'assetCriticalities', orgIds: c.env.orgIds, filters, present: criticalityView }));
  });
  app.get('/assetcriticalities/:id', (c) => c.json({ assetCriticality: criticalityView(need(mx, c, 'assetCriticality', 'GET /assetcriticalities/{id}')) }));

  // ---- asset custom statuses ----------------------------------------------------------------------------------
  crud(app, mx, {
    writes: ASSET_CUSTOM_STATUSES, base: '/assetcustomstatuses', one: 'assetCustomStatus', patchKey: 'assetcustomstatus', many: 'assetCustomStatuses',
    createStatus: 201,
    view: customStatusView,
  });

  // ---- categories ---------------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: CATEGORIES, base: '/categories', one: 'category', many: 'categories', createStatus: 201,
    view: categoryView,
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
    view: partView,
    attachments: true,
  });

  // ---- vendors + contacts -------------------------------------------------------------------------------------
  crud(app, mx, {
    writes: VENDORS, base: '/vendors', one: 'vendor', many: 'vendors', createStatus: 201,
    listExpand: ['extra_fields'],
    listFilters: (c, filters) => customFieldFilter(c, filters),
    view: vendorView,
    attachments: true,
  });

  const contact = (c: C, key: string): Row => {
    const vendor = mx.store.records.get('vendor', pathId(c), c.env.orgIds);
    const r = vendor ? mx.store.records.getChild('vendorContact', pathId(c, 'contactId'), vendor.id) : null;
    if (!r) throw notFound(notFoundMessage(key));
    return r;
  };
  app.post('/vendors/:id/contacts', async (c) => {
    const vendor = need(mx, c, 'vendor', 'POST /vendors/{id}/contacts');
    const b = await body(c, 'POST /vendors/{id}/contacts');
    return c.json(contactView(createContact(mx, vendor, b)), 201);
  });
  app.get('/vendors/:id/contacts', async (c) => {
    const vendor = need(mx, c, 'vendor', 'GET /vendors/{id}/contacts');
    return c.json(await page(c, mx, { kind: 'vendorContact', listKey: 'contacts', orgIds: [vendor.orgId], parentId: vendor.id, present: contactView }));
  });
  app.get('/vendors/:id/contacts/:contactId', (c) => c.json({ vendorContact: contactView(contact(c, 'GET /vendors/{id}/contacts/{contactId}')) }));
  app.patch('/vendors/:id/contacts/:contactId', async (c) => {
    const r = contact(c, 'PATCH /vendors/{id}/contacts/{contactId}');
    const b = await body(c, 'PATCH /vendors/{id}/contacts/{contactId}');
    return c.json({ contact: contactView(updateContact(mx, r, b)) });
  });
  app.delete('/vendors/:id/contacts/:contactId', (c) => {
    deleteRecord(mx, contact(c, 'DELETE /vendors/{id}/contacts/{contactId}'));
    return c.body(null, 204);
  });

  // ---- users + messages ---------------------------------------------------------------------------------------
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
    return c.json(await page(c, mx, { kind: 'user', listKey: 'users', orgIds: c.env.orgIds, filters, present: (r) => userView(r, 'list', expand) }));
  });
  app.get('/users/:id', (c) => c.json({ user: userView(need(mx, c, 'user', 'GET /users/{id}'), 'one', new Set()) }));
  app.patch('/users/:id', async (c) => {
    const r = need(mx, c, 'user', 'PATCH /users/{id}');
    const b = await body(c, 'PATCH /users/{id}');
    return c.json({ user: userView(updateUser(mx, actorOf(c), c.env.keyOrgIds, r, b), 'one', new Set()) });
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
    return c.json(await page(c, mx, { kind: 'conversation', listKey: 'conversations', orgIds: c.env.orgIds, filters, present: conversationView }));
  });
  app.get('/conversations/:id/members', async (c) => {
    const conv = conversation(c, 'GET /conversations/{id}/members');
    return c.json(
      await page(c, mx, {
        kind: 'user',
        listKey: 'members',
        orgIds: [conv.orgId],
        filters: [{ in: 'id', values: (conv.data.memberIds as number[]) ?? [] }],
        present: conversationMemberView,
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
    view: teamView,
  });
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
    return c.json({ members: pageItems.map((m) => teamMemberView(mx, team.orgId, m)), nextCursor: next, nextPageUrl: next ? url.pathname + url.search : null });
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
    return c.json({ member: teamMemberView(mx, team.orgId, updateTeamMember(mx, team, m, b)) });
  });
  app.delete('/teams/:teamId/members/:userId', (c) => {
    const { team, m } = member(c, 'DELETE /teams/{teamId}/members/{userId}');
    removeTeamMember(mx, team, m);
    return c.body(null, 204);
  });

  // ---- meters + readings --------------------------------------------------------------------------------------
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
    view: meterView,
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
