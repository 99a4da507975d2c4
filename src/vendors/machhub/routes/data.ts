/** `/machhub/` device info, tags, historian and processes. */
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { type Env, type Services, jsonObject, requirePermission } from '../http.js';
import { processJson } from '../views.js';
import { err } from '../errors.js';
import { AGGREGATIONS, aggregate, csvCell, formatInZone, parseDuration, sampleRateMs, SurqlError } from '../historian.js';
import { evaluate, historianBounds, parseSurql, type Row, type SurqlQuery } from '../surql.js';
import { tableName } from '../store/records.js';
import { PROCESS_HANDLERS, TRIGGER_TYPES } from '../processes.js';
import type { ProcessRow } from '../store/index.js';

const MAX_EXPORT_CELLS = 2_000_000;
/** Rows a SurrealQL query may read (ours): past it the query must be narrowed (topic, time range). */
export const MAX_QUERY_SCAN = 200_000;
const MAX_QUERY_ROWS = 10_000;

const tooMany = () => new SurqlError(`query reads more than ${MAX_QUERY_SCAN} rows; narrow it (WHERE topic = …, a time range) or use the list API`);

/** The table a query names: `historian`, one of the domain's collections, or one of its tag topics (its points). */
function runQuery(env: Services, domainId: string, domainName: string, q: SurqlQuery): Row[] {
  const { store, records } = env;
  let rows: Row[];
  if (q.table === 'historian') {
    const b = historianBounds(q.where);
    const raw = store.tags.historianRows(domainId, b.topic, b.fromMs, b.toMs, false, MAX_QUERY_SCAN + 1);
    if (raw.length > MAX_QUERY_SCAN) throw tooMany();
    rows = raw.map((r) => ({ topic: r.topic, time: new Date(r.ts).toISOString(), value: JSON.parse(r.value) as unknown }));
  } else if (records.collections(domainId).includes(q.table)) {
    const raw = records.scan(tableName(domainName, q.table), MAX_QUERY_SCAN + 1);
    if (raw.length > MAX_QUERY_SCAN) throw tooMany();
    rows = raw.map((r) => JSON.parse(r.data) as Row);
  } else if (store.tags.has(domainId, q.table)) {
    const b = historianBounds(q.where);
    const raw = store.tags.historianRows(domainId, q.table, b.fromMs, b.toMs, false, MAX_QUERY_SCAN + 1);
    if (raw.length > MAX_QUERY_SCAN) throw tooMany();
    rows = raw.map((r) => ({ time: new Date(r.ts).toISOString(), value: JSON.parse(r.value) as unknown }));
  } else {
    throw new SurqlError(`unsupported query: unknown table ${q.table} (historian, a collection or a tag topic of this domain)`);
  }
  return evaluate(q, rows, MAX_QUERY_ROWS);
}

function isoTime(body: Record<string, unknown>, key: string): number {
  const v = body[key];
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw err.badRequest(`${key} must be an RFC 3339 timestamp`);
  }
  return Date.parse(v);
}

function topicOf(body: Record<string, unknown>): string {
  const t = body.topic;
  if (typeof t !== 'string' || t === '' || t.length > 512) throw err.badRequest('topic is required');
  return t;
}

const point = (p: { ts: number; value: string }) => ({ timestamp: new Date(p.ts).toISOString(), value: JSON.parse(p.value) as unknown });

