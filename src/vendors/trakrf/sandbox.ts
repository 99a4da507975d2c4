/**
 * TrakRF sandboxes: a new org holding a copy of another org's assets, locations and tags under newly minted ids (the
 * shared Feistel sequence), its scan history (shared until written, see store/scan-links.ts), and one fresh API key with
 * every scope. The source org's API keys and
 * refresh tokens are not copied: the sandbox is reached only with its own key.
 */
import type { SandboxCreated, VendorContext } from '../../core/vendor.js';
import { ALL_SCOPES, mintApiKey } from './ops/api-keys.js';
import type { TrakrfStore } from './store/index.js';

export function createSandbox(ctx: VendorContext, store: TrakrfStore, from: string | undefined): SandboxCreated | null {
  const source = from === undefined ? store.orgs.all()[0] : /^\d{1,15}$/.test(from) ? store.orgs.get(Number(from)) : undefined;
  if (!source) return null;
  const org = store.orgs.insert(`${source.name} (sandbox)`, source.subscription_active === 1, ctx.clock.nowMs());
  store.orgs.copyData(source.id, org.id, store.orgs.dataIds(source.id).map((id) => [id, store.meta.nextId()] as const));
  const { row, secret } = mintApiKey(store, () => ctx.rng.uuid(), { orgId: org.id, name: 'sandbox', scopes: [...ALL_SCOPES], expiresAt: null });
  return {
    tenant: String(org.id),
    from: String(source.id),
    credentials: { client_id: row.client_id, client_secret: secret, scopes: [...ALL_SCOPES] },
  };
}
