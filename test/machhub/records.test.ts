import { describe, expect, it } from 'vitest';
import { enc, expectText, makeSuite } from './helpers.js';

function multipart(record: unknown, files: { field: string; name: string; type: string; body: string }[] = []): FormData {
  const fd = new FormData();
  fd.append('record', JSON.stringify(record));
  for (const f of files) fd.append(f.field, new File([f.body], f.name, { type: f.type }));
  return fd;
}

describe('records CRUD', () => {
  const { req, app } = makeSuite();

  it('create accepts a plain JSON body and the SDK multipart form; both give the created record', async () => {
    const a = await req('POST', '/machhub/widgets', { body: { name: 'A', qty: 1 } });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ id: { Table: 'acme.widgets' }, name: 'A', qty: 1 });
    expect(a.json.created_dt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const b = await req('POST', '/machhub/widgets', { raw: multipart({ name: 'B' }) });
    expect(b.json).toMatchObject({ id: { Table: 'acme.widgets' }, name: 'B' });
    expect((await req('GET', '/machhub/widgets/count')).json).toEqual({ count: 2 });
  });

  it('client-supplied ids are honoured in every form; a duplicate → 409', async () => {
    for (const id of ['K-1', 'widgets:K-2', 'acme.widgets:K-3', { Table: 'acme.widgets', ID: 'K-4' }]) {
      const r = await req('POST', '/machhub/widgets', { body: { id, name: 'x' } });
      expect(r.status, JSON.stringify(id)).toBe(200);
    }
    expect((await req('GET', '/machhub/acme.widgets:K-4')).json.id).toEqual({ Table: 'acme.widgets', ID: 'K-4' });
    expectText(await req('POST', '/machhub/widgets', { body: { id: 'K-1' } }), 409, 'Database record `acme.widgets:K-1` already exists');
    expectText(await req('POST', '/machhub/widgets', { body: { id: 'other:K-9' } }), 400, 'id must be a record id of this collection');
    expectText(await req('POST', '/machhub/widgets', { body: { id: 'globex.widgets:K-9' } }), 400, 'id must be a record id of this collection');
  });

  it('getOne accepts the id percent-encoded or raw, full or short, and ⟨⟩-quoted', async () => {
    await req('POST', '/machhub/widgets', { body: { id: 'PROD 2', name: 'spaced' } });
    for (const p of [enc('acme.widgets:PROD 2'), 'acme.widgets:PROD%202', enc('widgets:PROD 2'), enc('acme.widgets:⟨PROD 2⟩')]) {
      const r = await req('GET', `/machhub/${p}`);
      expect(r.status, p).toBe(200);
      expect(r.json.name).toBe('spaced');
    }
    expectText(await req('GET', '/machhub/K-1'), 404, 'record not found');
    expectText(await req('GET', '/machhub/globex.widgets:K-1'), 404, 'record not found');
  });

  it('update merges (JSON or multipart), keeps created_dt, bumps updated_dt, null clears', async () => {
    const c = await req('POST', '/machhub/widgets', { body: { id: 'U1', name: 'n', qty: 1, note: 'x' } });
    const u = await req('PUT', '/machhub/acme.widgets%3AU1', { raw: multipart({ qty: 2 }) });
    expect(u.json).toMatchObject({ id: { Table: 'acme.widgets', ID: 'U1' }, name: 'n', qty: 2, note: 'x', created_dt: c.json.created_dt });
    const v = await req('PUT', '/machhub/widgets:U1', { body: { note: null, id: 'ignored', created_dt: 'ignored' } });
    expect(v.json).toMatchObject({ qty: 2, note: null, created_dt: c.json.created_dt, id: { ID: 'U1' } });
    expect((await req('GET', '/machhub/widgets:U1')).json.note).toBeNull();
    expectText(await req('PUT', '/machhub/widgets:NOPE', { body: { a: 1 } }), 404, 'record not found');
  });

  it('delete answers JSON, then the record is gone', async () => {
    await req('POST', '/machhub/widgets', { body: { id: 'D1' } });
    expect(await req('DELETE', `/machhub/${enc('acme.widgets:D1')}`)).toMatchObject({ status: 200, json: { success: true } });
    expectText(await req('GET', '/machhub/widgets:D1'), 404, 'record not found');
    expectText(await req('DELETE', '/machhub/widgets:D1'), 404, 'record not found');
  });

  it('files: multipart file parts are stored and served by PATCH /machhub/file as non-JSON bytes', async () => {
    const fd = multipart({ name: 'with photo', image: 'photo.jpg' }, [{ field: 'image', name: 'photo.jpg', type: 'image/jpeg', body: 'JPEGDATA' }]);
    const c = await req('POST', '/machhub/widgets', { raw: fd });
    expect(c.json.image).toBe('photo.jpg');
    const recordID = `${c.json.id.Table}:${c.json.id.ID}`;
    const r = await app.request('/machhub/file', { method: 'PATCH', headers: { Domain: 'domains:acme', 'Content-Type': 'application/json' }, body: JSON.stringify({ fileName: 'photo.jpg', collectionName: 'widgets', fieldName: 'image', recordID }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(await r.text()).toBe('JPEGDATA');
    const js = await req('POST', '/machhub/widgets', { raw: multipart({}, [{ field: 'doc', name: 'a.json', type: 'application/json', body: '{"a":1}' }]) });
    const f2 = await app.request('/machhub/file', { method: 'PATCH', headers: { Domain: 'domains:acme' }, body: JSON.stringify({ fileName: 'a.json', collectionName: 'widgets', fieldName: 'doc', recordID: `${js.json.id.Table}:${js.json.id.ID}` }) });
    expect(f2.headers.get('content-type')).toBe('application/octet-stream');
    expectText(await req('PATCH', '/machhub/file', { body: { fileName: 'photo.jpg', collectionName: 'widgets', fieldName: 'image', recordID }, domain: 'domains:globex' }), 404, 'file not found');
    expectText(await req('PATCH', '/machhub/file', { body: { fileName: 'photo.jpg' } }), 400, 'collectionName is required');
    await req('DELETE', `/machhub/${enc(recordID)}`);
    expectText(await req('PATCH', '/machhub/file', { body: { fileName: 'photo.jpg', collectionName: 'widgets', fieldName: 'image', recordID } }), 404, 'file not found');
  });

  it('bad bodies: wrong content type 415, bad multipart/record 400, non-object JSON 400', async () => {
    expectText(await req('POST', '/machhub/widgets', { raw: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'Unsupported Media Type: application/x-www-form-urlencoded');
    const fd = new FormData();
    fd.append('record', 'not json');
    expectText(await req('POST', '/machhub/widgets', { raw: fd }), 400, 'record must be a JSON object');
    const none = new FormData();
    none.append('other', 'x');
    expectText(await req('POST', '/machhub/widgets', { raw: none }), 400, 'record is required');
    expectText(await req('POST', '/machhub/widgets', { raw: 'garbage', headers: { 'Content-Type': 'multipart/form-data; boundary=zzz' } }), 400, 'Invalid multipart body');
    expectText(await req('POST', '/machhub/widgets', { body: [1, 2] }), 400, 'Invalid request body');
    expectText(await req('POST', '/machhub/widgets', { raw: '{"a":', headers: { 'Content-Type': 'application/json' } }), 400, 'Invalid request body');
    const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expectText(await req('POST', '/machhub/widgets', { raw: deep, headers: { 'Content-Type': 'application/json' } }), 400, 'record is nested too deeply (at most 64 levels)');
    const deepForm = new FormData();
    deepForm.append('record', deep);
    expectText(await req('PUT', '/machhub/acme.products:PROD-001', { raw: deepForm }), 400, 'record is nested too deeply (at most 64 levels)');
    expect((await req('POST', '/machhub/widgets', { body: { a: { b: { c: [[[1]]] } } } })).status).toBe(200);
    expectText(await req('GET', '/machhub/widgets/all?fields=__proto__'), 400, 'invalid query parameter fields: field "__proto__" is not allowed');
  });

  it('collection names are validated; fixed routes win over collection names', async () => {
    expectText(await req('POST', '/machhub/bad%20name', { body: {} }), 400, 'invalid collection name: bad name');
    expectText(await req('GET', `/machhub/${enc('x"; DROP TABLE users; --')}/all`), 400, /^invalid collection name/);
    expectText(await req('POST', '/machhub/historian', { body: {} }), 400, 'invalid collection name: historian');
    expectText(await req('PUT', '/machhub/historian/list', { body: {} }), 404, 'Cannot PUT /machhub/historian/list');
    expect((await req('GET', '/machhub/never_written/all')).json).toEqual([]);
    // Table names are case-sensitive in MACHHUB; SQLite's are not, so a case-only variant is refused on write.
    expect((await req('GET', '/machhub/Products/count')).json).toEqual({ count: 0 });
    expectText(await req('POST', '/machhub/Products', { body: {} }), 409, 'collection Products conflicts with products (names may not differ only in case)');
    expect((await req('GET', '/machhub/products/count')).json).toEqual({ count: 60 });
    expect((await req('GET', '/machhub/never_written/count')).json).toEqual({ count: 0 });
    expectText(await req('GET', '/machhub/never_written:x'), 404, 'record not found');
  });
});

describe('listing', () => {
  const { req } = makeSuite();

  it('sort, limit, offset, fields and expand', async () => {
    const all = (await req('GET', '/machhub/products/all?sort=[price][desc]')).json;
    const prices = all.map((p: any) => p.price);
    expect(prices).toEqual([...prices].sort((a: number, b: number) => b - a));
    const page = (await req('GET', '/machhub/products/all?sort=[price][desc]&limit=5&offset=10')).json;
    expect(page.map((p: any) => p.id.ID)).toEqual(all.slice(10, 15).map((p: any) => p.id.ID));
    const asc = (await req('GET', '/machhub/products/all?sort=[name]')).json.map((p: any) => p.name);
    expect(asc).toEqual([...asc].sort((a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const f = (await req('GET', '/machhub/products/all?fields=id,categoryId.ID&limit=2')).json;
    expect(Object.keys(f[0]).sort()).toEqual(['categoryId', 'id']);
    expect(Object.keys(f[0].categoryId)).toEqual(['ID']);
    const e = (await req('GET', '/machhub/orders/all?expand=orderLines&limit=1')).json[0];
    // expand replaces top-level links only; links nested in objects stay links
    expect(Object.keys(e.orderLines[0].itemId).sort()).toEqual(['ID', 'Table']);
    await req('POST', '/machhub/kits', { body: { id: 'K1', parts: [{ Table: 'acme.items', ID: 'I1' }, { Table: 'acme.items', ID: 'I2' }, { Table: 'acme.items', ID: 'NOPE' }] } });
    const kit = (await req('GET', '/machhub/kits:K1?expand=parts')).json;
    expect(kit.parts[0]).toMatchObject({ id: { Table: 'acme.items', ID: 'I1' }, name: expect.any(String) });
    expect(kit.parts[1].id.ID).toBe('I2');
    expect(kit.parts[2]).toEqual({ Table: 'acme.items', ID: 'NOPE' });
    const x = (await req('GET', '/machhub/products/all?expand=categoryId,supplierId&limit=1')).json[0];
    expect(x.categoryId).toMatchObject({ id: { Table: 'acme.categories' }, name: expect.any(String) });
    expect(x.supplierId).toMatchObject({ id: { Table: 'acme.suppliers' }, email: expect.any(String) });
  });

  it('limit=0 gives [], no limit gives everything', async () => {
    expect((await req('GET', '/machhub/products/all?limit=0')).json).toEqual([]);
    expect((await req('GET', '/machhub/products/all')).json).toHaveLength(60);
  });

  it('filters over the demo data: typed values, dates in Date.toString() form, IN lists, links, ARRAY_WHERE', async () => {
    const all = (await req('GET', '/machhub/products/all')).json as any[];
    const count = async (qs: Record<string, string>) => (await req('GET', `/machhub/products/count?${new URLSearchParams(qs)}`)).json.count;
    expect(await count({ 'filter[status][=][string]': 'active' })).toBe(all.filter((p) => p.status === 'active').length);
    expect(await count({ 'filter[price][>][number]': '100' })).toBe(all.filter((p) => p.price > 100).length);
    expect(await count({ 'filter[inStock][=][boolean]': 'true' })).toBe(all.filter((p) => p.inStock === true).length);
    expect(await count({ 'filter[status][IN][object]': 'inactive,discontinued' })).toBe(all.filter((p) => ['inactive', 'discontinued'].includes(p.status)).length);
    const d = 'Fri May 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)';
    expect(await count({ 'filter[dt][>=][object]': d })).toBe(all.filter((p) => p.dt >= '2026-05-01T00:00:00.000Z').length);
    expect(await count({ 'filter[categoryId][=][string]': 'acme.categories:C1' })).toBe(all.filter((p) => p.categoryId?.ID === 'C1').length);
    expect(await count({ 'filter[orderLines.itemId][ARRAY_WHERE_=][string]': 'acme.items:I1' })).toBe(all.filter((p) => p.orderLines.some((l: any) => l.itemId.ID === 'I1')).length);
    expect(await count({ 'filter[orderLines.qty][ARRAY_WHERE_>][number]': '15' })).toBe(all.filter((p) => p.orderLines.some((l: any) => l.qty > 15)).length);
    expect(await count({ 'filter[status][eq][string]': 'active', 'filter_or[0][state][=][string]': 'open', 'filter_or[1][state][=][string]': 'pending' })).toBe(
      all.filter((p) => p.status === 'active' && ['open', 'pending'].includes(p.state)).length,
    );
  });

  it('PATCH /all and /count take the option map as JSON and reply application/json', async () => {
    const body = { 'filter[status][=][string]': 'active', 'filter[price][>][number]': 10, sort: '[price][asc]', limit: 3 };
    const r = await req('PATCH', '/machhub/products/all', { body });
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const g = await req('GET', `/machhub/products/all?${new URLSearchParams({ ...body, 'filter[price][>][number]': '10', limit: '3' })}`);
    expect(r.json).toEqual(g.json);
    const c = await req('PATCH', '/machhub/products/count', { body: { 'filter[status][=][string]': 'active' } });
    expect(c.headers.get('content-type')).toMatch(/^application\/json/);
    expect(c.json.count).toBeGreaterThan(0);
    expectText(await req('PATCH', '/machhub/products/all?limit=1', { body: {} }), 400, 'invalid query parameter limit: the PATCH form takes its options in the JSON body');
  });

  it('a malformed filter → 400 plain text naming the parameter', async () => {
    expectText(await req('GET', '/machhub/products/all?filter[price][%3E][number]=ten'), 400, 'invalid query parameter filter[price][>][number]: "ten" is not a number');
    expectText(await req('GET', '/machhub/products/count?foo=bar'), 400, 'invalid query parameter foo: unsupported query parameter');
    expectText(await req('GET', '/machhub/acme.products:PROD-001?limit=1'), 400, 'invalid query parameter limit: unsupported query parameter');
  });
});

describe('domain isolation', () => {
  const { req, login, app } = makeSuite({ auth: 'strict' });
  const H = (k: string) => ({ 'X-Machhub-Api-Key': k });
  const ACME = H('mchx_ABCDEFGHIJKLsecret');
  const GLOBEX = H('mchx_GLOBEXKEY0001globex-demo-secret');

  it('records and counts: same collection name, separate tables; no cross-domain reads, writes or deletes', async () => {
    expect((await req('GET', '/machhub/products/count', { headers: ACME })).json).toEqual({ count: 60 });
    expect((await req('GET', '/machhub/products/count', { headers: GLOBEX, domain: 'domains:globex' })).json).toEqual({ count: 25 });
    const gx = (await req('GET', '/machhub/products/all?limit=1', { headers: GLOBEX, domain: 'domains:globex' })).json[0];
    expect(gx.id.Table).toBe('globex.products');
    expectText(await req('GET', `/machhub/${enc(`globex.products:${gx.id.ID}`)}`, { headers: ACME }), 404, 'record not found');
    expectText(await req('PUT', `/machhub/${enc(`globex.products:${gx.id.ID}`)}`, { headers: ACME, body: { name: 'pwned' } }), 404, 'record not found');
    expectText(await req('DELETE', `/machhub/${enc(`globex.products:${gx.id.ID}`)}`, { headers: ACME }), 404, 'record not found');
    const again = await req('GET', `/machhub/${enc(`globex.products:${gx.id.ID}`)}`, { headers: GLOBEX, domain: 'domains:globex' });
    expect(again.json.name).toBe(gx.name);
    // Links into another domain are not expanded.
    await req('POST', '/machhub/refs', { headers: ACME, body: { id: 'R1', other: gx.id } });
    expect((await req('GET', '/machhub/refs:R1?expand=other', { headers: ACME })).json.other).toEqual(gx.id);
  });

  it('users, groups and tags are per domain', async () => {
    const a = { Authorization: `Bearer ${await login('admin')}` };
    const acmeUsers = (await req('GET', '/machhub/auth/user', { headers: a })).json.map((u: any) => u.username);
    const gxUsers = (await req('GET', '/machhub/auth/user', { headers: a, domain: 'domains:globex' })).json.map((u: any) => u.username);
    expect(acmeUsers).toContain('operator');
    expect(gxUsers).not.toContain('operator');
    expect(gxUsers).toContain('globex');
    expectText(await req('GET', '/machhub/auth/user/users:globex', { headers: a }), 404, 'user not found');
    const gxGroups = (await req('GET', '/machhub/auth/group', { headers: a, domain: 'domains:globex' })).json;
    expect(gxGroups.every((g: any) => g.features.every((f: any) => f.domain === 'domains:globex'))).toBe(true);
    expect((await req('GET', '/machhub/tag/list', { headers: GLOBEX, domain: 'domains:globex' })).json).toEqual(['plant2/boiler/temp']);
  });

  it('keys are per domain (see auth tests) and processes are per domain', async () => {
    const acme = (await req('GET', '/machhub/processes/domain', { headers: ACME })).json.map((p: any) => p.name);
    const gx = (await req('GET', '/machhub/processes/domain', { headers: GLOBEX, domain: 'domains:globex' })).json.map((p: any) => p.name);
    expect(acme).toContain('acme.echoPayload');
    expect(gx).toEqual(['globex.computeAverage']);
    expectText(await req('PUT', '/machhub/processes/triggers/processes:abc', { headers: GLOBEX, domain: 'domains:globex', body: { triggers: [] } }), 404, 'process not found');
  });

  it('a new domain from the control plane starts empty, with its reserved groups', async () => {
    const r = await app.request('/__admin/domains', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'My Plant' }) });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ id: 'domains:my_plant', name: 'my_plant', display_name: 'My Plant' });
    const k = await (await app.request('/__admin/api-keys', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ domain: 'domains:my_plant', name: 'k' }) })).json() as any;
    const h = { headers: H(k.key), domain: 'domains:my_plant' };
    expect((await req('GET', '/machhub/products/count', h)).json).toEqual({ count: 0 });
    await req('POST', '/machhub/products', { ...h, body: { id: 'P1' } });
    expect((await req('GET', '/machhub/products/all', h)).json[0].id).toEqual({ Table: 'my_plant.products', ID: 'P1' });
    expect((await req('GET', '/machhub/products/count', { headers: ACME })).json).toEqual({ count: 60 });
    expect((await req('GET', '/machhub/auth/user', h)).json).toEqual([]);
    // admin is superuser in acme/globex only: no group in the new domain → no access there.
    const a = { Authorization: `Bearer ${await login('admin')}` };
    expectText(await req('GET', '/machhub/auth/user', { headers: a, domain: 'domains:my_plant' }), 401, 'Unauthorized');
    const dup = await app.request('/__admin/domains', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'my plant' }) });
    expect(dup.status).toBe(409);
    const bad = await app.request('/__admin/domains', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'a.b' }) });
    expect(bad.status).toBe(400);
  });
});

