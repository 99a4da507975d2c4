/** MACHHUB seeding: domains, groups, users, API keys, collections, tags, historian and processes from the fixtures. */
import { hashPasswordSync } from '../../core/passwords.js';
import type { Rng } from '../../core/rng.js';
import { sha256Hex } from '../../core/secrets.js';
import { FixtureError, type VendorContext } from '../../core/vendor.js';
import type { MachhubConfig } from './auth.js';
import { generate, type GenContext, recordKey, sensorValue } from './demo.js';
import type { MachhubFixtures } from './fixtures.js';
import { Records } from './store/records.js';
import { Store } from './store/index.js';

export function seed(ctx: VendorContext<MachhubConfig>, f: MachhubFixtures, rng: Rng): void {
  const store = new Store(ctx.handle);
  const records = new Records(ctx.handle);
  const epochMs = Date.parse(f.epoch);
  const epoch = new Date(epochMs).toISOString();
  for (const d of f.domains) store.domains.create(d.name, epoch, rng, d.system);
  const domainId = (name: string) => `domains:${name}`;
  for (const g of f.groups) {
    const gid = store.groups.byName(domainId(g.domain), g.name)?.id ?? store.groups.create(domainId(g.domain), g.name, epoch, rng);
    for (const feat of g.features) store.groups.addFeature(gid, domainId(g.domain), feat);
  }
  // scrypt once per distinct demo password, with a seeded salt (the seeded image stays reproducible).
  const hashes = new Map<string, string>();
  const pw = (p: string) => hashes.get(p) ?? hashes.set(p, hashPasswordSync(p, Buffer.from(rng.hex(16), 'hex'))).get(p)!;
  for (const u of f.users) {
    store.users.create({ ...u, passwordHash: pw(u.password) }, epoch);
    for (const [d, groups] of Object.entries(u.groups)) {
      store.users.addToDomain(u.id, domainId(d));
      for (const g of groups) {
        const grp = store.groups.byName(domainId(d), g);
        if (!grp) throw new FixtureError(`machhub.users ${u.username}: unknown group ${g} in ${d}`);
        store.groups.addUser(grp.id, u.id, domainId(d));
      }
    }
  }
  for (const k of f.apiKeys) {
    const lookup = k.key.slice(5, 17);
    const expires = k.expiration ? Date.parse(k.expiration) : null;
    store.keys.insert(lookup, domainId(k.domain), k.name, sha256Hex(k.key.slice(17)), expires, epoch);
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
    store.tags.upsert(domainId(t.domain), t.topic, t.historized);
    if (!t.historized) continue;
    for (let k = 0; k < f.historian.points; k++) {
      store.tags.addPoint(domainId(t.domain), t.topic, epochMs + k * stepMs, sensorValue(hr, t.base, t.amplitude, t.noise, k, 1440));
    }
  }
  for (const p of f.processes) {
    const { id, domain, name, handler, ...rest } = p;
    store.processes.insert({
      id,
      domain_id: domainId(domain),
      name,
      handler,
      data: JSON.stringify({ log_enabled: false, version: 1, inputs: [], outputs: [], ...rest }),
      created_dt: epoch,
      updated_dt: epoch,
    });
  }
  store.settings.put('epoch', epoch);
}
