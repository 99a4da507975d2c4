/** The MACHHUB fake: `/auth/*` and `/machhub/*` (reference `machhub.md`, SDK 1.1.5 wire capture). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AdminError, adminBody, onlyKeys, parseRfc3339 } from '../../core/admin.js';
import { replaceRows } from '../../core/db.js';
import { clientClosedResponse, clientGone } from '../../core/http.js';
import { inTimeSlices } from '../../core/chunked.js';
import { fx } from '../../core/fixtures.js';
import { hashPassword, hashPasswordSync } from '../../core/passwords.js';
import type { Rng } from '../../core/rng.js';
import { sha256Hex } from '../../core/secrets.js';
import { FixtureError, type Vendor, type VendorContext } from '../../core/vendor.js';
import { type MachhubConfig, resolveDomain, resolvePrincipal, signerFor } from './auth.js';
import { fastProduct, generate, type GenContext, recordKey, sensorValue } from './demo.js';
import type { AppEnv, Env } from './env.js';
import { rid } from './env.js';
import { err, faultResponse, MachhubError } from './errors.js';
import { STATUS_CODES } from 'node:http';
import { PROCESS_HANDLERS } from './processes.js';
import { QueryError } from './query.js';
import { COLLECTION_NAME, Records, RESERVED_COLLECTIONS, tableName } from './records.js';
import { authRoutes } from './routes/auth.js';
import { machhubConsole } from './console.js';
import { dataRoutes, httpTriggerRoute } from './routes/data.js';
import { designerRoutes } from './routes/designer.js';
import { fileRoute, recordRoutes } from './routes/records.js';
import { Realtime, validTopic } from './mqtt.js';
import { DOMAIN_TABLES, migrate } from './schema.js';
import { DOMAIN_NAME, domainNameFrom, newKey, Store } from './store.js';
import { createSandbox, deleteSandbox } from './sandbox.js';

export interface MachhubFixtures {
  epoch: string;
  domains: { name: string; system?: boolean }[];
  users: { id: string; username: string; password: string; firstName?: string; lastName?: string; email?: string; groups: Record<string, string[]> }[];
  groups: { domain: string; name: string; features: { name: string; action: string; scope: string }[] }[];
  apiKeys: { domain: string; name: string; key: string; expiration?: string | null }[];
  collections: Record<string, Record<string, number>>;
  tags: { domain: string; topic: string; historized: boolean; base: number; amplitude: number; noise: number }[];
  historian: { intervalSeconds: number; points: number };
  processes: { id: string; domain: string; name: string; handler: string; language: 'python' | 'typescript'; code: string; enabled: boolean; config?: Record<string, unknown>; triggers: unknown[] }[];
}

function parseFixtures(raw: unknown): MachhubFixtures {
  const o = fx.object(raw, 'machhub');
  if (!parseRfc3339(o.epoch)) throw new FixtureError('machhub.epoch must be an RFC 3339 timestamp');
  const domains = fx.array(o.domains, 'machhub.domains').map((d, i) => {
    const x = fx.object(d, `machhub.domains[${i}]`);
    const name = fx.string(x.name, `machhub.domains[${i}].name`);
    if (!DOMAIN_NAME.test(domainNameFrom(name))) throw new FixtureError(`machhub.domains[${i}].name gives an invalid domain id`);
    return { name, system: x.system === true };
  });
  const known = new Set(domains.map((d) => domainNameFrom(d.name)));
  const dom = (v: unknown, path: string) => {
    const s = fx.string(v, path);
    if (!known.has(s)) throw new FixtureError(`${path}: unknown domain ${s}`);
    return s;
  };
  const users = fx.array(o.users, 'machhub.users').map((u, i) => {
    const x = fx.object(u, `machhub.users[${i}]`);
    const groups = fx.object(x.groups, `machhub.users[${i}].groups`);
    for (const [d, g] of Object.entries(groups)) {
      dom(d, `machhub.users[${i}].groups key`);
      fx.stringArray(g, `machhub.users[${i}].groups.${d}`);
    }
    return { ...x, id: fx.string(x.id, `machhub.users[${i}].id`), username: fx.string(x.username, `machhub.users[${i}].username`), password: fx.string(x.password, `machhub.users[${i}].password`), groups } as MachhubFixtures['users'][number];
  });
  const groups = fx.array(o.groups, 'machhub.groups').map((g, i) => {
    const x = fx.object(g, `machhub.groups[${i}]`);
    return { domain: dom(x.domain, `machhub.groups[${i}].domain`), name: fx.string(x.name, `machhub.groups[${i}].name`), features: fx.array(x.features, `machhub.groups[${i}].features`) as MachhubFixtures['groups'][number]['features'] };
  });
  const apiKeys = fx.array(o.apiKeys, 'machhub.apiKeys').map((k, i) => {
    const x = fx.object(k, `machhub.apiKeys[${i}]`);
    const key = fx.string(x.key, `machhub.apiKeys[${i}].key`);
    if (!/^mchx_[A-Za-z0-9]{12}.+$/.test(key)) throw new FixtureError(`machhub.apiKeys[${i}].key must be mchx_<12-char id><secret>`);
    return { domain: dom(x.domain, `machhub.apiKeys[${i}].domain`), name: fx.string(x.name, `machhub.apiKeys[${i}].name`), key, expiration: (x.expiration as string | null | undefined) ?? null };
  });
  const collections = fx.object(o.collections, 'machhub.collections') as Record<string, Record<string, number>>;
  for (const [d, cols] of Object.entries(collections)) {
    dom(d, 'machhub.collections key');
    for (const [c, n] of Object.entries(fx.object(cols, `machhub.collections.${d}`))) {
      if (!COLLECTION_NAME.test(c) || RESERVED_COLLECTIONS.has(c)) throw new FixtureError(`machhub.collections.${d}.${c}: invalid collection name`);
      fx.int(n, `machhub.collections.${d}.${c}`);
    }
  }
  const tags = fx.array(o.tags, 'machhub.tags').map((t, i) => {
    const x = fx.object(t, `machhub.tags[${i}]`);
    return { domain: dom(x.domain, `machhub.tags[${i}].domain`), topic: fx.string(x.topic, `machhub.tags[${i}].topic`), historized: x.historized === true, base: Number(x.base ?? 0), amplitude: Number(x.amplitude ?? 0), noise: Number(x.noise ?? 0) };
  });
  const h = fx.object(o.historian, 'machhub.historian');
  const historian = { intervalSeconds: fx.int(h.intervalSeconds, 'machhub.historian.intervalSeconds', 1), points: fx.int(h.points, 'machhub.historian.points') };
  const processes = fx.array(o.processes, 'machhub.processes').map((p, i) => {
    const x = fx.object(p, `machhub.processes[${i}]`);
    const handler = fx.string(x.handler, `machhub.processes[${i}].handler`);
    if (!PROCESS_HANDLERS[handler]) throw new FixtureError(`machhub.processes[${i}].handler: unknown handler ${handler} (known: ${Object.keys(PROCESS_HANDLERS).join(', ')})`);
    return { ...x, id: fx.string(x.id, `machhub.processes[${i}].id`), domain: dom(x.domain, `machhub.processes[${i}].domain`), name: fx.string(x.name, `machhub.processes[${i}].name`), handler } as MachhubFixtures['processes'][number];
  });
  return { epoch: o.epoch as string, domains, users, groups, apiKeys, collections, tags, historian, processes };
}

function seed(ctx: VendorContext<MachhubConfig>, f: MachhubFixtures, rng: Rng): void {
  const store = new Store(ctx.handle);
  const records = new Records(ctx.handle);
  const epochMs = Date.parse(f.epoch);
  const epoch = new Date(epochMs).toISOString();
  for (const d of f.domains) store.createDomain(d.name, epoch, rng, d.system);
  const domainId = (name: string) => `domains:${name}`;
  for (const g of f.groups) {
    const gid = store.groupByName(domainId(g.domain), g.name)?.id ?? store.createGroup(domainId(g.domain), g.name, epoch, rng);
    for (const feat of g.features) store.addFeature(gid, domainId(g.domain), feat);
  }
  // scrypt once per distinct demo password, with a seeded salt (the seeded image stays reproducible).
  const hashes = new Map<string, string>();
  const pw = (p: string) => hashes.get(p) ?? hashes.set(p, hashPasswordSync(p, Buffer.from(rng.hex(16), 'hex'))).get(p)!;
  for (const u of f.users) {
    store.createUser({ ...u, passwordHash: pw(u.password) }, epoch);
    for (const [d, groups] of Object.entries(u.groups)) {
      store.addUserToDomain(u.id, domainId(d));
      for (const g of groups) {
        const grp = store.groupByName(domainId(d), g);
        if (!grp) throw new FixtureError(`machhub.users ${u.username}: unknown group ${g} in ${d}`);
        store.addUserToGroup(grp.id, u.id, domainId(d));
      }
    }
  }
  for (const k of f.apiKeys) {
    const lookup = k.key.slice(5, 17);
    const expires = k.expiration ? Date.parse(k.expiration) : null;
    store.insertApiKey(lookup, domainId(k.domain), k.name, sha256Hex(k.key.slice(17)), expires, epoch);
  }
  for (const [d, cols] of Object.entries(f.collections)) {
    const g: GenContext = { rng: rng.fork(`collections:${d}`), domain: d, sizes: cols, epochMs };
    for (const [c, n] of Object.entries(cols)) {
      const table = records.ensure(domainId(d), d, c, epoch, Infinity);
      const rows = [];
      for (let i = 0; i < n; i++) {
        const key = recordKey(c, i);
        const created = new Date(epochMs - (n - i) * 3_600_000).toISOString();
        rows.push({ id: key, data: JSON.stringify({ id: { Table: table, ID: key }, ...generate(g, c, i), created_dt: created, updated_dt: created }) });
      }
      records.insertMany(table, rows);
    }
  }
  const hr = rng.fork('historian');
  const stepMs = f.historian.intervalSeconds * 1000;
  for (const t of f.tags) {
    store.upsertTag(domainId(t.domain), t.topic, t.historized);
    if (!t.historized) continue;
    for (let k = 0; k < f.historian.points; k++) {
      store.addPoint(domainId(t.domain), t.topic, epochMs + k * stepMs, sensorValue(hr, t.base, t.amplitude, t.noise, k, 1440));
    }
  }
  for (const p of f.processes) {
    const { id, domain, name, handler, ...rest } = p;
    store.insertProcess({
      id,
      domain_id: domainId(domain),
      name,
      handler,
      data: JSON.stringify({ log_enabled: false, version: 1, inputs: [], outputs: [], ...rest }),
      created_dt: epoch,
      updated_dt: epoch,
    });
  }
  store.putSetting('epoch', epoch);
}

const realtimes = new WeakMap<VendorContext<MachhubConfig>, Realtime>();
/** The instance's MQTT broker (created with the instance; served once a listener attaches). */
function realtimeFor(ctx: VendorContext<MachhubConfig>): Realtime {
  let r = realtimes.get(ctx);
  if (!r) {
    r = new Realtime(ctx, signerFor(ctx));
    realtimes.set(ctx, r);
  }
  return r;
}

