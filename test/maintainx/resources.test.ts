import { describe, expect, it } from 'vitest';
import { BOREALIS, MEMBER, makeSuite } from './helpers.js';

describe('maintainx resources', () => {
  const { call, suite } = makeSuite({ rateLimit: false });

  it('locations: POST 200 {id}, tree (childrenIds), filters, PATCH/DELETE with spec 404s', async () => {
    const site = await call('POST', '/v1/locations', { body: { name: 'Warehouse', address: '1 Dock Rd' } });
    expect(site.status).toBe(200);
    const room = await call('POST', '/v1/locations', { body: { name: 'Cold room', parentId: site.body.id } });
    const g = await call('GET', `/v1/locations/${site.body.id}`);
    expect(g.body.location).toMatchObject({ id: site.body.id, name: 'Warehouse', address: '1 Dock Rd', childrenIds: [room.body.id], attachments: [] });
    const byName = await call('GET', '/v1/locations?name=cold');
    expect(byName.body.locations.map((l: any) => l.id)).toEqual([room.body.id]);
    expect(byName.body.locations[0]).not.toHaveProperty('extraFields');
    const exp = await call('GET', '/v1/locations?name=cold&expand=extra_fields');
    expect(exp.body.locations[0].extraFields).toEqual({});
    const self = await call('PATCH', `/v1/locations/${site.body.id}`, { body: { parentId: site.body.id } });
    expect(self.body).toEqual({ errors: [{ error: 'parentId is not valid', fieldPath: 'parentId', fieldValue: site.body.id }] });
    const p = await call('PATCH', `/v1/locations/${room.body.id}`, { body: { name: 'Freezer' } });
    expect(p.body.location.name).toBe('Freezer');
    expect((await call('PATCH', '/v1/locations/999999', { body: { name: 'x' } })).body).toEqual({ error: 'location Not Found' });
    expect((await call('DELETE', `/v1/locations/${room.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/locations/${room.body.id}`)).body).toEqual({ error: 'location Not Found' });
  });

  it('assets: 201 {id}, status history, expand, filters, sort, criticalities, custom statuses', async () => {
    const crit = (await call('GET', '/v1/assetcriticalities')).body.assetCriticalities;
    expect(crit.map((c: any) => c.label)).toEqual(['Low', 'Medium', 'High', 'Critical']);
    expect((await call('GET', `/v1/assetcriticalities/${crit[0].id}`)).body).toEqual({ assetCriticality: crit[0] });
    expect((await call('GET', '/v1/assetcriticalities?level=4')).body.assetCriticalities).toHaveLength(1);
    const a = await call('POST', '/v1/assets', { body: { name: 'Boiler 9', criticalityId: crit[2].id, manufacturer: { name: 'Acme' }, model: { name: 'B-9' }, assetTypes: ['Boiler'] } });
    expect(a.body).toEqual({ id: expect.any(Number) });
    expect(a.status).toBe(201);
    const cs = await call('POST', '/v1/assetcustomstatuses', { body: { label: 'Waiting for parts', baseAssetStatus: 'OFFLINE' } });
    expect(cs.status).toBe(201);
    const st = await call('POST', `/v1/assets/${a.body.id}/status`, { body: { customStatusId: cs.body.id, description: 'Broken valve' } });
    expect(st.status).toBe(201);
    expect(st.body.assetStatus).toMatchObject({ status: 'OFFLINE', downtimeType: 'UNPLANNED', customStatusId: cs.body.id });
    suite.clock.advance(3600);
    await call('POST', `/v1/assets/${a.body.id}/status`, { body: { status: 'ONLINE' } });
    const hist = await call('GET', `/v1/assetstatuses?assetId=${a.body.id}`);
    expect(hist.body.assetStatuses.map((s: any) => [s.status, s.endedAt === null])).toEqual([['OFFLINE', false], ['ONLINE', true]]);
    const list = await call('GET', '/v1/assets?model=B-9&expand=status&expand=manufacturer&expand=model');
    expect(list.body.assets).toHaveLength(1);
    expect(list.body.assets[0]).toMatchObject({ id: a.body.id, status: { status: 'ONLINE' }, manufacturer: 'Acme', model: 'B-9' });
    const desc = await call('GET', '/v1/assets?sort=-id&limit=3');
    expect(desc.body.assets[0].id).toBe(a.body.id);
    const one = await call('GET', `/v1/assets/${a.body.id}`);
    expect(one.body.asset).toMatchObject({ name: 'Boiler 9', criticalityId: crit[2].id, assetTypes: ['Boiler'], childrenIds: [] });
    expect((await call('PATCH', `/v1/assets/${a.body.id}`, { body: { parentId: 999999 } })).body).toEqual({ errors: [{ error: 'parentId is not valid', fieldPath: 'parentId', fieldValue: 999999 }] });
    expect((await call('POST', '/v1/assets/999999/status', { body: { status: 'ONLINE' } })).body).toEqual({ error: 'asset Not Found' });
    expect((await call('POST', `/v1/assets/${a.body.id}/status`, { body: { status: 'BROKEN' } })).body.errors[0]).toMatchObject({ error: 'Invalid status', fieldPath: 'status' });
    const patchCs = await call('PATCH', `/v1/assetcustomstatuses/${cs.body.id}`, { body: { label: 'Parts ordered' } });
    expect(patchCs.body.assetcustomstatus.label).toBe('Parts ordered');
    expect((await call('GET', `/v1/assetcustomstatuses/${cs.body.id}`)).body.assetCustomStatus.label).toBe('Parts ordered');
    expect((await call('DELETE', `/v1/assetcustomstatuses/${cs.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/assets/${a.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/assets/${a.body.id}`)).body).toEqual({ error: 'Not Found.' });
  });

  it('manufacturers and models; assets name them by id or name', async () => {
    const m = await call('POST', '/v1/manufacturers', { body: { name: 'Caterpillar' } });
    expect(m.status).toBe(201);
    expect((await call('POST', '/v1/manufacturers', { body: { name: 'Caterpillar' } })).status).toBe(400);
    const md = await call('POST', '/v1/models', { body: { name: 'D10', manufacturerId: m.body.id } });
    expect(md.status).toBe(201);
    expect((await call('POST', '/v1/models', { body: { name: 'X', manufacturerId: 999999 } })).body).toEqual({ error: 'manufacturer Not Found' });
    expect((await call('GET', `/v1/models/${md.body.id}`)).body).toEqual({ model: { id: md.body.id, name: 'D10', manufacturerId: m.body.id } });
    expect((await call('GET', `/v1/manufacturers/${m.body.id}`)).body).toEqual({ manufacturer: { id: m.body.id, name: 'Caterpillar' } });
    expect((await call('GET', '/v1/manufacturers/999999')).body).toEqual({ error: 'manufacturer Not Found' });
    expect((await call('GET', '/v1/models')).body.models).toContainEqual({ id: md.body.id, name: 'D10', manufacturerId: m.body.id, organizationId: 1 });
    const a = await call('POST', '/v1/assets', { body: { name: 'Dozer', manufacturer: { id: m.body.id }, model: { id: md.body.id } } });
    expect((await call('GET', `/v1/assets/${a.body.id}`)).body.asset).toMatchObject({ manufacturer: 'Caterpillar', model: 'D10' });
    const b = await call('POST', '/v1/assets', { body: { name: 'Lift', manufacturer: { name: 'Toyota' }, model: { name: '8FGU25' } } });
    expect((await call('GET', `/v1/assets/${b.body.id}`)).body.asset).toMatchObject({ manufacturer: 'Toyota', model: '8FGU25' });
    expect((await call('GET', '/v1/manufacturers?limit=200')).body.manufacturers.map((x: any) => x.name)).toContain('Toyota');
    const wrong = await call('POST', '/v1/assets', { body: { name: 'Bad', manufacturer: { name: 'Toyota' }, model: { id: md.body.id } } });
    expect(wrong.body).toEqual({ errors: [{ error: 'model is not valid', fieldPath: 'model.id', fieldValue: md.body.id }] });
    const cleared = await call('PATCH', `/v1/assets/${a.body.id}`, { body: { manufacturer: null } });
    expect(cleared.body.asset.manufacturer).toBeUndefined();
    const borealis = (await call('GET', '/v1/manufacturers?limit=200', { key: BOREALIS })).body.manufacturers;
    expect(borealis.map((x: any) => x.name)).not.toContain('Caterpillar');
    expect(borealis.every((x: any) => x.organizationId === 2)).toBe(true);
    // Seeded assets name seeded manufacturer/model records.
    const seeded = (await call('GET', '/v1/assets?limit=1&expand=manufacturer&expand=model')).body.assets[0];
    const maker = (await call('GET', '/v1/manufacturers?limit=200')).body.manufacturers.find((x: any) => x.name === seeded.manufacturer);
    expect((await call('GET', '/v1/models?limit=200')).body.models.some((x: any) => x.name === seeded.model && x.manufacturerId === maker.id)).toBe(true);
  });

  it('users: create needs ADMIN (403 string), list filters, PATCH, DELETE removes from the organization, messages', async () => {
    const denied = await call('POST', '/v1/users', { key: MEMBER, body: { firstName: 'No', lastName: 'Way' } });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ errors: [{ error: 'You do not have permission to create this user.' }] });
    const u = await call('POST', '/v1/users', { body: { firstName: 'Nia', lastName: 'Brooks', email: 'nia@acme.example', role: 'OPERATOR', hourlyRate: 5200 } });
    expect(u.status).toBe(201);
    const byEmail = await call('GET', '/v1/users?email=nia@acme.example&expand=role');
    expect(byEmail.body.users).toEqual([{ id: u.body.id, firstName: 'Nia', lastName: 'Brooks', email: 'nia@acme.example', phoneNumber: null, authType: 'NORMAL', hourlyRate: 5200, lastVisitedAt: null, role: 'OPERATOR' }]);
    const assignable = await call('GET', '/v1/users?onlyAssignable=true&expand=role&limit=200');
    expect(assignable.body.users.some((x: any) => x.role === 'REQUESTER')).toBe(false);
    const p = await call('PATCH', `/v1/users/${u.body.id}`, { body: { phoneNumber: '+1 555 0100' } });
    expect(p.body.user).toMatchObject({ phoneNumber: '+1 555 0100', removedFromOrganization: false });
    const m = await call('POST', `/v1/users/${u.body.id}/messages`, { body: { content: 'Welcome' } });
    expect(m.status).toBe(201);
    const m2 = await call('POST', `/v1/users/${u.body.id}/messages`, { body: { content: 'Again' } });
    expect(m2.body.conversationId).toBe(m.body.conversationId);
    expect((await call('POST', `/v1/users/${u.body.id}/messages`, { body: {} })).body).toEqual({ errors: [{ error: "should have required property 'content'", fieldPath: 'content', fieldValue: null }] });
    const convs = await call('GET', '/v1/conversations?type=DM');
    expect(convs.body.conversations).toEqual([{ id: m.body.conversationId, type: 'DM', name: null }]);
    expect((await call('GET', '/v1/conversations?type=GROUP')).body.conversations).toEqual([]);
    const members = await call('GET', `/v1/conversations/${m.body.conversationId}/members`);
    expect(members.body.members).toEqual([{ id: 1, firstName: 'Dana', lastName: 'Reyes' }, { id: u.body.id, firstName: 'Nia', lastName: 'Brooks' }]);
    const msg = await call('POST', `/v1/conversations/${m.body.conversationId}/messages`, { body: { content: 'Reply' } });
    expect(msg.status).toBe(201);
    expect(msg.body).toEqual({ id: expect.any(Number) });
    // Someone else's conversation is invisible.
    expect((await call('GET', `/v1/conversations/${m.body.conversationId}/members`, { key: MEMBER })).status).toBe(404);
    expect((await call('POST', `/v1/conversations/${m.body.conversationId}/messages`, { key: MEMBER, body: { content: 'x' } })).body).toEqual({ error: 'conversation Not Found' });
    expect((await call('POST', `/v1/conversations/${m.body.conversationId}/messages`, { body: {} })).body.errors[0].error).toBe("should have required property 'content'");
    expect((await call('DELETE', `/v1/users/${u.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/users/${u.body.id}`)).body.user.removedFromOrganization).toBe(true);
    expect((await call('GET', '/v1/users?email=nia@acme.example')).body.users).toEqual([]);
    expect((await call('GET', '/v1/users/5')).status).toBe(404); // Borealis user, Acme key
  });

  it('teams and members', async () => {
    const t = await call('POST', '/v1/teams', { body: { name: 'Electricians 2', memberIds: [1, 2] } });
    expect(t.status).toBe(201);
    expect((await call('GET', `/v1/teams/${t.body.id}`)).body.team).toMatchObject({ name: 'Electricians 2', membersCount: 2 });
    const add = await call('POST', `/v1/teams/${t.body.id}/members`, { body: { id: 3, teamRole: 'ADMIN' } });
    expect(add.status).toBe(201);
    expect((await call('POST', `/v1/teams/${t.body.id}/members`, { body: { id: 5 } })).body).toEqual({ errors: [{ error: 'ID is invalid or user is not part of the organization' }] });
    const members = await call('GET', `/v1/teams/${t.body.id}/members?limit=2`);
    expect(members.body.members.map((m: any) => m.id)).toEqual([1, 2]);
    const rest = await call('GET', members.body.nextPageUrl);
    expect(rest.body.members).toEqual([{ id: 3, firstName: 'Priya', lastName: 'Natarajan', teamRole: 'ADMIN' }]);
    const p = await call('PATCH', `/v1/teams/${t.body.id}/members/2`, { body: { teamRole: 'ADMIN' } });
    expect(p.body.member).toMatchObject({ id: 2, teamRole: 'ADMIN' });
    expect((await call('PATCH', `/v1/teams/${t.body.id}/members/2`, { body: { teamRole: 'KING' } })).status).toBe(400);
    expect((await call('DELETE', `/v1/teams/${t.body.id}/members/2`)).status).toBe(204);
    expect((await call('DELETE', `/v1/teams/${t.body.id}/members/2`)).body).toEqual({ error: 'team member Not Found' });
    expect((await call('PATCH', '/v1/teams/999999', { body: { name: 'x' } })).body).toEqual({ error: 'team Not Found' });
  });

  it('categories: unique labels, workOrderCount', async () => {
    const c = await call('POST', '/v1/categories', { body: { label: 'Lubrication', description: 'Oil and grease' } });
    expect(c.status).toBe(201);
    expect((await call('POST', '/v1/categories', { body: { label: 'Lubrication' } })).status).toBe(400);
    await call('POST', '/v1/workorders', { body: { title: 'Grease', categories: ['Lubrication'] } });
    expect((await call('GET', `/v1/categories/${c.body.id}`)).body.category).toMatchObject({ label: 'Lubrication', workOrderCount: 1 });
    expect((await call('PATCH', `/v1/categories/${c.body.id}`, { body: { description: 'Grease' } })).body.category.description).toBe('Grease');
    expect((await call('DELETE', '/v1/categories/999999')).body).toEqual({ error: 'category Not Found' });
  });

  it('parts (cents), vendors and contacts', async () => {
    const v = await call('POST', '/v1/vendors', { body: { name: 'Bolt Supply', emails: ['sales@bolt.example'] } });
    expect(v.status).toBe(201);
    const part = await call('POST', '/v1/parts', { body: { name: 'M8 bolt', unitCost: 35, availableQuantity: 500, vendorIds: [v.body.id], barcode: 'M8-100' } });
    expect(part.status).toBe(201);
    const g = await call('GET', `/v1/parts/${part.body.id}`);
    expect(g.body.part).toMatchObject({ name: 'M8 bolt', unitCost: 35, availableQuantity: 500, vendorIds: [v.body.id] });
    expect((await call('GET', '/v1/parts?partNumber=M8-100')).body.parts.map((p: any) => p.id)).toEqual([part.body.id]);
    expect((await call('PATCH', `/v1/parts/${part.body.id}`, { body: { unitCost: 40 } })).body.part.unitCost).toBe(40);
    const contact = await call('POST', `/v1/vendors/${v.body.id}/contacts`, { body: { name: 'Rita', email: 'rita@bolt.example' } });
    expect(contact.status).toBe(201);
    expect(contact.body).toEqual({ id: expect.any(Number), name: 'Rita', role: null, email: 'rita@bolt.example', phoneNumber: null, extension: null, vendorId: v.body.id });
    expect((await call('GET', `/v1/vendors/${v.body.id}/contacts/${contact.body.id}`)).body.vendorContact.name).toBe('Rita');
    expect((await call('PATCH', `/v1/vendors/${v.body.id}/contacts/${contact.body.id}`, { body: { role: 'Sales' } })).body.contact.role).toBe('Sales');
    expect((await call('GET', `/v1/vendors/${v.body.id}`)).body.vendor.contactIds).toEqual([contact.body.id]);
    expect((await call('GET', `/v1/vendors/${v.body.id}/contacts`)).body.contacts).toHaveLength(1);
    expect((await call('DELETE', `/v1/vendors/${v.body.id}/contacts/${contact.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/vendors/${v.body.id}/contacts/${contact.body.id}`)).body).toEqual({ error: 'Contact Not Found' });
    expect((await call('POST', '/v1/vendors/999999/contacts', { body: { name: 'x' } })).body).toEqual({ error: 'Vendor Not Found' });
    expect((await call('DELETE', `/v1/parts/${part.body.id}`)).status).toBe(204);
  });

  it('meters and readings: manual limit 10 / 24 h, 1 / 10 s per meter route', async () => {
    const m = await call('POST', '/v1/meters', { body: { name: 'Hours', unit: 'h' } });
    expect(m.status).toBe(201);
    const r = await call('POST', `/v1/meters/${m.body.id}/readings`, { body: { readingValue: 12.5 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.any(String), readingValue: 12.5 });
    const tooSoon = await call('POST', `/v1/meters/${m.body.id}/readings`, { body: { readingValue: 13 } });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body).toEqual({ error: 'Too many requests. Please retry in 10 seconds' });
    const batch = await call('POST', '/v1/meterreadings', { body: Array.from({ length: 9 }, (_, i) => ({ meterId: m.body.id, value: 20 + i })) });
    expect(batch.status).toBe(201);
    expect(batch.body).toHaveLength(9);
    const over = await call('POST', '/v1/meterreadings', { body: [{ meterId: m.body.id, value: 99 }] });
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('Too Many Requests. Manual meter readings are limited to 10 every 24h 00m 00s. For a higher recording frequency please use Meters of type IoT. Contact support@getmaintainx.com for help.');
    suite.clock.advance(86_401);
    expect((await call('POST', '/v1/meterreadings', { body: [{ meterId: m.body.id, value: 100 }] })).status).toBe(201);
    const iot = await call('POST', '/v1/meters', { body: { name: 'Temp', unit: 'C', measurementType: 'IOT_DEVICE' } });
    expect((await call('POST', '/v1/meterreadings', { body: Array.from({ length: 20 }, () => ({ meterId: iot.body.id, value: 1 })) })).status).toBe(201);
    const g = await call('GET', `/v1/meters/${m.body.id}?expand=last_reading`);
    expect(g.body.meter.lastReading).toMatchObject({ value: 100, meterId: m.body.id });
    expect((await call('POST', '/v1/meterreadings', { body: [{ meterId: 999999, value: 1 }] })).body).toEqual({ error: 'meter Not Found' });
    expect((await call('POST', '/v1/meterreadings', { body: [{ value: 1 }] })).body.errors[0]).toMatchObject({ error: "should have required property 'meterId'", fieldPath: '0.meterId' });
    expect((await call('GET', '/v1/meters?measurementType=IOT_DEVICE')).body.meters.map((x: any) => x.id)).toEqual([iot.body.id]);
  });

  it('custom fields: 200 array, bare-array list, PATCH 204 with sortIndex, DELETE', async () => {
    const c = await call('POST', '/v1/customfields/assets', { body: { fields: [{ label: 'Purchased', type: 'date' }, { label: 'Color', type: 'singleSelect', options: ['red', 'blue'] }] } });
    expect(c.status).toBe(200);
    expect(c.body.map((f: any) => [f.label, f.sortOrder])).toEqual([['Purchased', 1], ['Color', 2]]);
    const p = await call('PATCH', `/v1/customfields/assets/${c.body[1].id}`, { body: { field: { sortIndex: 0 } } });
    expect(p.status).toBe(204);
    const list = await call('GET', '/v1/customfields/assets');
    expect(list.body.map((f: any) => f.label)).toEqual(['Color', 'Purchased']);
    expect((await call('GET', '/v1/customfields/planets')).status).toBe(400);
    expect((await call('POST', '/v1/customfields/assets', { body: { fields: [{ label: 'X', type: 'emoji' }] } })).body.errors[0]).toMatchObject({ error: 'Invalid type', fieldPath: 'fields.0.type' });
    expect((await call('DELETE', `/v1/customfields/locations/${c.body[0].id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/customfields/assets/${c.body[0].id}`)).status).toBe(204);
    expect((await call('GET', '/v1/customfields/assets')).body.map((f: any) => f.label)).toEqual(['Color']);
  });

  it('cross-organization isolation on every resource', async () => {
    for (const path of ['/v1/assets', '/v1/locations', '/v1/users', '/v1/teams', '/v1/categories', '/v1/parts', '/v1/vendors', '/v1/meters', '/v1/assetcriticalities']) {
      const key = path.split('/')[2];
      const acme = (await call('GET', `${path}?limit=1`)).body[key === 'assetcriticalities' ? 'assetCriticalities' : key][0];
      const r = await call('GET', `${path}/${acme.id}`, { key: BOREALIS });
      expect(r.status, path).toBe(404);
      const patch = await call('PATCH', `${path}/${acme.id}`, { key: BOREALIS, body: {} });
      expect(patch.status, path).toBe(404);
    }
  });

  it('every operation of the spec is built (no 501); unknown paths are 404', async () => {
    const r = await call('GET', '/v1/maintenanceplans');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ maintenancePlans: expect.any(Array), nextCursor: null });
    expect((await call('GET', '/v1/maintenanceplans', { key: null })).status).toBe(401);
    expect((await call('GET', '/v1/purchase_orders/1')).status).toBe(404);
  });

  it('per-tenant reset restores one organization and leaves the others alone', async () => {
    const a = await call('POST', '/v1/categories', { body: { label: 'Temp Acme' } });
    const b = await call('POST', '/v1/categories', { key: BOREALIS, body: { label: 'Temp Borealis' } });
    const r = await call('POST', '/__admin/reset', { key: null, body: { tenant: 1 } });
    expect(r.status).toBe(200);
    expect((await call('GET', `/v1/categories/${a.body.id}`)).status).toBe(404);
    expect((await call('GET', `/v1/categories/${b.body.id}`, { key: BOREALIS })).status).toBe(200);
    expect((await call('POST', '/__admin/reset', { key: null, body: { tenant: 99 } })).status).toBe(404);
  });
});

