/**
 * `/machhub/designer/*` (D `api/data-plane.md`@066eedb; called by the vendor's `runtime-query` schema script):
 * collection schemas (declared, else inferred from stored records), tags, historized tags, health. The shapes beyond
 * the script's `{name, description, fields:[{name, type, required, enumOptions?}]}` are inferred.
 */
import { Hono } from 'hono';
import { type Env, type Services, jsonObject, requirePermission } from '../http.js';
import { err } from '../errors.js';
import { COLLECTION_NAME, RESERVED_COLLECTIONS, tableName } from '../store/records.js';
import type { SchemaField } from '../store/index.js';
import { type CollectionSchema, declareCollection } from '../ops/designer.js';

export const FIELD_TYPES: readonly SchemaField['type'][] = ['string', 'number', 'boolean', 'datetime', 'object', 'array', 'record', 'enum', 'file'];
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Records read to infer an undeclared collection's fields (ours). */
const INFER_SAMPLE = 200;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type Field = SchemaField;

function typeOf(v: unknown): Field['type'] {
  if (typeof v === 'string') return v.length <= 40 && RFC3339.test(v) ? 'datetime' : 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'array';
  if (v && typeof v === 'object' && 'Table' in v && 'ID' in v) return 'record';
  return 'object';
}

/** Fields of stored records: a field is required when every sampled record has it; mixed types read as `string`. */
export function inferFields(records: Record<string, unknown>[]): Field[] {
  const seen = new Map<string, { types: Set<Field['type']>; count: number }>();
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      if (k === 'id' || v === null || v === undefined) continue;
      const s = seen.get(k) ?? { types: new Set(), count: 0 };
      s.types.add(typeOf(v));
      s.count++;
      seen.set(k, s);
    }
  }
  return [...seen.entries()].map(([name, s]) => ({ name, type: s.types.size === 1 ? [...s.types][0] : 'string', required: s.count === records.length }));
}

function parseSchema(body: Record<string, unknown>): CollectionSchema {
  const name = body.name ?? body.collectionName;
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name) || RESERVED_COLLECTIONS.has(name)) throw err.badRequest(`invalid collection name: ${String(name)}`);
  const description = body.description ?? '';
  if (typeof description !== 'string' || description.length > 1000) throw err.badRequest('description must be a string (at most 1000 characters)');
  if (!Array.isArray(body.fields) || body.fields.length > 200) throw err.badRequest('fields must be an array (at most 200)');
  const names = new Set<string>();
  const fields = body.fields.map((f, i): Field => {
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw err.badRequest(`fields[${i}] must be an object`);
    const o = f as Record<string, unknown>;
    if (typeof o.name !== 'string' || !FIELD_NAME.test(o.name) || o.name === 'id') throw err.badRequest(`fields[${i}].name must be a field name`);
    if (names.has(o.name)) throw err.badRequest(`fields[${i}].name is a duplicate: ${o.name}`);
    names.add(o.name);
    if (!(FIELD_TYPES as readonly string[]).includes(o.type as string)) throw err.badRequest(`fields[${i}].type must be one of ${FIELD_TYPES.join(', ')}`);
    if (o.required !== undefined && typeof o.required !== 'boolean') throw err.badRequest(`fields[${i}].required must be a boolean`);
    const field: Field = { name: o.name, type: o.type as Field['type'], required: o.required === true };
    if (o.type === 'enum' || o.enumOptions !== undefined) {
      const opts = o.enumOptions;
      if (!Array.isArray(opts) || opts.length === 0 || opts.length > 200 || !opts.every((x) => typeof x === 'string' && x !== '')) {
        throw err.badRequest(`fields[${i}].enumOptions must be a non-empty array of strings`);
      }
      field.enumOptions = opts as string[];
    }
    return field;
  });
  return { name, description, fields };
}

export function designerRoutes(env: Services): Hono<Env> {
  const app = new Hono<Env>();
  const { store, records, ctx } = env;

  app.get('/designer/health', (c) => c.json({ status: 'ok' }));

  app.get('/designer/collections', (c) => {
    requirePermission(env, c, 'collections', 'read');
    const domainId = c.env.domainId;
    const declared = new Map(store.schemas.ofDomain(domainId).map((s) => [s.name, s]));
    const names = [...new Set([...records.collections(domainId), ...declared.keys()])].sort();
    return c.json(
      names.map((name): CollectionSchema => {
        const d = declared.get(name);
        if (d) return d;
        const sample = records.scan(tableName(c.env.domainName, name), INFER_SAMPLE).map((r) => JSON.parse(r.data) as Record<string, unknown>);
        return { name, description: '', fields: inferFields(sample) };
      }),
    );
  });

  const declare = (mode: 'create' | 'upsert') =>
    app[mode === 'create' ? 'post' : 'put']('/designer/collections', async (c) => {
      requirePermission(env, c, 'collections', 'read-write');
      const schema = parseSchema(await jsonObject(env, c));
      declareCollection(env, c.env.domainId, c.env.domainName, schema, mode);
      return c.json(schema, mode === 'create' ? 201 : 200);
    });
  declare('create');
  declare('upsert');

  app.get('/designer/tags', (c) => {
    requirePermission(env, c, 'historian', 'read');
    return c.json(
      store.tags.values(c.env.domainId).map((t) => ({
        topic: t.topic,
        historized: t.historized === 1,
        value: t.value === null ? null : (JSON.parse(t.value) as unknown),
        timestamp: t.value_ms === null ? null : new Date(t.value_ms).toISOString(),
      })),
    );
  });

  app.get('/designer/tags/historized', (c) => {
    requirePermission(env, c, 'historian', 'read');
    return c.json(store.tags.topics(c.env.domainId, true));
  });
  return app;
}
