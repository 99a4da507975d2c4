/**
 * TrakRF control-plane routes. The real vendor mints credentials only in its web app (trakrf.md §3.1); these stand
 * in for it: orgs, API keys (the secret is shown once, here), and the org's subscription switch (402 on writes).
 */
import { Hono } from 'hono';
import { AdminError, adminBody, onlyKeys, parseRfc3339 } from '../../core/admin.js';
import type { VendorContext } from '../../core/vendor.js';
import type { TrakrfAuth } from './auth.js';
import { ALL_SCOPES, iso, isoOrNull, type TrakrfStore } from './store.js';

export function adminRoutes(ctx: VendorContext, store: TrakrfStore, auth: TrakrfAuth): Hono {
  const app = new Hono();
  const orgView = (o: { id: number; name: string; subscription_active: number; created_at: number }) => ({
    id: o.id,
    name: o.name,
    subscription_active: o.subscription_active === 1,
    created_at: iso(o.created_at),
  });
  const orgId = (v: unknown, label = 'org_id'): number => {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (!Number.isSafeInteger(n) || (n as number) < 1) throw new AdminError(400, `${label} must be a positive integer`);
    if (!store.org(n as number)) throw new AdminError(404, `no org with id ${String(n)}`);
    return n as number;
  };

  app.get('/orgs', (c) => c.json(store.orgs().map(orgView)));

  app.post('/orgs', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['name', 'subscription_active']);
    if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 255) {
      throw new AdminError(400, 'name must be a non-empty string of at most 255 characters');
    }
    if (body.subscription_active !== undefined && typeof body.subscription_active !== 'boolean') {
      throw new AdminError(400, 'subscription_active must be true or false');
    }
    const org = store.createOrg(body.name);
    if (body.subscription_active === false) store.setSubscription(org.id, false);
    return c.json(orgView(store.org(org.id)!), 201);
  });

  app.patch('/orgs/:id', async (c) => {
    const id = orgId(c.req.param('id'), 'id');
    const body = await adminBody(c);
    onlyKeys(body, ['subscription_active']);
    if (typeof body.subscription_active !== 'boolean') throw new AdminError(400, 'subscription_active must be true or false');
    store.setSubscription(id, body.subscription_active);
    return c.json(orgView(store.org(id)!));
  });

  app.post('/api-keys', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['org_id', 'name', 'scopes', 'expires_at']);
    const org = orgId(body.org_id);
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 255) {
      throw new AdminError(400, 'name must be a string of 1 to 255 characters');
    }
    if (!Array.isArray(body.scopes) || body.scopes.length === 0 || body.scopes.some((s) => typeof s !== 'string')) {
      throw new AdminError(400, `scopes must be a non-empty array of: ${ALL_SCOPES.join(', ')}`);
    }
    const unknown = (body.scopes as string[]).filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw new AdminError(400, `unknown scope: ${unknown.join(', ')} (known: ${ALL_SCOPES.join(', ')})`);
    let expiresAt: number | null = null;
    if (body.expires_at !== undefined && body.expires_at !== null) {
      const d = parseRfc3339(body.expires_at);
      if (!d) throw new AdminError(400, 'expires_at must be an RFC 3339 timestamp or null');
      expiresAt = d.getTime();
    }
    const now = ctx.clock.nowMs();
    const active = store.apiKeys(org).filter((k) => k.revoked_at === null && (k.expires_at === null || k.expires_at > now));
    const cap = Number(ctx.config.maxActiveKeys);
    if (active.length >= cap) throw new AdminError(409, `org ${org} already has ${cap} active API keys; revoke one first`);
    const { row, secret } = store.createApiKey({ orgId: org, name: body.name, scopes: [...new Set(body.scopes as string[])], expiresAt });
    return c.json(
      {
        client_id: row.client_id,
        client_secret: secret,
        org_id: row.org_id,
        name: row.name,
        scopes: JSON.parse(row.scopes) as string[],
        expires_at: isoOrNull(row.expires_at),
        created_at: iso(row.created_at),
      },
      201,
    );
  });

  app.get('/api-keys', (c) => {
    const filter = c.req.query('org_id');
    const org = filter === undefined ? undefined : orgId(filter);
    return c.json(store.apiKeys(org).map((k) => store.apiKeyView(k)));
  });

  app.delete('/api-keys/:client_id', (c) => {
    const id = c.req.param('client_id');
    const key = store.apiKey(id);
    if (!key) throw new AdminError(404, `no API key with client_id ${id}`);
    if (key.revoked_at === null) auth.revokeKey(id);
    return c.body(null, 204);
  });

  return app;
}