describe('maintainx CRUD round trips (table)', () => {
  const { call } = makeSuite({ rateLimit: false });
  const table: Array<{ base: string; one: string; patchKey?: string; create: object; patch: object; check: (x: any) => void; createStatus: number; notFound: [string, string] }> = [
    { base: '/v1/locations', one: 'location', create: { name: 'L' }, patch: { name: 'L2' }, check: (x) => expect(x.name).toBe('L2'), createStatus: 200, notFound: ['location Not Found', 'location Not Found'] },
    { base: '/v1/assets', one: 'asset', create: { name: 'A' }, patch: { serialNumber: 'SN-1' }, check: (x) => expect(x.serialNumber).toBe('SN-1'), createStatus: 201, notFound: ['asset Not Found', 'asset Not Found'] },
    { base: '/v1/categories', one: 'category', create: { label: 'C-rt' }, patch: { label: 'C-rt2' }, check: (x) => expect(x.label).toBe('C-rt2'), createStatus: 201, notFound: ['category Not Found', 'category Not Found'] },
    { base: '/v1/parts', one: 'part', create: { name: 'P' }, patch: { minimumQuantity: 4 }, check: (x) => expect(x.minimumQuantity).toBe(4), createStatus: 201, notFound: ['part Not Found', 'part Not Found'] },
    { base: '/v1/vendors', one: 'vendor', create: { name: 'V' }, patch: { description: 'Fasteners' }, check: (x) => expect(x.description).toBe('Fasteners'), createStatus: 201, notFound: ['vendor Not Found', 'vendor Not Found'] },
    { base: '/v1/teams', one: 'team', create: { name: 'T' }, patch: { description: 'Day shift' }, check: (x) => expect(x.description).toBe('Day shift'), createStatus: 201, notFound: ['team Not Found', 'team Not Found'] },
    // The spec's PATCH /meters/{id} 404 example says "location Not Found" (sic).
    { base: '/v1/meters', one: 'meter', create: { name: 'M', unit: 'kWh' }, patch: { unit: 'MWh' }, check: (x) => expect(x.unit).toBe('MWh'), createStatus: 201, notFound: ['location Not Found', 'meter Not Found'] },
    { base: '/v1/assetcustomstatuses', one: 'assetCustomStatus', patchKey: 'assetcustomstatus', create: { label: 'S', baseAssetStatus: 'ONLINE' }, patch: { label: 'S2' }, check: (x) => expect(x.label).toBe('S2'), createStatus: 201, notFound: ['assetcustomstatus Not Found', 'assetCustomStatus Not Found'] },
    { base: '/v1/workrequestportals', one: 'workRequestPortal', create: { title: 'Shipping' }, patch: { welcomeText: 'Hi' }, check: (x) => expect(x.welcomeText).toBe('Hi'), createStatus: 201, notFound: ['work request portal Not Found', 'workRequestPortal Not Found'] },
    { base: '/v1/users', one: 'user', create: { firstName: 'U', lastName: 'V' }, patch: { lastName: 'W' }, check: (x) => expect(x.lastName).toBe('W'), createStatus: 201, notFound: ['user Not Found', 'user Not Found'] },
  ];

  for (const t of table) {
    it(`${t.base}: create ${t.createStatus} → get → patch → list → delete 204 → 404s`, async () => {
      const c = await call('POST', t.base, { body: t.create });
      expect(c.status).toBe(t.createStatus);
      expect(c.body).toEqual({ id: expect.any(Number) });
      const g = await call('GET', `${t.base}/${c.body.id}`);
      expect(g.status).toBe(200);
      expect(g.body[t.one].id).toBe(c.body.id);
      const p = await call('PATCH', `${t.base}/${c.body.id}`, { body: t.patch });
      expect(p.status).toBe(200);
      t.check(p.body[t.patchKey ?? t.one]);
      t.check((await call('GET', `${t.base}/${c.body.id}`)).body[t.one]);
      const listKey = Object.keys((await call('GET', `${t.base}?limit=1`)).body)[0];
      let seen = false;
      let url: string | null = `${t.base}?limit=200`;
      while (url && !seen) {
        const l = await call('GET', url);
        seen = l.body[listKey].some((x: any) => x.id === c.body.id);
        url = l.body.nextPageUrl;
      }
      expect(seen).toBe(true);
      expect((await call('DELETE', `${t.base}/${c.body.id}`)).status).toBe(204);
      if (t.one !== 'user') expect((await call('GET', `${t.base}/${c.body.id}`)).body).toEqual({ error: 'Not Found.' });
      expect((await call('PATCH', `${t.base}/999999`, { body: t.patch })).body).toEqual({ error: t.notFound[0] });
      expect((await call('DELETE', `${t.base}/999999`)).body).toEqual({ error: t.notFound[1] });
      const bad = await call('POST', t.base, { body: {} });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].error).toMatch(/^should have required property '/);
    });
  }

  it('asset status records can be edited', async () => {
    const a = await call('POST', '/v1/assets', { body: { name: 'Status edit' } });
    const s = await call('POST', `/v1/assets/${a.body.id}/status`, { body: { status: 'OFFLINE' } });
    const p = await call('PATCH', `/v1/assetstatuses/${s.body.assetStatus.id}`, { body: { description: 'Storm damage', downtimeType: 'PLANNED' } });
    expect(p.status).toBe(200);
    expect(p.body.assetStatus).toMatchObject({ id: s.body.assetStatus.id, description: 'Storm damage', downtimeType: 'PLANNED', updaterId: 1 });
    expect((await call('PATCH', '/v1/assetstatuses/999999', { body: {} })).body).toEqual({ error: 'assetstatus Not Found' });
  });
});

