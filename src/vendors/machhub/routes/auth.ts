/** `/auth/*` and `/machhub/auth/*` (the same handlers on both prefixes): login, JWT validation, users, groups, RBAC. */
import { Hono } from 'hono';
import { hashPassword, verifyPassword } from '../../../core/passwords.js';
import { featuresAllow, issueToken, verifyToken } from '../auth.js';
import { type Env, type Ctx, type Services, jsonObject, requirePermission, str } from '../http.js';
import { groupJson, userJson } from '../views.js';
import { err } from '../errors.js';
import { addPermissions, addUserToGroup, createGroup, createUser } from '../ops/auth.js';
import { type Feature, newKey, RESERVED_GROUPS, type UserRow } from '../store/index.js';

const FEATURE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function parseFeatures(v: unknown, key: string): Feature[] {
  if (!Array.isArray(v)) throw err.badRequest(`${key} must be an array`);
  return v.map((f, i) => {
    if (typeof f !== 'object' || f === null) throw err.badRequest(`${key}[${i}] must be an object`);
    const o = f as Record<string, unknown>;
    for (const k of ['name', 'action', 'scope']) {
      if (typeof o[k] !== 'string' || !FEATURE_NAME.test(o[k] as string)) throw err.badRequest(`${key}[${i}].${k} must be a non-empty name`);
    }
    return { name: o.name as string, action: o.action as string, scope: o.scope as string };
  });
}

/** The id in a path, `users:u1` or bare `u1`. */
function fullId(table: string, raw: string): string {
  return raw.startsWith(`${table}:`) ? raw : `${table}:${raw}`;
}

function currentUser(c: Ctx): UserRow | undefined {
  const p = c.env.principal;
  return p.kind === 'user' ? p.user : undefined;
}

function actionsFor(env: Services, c: Ctx, feature: string, scope?: string): string[] {
  const p = c.env.principal;
  const domainId = c.env.domainId;
  if (p.kind === 'apikey') return ['read', 'read-write'];
  if (p.kind !== 'user') return [];
  if (env.store.groups.isSuperuser(p.user.id, domainId)) return ['read', 'read-write'];
  const out = new Set<string>();
  for (const f of env.store.groups.userFeatures(p.user.id, domainId)) {
    if (f.name === feature && (scope === undefined || f.scope === scope)) out.add(f.action);
  }
  return [...out];
}

function permitted(env: Services, c: Ctx, feature: string, action: string, scope?: string): boolean {
  const p = c.env.principal;
  const domainId = c.env.domainId;
  if (p.kind === 'apikey') return true;
  if (p.kind !== 'user') return false;
  if (env.store.groups.isSuperuser(p.user.id, domainId)) return true;
  return featuresAllow(env.store.groups.userFeatures(p.user.id, domainId), feature, action, scope);
}

