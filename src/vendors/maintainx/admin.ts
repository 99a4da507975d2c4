/**
 * MaintainX control plane (mounted under /__admin): organizations, users, API keys (shown once), webhook
 * deliveries, uploaded files, bulk work-order generation for load tests.
 */
import { write } from './ops/common.js';
import { APP_EVENTS, appEvent } from './ops/events.js';
import { createWorkPermit } from './ops/maintenanceplans.js';
import { Hono } from 'hono';
import { rateLimitRoutes } from '../../core/admin-testing.js';
import { AdminError, adminBody, adminErrorHandler, onlyKeys } from '../../core/admin.js';
import { randomString, sha256Hex } from '../../core/secrets.js';
import { KEY_PREFIX } from './auth.js';
import type { Mx } from './http.js';

const rateLimitState = (mx: Mx) => ({
  enabled: mx.ctx.config.rateLimit,
  user_limit: mx.ctx.config.userLimit,
  organization_limit: mx.ctx.config.orgLimit,
  window_seconds: mx.ctx.config.windowSeconds,
});

const ROLES = ['ADMIN', 'MEMBER', 'OPERATOR', 'REQUESTER', 'SERVICE_ACCOUNT'];
const posInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function adminRoutes(mx: Mx): Hono {
  const app = new Hono();
  app.onError(adminErrorHandler);

  app.post('/organizations', async (c) => {
    const b = await adminBody(c);
    onlyKeys(b, ['name', 'id', 'timeZone', 'currency']);
    if (typeof b.name !== 'string' || !b.name.trim()) throw new AdminError(400, 'name must be a non-empty string');
    if (b.id !== undefined && !posInt(b.id)) throw new AdminError(400, 'id must be a positive integer');
    if (b.id !== undefined && mx.store.orgs.get(b.id as number)) throw new AdminError(409, `organization ${b.id} already exists`);
    for (const k of ['timeZone', 'currency']) if (b[k] !== undefined && typeof b[k] !== 'string') throw new AdminError(400, `${k} must be a string`);
    const o = mx.store.orgs.create({ id: b.id as number | undefined, name: b.name, timeZone: b.timeZone as string | undefined, currency: b.currency as string | undefined });
    return c.json({ id: o.id, name: o.name, timeZone: o.timeZone, currency: o.currency }, 201);
  });

  app.post('/users', async (c) => {
    const b = await adminBody(c);
    onlyKeys(b, ['organization_id', 'firstName', 'lastName', 'email', 'role']);
    if (!posInt(b.organization_id) || !mx.store.orgs.get(b.organization_id as number)) throw new AdminError(404, `unknown organization: ${String(b.organization_id)}`);
    for (const k of ['firstName', 'lastName']) if (typeof b[k] !== 'string' || !(b[k] as string).trim()) throw new AdminError(400, `${k} must be a non-empty string`);
    if (b.email !== undefined && (typeof b.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(b.email))) throw new AdminError(400, 'email must be an email address');
    const role = b.role ?? 'MEMBER';
    if (typeof role !== 'string' || !ROLES.includes(role)) throw new AdminError(400, `role must be one of: ${ROLES.join(', ')}`);
    const org = b.organization_id as number;
    if (b.email && mx.store.records.find('user', org, { eq: '$.email', value: b.email }).length) throw new AdminError(409, `email already used in organization ${org}: ${b.email}`);
    const r = write(mx, () => {
      const r = mx.store.records.insert('user', org, { firstName: b.firstName, lastName: b.lastName, email: b.email ?? null, role, authType: 'NORMAL', extraFields: {} });
      mx.hooks.emit(org, 'USER_INVITED', { actorId: r.id, targetUserId: r.id, role, creationMethod: 'ADMIN' });
      return r;
    });
    return c.json({ id: r.id, organizationId: org, firstName: b.firstName, lastName: b.lastName, email: b.email ?? null, role }, 201);
  });

  app.post('/api-keys', async (c) => {
    const b = await adminBody(c);
    onlyKeys(b, ['user_id', 'organization_ids', 'label']);
    if (!posInt(b.user_id)) throw new AdminError(400, 'user_id must be a positive integer');
    const user = mx.store.records.get('user', b.user_id as number, mx.store.orgs.all().map((o) => o.id));
    if (!user) throw new AdminError(404, `unknown user: ${b.user_id}`);
    let orgIds: number[] = [user.orgId];
    if (b.organization_ids !== undefined) {
      if (!Array.isArray(b.organization_ids) || b.organization_ids.length === 0 || !b.organization_ids.every(posInt)) {
        throw new AdminError(400, 'organization_ids must be a non-empty array of organization ids');
      }
      orgIds = [...new Set(b.organization_ids as number[])].sort((x, y) => x - y);
      const unknown = orgIds.find((o) => !mx.store.orgs.get(o));
      if (unknown !== undefined) throw new AdminError(404, `unknown organization: ${unknown}`);
    }
    if (b.label !== undefined && typeof b.label !== 'string') throw new AdminError(400, 'label must be a string');
    const key = KEY_PREFIX + randomString(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    const id = mx.store.keys.create(user.id, sha256Hex(key), key.slice(0, 8), orgIds, (b.label as string) ?? null);
    for (const o of orgIds) mx.hooks.emit(o, 'API_TOKEN_CREATED', { actorId: user.id });
    return c.json({ id, key, user_id: user.id, organization_ids: orgIds, label: b.label ?? null }, 201);
  });

  app.get('/api-keys', (c) =>
    c.json({ api_keys: mx.store.keys.all().map((k) => ({ id: k.id, user_id: k.userId, prefix: k.prefix, label: k.label, organization_ids: k.orgIds, created_at: k.createdAt, revoked_at: k.revokedAt })) }),
  );

  app.delete('/api-keys/:id', (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || !mx.store.keys.revoke(id)) throw new AdminError(404, `unknown or already revoked api key: ${c.req.param('id')}`);
    const k = mx.store.keys.all().find((x) => x.id === id)!;
    for (const o of k.orgIds) mx.hooks.emit(o, 'API_TOKEN_REVOKED', { actorId: k.userId });
    return c.body(null, 204);
  });

  // Causes that happen in the MaintainX web app (logins, roles, SSO, invite links, exports…): played here.
  app.post('/events', async (c) => {
    const b = await adminBody(c);
    if (!posInt(b.organization_id) || !mx.store.orgs.get(b.organization_id as number)) throw new AdminError(404, `unknown organization: ${String(b.organization_id)}`);
    if (typeof b.type !== 'string' || !(APP_EVENTS as readonly string[]).includes(b.type)) throw new AdminError(400, `type must be one of: ${APP_EVENTS.join(', ')}`);
    const { organization_id: org, type, ...fields } = b;
    const problem = appEvent(mx, org as number, type, fields);
    if (problem) throw new AdminError(400, problem);
    return c.json({ type, organization_id: org }, 202);
  });

  // Work permits are created in the MaintainX web app; here a permit on a work order, signed via its external link.
  app.post('/work-permits', async (c) => {
    const b = await adminBody(c);
    onlyKeys(b, ['work_order_id']);
    const wo = posInt(b.work_order_id) ? mx.store.records.getAnyOrg('workOrder', b.work_order_id as number) : null;
    if (!wo) throw new AdminError(404, `unknown work order: ${String(b.work_order_id)}`);
    const p = createWorkPermit(mx, wo);
    return c.json({ id: p.id, work_order_id: wo.id, organization_id: wo.orgId, status: p.data.status, externalLinkUuid: p.data.externalLinkUuid }, 201);
  });

  app.get('/webhooks/deliveries', async (c) => {
    const q = c.req.query();
    onlyKeys(q, ['subscription_id', 'organization_id', 'state', 'wait']);
    const num = (k: string) => {
      if (q[k] === undefined) return undefined;
      if (!/^\d{1,12}$/.test(q[k])) throw new AdminError(400, `${k} must be an integer`);
      return Number(q[k]);
    };
    if (q.state !== undefined && !['pending', 'retrying', 'delivered', 'failed'].includes(q.state)) {
      throw new AdminError(400, 'state must be one of: pending, retrying, delivered, failed');
    }
    mx.overdue.run();
    if (q.wait === 'true') await mx.hooks.idle();
    const rows = mx.store.deliveries.list({ subscriptionId: num('subscription_id'), orgId: num('organization_id'), state: q.state });
    return c.json({ deliveries: rows.map((d) => ({ ...d, body: JSON.parse(d.body) })) });
  });

  app.get('/files/*', (c) => {
    let key: string;
    try {
      key = decodeURIComponent(c.req.path.replace(/^\/__admin\/files\//, ''));
    } catch {
      throw new AdminError(404, 'unknown file');
    }
    const f = mx.store.files.bytes(key);
    if (!f) throw new AdminError(404, `unknown file: ${key}`);
    return c.body(new Uint8Array(f.bytes), 200, { 'content-type': f.mime });
  });

  // Rate limiting can be switched at run time too (load tests against a running listener); back to the option on reset.
  app.route(
    '/',
    rateLimitRoutes({
      state: () => rateLimitState(mx),
      setEnabled: (enabled) => void (mx.ctx.config.rateLimit = enabled),
    }),
  );

  app.post('/workorders/bulk', async (c) => {
    const b = await adminBody(c);
    onlyKeys(b, ['organization_id', 'count']);
    if (!posInt(b.organization_id) || !mx.store.orgs.get(b.organization_id as number)) throw new AdminError(404, `unknown organization: ${String(b.organization_id)}`);
    if (!posInt(b.count) || (b.count as number) > 200_000) throw new AdminError(400, 'count must be an integer 1..200000');
    const org = b.organization_id as number;
    const started = performance.now();
    write(mx, () => {
      for (let i = 0; i < (b.count as number); i++) {
        mx.store.records.insert(
          'workOrder',
          org,
          { title: `Generated work order ${i + 1}`, description: null, status: 'OPEN', priority: 'NONE', partStatus: 'NO_PARTS', creatorId: null, assigneeIds: [], teamIds: [], categories: [], vendorIds: [], extraFields: {}, isParent: false, parentId: null },
          { seq: mx.store.records.nextSeq(org, 'workOrder') },
        );
      }
    });
    return c.json({ created: b.count, ms: Math.round(performance.now() - started) }, 201);
  });

  return app;
}
