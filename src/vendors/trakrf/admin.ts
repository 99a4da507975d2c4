/**
 * TrakRF control-plane routes. The real vendor mints credentials only in its web app (trakrf.md §3.1); these stand
 * in for it: orgs, API keys (the secret is shown once, here), and the org's subscription switch (402 on writes).
 */
import { Hono } from 'hono';
import { rateLimitRoutes } from '../../core/admin-testing.js';
import { AdminError, adminBody, onlyKeys } from '../../core/admin.js';
import { parseRfc3339 } from '../../core/time.js';
import type { VendorContext } from '../../core/vendor.js';
import type { TrakrfAuth } from './auth.js';
import { ALL_SCOPES, activeKeyCount, mintApiKey } from './ops/api-keys.js';
import { generateAssets } from './ops/assets.js';
import { ingestScans, type ScanInput } from './ops/scans.js';
import type { TrakrfStore, WebhookRow } from './store/index.js';
import { apiKeyView, deliveryView, newApiKeyView, orgView, webhookView } from './views.js';
import type { TrakrfWebhooks } from './webhooks.js';

export function adminRoutes(ctx: VendorContext, store: TrakrfStore, auth: TrakrfAuth, webhooks: TrakrfWebhooks): Hono {
  const app = new Hono();
  const orgId = (v: unknown, label = 'org_id'): number => {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (!Number.isSafeInteger(n) || (n as number) < 1) throw new AdminError(400, `${label} must be a positive integer`);
    if (!store.orgs.get(n as number)) throw new AdminError(404, `no org with id ${String(n)}`);
    return n as number;
  };

  app.get('/orgs', (c) => c.json(store.orgs.all().map(orgView)));

  app.post('/orgs', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['name', 'subscription_active']);
    if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 255) {
      throw new AdminError(400, 'name must be a non-empty string of at most 255 characters');
    }
    if (body.subscription_active !== undefined && typeof body.subscription_active !== 'boolean') {
      throw new AdminError(400, 'subscription_active must be true or false');
    }
    const org = store.orgs.insert(body.name, body.subscription_active !== false, ctx.clock.nowMs());
    return c.json(orgView(org), 201);
  });

  app.patch('/orgs/:id', async (c) => {
    const id = orgId(c.req.param('id'), 'id');
    const body = await adminBody(c);
    onlyKeys(body, ['subscription_active']);
    if (typeof body.subscription_active !== 'boolean') throw new AdminError(400, 'subscription_active must be true or false');
    store.orgs.setSubscription(id, body.subscription_active);
    return c.json(orgView(store.orgs.get(id)!));
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
    const cap = Number(ctx.config.maxActiveKeys);
    if (activeKeyCount(store, org) >= cap) throw new AdminError(409, `org ${org} already has ${cap} active API keys; revoke one first`);
    const { row, secret } = mintApiKey(store, () => ctx.rng.uuid(), { orgId: org, name: body.name, scopes: [...new Set(body.scopes as string[])], expiresAt });
    return c.json(newApiKeyView(row, secret), 201);
  });

  app.get('/api-keys', (c) => {
    const filter = c.req.query('org_id');
    const org = filter === undefined ? undefined : orgId(filter);
    return c.json(store.apiKeys.list(org).map((k) => apiKeyView(k)));
  });

  app.delete('/api-keys/:client_id', (c) => {
    const id = c.req.param('client_id');
    const key = store.apiKeys.get(id);
    if (!key) throw new AdminError(404, `no API key with client_id ${id}`);
    if (key.revoked_at === null) auth.revokeKey(id);
    return c.body(null, 204);
  });

  // Scan ingestion is not part of the public API (the vendor's readers and handheld UI feed it); this injects
  // scan events the way the ingest pipeline stores them (minute buckets, first location in a minute wins).
  app.post('/scans', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['org_id', 'scans']);
    const org = orgId(body.org_id);
    if (!Array.isArray(body.scans) || body.scans.length === 0 || body.scans.length > 100_000) {
      throw new AdminError(400, 'scans must be a non-empty array of at most 100000 scan events');
    }
    const out: ScanInput[] = [];
    body.scans.forEach((raw: unknown, i: number) => {
      const p = `scans[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AdminError(400, `${p} must be an object`);
      const s = raw as Record<string, unknown>;
      const extra = Object.keys(s).filter((k) => !['asset_id', 'asset_external_key', 'location_id', 'location_external_key', 'observed_at'].includes(k));
      if (extra.length) throw new AdminError(400, `${p}: unknown field: ${extra.join(', ')}`);
      if (('asset_id' in s) === ('asset_external_key' in s)) throw new AdminError(400, `${p}: send exactly one of asset_id, asset_external_key`);
      if ('location_id' in s && 'location_external_key' in s) {
        throw new AdminError(400, `${p}: send at most one of location_id, location_external_key`);
      }
      let assetId: number | undefined;
      if ('asset_id' in s) {
        if (!Number.isSafeInteger(s.asset_id)) throw new AdminError(400, `${p}.asset_id must be an integer`);
        assetId = store.assets.get(org, s.asset_id as number)?.id;
        if (assetId === undefined) throw new AdminError(404, `${p}: no live asset ${String(s.asset_id)} in org ${org}`);
      } else {
        if (typeof s.asset_external_key !== 'string') throw new AdminError(400, `${p}.asset_external_key must be a string`);
        assetId = store.assets.liveByKey(org, s.asset_external_key)?.id;
        if (assetId === undefined) throw new AdminError(404, `${p}: no live asset with external_key ${s.asset_external_key} in org ${org}`);
      }
      let locationId: number | null = null;
      if (s.location_id !== undefined && s.location_id !== null) {
        if (!Number.isSafeInteger(s.location_id)) throw new AdminError(400, `${p}.location_id must be an integer or null`);
        locationId = store.locations.get(org, s.location_id as number)?.id ?? null;
        if (locationId === null) throw new AdminError(404, `${p}: no live location ${String(s.location_id)} in org ${org}`);
      } else if (s.location_external_key !== undefined) {
        if (typeof s.location_external_key !== 'string') throw new AdminError(400, `${p}.location_external_key must be a string`);
        locationId = store.locations.liveByKey(org, s.location_external_key)?.id ?? null;
        if (locationId === null) {
          throw new AdminError(404, `${p}: no live location with external_key ${s.location_external_key} in org ${org}`);
        }
      } else if (!('location_id' in s)) {
        throw new AdminError(400, `${p}: send location_id (or null for a read without a location) or location_external_key`);
      }
      const at = parseRfc3339(s.observed_at);
      if (!at) throw new AdminError(400, `${p}.observed_at must be an RFC 3339 timestamp`);
      out.push({ assetId, locationId, at: at.getTime() });
    });
    const { written, stored } = ingestScans(store, org, out);
    webhooks.evaluate(org, stored);
    return c.json({ received: out.length, stored: written }, 201);
  });

  webhookRoutes(app, ctx, webhooks, orgId);

  // Load tests: switch the per-key token bucket off (responses then carry the anonymous 120/120 headers).
  app.route(
    '/',
    rateLimitRoutes({
      state: () => ({ enabled: auth.rateLimitEnabled, burst: 120, per_minute: 60 }),
      setEnabled: (enabled) => void (auth.rateLimitEnabled = enabled),
    }),
  );

  // Bulk demo data for benchmarks: n assets in one transaction, and/or n minute-spaced scans for one asset.
  app.post('/generate', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['org_id', 'assets', 'history']);
    const org = orgId(body.org_id);
    let assets = 0;
    let scans = 0;
    if (body.assets !== undefined) {
      if (!Number.isSafeInteger(body.assets) || (body.assets as number) < 1 || (body.assets as number) > 1_000_000) {
        throw new AdminError(400, 'assets must be an integer from 1 to 1000000');
      }
      assets = generateAssets(store, org, body.assets as number, ctx.rng);
    }
    if (body.history !== undefined) {
      const h = body.history as Record<string, unknown>;
      if (typeof h !== 'object' || h === null || !Number.isSafeInteger(h.asset_id) || !Number.isSafeInteger(h.scans) || (h.scans as number) < 1 || (h.scans as number) > 1_000_000) {
        throw new AdminError(400, 'history must be {"asset_id": <id>, "scans": <1..1000000>}');
      }
      if (!store.assets.get(org, h.asset_id as number)) throw new AdminError(404, `no live asset ${String(h.asset_id)} in org ${org}`);
      const locs = store.locations.liveIds(org);
      if (locs.length === 0) throw new AdminError(409, `org ${org} has no live locations to scan at`);
      const n = h.scans as number;
      const start = Math.floor(ctx.clock.nowMs() / 60_000) * 60_000 - n * 60_000;
      const list = Array.from({ length: n }, (_, i) => ({ assetId: h.asset_id as number, locationId: locs[Math.floor(i / 30) % locs.length], at: start + i * 60_000 }));
      scans = ingestScans(store, org, list, false).written;
    }
    return c.json({ assets, scans }, 201);
  });

  return app;
}

/** `/__admin/webhooks`: the org's asset.moved webhook, registered here as the vendor's app does (trakrf.md §11). */
function webhookRoutes(app: Hono, ctx: VendorContext, webhooks: TrakrfWebhooks, orgId: (v: unknown, label?: string) => number): void {
  const checkUrl = (v: unknown): string => {
    if (typeof v !== 'string' || v.length < 1 || v.length > 2048) throw new AdminError(400, 'url must be a string of 1 to 2048 characters');
    const refused = ctx.outbound.refusal(v);
    if (refused) throw new AdminError(400, `url refused: ${refused}`);
    return v;
  };
  const hook = (raw: string): WebhookRow => {
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    const w = Number.isSafeInteger(id) ? webhooks.get(id) : undefined;
    if (!w) throw new AdminError(404, `no webhook with id ${raw}`);
    return w;
  };
  const orgFilter = (v: string | undefined) => (v === undefined ? undefined : orgId(v));

  app.post('/webhooks', async (c) => {
    const body = await adminBody(c);
    onlyKeys(body, ['org_id', 'url', 'enabled']);
    const org = orgId(body.org_id);
    const url = checkUrl(body.url);
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw new AdminError(400, 'enabled must be true or false');
    if (webhooks.forOrg(org)) throw new AdminError(409, `org ${org} already has a webhook; update or delete it first`);
    const w = webhooks.create(org, url, body.enabled !== false);
    // The only time the secret is shown in full.
    return c.json(webhookView(w, w.secret), 201, { Location: `/__admin/webhooks/${w.id}` });
  });

  app.get('/webhooks', (c) => c.json(webhooks.list(orgFilter(c.req.query('org_id'))).map((w) => webhookView(w))));

  app.get('/webhooks/deliveries', async (c) => {
    const org = orgFilter(c.req.query('org_id'));
    const wait = c.req.query('wait');
    if (wait !== undefined && wait !== 'true' && wait !== 'false') throw new AdminError(400, 'wait must be true or false');
    if (wait === 'true') await webhooks.idle();
    return c.json({ deliveries: webhooks.deliveries(org).map(deliveryView) });
  });

  app.get('/webhooks/:id', (c) => c.json(webhookView(hook(c.req.param('id')))));

  app.patch('/webhooks/:id', async (c) => {
    const w = hook(c.req.param('id'));
    const body = await adminBody(c);
    onlyKeys(body, ['url', 'enabled']);
    const url = body.url === undefined ? undefined : checkUrl(body.url);
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw new AdminError(400, 'enabled must be true or false');
    return c.json(webhookView(webhooks.update(w.id, { url, enabled: body.enabled as boolean | undefined })));
  });

  app.delete('/webhooks/:id', (c) => {
    webhooks.delete(hook(c.req.param('id')).id);
    return c.body(null, 204);
  });

  // As the vendor's test fire: one synthetic asset.moved, no retries; a failing endpoint is a 200 with the error.
  app.post('/webhooks/:id/test', async (c) => c.json({ data: await webhooks.testFire(hook(c.req.param('id'))) }));
}
