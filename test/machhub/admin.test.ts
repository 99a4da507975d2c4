import { describe, expect, it } from 'vitest';
import { makeSuite } from './helpers.js';

describe('machhub control plane', () => {
  const { app, req } = makeSuite({ auth: 'strict' });
  const post = async (path: string, body: unknown) => {
    const r = await app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as any };
  };

  it('GET /__admin lists the domains as tenants', async () => {
    const r = (await (await app.request('/__admin')).json()) as any;
    expect(r.vendor).toBe('machhub');
    expect(r.tenants.map((t: any) => t.id)).toEqual(['domains:machhub_admin', 'domains:node_red', 'domains:acme', 'domains:globex']);
  });

  it('POST /__admin/users creates a user who can log in, in the named groups of the given domains', async () => {
    const r = await post('/__admin/users', { username: 'qa', password: 'qa-pass', domains: ['acme', 'domains:globex'], groups: ['operators'] });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ username: 'qa', domains: ['domains:acme', 'domains:globex'] });
    expect(r.json.group_ids).toHaveLength(2);
    const login = await req('POST', '/auth/login', { body: { username: 'qa', password: 'qa-pass' } });
    const h = { Authorization: `Bearer ${login.json.tkn}` };
    expect((await req('GET', '/machhub/products/count', { headers: h })).status).toBe(200);
    expect((await req('GET', '/machhub/products/count', { headers: h, domain: 'domains:globex' })).status).toBe(200);
    expect((await req('POST', '/machhub/products', { headers: h, body: {} })).status).toBe(401);
    const m = await post('/__admin/users', { username: 'plain', password: 'p', domains: ['acme'] });
    expect(m.json.group_ids).toHaveLength(1);
  });

  it('POST /__admin/users validation', async () => {
    expect((await post('/__admin/users', { username: 'qa', password: 'x' })).status).toBe(409);
    expect((await post('/__admin/users', { username: 'z', password: 'x', domains: ['nowhere'] })).status).toBe(404);
    expect((await post('/__admin/users', { username: 'z', password: 'x', domains: ['acme'], groups: ['no-such-group'] })).status).toBe(400);
    expect((await post('/__admin/users', { username: 'z' })).json).toEqual({ error: 'password must be a non-empty string' });
    expect((await post('/__admin/users', { username: 'z', password: 'x', role: 'admin' })).json).toEqual({ error: 'unknown field: role' });
    expect((await post('/__admin/users', { username: 'bad name', password: 'x' })).status).toBe(400);
  });

  it('POST /__admin/collections/generate bulk-inserts records that list and filter like any other', async () => {
    const r = await post('/__admin/collections/generate', { domain: 'acme', collection: 'bulk', count: 500 });
    expect(r).toMatchObject({ status: 200, json: { table: 'acme.bulk', added: 500 } });
    const key = { 'X-Machhub-Api-Key': 'mchx_ABCDEFGHIJKLsecret' };
    expect((await req('GET', '/machhub/bulk/count', { headers: key })).json).toEqual({ count: 500 });
    const active = (await req('GET', `/machhub/bulk/count?${new URLSearchParams({ 'filter[status][=][string]': 'active' })}`, { headers: key })).json.count;
    expect(active).toBeGreaterThan(0);
    expect(active).toBeLessThan(500);
    expect((await post('/__admin/collections/generate', { domain: 'acme', collection: 'auth', count: 1 })).status).toBe(400);
    expect((await post('/__admin/collections/generate', { domain: 'acme', collection: 'x', count: 0 })).status).toBe(400);
  });

  it('unknown admin routes and bad JSON answer JSON errors', async () => {
    expect((await app.request('/__admin/nope')).status).toBe(404);
    const r = await app.request('/__admin/domains', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'request body is not valid JSON' });
  });
});