describe('maintainx work requests', () => {
  const { call, hooks } = makeSuite({ rateLimit: false, webhookRetryDelayMs: 5 });

  it('create 200 {id} PENDING; approve by creating a work order from it; DONE with the work order', async () => {
    const asset = (await call('GET', '/v1/assets?limit=1')).body.assets[0].id;
    const r = await call('POST', '/v1/workrequests', { body: { title: 'Leak in bay 3', priority: 'HIGH', assetId: asset, creatorContactInfo: 'sam.kowalski@acme.example' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: expect.any(Number) });
    const g = await call('GET', `/v1/workrequests/${r.body.id}?expand=asset`);
    expect(g.body.workRequest).toMatchObject({ id: r.body.id, title: 'Leak in bay 3', priority: 'HIGH', requestStatus: 'PENDING', workOrderId: null, creatorContactInfo: { type: 'EMAIL', value: 'sam.kowalski@acme.example' }, asset: { id: asset } });
    const pending = await call('GET', '/v1/workrequests?statuses=PENDING');
    expect(pending.body.workRequests.map((x: any) => x.id)).toContain(r.body.id);
    const wo = await call('POST', '/v1/workorders', { body: { title: 'Fix leak', workRequestId: r.body.id } });
    expect(wo.status).toBe(200);
    const approved = await call('GET', `/v1/workrequests/${r.body.id}?expand=work_order`);
    expect(approved.body.workRequest).toMatchObject({ requestStatus: 'APPROVED', workOrderId: wo.body.id, workOrder: { id: wo.body.id, title: 'Fix leak' } });
    expect((await call('POST', '/v1/workorders', { body: { title: 'Again', workRequestId: r.body.id } })).body).toEqual({ errors: [{ error: 'workRequestId is not valid', fieldPath: 'workRequestId', fieldValue: r.body.id }] });
    await call('PATCH', `/v1/workorders/${wo.body.id}/status`, { body: { status: 'DONE' } });
    expect((await call('GET', `/v1/workrequests/${r.body.id}`)).body.workRequest.requestStatus).toBe('DONE');
    const p = await call('PATCH', `/v1/workrequests/${r.body.id}`, { body: { description: 'Under the sink' } });
    expect(p.body.workRequest.description).toBe('Under the sink');
    expect((await call('PATCH', '/v1/workrequests/999999', { body: {} })).body).toEqual({ error: 'work request Not Found' });
    expect((await call('DELETE', '/v1/workrequests/999999')).body).toEqual({ error: 'workRequest Not Found' });
    expect((await call('DELETE', `/v1/workrequests/${r.body.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/workrequests/${r.body.id}`)).body).toEqual({ error: 'Not Found.' });
    expect((await call('POST', '/v1/workrequests', { body: { title: 'x', priority: 'URGENT' } })).body).toEqual({ errors: [{ error: 'Invalid priority', fieldPath: 'priority', fieldValue: 'URGENT' }] });
    expect((await call('GET', '/v1/workrequests?statuses=OPEN')).status).toBe(400);
  });

  it('emits NEW_WORK_REQUEST and WORK_REQUEST_STATUS_CHANGE', async () => {
    const s1 = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_WORK_REQUEST', url: 'http://127.0.0.1:9/a' } })).body;
    const s2 = (await call('POST', '/v1/subscriptions', { body: { type: 'WORK_REQUEST_STATUS_CHANGE', url: 'http://127.0.0.1:9/b' } })).body;
    const r = await call('POST', '/v1/workrequests', { body: { title: 'Hooked request' } });
    await call('POST', '/v1/workorders', { body: { title: 'From request', workRequestId: r.body.id } });
    const d1 = (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${s1.id}`, { key: null })).body.deliveries;
    const d2 = (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${s2.id}`, { key: null })).body.deliveries;
    expect(d1[0].body).toMatchObject({ workRequestId: r.body.id, orgId: 1 });
    expect(d2[0].body).toMatchObject({ requestId: r.body.id, oldStatus: 'PENDING', newStatus: 'APPROVED' });
    await call('DELETE', `/v1/subscriptions/${s1.id}`);
    await call('DELETE', `/v1/subscriptions/${s2.id}`);
    await hooks.idle();
  }, 20_000);
});