/** Target duration of one transaction of `POST /__admin/collections/generate` (rows per slice adapt to it). */
export const GENERATE_SLICE_MS = 10;

function adminDomain(store: Store, v: unknown, key = 'domain'): { id: string; name: string } {
  if (typeof v !== 'string' || v === '') throw new AdminError(400, `${key} must be a domain name or id`);
  const id = v.startsWith('domains:') ? v : `domains:${v}`;
  const d = store.domainById(id);
  if (!d) throw new AdminError(404, `unknown domain: ${v}`);
  return { id: d.id, name: d.name };
}

function admin(ctx: VendorContext<MachhubConfig>): Hono {
  const app = new Hono();
  const store = new Store(ctx.handle);
  const records = new Records(ctx.handle);
  const now = () => ctx.clock.now().toISOString();

  app.get('/domains', (c) => c.json(store.domains().map((d) => ({ id: d.id, name: d.name, display_name: d.display_name, system: !!d.system, created_dt: d.created_dt }))));

  app.post('/domains', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['name']);
    if (typeof body.name !== 'string' || body.name.trim() === '') throw new AdminError(400, 'name must be a non-empty string');
    const name = domainNameFrom(body.name);
    if (!DOMAIN_NAME.test(name)) throw new AdminError(400, 'name may only contain letters, digits, spaces, _ and - (at most 64)');
    if (store.domainById(`domains:${name}`)) throw new AdminError(409, `domain already exists: domains:${name}`);
    const d = ctx.handle.transaction(() => store.createDomain(body.name as string, now(), ctx.rng));
    return c.json({ id: d.id, name: d.name, display_name: d.display_name, system: false, created_dt: d.created_dt }, 201);
  });

  app.post('/users', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['username', 'password', 'domains', 'groups', 'firstName', 'lastName', 'email', 'number']);
    for (const k of ['username', 'password']) if (typeof body[k] !== 'string' || body[k] === '') throw new AdminError(400, `${k} must be a non-empty string`);
    for (const k of ['firstName', 'lastName', 'email', 'number']) if (body[k] !== undefined && typeof body[k] !== 'string') throw new AdminError(400, `${k} must be a string`);
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(body.username as string)) throw new AdminError(400, 'username may only contain letters, digits, _ . @ -');
    const domains = body.domains ?? [];
    const groups = body.groups ?? [];
    if (!Array.isArray(domains) || !Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw new AdminError(400, 'domains and groups must be arrays of strings');
    const ds = domains.map((d) => adminDomain(store, d, 'domains[]'));
    if (store.userByName(body.username as string)) throw new AdminError(409, `username already exists: ${body.username}`);
    for (const g of groups as string[]) {
      if (!ds.some((d) => store.groupByName(d.id, g))) throw new AdminError(400, `group ${g} exists in none of the given domains`);
    }
    const passwordHash = await hashPassword(body.password as string);
    const user = ctx.handle.transaction(() => {
      if (store.userByName(body.username as string)) throw new AdminError(409, `username already exists: ${body.username}`);
      const u = store.createUser({ id: `users:${newKey(ctx.rng)}`, username: body.username as string, passwordHash, firstName: body.firstName as string | undefined, lastName: body.lastName as string | undefined, email: body.email as string | undefined, number: body.number as string | undefined }, now());
      for (const d of ds) {
        store.addUserToDomain(u.id, d.id);
        const names = (groups as string[]).length ? (groups as string[]) : ['member'];
        for (const g of names) {
          const grp = store.groupByName(d.id, g);
          if (grp) store.addUserToGroup(grp.id, u.id, d.id);
        }
      }
      return u;
    });
    return c.json({ id: rid(user.id), username: user.username, firstName: user.first_name, lastName: user.last_name, email: user.email, domains: store.userDomains(user.id), group_ids: store.userGroupIds(user.id) }, 201);
  });

  app.post('/api-keys', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['domain', 'name', 'expiration']);
    const d = adminDomain(store, body.domain);
    if (typeof body.name !== 'string' || body.name === '') throw new AdminError(400, 'name must be a non-empty string');
    let expires: number | null = null;
    if (body.expiration !== undefined && body.expiration !== null && body.expiration !== 0) {
      const t = parseRfc3339(body.expiration);
      if (!t) throw new AdminError(400, 'expiration must be an RFC 3339 timestamp, 0 or null (no expiration)');
      expires = t.getTime();
    }
    const { key, lookupId } = store.createApiKey(d.id, body.name, expires, now());
    return c.json({ key, id: lookupId, domain: d.id, name: body.name, expiration: expires === null ? null : new Date(expires).toISOString(), created_dt: now() }, 201);
  });

  app.get('/api-keys', (c) =>
    c.json(store.apiKeys().map((k) => ({ id: k.lookup_id, domain: k.domain_id, name: k.name, expiration: k.expires_ms === null ? null : new Date(k.expires_ms).toISOString(), created_dt: k.created_dt }))),
  );

  app.post('/historian', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['domain', 'topic', 'points', 'historized']);
    const d = adminDomain(store, body.domain);
    if (typeof body.topic !== 'string' || body.topic === '') throw new AdminError(400, 'topic must be a non-empty string');
    if (!Array.isArray(body.points) || body.points.length > 100_000) throw new AdminError(400, 'points must be an array of {timestamp, value} (at most 100000)');
    const pts = body.points.map((p, i) => {
      const o = p as Record<string, unknown>;
      const t = typeof o === 'object' && o !== null ? parseRfc3339(o.timestamp) : null;
      if (!t || !('value' in o)) throw new AdminError(400, `points[${i}] must be {timestamp: RFC 3339, value}`);
      return { ts: t.getTime(), value: o.value };
    });
    ctx.handle.transaction(() => {
      store.upsertTag(d.id, body.topic as string, body.historized !== false);
      for (const p of pts) store.addPoint(d.id, body.topic as string, p.ts, p.value);
    });
    return c.json({ domain: d.id, topic: body.topic, added: pts.length });
  });

  // MQTT as a device would publish: the tag's current value, a historian point if historized, delivery to subscribers.
  app.post('/tags/publish', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['domain', 'topic', 'value', 'retain']);
    const d = adminDomain(store, body.domain);
    if (typeof body.topic !== 'string' || !validTopic(body.topic)) throw new AdminError(400, 'topic must be a tag path (no wildcards, not starting with $, at most 512 characters)');
    if (!('value' in body)) throw new AdminError(400, 'value is required');
    if (body.retain !== undefined && typeof body.retain !== 'boolean') throw new AdminError(400, 'retain must be a boolean');
    await realtimeFor(ctx).publish(d, body.topic, body.value, body.retain ?? true);
    return c.json({ domain: d.id, topic: body.topic, value: body.value, retain: body.retain ?? true });
  });

  app.post('/tags/historized', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['domain', 'topic']);
    const d = adminDomain(store, body.domain);
    if (typeof body.topic !== 'string' || !validTopic(body.topic)) throw new AdminError(400, 'topic must be a tag path (no wildcards, not starting with $, at most 512 characters)');
    ctx.handle.transaction(() => store.upsertTag(d.id, body.topic as string, true));
    return c.json({ domain: d.id, topic: body.topic, historized: true });
  });

  // Bulk generation for benchmarks: `count` product-like records, committed in slices of about GENERATE_SLICE_MS (one
  // transaction each) with a turn of the event loop between them, so every other listener keeps answering.
  let resets = 0;
  ctx.onReset(() => resets++);
  app.post('/collections/generate', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['domain', 'collection', 'count']);
    const d = adminDomain(store, body.domain);
    const col = body.collection;
    if (typeof col !== 'string' || !COLLECTION_NAME.test(col) || RESERVED_COLLECTIONS.has(col)) throw new AdminError(400, 'collection must be a valid collection name');
    if (!Number.isInteger(body.count) || (body.count as number) < 1 || (body.count as number) > 1_000_000) throw new AdminError(400, 'count must be an integer from 1 to 1000000');
    const n = body.count as number;
    const started = performance.now();
    const table = tableName(d.name, col);
    const g: GenContext = { rng: ctx.rng.fork(`generate:${d.name}.${col}:${records.count(table, { and: [], or: [] })}`), domain: d.name, sizes: { items: 40, categories: 8, suppliers: 10 }, epochMs: ctx.clock.nowMs() };
    try {
      ctx.handle.transaction(() => records.ensure(d.id, d.name, col, now(), ctx.config.maxCollections));
    } catch (e) {
      if (e instanceof MachhubError) throw new AdminError(e.status === 409 ? 409 : 400, e.message);
      throw e;
    }
    const stamp = now();
    const epoch = resets;
    let added = 0;
    await inTimeSlices(n, GENERATE_SLICE_MS, (from, to) => {
      // A reset while generating ends the run (the table may be gone); what was committed before it is reported.
      if (resets !== epoch || !records.exists(table)) return;
      const rows: { id: string; data: string }[] = [];
      for (let i = from; i < to; i++) {
        const key = newKey(g.rng);
        rows.push({ id: key, data: JSON.stringify({ id: { Table: table, ID: key }, ...fastProduct(g, i), created_dt: stamp, updated_dt: stamp }) });
      }
      ctx.handle.transaction(() => records.insertMany(table, rows));
      added += rows.length;
    });
    if (added < n) throw new AdminError(409, `generation interrupted by a reset after ${added} of ${n} records`);
    return c.json({ domain: d.id, collection: col, table, added, ms: Math.round(performance.now() - started) });
  });

  return app;
}