export function authRoutes(env: Services): Hono<Env> {
  const app = new Hono<Env>();
  const { store, ctx } = env;

  app.post('/login', async (c) => {
    const body = await jsonObject(env, c);
    const username = body.username;
    const password = body.password;
    if (typeof username !== 'string' || typeof password !== 'string') throw err.badRequest('username and password are required');
    const user = store.users.byName(username);
    // An unknown user costs one scrypt too (no stored hash → false), so timing does not reveal user names.
    if (!(await verifyPassword(password, user?.password_hash)) || !user) throw err.invalidCredentials();
    const tkn = await issueToken(env.signer, store, user, Math.round(ctx.config.tokenTtlHours * 3600), ctx.clock.nowSeconds());
    return c.json({ success: true, tkn });
  });

  app.post('/jwt/validate', async (c) => {
    const body = await jsonObject(env, c);
    const token = body.token;
    if (typeof token !== 'string') throw err.badRequest('token is required');
    const p = await verifyToken(env.signer, store, token, ctx.clock.nowSeconds());
    return p.kind === 'user'
      ? c.json({ success: true, message: 'token is valid', valid: true })
      : c.json({ success: false, message: 'token is invalid', valid: false });
  });

  app.get('/me', (c) => {
    const u = currentUser(c);
    if (!u) throw err.unauthorized();
    return c.json(userJson(store, u, c.env.domainId));
  });

  // checkAction: "always returns 200 OK"; [] means no access.
  app.get('/permission/action/feature/:feature/scope/:scope', (c) => c.json({ actions: actionsFor(env, c, c.req.param('feature'), c.req.param('scope')) }));
  app.get('/permission/action/feature/:feature', (c) => c.json({ actions: actionsFor(env, c, c.req.param('feature')) }));
  app.get('/permission/check/feature/:feature/scope/:scope/action/:action', (c) => {
    const ok = permitted(env, c, c.req.param('feature'), c.req.param('action'), c.req.param('scope'));
    return c.json({ success: true, message: ok ? 'permission granted' : 'permission denied', permission: ok });
  });
  app.get('/permission/check/feature/:feature/action/:action', (c) => {
    const ok = permitted(env, c, c.req.param('feature'), c.req.param('action'));
    return c.json({ success: true, message: ok ? 'permission granted' : 'permission denied', permission: ok });
  });

  app.get('/permission', (c) => {
    const u = currentUser(c);
    const domainId = c.env.domainId;
    return c.json({ permissions: u ? store.groups.userFeatures(u.id, domainId) : [] });
  });

  app.post('/permission', async (c) => {
    requirePermission(env, c, 'groups', 'read-write');
    const body = await jsonObject(env, c);
    const groupId = str(body, 'group_id')!;
    const features = parseFeatures(body.permissions, 'permissions');
    const domainId = c.env.domainId;
    const g = store.groups.byId(fullId('groups', groupId));
    if (!g || g.domain_id !== domainId) throw err.notFound('group');
    addPermissions(env, g.id, domainId, features);
    return c.json({ success: true, message: 'permissions added', actions: store.groups.features(g.id).map((f) => f.action) });
  });

  app.get('/user', (c) => {
    requirePermission(env, c, 'users', 'read');
    const domainId = c.env.domainId;
    return c.json(store.users.ofDomain(domainId).map((u) => userJson(store, u, domainId)));
  });

  app.get('/user/:id', (c) => {
    requirePermission(env, c, 'users', 'read');
    const domainId = c.env.domainId;
    const u = store.users.byId(fullId('users', c.req.param('id')));
    if (!u || !store.users.inDomain(u.id, domainId)) throw err.notFound('user');
    return c.json(userJson(store, u, domainId));
  });

  app.post('/user', async (c) => {
    requirePermission(env, c, 'users', 'read-write');
    const body = await jsonObject(env, c);
    const username = str(body, 'username')!;
    const password = str(body, 'password')!;
    const opt = (k: string) => str(body, k, { required: false, allowEmpty: true }) ?? '';
    const image = body.userImage;
    if (image !== undefined && image !== null && typeof image !== 'string') throw err.badRequest('userImage must be a string or null');
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(username)) throw err.badRequest('username may only contain letters, digits, _ . @ -');
    if (store.users.byName(username)) throw err.conflict('username already exists');
    const passwordHash = await hashPassword(password);
    const domainId = c.env.domainId;
    const user = createUser(env, domainId, { username, passwordHash, firstName: opt('firstName'), lastName: opt('lastName'), email: opt('email'), number: opt('number'), userImage: image === '' ? null : (image as string | null | undefined) ?? null });
    return c.json(userJson(store, user, domainId));
  });

  app.get('/group', (c) => {
    requirePermission(env, c, 'groups', 'read');
    const domainId = c.env.domainId;
    return c.json(store.groups.ofDomain(domainId).map((g) => groupJson(store, g, domainId)));
  });

  app.post('/group', async (c) => {
    requirePermission(env, c, 'groups', 'read-write');
    const body = await jsonObject(env, c);
    const name = str(body, 'name')!;
    if (name.length > 64) throw err.badRequest('name must be at most 64 characters');
    const features = body.features === undefined ? [] : parseFeatures(body.features, 'features');
    if ((RESERVED_GROUPS as readonly string[]).includes(name.trim().toLowerCase())) throw err.badRequest(`group name "${name}" is reserved`);
    const domainId = c.env.domainId;
    const id = createGroup(env, domainId, name, features);
    return c.json(groupJson(store, store.groups.byId(id)!, domainId));
  });

  app.post('/group/:groupId/user/:userId', (c) => {
    requirePermission(env, c, 'groups', 'read-write');
    const domainId = c.env.domainId;
    const g = store.groups.byId(fullId('groups', c.req.param('groupId')));
    if (!g || g.domain_id !== domainId) throw err.notFound('group');
    const u = store.users.byId(fullId('users', c.req.param('userId')));
    if (!u) throw err.notFound('user');
    addUserToGroup(env, g.id, u.id, domainId);
    return c.json({ success: true, message: 'user added to group', actions: store.groups.features(g.id).map((f) => f.action) });
  });

  return app;
}