describe('maintainx root cause analysis reports (read-only, seeded)', () => {
  const { call } = makeSuite();
  it('lists with filters and expands; gets one with its work orders; other organizations cannot see them', async () => {
    const all = await call('GET', '/v1/rootcauseanalysisreports?expand=main_asset&expand=problems&expand=main_asset_status');
    expect(all.status).toBe(200);
    expect(all.body.rootCauseAnalysisReports.map((r: any) => r.status)).toEqual(['DONE', 'DRAFT']);
    const done = all.body.rootCauseAnalysisReports[0];
    expect(done).toMatchObject({ organizationId: 1, incidentDuration: 14400, repairTime: 10800, notes: { text: expect.any(String) }, mainAsset: { id: done.mainAssetId } });
    expect(done.problems[0].stepOptions.map((s: any) => s.stepType)).toEqual(['CAUSE', 'ACTION']);
    expect(done.mainAssetStatus).toMatchObject({ id: done.mainAssetStatusId, status: 'OFFLINE' });
    expect((await call('GET', '/v1/rootcauseanalysisreports?statuses=DRAFT')).body.rootCauseAnalysisReports).toHaveLength(1);
    expect((await call('GET', `/v1/rootcauseanalysisreports?assets=${done.mainAssetId}`)).body.rootCauseAnalysisReports.map((r: any) => r.id)).toEqual([done.id]);
    expect((await call('GET', '/v1/rootcauseanalysisreports?archived=true')).body.rootCauseAnalysisReports).toEqual([]);
    expect((await call('GET', '/v1/rootcauseanalysisreports?createdAfter=2030-01-01T00:00:00Z')).body.rootCauseAnalysisReports).toEqual([]);
    expect((await call('GET', '/v1/rootcauseanalysisreports?statuses=OPEN')).status).toBe(400);
    const one = await call('GET', `/v1/rootcauseanalysisreports/${done.id}?expand=work_orders`);
    expect(one.body.rootCauseAnalysisReport.workOrders.map((w: any) => w.id)).toEqual(one.body.rootCauseAnalysisReport.workOrderIds);
    expect(one.body.rootCauseAnalysisReport.workOrders.every((w: any) => w.assetId === done.mainAssetId)).toBe(true);
    expect((await call('GET', `/v1/rootcauseanalysisreports/${done.id}`, { key: BOREALIS })).body).toEqual({ error: 'Not Found.' });
  });
});

