/** Helpers shared by the resource routes: 404s from the spec, the attachment routes, date and custom-field filters. */
import type { Hono } from 'hono';
import { notFound, payloadTooLarge } from '../errors.js';
import { params, pathId, type C, type Env, type Mx } from '../http.js';
import { acceptedTypes, loadSpec, notFoundMessage } from '../openapi.js';
import { putFile, removeFile } from '../ops/files.js';
import { dateParam, stringList } from '../query.js';
import type { Filter, Row } from '../store/index.js';

/** The live row or the operation's 404. */
export function need(mx: Mx, c: C, kind: string, key: string, idParam = 'id'): Row {
  const row = mx.store.records.get(kind, pathId(c, idParam), c.env.orgIds);
  if (!row) throw notFound(notFoundMessage(key));
  return row;
}

/** Stores the raw request body as a file in `slot` of `row` (type list and size limit per the operation). */
export async function storeUpload(mx: Mx, c: C, row: Row, key: string, slot: string, filename = c.req.param('filename')): Promise<Response> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  // Attachment PUTs document their 400 as a bare JSON string; thumbnails and procedure fields as `{errors}`.
  const badArguments = (what: string, value: string) =>
    badArgumentsIsString(key) ? c.json('Bad arguments.', 400) : c.json({ errors: [{ error: `Bad arguments: ${what}`, fieldPath: null, fieldValue: value }] }, 400);
  if (!acceptedTypes(key).has(type)) return badArguments('unsupported Content-Type', type);
  const limit = mx.ctx.config.maxAttachmentBytes;
  if (Number(c.req.header('content-length') ?? '0') > limit) throw payloadTooLarge();
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (bytes.length > limit) throw payloadTooLarge();
  if (!filename || filename.length > 255) return badArguments('invalid file name', filename?.slice(0, 64) ?? '');
  const fileKey = putFile(mx, row, { slot, filename, mime: type, bytes });
  const origin = new URL(c.req.url).origin;
  return c.json({ publicUrl: `${origin}/__admin/files/${fileKey}`, filename, fileKey }, 201);
}

/** PUT/DELETE `<base>/{id}/attachments/{filename}` and PUT `<base>/{id}/thumbnail/{filename}`. */
export function attachmentRoutes(app: Hono<Env>, mx: Mx, base: string, kind: string, onChange?: (c: C, row: Row) => void): void {
  for (const slot of ['attachments', 'thumbnail'] as const) {
    const key = `PUT ${base}/{id}/${slot}/{filename}`;
    app.put(`${base}/:id/${slot}/:filename`, async (c) => {
      const row = need(mx, c, kind, key);
      const res = await storeUpload(mx, c, row, key, slot === 'attachments' ? 'attachment' : 'thumbnail');
      if (res.status === 201) onChange?.(c, row);
      return res;
    });
  }
  const delKey = `DELETE ${base}/{id}/attachments/{filename}`;
  app.delete(`${base}/:id/attachments/:filename`, (c) => {
    const row = need(mx, c, kind, delKey);
    if (!removeFile(mx, row, 'attachment', c.req.param('filename'), true)) throw notFound('Attachment Not Found');
    return c.body(null, 204);
  });
}

function badArgumentsIsString(key: string): boolean {
  const [method, path] = key.split(' ');
  return loadSpec().paths[path]?.[method.toLowerCase()]?.responses?.['400']?.content?.['application/json']?.schema?.type === 'string';
}

/** `updatedAt[gte|lte]` / `createdAt[gte|lte]` list filters on the row's timestamps. */
export const dateFilters = (c: C, filters: Filter[]) => {
  const p = params(c);
  for (const [param, col, op] of [
    ['updatedAt[gte]', 'updated_at', '>='],
    ['updatedAt[lte]', 'updated_at', '<='],
    ['createdAt[gte]', 'created_at', '>='],
    ['createdAt[lte]', 'created_at', '<='],
  ] as const) {
    const v = dateParam(p, param);
    if (v !== undefined) filters.push({ cmp: col, op, value: v });
  }
};

/** `customFieldName` list filter: rows whose extra fields have one of the names. */
export const customFieldFilter = (c: C, filters: Filter[]) => {
  const names = stringList(params(c), 'customFieldName');
  if (names) filters.push({ hasKey: '$.extraFields', values: names });
};