describe('reset', () => {
  const { req, app, suite } = makeSuite();

  it('per-tenant reset restores one domain and leaves the others alone; full reset restores all', async () => {
    await req('POST', '/machhub/products', { body: { id: 'NEW' } });
    await req('POST', '/machhub/products', { body: { id: 'NEW' }, domain: 'domains:globex' });
    await req('POST', '/machhub/fresh', { body: { id: 'F' } });
    await req('DELETE', '/machhub/acme.products:PROD-003');
    await req('POST', '/machhub/auth/group', { body: { name: 'Temp' } });
    const r = await app.request('/__admin/reset', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'domains:acme' }) });
    expect(r.status).toBe(200);
    expect((await req('GET', '/machhub/products/count')).json).toEqual({ count: 60 });
    expect((await req('GET', '/machhub/fresh/count')).json).toEqual({ count: 0 });
    expect((await req('GET', '/machhub/acme.products:PROD-003')).status).toBe(200);
    expect((await req('GET', '/machhub/auth/group')).json.map((g: any) => g.name)).not.toContain('Temp');
    expect((await req('GET', '/machhub/products/count', { domain: 'domains:globex' })).json).toEqual({ count: 26 });
    expect((await req('POST', '/auth/login', { body: { username: 'operator', password: 'operator' } })).status).toBe(200);
    expect((await req('GET', '/machhub/auth/user')).json.map((u: any) => u.username)).toContain('operator');
    expect((await app.request('/__admin/reset', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'nowhere' }) })).status).toBe(404);
    await app.request('/__admin/reset', { method: 'POST' });
    expect((await req('GET', '/machhub/products/count', { domain: 'domains:globex' })).json).toEqual({ count: 25 });
  });

  it('resetting a domain created at run time removes it with its tables, keys and groups', async () => {
    expect((await app.request('/__admin/domains', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Temp Site' }) })).status).toBe(201);
    await req('POST', '/machhub/things', { body: { id: 'T1' }, domain: 'domains:temp_site' });
    expect((await req('GET', '/machhub/things/count', { domain: 'domains:temp_site' })).json).toEqual({ count: 1 });
    const r = await app.request('/__admin/reset', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'temp_site' }) });
    expect(r.status).toBe(200);
    expectText(await req('GET', '/machhub/things/count', { domain: 'domains:temp_site' }), 400, 'bad Domain ID');
    const tables = suite.instance('machhub').ctx.handle.db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'temp_site.%'`).all();
    expect(tables).toEqual([]);
  });
});