function app(ctx: VendorContext<MachhubConfig>): Hono {
  const store = new Store(ctx.handle);
  const records = new Records(ctx.handle);
  const signer = signerFor(ctx);
  const env: Env = { ctx, store, records, signer, nowIso: () => ctx.clock.now().toISOString() };
  const correlation = ctx.rng.fork('correlation-ids');

  const api = new Hono<AppEnv>();
  // fasthttp reads the request line and all headers into one buffer (4096 bytes by default); past it, Fiber's
  // server error handler answers 431 before any middleware runs (so no App-CorrelationID).
  api.use('*', async (c, next) => {
    if (requestHeadBytes(c.req.raw) > ctx.config.maxHeaderBytes) {
      return c.body('Request Header Fields Too Large', 431, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    await next();
  });
  // WithCorrelation: every response, errors included, carries App-CorrelationID.
  api.use('*', async (c, next) => {
    await next();
    c.res.headers.set('App-CorrelationID', correlation.uuid());
  });
  api.use('*', bodyLimit({ maxSize: ctx.config.maxBodyBytes, onError: () => { throw err.tooLarge(); } }));
  api.use('*', async (c, next) => {
    const d = resolveDomain(c.req.header('domain'), store);
    c.set('domainId', d.id);
    ctx.setTenant(d.id);
    c.set('domainName', d.name);
    c.set('principal', await resolvePrincipal(c, signer, store, d.id, ctx.clock.nowMs()));
    await next();
  });

  const auth = authRoutes(env);
  api.route('/auth', auth);
  api.route('/machhub/auth', auth);
  const mh = new Hono<AppEnv>();
  // Fiber serves `/machhub/` and `/machhub` alike (non-strict routing).
  api.get('/machhub/', (c) => mh.fetch(new Request(new URL('/', c.req.url), c.req.raw), c.env));
  dataRoutes(env, mh);
  fileRoute(env, mh);
  designerRoutes(env, mh);
  mh.route('/', recordRoutes(env));
  api.route('/machhub', mh);
  httpTriggerRoute(env, api);

  api.notFound((c) => {
    throw err.noRoute(c.req.method, c.req.path);
  });
  api.onError((e, c) => {
    // Fiber's spelling of the plain-text content type.
    const text = (body: string, status: MachhubError['status']) => c.body(body, status, { 'Content-Type': 'text/plain; charset=utf-8' });
    if (e instanceof MachhubError) return text(e.message, e.status);
    if (e instanceof QueryError) return text(e.message, 400);
    if (clientGone(e, c.req.raw)) return clientClosedResponse();
    ctx.log(`machhub: internal error: ${(e as Error).stack ?? e}`);
    return text('Internal Server Error', 500);
  });
  return api as unknown as Hono;
}

/** Bytes of `METHOD /path?query HTTP/1.1\r\n` plus every `Name: value\r\n` and the closing `\r\n`. */
export function requestHeadBytes(req: Request): number {
  const url = req.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  let n = Buffer.byteLength(req.method) + 1 + (pathStart < 0 ? 1 : Buffer.byteLength(url) - pathStart) + 11;
  req.headers.forEach((value, name) => {
    n += name.length + 2 + Buffer.byteLength(value) + 2;
  });
  return n + 2;
}

/**
 * Historian rows are only ever appended (nothing updates or deletes one outside reset), so the seeded rows are still
 * in place with their rowids: dropping the domain's rows added since seeding restores it without rewriting thousands
 * of rows. If the seeded rows are not all there (should not happen), the rows are copied back in full.
 */
function resetHistorian(live: import('../../core/db.js').Db, seeded: string, id: string): void {
  const max = (live.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM "${seeded}".historian`).get() as { m: number }).m;
  live.prepare('DELETE FROM historian WHERE domain_id = ? AND rowid > ?').run(id, max);
  const have = (live.prepare('SELECT count(*) AS n FROM historian WHERE domain_id = ?').get(id) as { n: number }).n;
  const want = (live.prepare(`SELECT count(*) AS n FROM "${seeded}".historian WHERE domain_id = ?`).get(id) as { n: number }).n;
  if (have !== want) replaceRows(live, seeded, 'historian', 'domain_id = ?', [id]);
}

function resetTenant(ctx: VendorContext<MachhubConfig>, tenant: string, seeded: string): boolean {
  const id = tenant.startsWith('domains:') ? tenant : `domains:${tenant}`;
  const live = ctx.handle.db;
  const inLive = live.prepare('SELECT name FROM domains WHERE id = ?').get(id) as { name: string } | undefined;
  const inSeed = live.prepare(`SELECT name FROM "${seeded}".domains WHERE id = ?`).get(id) as { name: string } | undefined;
  if (!inLive && !inSeed) return false;
  const name = (inLive ?? inSeed)!.name;
  realtimeFor(ctx).pendingTenant = { domainId: id, domain: name };
  // Collection tables: the seeded ones keep their table (rows copied back, no schema change, so prepared statements
  // stay valid); tables created since seeding are dropped.
  const seededCols = new Set((live.prepare(`SELECT name FROM "${seeded}".collections WHERE domain_id = ?`).all(id) as { name: string }[]).map((r) => r.name));
  const liveCols = (live.prepare('SELECT name FROM collections WHERE domain_id = ?').all(id) as { name: string }[]).map((r) => r.name);
  for (const c of liveCols) if (!seededCols.has(c)) live.exec(`DROP TABLE IF EXISTS "${tableName(name, c)}"`);
  // The domain row first (its ON DELETE CASCADE clears every dependent row), then groups, then the rest.
  if (inSeed) replaceRows(live, seeded, 'domains', 'id = ?', [id]);
  replaceRows(live, seeded, 'groups', 'domain_id = ?', [id]);
  for (const t of DOMAIN_TABLES) if (t !== 'historian') replaceRows(live, seeded, t, 'domain_id = ?', [id]);
  resetHistorian(live, seeded, id);
  replaceRows(live, seeded, 'collections', 'domain_id = ?', [id]);
  if (!inSeed) live.prepare('DELETE FROM domains WHERE id = ?').run(id);
  for (const c of seededCols) {
    const table = tableName(name, c);
    if (liveCols.includes(c)) live.exec(`DELETE FROM main."${table}"`);
    else live.exec(`CREATE TABLE IF NOT EXISTS main."${table}" (id TEXT PRIMARY KEY, data BLOB NOT NULL)`);
    live.exec(`INSERT INTO main."${table}" (id, data) SELECT id, data FROM "${seeded}"."${table}"`);
  }
  return true;
}

export const machhub: Vendor<MachhubFixtures, MachhubConfig> = {
  name: 'machhub',
  requestIdHeader: 'App-CorrelationID',
  title: 'MACHHUB',
  defaultPort: 4200,
  options: {
    auth: { description: 'auth enforcement on /machhub/* data routes: lax (the real default) or strict', default: 'lax', choices: ['lax', 'strict'] },
    tokenTtlHours: { description: 'JWT lifetime in hours (auth.ttl)', default: 24 },
    maxBodyBytes: { description: 'largest accepted request body in bytes', default: 10 * 1024 * 1024 },
    mqttPort: { description: 'also serve MQTT on this TCP port (the vendor uses 1883); 0 = off (MQTT over WebSocket at /mqtt is always on)', default: 0 },
    maxCollections: { description: 'collections (tables) one domain may create (ours); past it 400', default: 500 },
    maxHeaderBytes: { description: 'request line + headers buffer in bytes (fasthttp ReadBufferSize); past it 431', default: 4096 },
  },
  migrate,
  parseFixtures,
  seed,
  start(ctx) {
    const realtime = realtimeFor(ctx);
    // App-CorrelationID of injected faults' answers: a seeded stream of its own.
    const faultIds = ctx.rng.fork('fault-correlation-ids');
    return {
      api: app(ctx),
      console: (admin) => machhubConsole(ctx as unknown as VendorContext, admin),
      admin: admin(ctx),
      tenants: () => new Store(ctx.handle).domains().map((d) => ({ id: d.id, name: d.display_name, system: !!d.system })),
      resetTenant: (tenant, seeded) => resetTenant(ctx, tenant, seeded),
      createSandbox: (from) => createSandbox(ctx, new Store(ctx.handle), from),
      deleteSandbox: (tenant) => deleteSandbox(ctx, tenant),
      attach: (server) => realtime.attach(server),
      close: () => realtime.close(),
      errorResponse: (status) => faultResponse(status, STATUS_CODES[status] ?? 'Error', faultIds.uuid()),
    };
  },
  demoCredentials(f) {
    return [
      ...f.users.map((u) => ({ label: `user (${Object.keys(u.groups).join(', ')})`, value: `username=${u.username} password=${u.password}` })),
      ...f.apiKeys.map((k) => ({ label: `API key (domains:${k.domain})`, value: `X-Machhub-Api-Key: ${k.key}` })),
    ];
  },
};
