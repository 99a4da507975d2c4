/** Declared collection schemas (designer): the schema and its table, in one transaction. */
import { err } from '../errors.js';
import type { Services } from '../http.js';
import type { SchemaField } from '../store/index.js';

export interface CollectionSchema {
  name: string;
  description: string;
  fields: SchemaField[];
}

/** `create` refuses a name already declared (409); `upsert` replaces it. */
export function declareCollection({ ctx, store, records, nowIso }: Services, domainId: string, domain: string, schema: CollectionSchema, mode: 'create' | 'upsert'): void {
  const now = nowIso();
  ctx.handle.transaction(() => {
    if (mode === 'create' && store.schemas.ofDomain(domainId).some((s) => s.name === schema.name)) throw err.conflict(`collection already exists: ${schema.name}`);
    records.ensure(domainId, domain, schema.name, now, ctx.config.maxCollections);
    store.schemas.put(domainId, schema.name, schema.description, JSON.stringify(schema.fields));
  });
}