describe('maintainx meter triggers', () => {
  const { call, suite } = makeSuite({ rateLimit: false, webhookRetries: 0 });

  it('fires on readings: state changes, webhook, work order from the template', async () => {
    const asset = (await call('GET', '/v1/assets?limit=1')).body.assets[0].id;
    const meter = (await call('POST', '/v1/meters', { body: { name: 'Oil temp', unit: 'C', measurementType: 'IOT_DEVICE', assetId: asset } })).body.id;
    const sub = (await call('POST', '/v1/subscriptions', { body: { type: 'METER_TRIGGER_STATE_CHANGE', url: 'http://127.0.0.1:9/mt' } })).body.id;
    const t = await call('POST', '/v1/metertriggers', {
      body: { meterTrigger: { meterId: meter, name: 'Oil too hot', amount: 90, condition: 'IS_GREATER' }, workOrderTemplate: { data: { assetId: asset, priority: 'HIGH', description: 'Check cooling', dueDate: { type: 'OFFSET', offset: 3600 } } } },
    });
    expect(t.status).toBe(201);
    const g = await call('GET', `/v1/metertriggers/${t.body.id}?expand=work_order_template`);
    expect(g.body.meterTrigger).toMatchObject({ meterId: meter, name: 'Oil too hot', condition: 'IS_GREATER', amount: 90, state: 'INSUFFICIENT_DATA', workOrderTemplate: { data: { priority: 'HIGH' } } });
    expect((await call('GET', `/v1/metertriggers?meters=${meter}`)).body.meterTriggers).toEqual([{ id: t.body.id, name: 'Oil too hot', meterId: meter }]);
    await call('POST', '/v1/meterreadings', { body: [{ meterId: meter, value: 70 }] });
    expect((await call('GET', `/v1/metertriggers/${t.body.id}`)).body.meterTrigger.state).toBe('STABLE');
    const before = (await call('GET', `/v1/workorders?assets=${asset}&limit=200`)).body.workOrders.length;
    await call('POST', '/v1/meterreadings', { body: [{ meterId: meter, value: 95 }] });
    expect((await call('GET', `/v1/metertriggers/${t.body.id}`)).body.meterTrigger.state).toBe('TRIGGERED');
    const wos = (await call('GET', `/v1/workorders?assets=${asset}&limit=200&sort=-createdAt`)).body.workOrders;
    expect(wos.length).toBe(before + 1);
    expect(wos[0]).toMatchObject({ title: 'Oil too hot', priority: 'HIGH', description: 'Check cooling', dueDate: new Date(suite.clock.nowMs() + 3_600_000).toISOString().slice(0, 16) + wos[0].dueDate.slice(16) });
    const states = (await call('GET', `/__admin/webhooks/deliveries?subscription_id=${sub}`, { key: null })).body.deliveries.map((d: any) => [d.body.oldState, d.body.newState]);
    expect(states).toEqual([['INSUFFICIENT_DATA', 'STABLE'], ['STABLE', 'TRIGGERED']]);
    await call('DELETE', `/v1/subscriptions/${sub}`);
  });

  it('INCREMENTED_BY fires every `amount` from the first reading; template edits; 204s and 404s', async () => {
    const meter = (await call('POST', '/v1/meters', { body: { name: 'Run hours', unit: 'h', measurementType: 'AUTOMATED_SENSOR' } })).body.id;
    const t = (await call('POST', '/v1/metertriggers', { body: { meterTrigger: { meterId: meter, name: 'Service every 250 h', amount: 250, condition: 'INCREMENTED_BY' } } })).body.id;
    for (const v of [1000, 1100, 1250]) await call('POST', '/v1/meterreadings', { body: [{ meterId: meter, value: v }] });
    const fired = (await call('GET', `/v1/metertriggers/${t}`)).body.meterTrigger;
    expect(fired).toMatchObject({ state: 'TRIGGERED', nextTriggerValue: 1500 });
    expect((await call('PATCH', `/v1/metertriggers/${t}/workordertemplates`, { body: { data: { priority: 'LOW' } } })).status).toBe(204);
    expect((await call('GET', `/v1/metertriggers/${t}?expand=work_order_template`)).body.meterTrigger.workOrderTemplate.data.priority).toBe('LOW');
    expect((await call('PATCH', `/v1/metertriggers/${t}`, { body: { meterTrigger: { description: 'Oil + filter' } } })).status).toBe(204);
    expect((await call('GET', `/v1/metertriggers/${t}`)).body.meterTrigger.description).toBe('Oil + filter');
    const up = await call('PUT', `/v1/metertriggers/${t}/workordertemplates/attachments/checklist.pdf`, { raw: new Uint8Array([1]), headers: { 'content-type': 'application/pdf' } });
    expect(up.status).toBe(201);
    expect((await call('DELETE', `/v1/metertriggers/${t}/workordertemplates/attachments/checklist.pdf`)).status).toBe(204);
    expect((await call('DELETE', `/v1/metertriggers/${t}/workordertemplates/attachments/checklist.pdf`)).body).toEqual({ error: 'Attachment Not Found' });
    expect((await call('POST', '/v1/metertriggers', { body: { meterTrigger: { meterId: 999999, name: 'x', amount: 1, condition: 'IS_LESS' } } })).body.errors[0]).toMatchObject({ error: 'meterTrigger.meterId is not valid' });
    expect((await call('POST', '/v1/metertriggers', { body: { meterTrigger: { meterId: meter, name: 'x', amount: 1, condition: 'SOMETIMES' } } })).body.errors[0]).toMatchObject({ error: 'Invalid condition' });
    expect((await call('DELETE', `/v1/metertriggers/${t}`)).status).toBe(204);
    expect((await call('PATCH', `/v1/metertriggers/${t}`, { body: {} })).body).toEqual({ error: 'meter trigger Not Found' });
    expect((await call('GET', `/v1/metertriggers/${t}`)).body).toEqual({ error: 'Not Found.' });
  });
});

