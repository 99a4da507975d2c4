/**
 * TrakRF sandboxes: a new org holding a copy of another org's assets, locations and tags under newly minted ids (the
 * shared Feistel sequence), its scan history (shared until written, see scan-links.ts), and one fresh API key with
 * every scope. The source org's API keys and
 * refresh tokens are not copied: the sandbox is reached only with its own key.
 */
import { copyRows, withIdMap } from '../../core/db.js';
import type { SandboxCreated, VendorContext } from '../../core/vendor.js';
import { link as linkScans } from './scan-links.js';
import { ALL_SCOPES, mintApiKey } from './ops/api-keys.js';
import type { TrakrfStore } from './store/index.js';

export function createSandbox(ctx: VendorContext, store: TrakrfStore, from: string | undefined): SandboxCreated | null {
  const db = ctx.handle.db;
  const source = from === undefined ? store.orgs.all()[0] : /^\d{1,15}$/.test(from) ? store.orgs.get(Number(from)) : undefined;
  if (!source) return null;
  const org = store.orgs.insert(`${source.name} (sandbox)`, source.subscription_active === 1, ctx.clock.nowMs());
  const ids = db
    .prepare('SELECT id FROM locations WHERE org_id = @from UNION ALL SELECT id FROM assets WHERE org_id = @from UNION ALL SELECT id FROM tags WHERE org_id = @from')
    .pluck()
    .all({ from: source.id }) as number[];
  const pairs = ids.map((id) => [id, store.meta.nextId()] as const);
  db.pragma('defer_foreign_keys = ON');
  withIdMap(db, pairs, (mapped) => {
    const params = { from: source.id, org: org.id };
    copyRows(db, 'locations', 'org_id = @from', { id: mapped('id'), org_id: '@org', parent_id: mapped('parent_id') }, params);
    copyRows(db, 'assets', 'org_id = @from', { id: mapped('id'), org_id: '@org' }, params);
    copyRows(db, 'tags', 'org_id = @from', { id: mapped('id'), org_id: '@org', asset_id: mapped('asset_id'), location_id: mapped('location_id') }, params);
    // Scan history is shared, not copied, until either org writes scans (scan-links.ts).
    linkScans(ctx.handle, org.id, source.id, 'temp.vf_idmap');
  });
  const { row, secret } = mintApiKey(store, () => ctx.rng.uuid(), { orgId: org.id, name: 'sandbox', scopes: [...ALL_SCOPES], expiresAt: null });
  return {
    tenant: String(org.id),
    from: String(source.id),
    credentials: { client_id: row.client_id, client_secret: secret, scopes: [...ALL_SCOPES] },
  };
}
