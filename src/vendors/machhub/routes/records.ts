/** Generic collection CRUD under `/machhub/*`: list/count (GET and the PATCH twins), getOne, create, update, delete, files. */
import { Hono } from 'hono';
import { type Env, type Ctx, type Services, jsonObject, jsonResponse, rawQuery, requirePermission } from '../http.js';
import { err } from '../errors.js';
import { type ListQuery, parseListQuery, parseListQueryBody, QueryError } from '../query.js';
import { COLLECTION_NAME, RESERVED_COLLECTIONS, tableName } from '../store/records.js';
import { newKey, type RecordID } from '../store/index.js';
import { recordJson, recordsJson } from '../views.js';
import { createRecord, deleteRecord, type RecordFile, updateRecord } from '../ops/records.js';

const MAX_KEY = 255;
const MAX_DEPTH = 64;

/** Nesting depth of a parsed JSON value (iterative, so hostile input cannot overflow the stack). */
function depth(v: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(x)) stack.push([child, d + 1]);
  }
  return max;
}
type Rec = Record<string, unknown>;

function checkCollection(name: string): void {
  if (!COLLECTION_NAME.test(name) || RESERVED_COLLECTIONS.has(name)) throw err.badRequest(`invalid collection name: ${name}`);
}

function stripBrackets(key: string): string {
  if ((key.startsWith('⟨') && key.endsWith('⟩')) || (key.startsWith('`') && key.endsWith('`'))) return key.slice(1, -1);
  return key;
}

/**
 * A record id in any accepted form: `<domain>.<table>:<key>`, `<table>:<key>`, or a {Table, ID} object. An id whose
 * domain prefix is not the active domain is "not found" (domains never see each other).
 */
export function parseRecordId(raw: unknown, domain: string): { collection: string; key: string } | null {
  let table: string;
  let key: string;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as Rec;
    if (typeof o.Table !== 'string' || (typeof o.ID !== 'string' && typeof o.ID !== 'number')) return null;
    table = o.Table;
    key = String(o.ID);
  } else if (typeof raw === 'string') {
    const i = raw.indexOf(':');
    if (i < 0) return null;
    table = raw.slice(0, i);
    key = stripBrackets(raw.slice(i + 1));
  } else return null;
  const dot = table.indexOf('.');
  if (dot >= 0) {
    if (table.slice(0, dot) !== domain) return null;
    table = table.slice(dot + 1);
  }
  if (!COLLECTION_NAME.test(table) || key === '' || key.length > MAX_KEY || /[\u0000-\u001f]/.test(key)) return null;
  return { collection: table, key };
}

function listQuery(c: Ctx): ListQuery {
  const url = new URL(c.req.url);
  return parseListQuery(url.searchParams.entries());
}

