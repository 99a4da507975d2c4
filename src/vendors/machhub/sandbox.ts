/**
 * MACHHUB sandboxes: a new domain holding a copy of another domain's groups (with their features), collections and
 * their records (links rewritten to the new domain's tables), tags, historian points (copied on first use), files and
 * processes, under new ids. Fresh credentials: one superuser of the new domain (username and password) and one API
 * key bound to it.
 * Users of the source domain do not join the sandbox.
 */
import { copyRows, withIdMap } from '../../core/db.js';
import { hashGeneratedPassword } from '../../core/passwords.js';
import { randomString } from '../../core/secrets.js';
import type { SandboxCreated, VendorContext } from '../../core/vendor.js';
import type { MachhubConfig } from './auth.js';
import { historianReady, newKey, type Store } from './store/index.js';

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function createSandbox(ctx: VendorContext<MachhubConfig>, store: Store, from: string | undefined): SandboxCreated | null {
  const db = ctx.handle.db;
  const source =
    from === undefined ? store.domains.all().find((d) => !d.system) : store.domains.byId(from.startsWith('domains:') ? from : `domains:${from}`);
  if (!source) return null;
  let name: string;
  do name = `sandbox_${ctx.rng.hex(4)}`;
  while (store.domains.byId(`domains:${name}`));
  const id = `domains:${name}`;
  const now = ctx.clock.now().toISOString();
  db.prepare('INSERT INTO domains (id, name, display_name, system, created_dt) VALUES (?, ?, ?, 0, ?)').run(id, name, `${source.display_name} (${name})`, now);

  const groups = db.prepare('SELECT id FROM groups WHERE domain_id = ?').pluck().all(source.id) as string[];
  const processes = db.prepare('SELECT id FROM processes WHERE domain_id = ?').pluck().all(source.id) as string[];
  const pairs = [...groups.map((g) => [g, `groups:${newKey(ctx.rng)}`] as const), ...processes.map((p) => [p, `processes:${newKey(ctx.rng)}`] as const)];
  withIdMap(db, pairs, (mapped) => {
    const p = { from: source.id, to: id };
    copyRows(db, 'groups', 'domain_id = @from', { id: mapped('id'), domain_id: '@to' }, p);
    copyRows(db, 'group_features', 'domain_id = @from', { seq: 'NULL', group_id: mapped('group_id'), domain_id: '@to' }, p);
    copyRows(db, 'processes', 'domain_id = @from', { id: mapped('id'), domain_id: '@to' }, p);
    for (const table of ['collections', 'files', 'tags']) copyRows(db, table, 'domain_id = @from', { domain_id: '@to' }, p);
  });
  // Historian points are copied on the sandbox's first use of them (historianReady): a sandbox of a sandbox copies
  // its source's first.
  historianReady(ctx.handle, source.id);
  db.prepare('INSERT INTO historian_pending (domain_id, source_id, max_rowid) SELECT ?, ?, coalesce(max(rowid), 0) FROM historian').run(id, source.id);
  // Records link to other records by table name ("<domain>.<collection>"): point the copies at the copies.
  for (const collection of db.prepare('SELECT name FROM collections WHERE domain_id = ?').pluck().all(id) as string[]) {
    const table = q(`${name}.${collection}`);
    db.exec(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, data BLOB NOT NULL)`);
    db.prepare(`INSERT INTO ${table} (id, data) SELECT id, jsonb(replace(json(data), ?, ?)) FROM ${q(`${source.name}.${collection}`)}`).run(
      `"${source.name}.`,
      `"${name}.`,
    );
  }

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
  ctx.handle.db
    .prepare(
      `DELETE FROM users WHERE id IN (SELECT user_id FROM user_domains WHERE domain_id = @d)
         AND id NOT IN (SELECT user_id FROM user_domains WHERE domain_id <> @d)`,
    )
    .run({ d: tenant });
}
