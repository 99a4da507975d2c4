// Derives openapi/maintainx.json from the official MaintainX OpenAPI document (run once, output committed):
//   node scripts/maintainx-openapi.mjs ../shared/vendors/specs/maintainx.openapi.json
// Every official operation is kept verbatim. Added: the rate-limit headers and 429 on every operation, and a 501
// answer (the vendor's single-error shape) on the operations the fake does not build yet (`x-fake-built: false`).
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILT } from './maintainx-built.mjs';

const src = process.argv[2] ?? '../../shared/vendors/specs/maintainx.openapi.json';
const spec = JSON.parse(readFileSync(src, 'utf8'));
const built = new Set(BUILT);
const seen = new Set();
const errorSchema = { type: 'object', required: ['error'], properties: { error: { type: 'string' } } };
const errorsSchema = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['error'],
        properties: {
          error: { type: 'string' },
          fieldPath: { type: 'string', nullable: true },
          fieldValue: { nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
        },
      },
    },
  },
};
const rateHeaders = {
  'X-Rate-Limit-Limit': { description: 'Request cap of the current timeframe', schema: { type: 'integer' } },
  'X-Rate-Limit-Remaining': { description: 'Requests left in the current timeframe', schema: { type: 'integer' } },
  'X-Rate-Limit-Reset': { description: 'Seconds left before a new timeframe starts', schema: { type: 'integer' } },
};
spec.servers = [{ url: 'http://127.0.0.1:4300/v1', description: 'vendor-fakes MaintainX fake' }, ...spec.servers];
spec.info = { ...spec.info, 'x-fake-source': 'official MaintainX OpenAPI (api-evangelist/maintainx @ 1b91c3a, 2026-07-30)' };
for (const [path, ops] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
    const key = `${method.toUpperCase()} ${path}`;
    seen.add(key);
    op['x-fake-built'] = built.has(key);
    op.responses['429'] ??= {
      description: 'Rate limit exceeded',
      content: { 'application/json': { schema: errorSchema } },
    };
    // Answers every operation can give that the official document leaves out (header and body errors).
    const anyError = { oneOf: [errorSchema, errorsSchema] };
    const r400 = op.responses['400']?.content?.['application/json'];
    if (r400?.schema?.required?.[0] === 'error') {
      // Header errors (x-organization-id) answer in the errors shape on every operation.
      r400.schema = { oneOf: [r400.schema, errorsSchema] };
    }
    op.responses['400'] ??= { description: 'Bad request (query, headers or body)', content: { 'application/json': { schema: anyError } } };
    op.responses['403'] ??= { description: 'The key does not belong to the requested organization', content: { 'application/json': { schema: errorsSchema } } };
    if (path.includes('{')) op.responses['404'] ??= { description: 'Not found', content: { 'application/json': { schema: errorSchema } } };
    if (op.requestBody) op.responses['413'] ??= { description: 'Body too large', content: { 'application/json': { schema: errorSchema } } };
    if (!built.has(key)) {
      op.responses['501'] = {
        description: 'Not implemented by the fake yet',
        content: { 'application/json': { schema: errorSchema } },
      };
    }
  }
}
for (const key of built) if (!seen.has(key)) throw new Error(`built operation not in the spec: ${key}`);
spec.components.headers = rateHeaders;
writeFileSync(new URL('../openapi/maintainx.json', import.meta.url), JSON.stringify(spec) + '\n');
console.log(`${seen.size} operations, ${built.size} built`);