export function recordRoutes(env: Services): Hono<Env> {
  const app = new Hono<Env>();
  const { records, store, ctx, pages } = env;

  /** A link's record, read in the active domain (a link into another domain, or to nothing, stays a link). */
  const resolver = (domain: string) => (link: RecordID) => {
    const id = parseRecordId(link, domain);
    const row = id && records.get(tableName(domain, id.collection), id.key);
    return row ? (JSON.parse(row.data) as Rec) : undefined;
  };

  /**
   * A GET list or count, answered from `pages` while the collection is unchanged. Only answers that succeeded are
   * kept, so a hit stands for a query that parses: the caller's permission is all that is checked again (in the
   * order of a miss: the query, then the permission, then the collection name).
   */
  const memoized = (c: Ctx, kind: string, answer: (q: ListQuery, table: string, domain: string) => string) => {
    const collection = c.req.param('table')!;
    const domain = c.env.domainName;
    const table = tableName(domain, collection);
    let checked = false;
    const check = () => {
      requirePermission(env, c, 'collections', 'read');
      checkCollection(collection);
      checked = true;
    };
    const compute = () => {
      const q = listQuery(c);
      check();
      return answer(q, table, domain);
    };
    const raw = rawQuery(c);
    // `expand` reads other collections: not memoized.
    if (raw.includes('expand')) return jsonResponse(c, compute());
    const key = `${kind}\n${table}\n${raw}`;
    const body = pages.get(table, key, compute, c.env.probe);
    if (!checked) check();
    pages.remember(`${domain}\n${c.req.url}`, table, key);
    return jsonResponse(c, body);
  };
  const listAnswer = (q: ListQuery, table: string, domain: string) => recordsJson(records.list(table, q), q, resolver(domain));
  const countAnswer = (q: ListQuery, table: string) => JSON.stringify({ count: records.count(table, q) });

  const listAll = (c: Ctx, q: ListQuery) => {
    requirePermission(env, c, 'collections', 'read');
    const collection = c.req.param('table')!;
    checkCollection(collection);
    const domain = c.env.domainName;
    return c.body(listAnswer(q, tableName(domain, collection), domain), 200, { 'Content-Type': 'application/json' });
  };
  const countAll = (c: Ctx, q: ListQuery) => {
    requirePermission(env, c, 'collections', 'read');
    const collection = c.req.param('table')!;
    checkCollection(collection);
    return c.json({ count: records.count(tableName(c.env.domainName, collection), q) });
  };
  const bodyQuery = async (c: Ctx) => {
    const url = new URL(c.req.url);
    if ([...url.searchParams.keys()].length) throw new QueryError([...url.searchParams.keys()][0], 'the PATCH form takes its options in the JSON body');
    return parseListQueryBody(await jsonObject(env, c));
  };

  app.get('/:table/all', (c) => memoized(c, 'all', listAnswer));
  app.patch('/:table/all', async (c) => listAll(c, await bodyQuery(c)));
  app.get('/:table/count', (c) => memoized(c, 'count', countAnswer));
  app.patch('/:table/count', async (c) => countAll(c, await bodyQuery(c)));

  /** The record JSON from a create/update body: multipart with a `record` part (SDK) or a plain JSON object. */
  async function readRecordBody(c: Ctx): Promise<{ data: Rec; files: { field: string; file: File }[] }> {
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) {
      let form: FormData;
      try {
        form = await c.req.formData();
      } catch {
        throw err.badRequest('Invalid multipart body');
      }
      const record = form.get('record');
      let data: unknown = {};
      if (record !== null) {
        const text = typeof record === 'string' ? record : await record.text();
        try {
          data = JSON.parse(text);
        } catch {
          throw err.badRequest('record must be a JSON object');
        }
        if (typeof data !== 'object' || data === null || Array.isArray(data)) throw err.badRequest('record must be a JSON object');
      } else throw err.badRequest('record is required');
      const files: { field: string; file: File }[] = [];
      for (const [field, v] of form.entries()) {
        if (field === 'record' || typeof v === 'string') continue;
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(field)) throw err.badRequest(`invalid file field name: ${field}`);
        files.push({ field, file: v as File });
      }
      return checked({ data: data as Rec, files });
    }
    if (type === '' || type.startsWith('application/json') || type.includes('+json')) return checked({ data: await jsonObject(env, c), files: [] });
    throw err.unsupportedMedia(type.split(';')[0]);
  }

  function checked<T extends { data: Rec }>(body: T): T {
    if (depth(body.data) > MAX_DEPTH) throw err.badRequest(`record is nested too deeply (at most ${MAX_DEPTH} levels)`);
    return body;
  }

  /** The files of a multipart body as stored: each file's name is also written into the record's field. */
  async function readFiles(data: Rec, files: { field: string; file: File }[]): Promise<RecordFile[]> {
    const out: RecordFile[] = [];
    for (const { field, file } of files) {
      const name = file.name || 'file';
      if (name.length > 255 || /[\u0000-\u001f/\\]/.test(name)) throw err.badRequest(`invalid file name: ${name}`);
      out.push({ field, name, type: file.type || 'application/octet-stream', bytes: Buffer.from(await file.arrayBuffer()) });
      const cur = data[field];
      if (cur === undefined) data[field] = name;
      else if (Array.isArray(cur) && !cur.includes(name)) cur.push(name);
    }
    return out;
  }

  app.post('/:table', async (c) => {
    requirePermission(env, c, 'collections', 'read-write');
    const collection = c.req.param('table');
    checkCollection(collection);
    const domain = c.env.domainName;
    const domainId = c.env.domainId;
    const { data, files } = await readRecordBody(c);
    let key: string;
    if (data.id !== undefined && data.id !== null && data.id !== '') {
      const given = typeof data.id === 'string' && !data.id.includes(':') ? { collection, key: data.id } : parseRecordId(data.id, domain);
      if (!given || given.collection !== collection) throw err.badRequest('id must be a record id of this collection');
      if (given.key.length > MAX_KEY || /[\u0000-\u001f]/.test(given.key)) throw err.badRequest('invalid record id: at most 255 characters, no control characters');
      key = given.key;
    } else key = newKey(ctx.rng);
    const table = tableName(domain, collection);
    const now = env.nowIso();
    const { id: _id, created_dt: _c, updated_dt: _u, ...rest } = data;
    const stored = await readFiles(rest, files);
    const rec: Rec = { id: { Table: table, ID: key }, ...rest, created_dt: now, updated_dt: now };
    createRecord(env, { domainId, domain, collection, key }, rec, stored, now);
    return c.json(rec);
  });

  function located(c: Ctx) {
    const domain = c.env.domainName;
    const id = parseRecordId(c.req.param('id'), domain);
    if (!id) throw err.recordNotFound();
    const table = tableName(domain, id.collection);
    return { ...id, table, domain };
  }

  /** getOne's body (after the permission check): the query (expand, fields only), then the record or 404. */
  function one(c: Ctx): string {
    const url = new URL(c.req.url);
    for (const k of url.searchParams.keys()) if (k !== 'expand' && k !== 'fields') throw new QueryError(k, 'unsupported query parameter');
    const q = parseListQuery([...url.searchParams.entries()]);
    const { table, key, domain } = located(c);
    const row = records.get(table, key);
    if (!row) throw err.recordNotFound();
    return recordJson(row.data, q, resolver(domain));
  }

  app.get('/:id', (c) => {
    requirePermission(env, c, 'collections', 'read');
    const raw = rawQuery(c);
    const id = parseRecordId(c.req.param('id'), c.env.domainName);
    // `expand` reads other collections: not memoized; a malformed id is 404 (after the query's checks).
    if (!id || raw.includes('expand')) return jsonResponse(c, one(c));
    const table = tableName(c.env.domainName, id.collection);
    const key = `one\n${table}\n${id.key}\n${raw}`;
    const body = pages.get(table, key, () => one(c), c.env.probe);
    pages.remember(`${c.env.domainName}\n${c.req.url}`, table, key);
    return jsonResponse(c, body);
  });

  app.put('/:id', async (c) => {
    requirePermission(env, c, 'collections', 'read-write');
    const { key, collection, domain } = located(c);
    const { data, files } = await readRecordBody(c);
    const { id: _id, created_dt: _c, updated_dt: _u, ...patch } = data;
    const stored = await readFiles(patch, files);
    return c.json(updateRecord(env, { domainId: c.env.domainId, domain, collection, key }, patch, stored));
  });

  app.delete('/:id', (c) => {
    requirePermission(env, c, 'collections', 'read-write');
    const { key, collection, domain } = located(c);
    deleteRecord(env, { domainId: c.env.domainId, domain, collection, key });
    return c.json({ success: true, message: 'record deleted' });
  });

  return app;
}

/** `PATCH /machhub/file`: the stored bytes of a file field, never as JSON (the SDK expects a Blob). */
export function fileRoutes(env: Services): Hono<Env> {
  const app = new Hono<Env>();
  app.patch('/file', async (c) => {
    requirePermission(env, c, 'collections', 'read');
    const body = await jsonObject(env, c);
    for (const k of ['fileName', 'collectionName', 'fieldName', 'recordID']) {
      if (typeof body[k] !== 'string' || body[k] === '') throw err.badRequest(`${k} is required`);
    }
    const domain = c.env.domainName;
    const id = parseRecordId(body.recordID, domain);
    const collection = body.collectionName as string;
    if (!id || (id.collection !== collection && !collection.endsWith(`.${id.collection}`))) throw err.notFound('file');
    const f = env.store.files.get(c.env.domainId, id.collection, id.key, body.fieldName as string, body.fileName as string);
    if (!f) throw err.notFound('file');
    const type = /json/i.test(f.content_type) ? 'application/octet-stream' : f.content_type;
    return c.body(new Uint8Array(f.bytes), 200, {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${(body.fileName as string).replace(/["\\\r\n]/g, '_')}"`,
    });
  });
  return app;
}

