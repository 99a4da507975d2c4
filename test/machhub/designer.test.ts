import { describe, expect, it } from 'vitest';
import { expectText, makeSuite } from './helpers.js';

describe('designer routes', () => {
  const { req } = makeSuite();

  it('GET /machhub/designer/collections infers fields from stored records when none are declared', async () => {
    const r = await req('GET', '/machhub/designer/collections');
    expect(r.status).toBe(200);
    expect(r.json.map((c: any) => c.name)).toEqual(['categories', 'items', 'orders', 'products', 'suppliers']);
    const products = r.json.find((c: any) => c.name === 'products');
    expect(products.description).toBe('');
    expect(products.fields).toEqual(expect.arrayContaining([
      { name: 'name', type: 'string', required: true },
      { name: 'price', type: 'number', required: true },
      { name: 'inStock', type: 'boolean', required: true },
      { name: 'created_dt', type: 'datetime', required: true },
    ]));
    expect(products.fields.some((f: any) => f.name === 'id')).toBe(false);
    // Another domain sees only its own.
    expect((await req('GET', '/machhub/designer/collections', { domain: 'domains:globex' })).json.map((c: any) => c.name)).toEqual(['categories', 'products']);
  });

  it('POST declares a schema (409 when declared), PUT replaces it; declared schemas win over inference', async () => {
    const schema = { name: 'item_location', description: 'where items are', fields: [{ name: 'item', type: 'record', required: true }, { name: 'zone', type: 'enum', required: false, enumOptions: ['A', 'B'] }] };
    const created = await req('POST', '/machhub/designer/collections', { body: schema });
    expect(created.status).toBe(201);
    expect(created.json).toEqual(schema);
    expectText(await req('POST', '/machhub/designer/collections', { body: schema }), 409, 'collection already exists: item_location');
    const put = await req('PUT', '/machhub/designer/collections', { body: { ...schema, description: 'v2' } });
    expect(put.json.description).toBe('v2');
    const list = (await req('GET', '/machhub/designer/collections')).json;
    expect(list.find((c: any) => c.name === 'item_location')).toEqual({ ...schema, description: 'v2' });
    expect((await req('GET', '/machhub/item_location/all')).json).toEqual([]);
  });

  it('bad schemas → 400 plain text', async () => {
    const bad = async (body: unknown, msg: string) => expectText(await req('POST', '/machhub/designer/collections', { body }), 400, msg);
    await bad({ name: 'tag', fields: [] }, 'invalid collection name: tag');
    await bad({ name: 'x', fields: [{ name: 'a', type: 'money' }] }, 'fields[0].type must be one of string, number, boolean, datetime, object, array, record, enum, file');
    await bad({ name: 'x', fields: [{ name: 'a', type: 'enum' }] }, 'fields[0].enumOptions must be a non-empty array of strings');
    await bad({ name: 'x', fields: [{ name: 'a', type: 'string' }, { name: 'a', type: 'string' }] }, 'fields[1].name is a duplicate: a');
    await bad({ name: 'x' }, 'fields must be an array (at most 200)');
  });

  it('tags, historized tags, health', async () => {
    const tags = (await req('GET', '/machhub/designer/tags')).json;
    expect(tags).toContainEqual({ topic: 'line1/oven/door', historized: false, value: null, timestamp: null });
    expect(tags.find((t: any) => t.topic === 'a/b').historized).toBe(true);
    expect((await req('GET', '/machhub/designer/tags/historized')).json).toEqual((await req('GET', '/machhub/historian/list')).json);
    expect((await req('GET', '/machhub/designer/health')).json).toEqual({ status: 'ok' });
  });
});