describe('maintainx part transfer requests', () => {
  const { call } = makeSuite({ rateLimit: false });
  const as = (org: number) => ({ key: 'mx_demo_multi_org_3a8f5e2d7c1b', headers: { 'x-organization-id': String(org) } });

  it('a destination organization requests, the source approves (stock leaves), the destination completes (stock arrives)', async () => {
    const source = (await call('POST', '/v1/parts', { ...as(1), body: { name: 'Ball screw', availableQuantity: 10 } })).body.id;
    const dest = (await call('POST', '/v1/parts', { ...as(2), body: { name: 'Ball screw', availableQuantity: 0 } })).body.id;
    const r = await call('POST', '/v1/parttransferrequests', { ...as(2), body: { quantityRequested: 4, sourcePartId: source, destinationPartId: dest, requestMessage: 'Need 4' } });
    expect(r.status).toBe(201);
    const seenBySource = await call('GET', `/v1/parttransferrequests/${r.body.id}`, as(1));
    expect(seenBySource.body.partTransferRequest).toMatchObject({ status: 'PENDING', sourceOrganizationId: 1, destinationOrganizationId: 2, requesterId: 1, quantityRequested: 4 });
    expect((await call('GET', '/v1/parttransferrequests?statuses=PENDING', as(1))).body.partTransferRequests.map((x: any) => x.id)).toContain(r.body.id);
    // Only the source approves; only the destination completes.
    expect((await call('PATCH', `/v1/parttransferrequests/${r.body.id}`, { ...as(2), body: { status: 'APPROVED' } })).body).toEqual({ errors: [{ error: 'status is not valid', fieldPath: 'status', fieldValue: 'APPROVED' }] });
    const ok = await call('PATCH', `/v1/parttransferrequests/${r.body.id}`, { ...as(1), body: { status: 'APPROVED', quantity: 3, responseMessage: 'Only 3' } });
    expect(ok.body.partTransferRequest).toMatchObject({ status: 'APPROVED', quantityTransferred: 3, transferrerId: 1, responseMessage: 'Only 3' });
    expect((await call('GET', `/v1/parts/${source}`, as(1))).body.part.availableQuantity).toBe(7);
    const loc = (await call('GET', '/v1/locations?limit=1', as(2))).body.locations[0].id;
    const done = await call('PATCH', `/v1/parttransferrequests/${r.body.id}`, { ...as(2), body: { status: 'COMPLETED', destinationLocations: [{ locationId: loc, quantity: 3 }] } });
    expect(done.body.partTransferRequest).toMatchObject({ status: 'COMPLETED', quantityReceived: 3, destinationLocations: [{ locationId: loc, quantity: 3 }] });
    expect((await call('GET', `/v1/parts/${dest}`, as(2))).body.part.availableQuantity).toBe(3);
    expect((await call('PATCH', `/v1/parttransferrequests/${r.body.id}`, { ...as(2), body: { status: 'PENDING' } })).status).toBe(400);
    // Organizations outside the request do not see it; parts of organizations outside the key are not reachable.
    expect((await call('GET', `/v1/parttransferrequests/${r.body.id}`, { key: 'mx_demo_borealis_admin_9b2d6c4e1a7f' })).status).toBe(200);
    const calder = await call('POST', '/__admin/api-keys', { key: null, body: { user_id: 7 } });
    expect((await call('GET', `/v1/parttransferrequests/${r.body.id}`, { key: calder.body.key })).body).toEqual({ error: 'Not Found.' });
    expect((await call('POST', '/v1/parttransferrequests', { key: 'mx_demo_borealis_admin_9b2d6c4e1a7f', body: { quantityRequested: 1, sourcePartId: source, destinationPartId: dest } })).body).toEqual({ error: 'Part Not Found' });
    expect((await call('POST', '/v1/parttransferrequests', { ...as(2), body: { quantityRequested: 1, sourcePartId: source } })).body.errors[0].error).toBe("should have required property 'destinationPartId'");
  });

  it('destination cancels an approved request: the stock goes back', async () => {
    const source = (await call('POST', '/v1/parts', { ...as(1), body: { name: 'Fuse', availableQuantity: 5 } })).body.id;
    const dest = (await call('POST', '/v1/parts', { ...as(2), body: { name: 'Fuse' } })).body.id;
    const r = (await call('POST', '/v1/parttransferrequests', { ...as(2), body: { quantityRequested: 2, sourcePartId: source, destinationPartId: dest } })).body.id;
    await call('PATCH', `/v1/parttransferrequests/${r}`, { ...as(1), body: { status: 'APPROVED' } });
    expect((await call('GET', `/v1/parts/${source}`, as(1))).body.part.availableQuantity).toBe(3);
    expect((await call('PATCH', `/v1/parttransferrequests/${r}`, { ...as(2), body: { status: 'CANCELED' } })).body.partTransferRequest.status).toBe('CANCELED');
    expect((await call('GET', `/v1/parts/${source}`, as(1))).body.part.availableQuantity).toBe(5);
    expect((await call('PATCH', '/v1/parttransferrequests/999999', { ...as(2), body: { status: 'CANCELED' } })).body).toEqual({ error: 'partTransferRequest Not Found' });
  });
});