export function dataRoutes(env: Services): Hono<Env> {
  const app = new Hono<Env>();
  const { store, ctx } = env;

  app.get('/', (c) =>
    c.json({
      device_name: 'edge-01',
      uns: {
        basePath: 'machhub',
        bind: {
          mqtt: { host: '127.0.0.1', port: '1883', enabled: true },
          mqtts: { host: '127.0.0.1', port: '8883', enabled: false },
          ws: { host: '127.0.0.1', port: '8083', enabled: true },
          wss: { host: '127.0.0.1', port: '443', enabled: false },
        },
      },
      version: '1.0.0-fake',
    }),
  );

  app.get('/tag/list', (c) => {
    requirePermission(env, c, 'historian', 'read');
    return c.json(store.tags.topics(c.env.domainId));
  });

  app.get('/historian/list', (c) => {
    requirePermission(env, c, 'historian', 'read');
    return c.json(store.tags.topics(c.env.domainId, true));
  });

  app.patch('/historian', async (c) => {
    requirePermission(env, c, 'historian', 'read');
    const body = await jsonObject(env, c);
    const topic = topicOf(body);
    const start = isoTime(body, 'start_time');
    let end = ctx.clock.nowMs() + 1;
    if (body.range !== undefined) {
      const ms = typeof body.range === 'string' ? parseDuration(body.range) : null;
      if (ms === null) throw err.badRequest('range must be a duration such as 30m, 24h or 7d');
      end = start + ms;
    }
    return c.json(store.tags.points(c.env.domainId, topic, start, end, false, 100_000).map(point));
  });

  app.patch('/historian/last', async (c) => {
    requirePermission(env, c, 'historian', 'read');
    const body = await jsonObject(env, c);
    const topic = topicOf(body);
    const limit = body.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000) throw err.badRequest('limit must be an integer between 1 and 10000');
    const sort = body.sort ?? 'desc';
    if (sort !== 'asc' && sort !== 'desc') throw err.badRequest('sort must be asc or desc');
    const rows = store.tags.lastPoints(c.env.domainId, topic, limit);
    if (sort === 'asc') rows.reverse();
    return c.json(rows.map(point));
  });

  app.post('/historian/query', async (c) => {
    requirePermission(env, c, 'historian', 'read');
    const body = await jsonObject(env, c);
    if (typeof body.query !== 'string' || body.query.trim() === '') throw err.badRequest('query is required');
    try {
      return c.json(runQuery(env, c.env.domainId, c.env.domainName, parseSurql(body.query)));
    } catch (e) {
      if (e instanceof SurqlError) throw err.badRequest(e.message);
      throw e;
    }
  });

  app.post('/historian/export/aggregated', async (c) => {
    requirePermission(env, c, 'historian', 'read');
    const body = await jsonObject(env, c);
    const topics = body.topics;
    if (!Array.isArray(topics) || topics.length === 0 || topics.length > 100 || !topics.every((t) => typeof t === 'string' && t !== '')) {
      throw err.badRequest('topics must be a non-empty array of topic strings');
    }
    const start = isoTime(body, 'startDate');
    const end = isoTime(body, 'endDate');
    if (end <= start) throw err.badRequest('endDate must be after startDate');
    const tz = body.timezone ?? '';
    if (typeof tz !== 'string') throw err.badRequest('timezone must be a string');
    try {
      formatInZone(start, tz);
    } catch {
      throw err.badRequest(`invalid timezone: ${tz}`);
    }
    const rate = body.sampleRate ?? '';
    const how = body.aggregation ?? '';
    if (typeof how !== 'string' || !(AGGREGATIONS as readonly string[]).includes(how)) throw err.badRequest(`invalid aggregation: ${String(how)}`);
    let bucket: number | null;
    try {
      bucket = typeof rate === 'string' ? sampleRateMs(rate) : (() => { throw new SurqlError('invalid sampleRate'); })();
    } catch (e) {
      throw err.badRequest((e as Error).message);
    }
    const mapping = body.mapping ?? {};
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) throw err.badRequest('mapping must be an object');
    const names = (topics as string[]).map((t) => {
      const m = (mapping as Record<string, unknown>)[t];
      return typeof m === 'string' && m !== '' ? m : t;
    });
    const domainId = c.env.domainId;
    const series = (topics as string[]).map((t) => store.tags.points(domainId, t, start, end, false, MAX_EXPORT_CELLS));
    const rows = new Map<number, unknown[]>();
    series.forEach((pts, i) => {
      const groups = new Map<number, unknown[]>();
      for (const p of pts) {
        const k = bucket === null ? p.ts : start + Math.floor((p.ts - start) / bucket) * bucket;
        const arr = groups.get(k) ?? [];
        arr.push(JSON.parse(p.value));
        groups.set(k, arr);
      }
      for (const [k, vals] of groups) {
        const nums = vals.filter((v): v is number => typeof v === 'number');
        const cell = bucket === null || nums.length !== vals.length ? vals[vals.length - 1] : aggregate(nums, how);
        const row = rows.get(k) ?? new Array(topics.length).fill(null);
        row[i] = cell;
        rows.set(k, row);
      }
    });
    if (rows.size * topics.length > MAX_EXPORT_CELLS) throw err.badRequest('export too large; use a coarser sampleRate or a shorter range');
    const lines = [['Timestamp', ...names].map(csvCell).join(',')];
    for (const k of [...rows.keys()].sort((a, b) => a - b)) lines.push([formatInZone(k, tz), ...rows.get(k)!].map(csvCell).join(','));
    const gz = gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'));
    return c.body(new Uint8Array(gz), 200, { 'Content-Type': 'application/gzip', 'Content-Disposition': 'attachment; filename="historian-export.csv.gz"' });
  });

  app.get('/processes/domain', (c) => {
    requirePermission(env, c, 'processes', 'read');
    return c.json(store.processes.ofDomain(c.env.domainId).map((p) => processJson(p, c.env.domainName)));
  });

  app.post('/processes/execute', async (c) => {
    requirePermission(env, c, 'processes', 'read-write');
    const body = await jsonObject(env, c);
    if (typeof body.name !== 'string' || body.name === '') throw err.badRequest('name is required');
    const input = body.input ?? {};
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw err.badRequest('input must be an object');
    const domainName = c.env.domainName;
    const bare = body.name.startsWith(`${domainName}.`) ? body.name.slice(domainName.length + 1) : body.name;
    const p = store.processes.byName(c.env.domainId, bare);
    if (!p) throw err.notFound('process');
    const data = JSON.parse(p.data) as Record<string, unknown>;
    if (data.enabled === false) throw err.badRequest('process is disabled');
    const handler = PROCESS_HANDLERS[p.handler];
    const result = handler(
      { store, records: env.records, domainId: c.env.domainId, domainName, nowMs: ctx.clock.nowMs() },
      (data.config as Record<string, unknown>) ?? {},
      input as Record<string, unknown>,
    );
    return c.json(result as object);
  });

  app.put('/processes/triggers/:id', async (c) => {
    requirePermission(env, c, 'processes', 'read-write');
    const raw = c.req.param('id');
    const id = raw.startsWith('processes:') ? raw : `processes:${raw}`;
    const p = store.processes.byId(id);
    if (!p || p.domain_id !== c.env.domainId) throw err.notFound('process');
    const body = await jsonObject(env, c);
    const triggers = body.triggers;
    if (!Array.isArray(triggers) || triggers.length > 50) throw err.badRequest('triggers must be an array');
    const clean = triggers.map((t, i) => {
      if (typeof t !== 'object' || t === null || Array.isArray(t)) throw err.badRequest(`triggers[${i}] must be an object`);
      const o = t as Record<string, unknown>;
      if (!(TRIGGER_TYPES as readonly string[]).includes(o.type as string)) throw err.badRequest(`triggers[${i}].type must be one of ${TRIGGER_TYPES.join(', ')}`);
      const config = o.config ?? {};
      if (typeof config !== 'object' || config === null || Array.isArray(config)) throw err.badRequest(`triggers[${i}].config must be an object`);
      const cfg = config as Record<string, unknown>;
      if (o.type === 'cron' && (typeof cfg.cron_expression !== 'string' || cfg.cron_expression.trim().split(/\s+/).length < 5 || cfg.cron_expression.trim().split(/\s+/).length > 6)) {
        throw err.badRequest(`triggers[${i}].config.cron_expression must be a cron expression`);
      }
      if (o.type === 'interval' && (typeof cfg.interval_value !== 'number' || !(cfg.interval_value > 0))) throw err.badRequest(`triggers[${i}].config.interval_value must be a positive number`);
      if (o.type === 'tag_change' && (typeof cfg.tag !== 'string' || cfg.tag === '')) throw err.badRequest(`triggers[${i}].config.tag is required`);
      if (o.type === 'http' && (typeof cfg.endpoint !== 'string' || !/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(cfg.endpoint))) throw err.badRequest(`triggers[${i}].config.endpoint must match ^[a-z0-9-]+(/[a-z0-9-]+)*$`);
      return { type: o.type, config: cfg };
    });
    const data = JSON.parse(p.data) as Record<string, unknown>;
    data.triggers = clean;
    store.processes.updateData(p.id, JSON.stringify(data), env.nowIso());
    return c.json(processJson(store.processes.byId(p.id)!, c.env.domainName));
  });
  return app;
}

