/** The MACHHUB control plane under `/__admin`: domains, users, API keys, historian, tags, bulk generation; per-domain reset. */
import { Hono } from 'hono';
import { AdminError, adminBody, onlyKeys } from '../../core/admin.js';
import { parseRfc3339 } from '../../core/time.js';
import { inTimeSlices } from '../../core/chunked.js';
import { hashPassword } from '../../core/passwords.js';
import { fastProduct, type GenContext } from './demo.js';
import { MachhubError } from './errors.js';
import type { Services } from './http.js';
import { rid } from './views.js';
import { validTopic } from './mqtt.js';
import { COLLECTION_NAME, RESERVED_COLLECTIONS, tableName } from './store/records.js';
import { DOMAIN_NAME, domainNameFrom, historianDependentsReady, newKey, type Store } from './store/index.js';
import { domainToReset, resetDomainRows } from './store/tenants.js';

/** Target duration of one transaction of `POST /__admin/collections/generate` (rows per slice adapt to it). */
export const GENERATE_SLICE_MS = 10;

function adminDomain(store: Store, v: unknown, key = 'domain'): { id: string; name: string } {
  if (typeof v !== 'string' || v === '') throw new AdminError(400, `${key} must be a domain name or id`);
  const id = v.startsWith('domains:') ? v : `domains:${v}`;
  const d = store.domains.byId(id);
  if (!d) throw new AdminError(404, `unknown domain: ${v}`);
  return { id: d.id, name: d.name };
}

export function adminRoutes(services: Services): Hono {
  const app = new Hono();
  const { ctx, store, records, realtime } = services;
  const now = () => ctx.clock.now().toISOString();

  app.get('/domains', (c) => c.json(store.domains.all().map((d) => ({ id: d.id, name: d.name, display_name: d.display_name, system: !!d.system, created_dt: d.created_dt }))));

  app.post('/domains', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['name']);
    if (typeof body.name !== 'string' || body.name.trim() === '') throw new AdminError(400, 'name must be a non-empty string');
    const name = domainNameFrom(body.name);
    if (!DOMAIN_NAME.test(name)) throw new AdminError(400, 'name may only contain letters, digits, spaces, _ and - (at most 64)');
    if (store.domains.byId(`domains:${name}`)) throw new AdminError(409, `domain already exists: domains:${name}`);
    const d = ctx.handle.transaction(() => store.domains.create(body.name as string, now(), ctx.rng));
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
    if (store.users.byName(body.username as string)) throw new AdminError(409, `username already exists: ${body.username}`);
    for (const g of groups as string[]) {
      if (!ds.some((d) => store.groups.byName(d.id, g))) throw new AdminError(400, `group ${g} exists in none of the given domains`);
    }
    const passwordHash = await hashPassword(body.password as string);
    const user = ctx.handle.transaction(() => {
      if (store.users.byName(body.username as string)) throw new AdminError(409, `username already exists: ${body.username}`);
      const u = store.users.create({ id: `users:${newKey(ctx.rng)}`, username: body.username as string, passwordHash, firstName: body.firstName as string | undefined, lastName: body.lastName as string | undefined, email: body.email as string | undefined, number: body.number as string | undefined }, now());
      for (const d of ds) {
        store.users.addToDomain(u.id, d.id);
        const names = (groups as string[]).length ? (groups as string[]) : ['member'];
        for (const g of names) {
          const grp = store.groups.byName(d.id, g);
          if (grp) store.groups.addUser(grp.id, u.id, d.id);
        }
      }
      return u;
    });
    return c.json({ id: rid(user.id), username: user.username, firstName: user.first_name, lastName: user.last_name, email: user.email, domains: store.users.domainsOf(user.id), group_ids: store.users.groupIdsOf(user.id) }, 201);
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
    const { key, lookupId } = store.keys.create(d.id, body.name, expires, now());
    return c.json({ key, id: lookupId, domain: d.id, name: body.name, expiration: expires === null ? null : new Date(expires).toISOString(), created_dt: now() }, 201);
  });

  app.get('/api-keys', (c) =>
    c.json(store.keys.all().map((k) => ({ id: k.lookup_id, domain: k.domain_id, name: k.name, expiration: k.expires_ms === null ? null : new Date(k.expires_ms).toISOString(), created_dt: k.created_dt }))),
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
      store.tags.upsert(d.id, body.topic as string, body.historized !== false);
      for (const p of pts) store.tags.addPoint(d.id, body.topic as string, p.ts, p.value);
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
    await realtime.publish(d, body.topic, body.value, body.retain ?? true);
    return c.json({ domain: d.id, topic: body.topic, value: body.value, retain: body.retain ?? true });
  });

  app.post('/tags/historized', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['domain', 'topic']);
    const d = adminDomain(store, body.domain);
    if (typeof body.topic !== 'string' || !validTopic(body.topic)) throw new AdminError(400, 'topic must be a tag path (no wildcards, not starting with $, at most 512 characters)');
    ctx.handle.transaction(() => store.tags.upsert(d.id, body.topic as string, true));
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

export function resetTenant({ ctx, realtime }: Services, tenant: string, seeded: string): boolean {
  const id = tenant.startsWith('domains:') ? tenant : `domains:${tenant}`;
  const live = ctx.handle.db;
  const found = domainToReset(live, seeded, id);
  if (!found) return false;
  historianDependentsReady(ctx.handle, id);
  realtime.pendingTenant = { domainId: id, domain: found.name };
  resetDomainRows(live, seeded, id, found);
  return true;
}
