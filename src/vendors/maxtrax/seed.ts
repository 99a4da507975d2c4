/** The seeded demo data: each fixture tenant, its users (salted scrypt hashes) and generated ISOs and welds. */
import { hashPasswordSync } from '../../core/passwords.js';
import type { Rng } from '../../core/rng.js';
import type { VendorContext } from '../../core/vendor.js';
import type { MaxtraxConfig } from './config.js';
import type { MaxtraxFixtures } from './fixtures.js';
import { generateTenantData } from './generate.js';
import { MaxtraxStore } from './store/index.js';

export function seed(ctx: VendorContext<MaxtraxConfig>, fixtures: MaxtraxFixtures, rng: Rng): void {
  const store = new MaxtraxStore(ctx.handle);
  for (const t of fixtures.tenants) {
    store.tenants.create(t.name, t.name, fixtures.asOf - 90 * 86_400_000);
    for (const { password, userName, role, displayName } of t.users) {
      // The salt comes from the seeded source like all seeded data (the image is cached and reproducible).
      const passwordHash = hashPasswordSync(password, Buffer.from(rng.bytes(16)));
      store.users.create({ id: rng.uuid(), tenant: t.name, userName, role, displayName, passwordHash, createdAt: fixtures.asOf - 80 * 86_400_000 });
    }
    generateTenantData(store, rng.fork(`data:${t.name}`), { tenant: t.name, isos: t.isos, weldsPerIso: t.weldsPerIso, now: fixtures.asOf });
  }
}
