/**
 * MACHHUB sandboxes: a new domain holding a copy of another domain's groups (with their features), collections and
 * their records (links rewritten to the new domain's tables), tags, historian points (copied on first use), files and
 * processes, under new ids. Fresh credentials: one superuser of the new domain (username and password) and one API
 * key bound to it.
 * Users of the source domain do not join the sandbox.
 */
import { hashGeneratedPassword } from '../../core/passwords.js';
import { randomString } from '../../core/secrets.js';
import type { SandboxCreated, VendorContext } from '../../core/vendor.js';
import type { MachhubConfig } from './auth.js';
import { newKey, type Store } from './store/index.js';
import { copyDomain, deleteDomainUsers } from './store/tenants.js';

export function createSandbox(ctx: VendorContext<MachhubConfig>, store: Store, from: string | undefined): SandboxCreated | null {
  const source =
    from === undefined ? store.domains.all().find((d) => !d.system) : store.domains.byId(from.startsWith('domains:') ? from : `domains:${from}`);
  if (!source) return null;
  let name: string;
  do name = `sandbox_${ctx.rng.hex(4)}`;
  while (store.domains.byId(`domains:${name}`));
  const id = `domains:${name}`;
  const now = ctx.clock.now().toISOString();
  copyDomain(ctx.handle, source, id, name, now, () => newKey(ctx.rng));

  const username = `${name}_admin`;
  const password = randomString(20);
  const user = store.users.create({ id: `users:${newKey(ctx.rng)}`, username, passwordHash: hashGeneratedPassword(password), firstName: 'Sandbox', lastName: 'Admin' }, now);
  const superuser = store.groups.byName(id, 'superuser');
  if (superuser) store.groups.addUser(superuser.id, user.id, id);
  else store.users.addToDomain(user.id, id);
  const { key } = store.keys.create(id, 'sandbox', null, now);
  return {
    tenant: id,
    from: source.id,
    credentials: { domain: id, username, password, api_key: key },
    headers: { Domain: id },
  };
}

/** The sandbox's own users (members of no other domain) go with it. */
export function deleteSandbox(ctx: VendorContext<MachhubConfig>, tenant: string): void {
  deleteDomainUsers(ctx.handle.db, tenant);
}