/** `POST /process/<slug>`: runs the domain's process whose `http` trigger has that endpoint; the body is its input. */
export function httpTriggerRoutes(env: Services): Hono<Env> {
  const app = new Hono<Env>();
  app.post('/process/*', async (c) => {
    requirePermission(env, c, 'processes', 'read-write');
    const slug = c.req.path.slice('/process/'.length);
    if (slug.length > 512 || !/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(slug)) throw err.notFound('process');
    const domainId = c.env.domainId;
    const p = env.store.processes.ofDomain(domainId).find((row) => {
      const d = JSON.parse(row.data) as { triggers?: { type?: string; config?: { endpoint?: string } }[] };
      return (d.triggers ?? []).some((t) => t.type === 'http' && t.config?.endpoint === slug);
    });
    if (!p) throw err.notFound('process');
    const text = await c.req.text();
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        throw err.invalidBody();
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw err.invalidBody();
    }
    const data = JSON.parse(p.data) as Record<string, unknown>;
    if (data.enabled === false) throw err.badRequest('process is disabled');
    const result = PROCESS_HANDLERS[p.handler](
      { store: env.store, records: env.records, domainId, domainName: c.env.domainName, nowMs: env.ctx.clock.nowMs() },
      (data.config as Record<string, unknown>) ?? {},
      input as Record<string, unknown>,
    );
    return c.json(result as object);
  });
  return app;
}
