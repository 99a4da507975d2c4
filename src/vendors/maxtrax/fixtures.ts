/** `fixtures/maxtrax.json`: demo tenants and their users (documented demo credentials), and generated data sizes. */
import { fx } from '../../core/fixtures.js';
import { FixtureError } from '../../core/vendor.js';
import { isRole, type Role } from './model.js';
import { isTenantLabel } from './tenancy.js';

export interface MaxtraxFixtures {
  asOf: number;
  tenants: Array<{
    name: string;
    isos: number;
    weldsPerIso: number;
    users: Array<{ userName: string; password: string; role: Role; displayName: string }>;
  }>;
}

export function parseFixtures(raw: unknown): MaxtraxFixtures {
  const root = fx.object(raw, 'maxtrax');
  const asOf = Date.parse(fx.string(root.asOf, 'maxtrax.asOf'));
  if (Number.isNaN(asOf)) throw new FixtureError('maxtrax.asOf must be an RFC 3339 timestamp');
  const seen = new Set<string>();
  const tenants = fx.array(root.tenants, 'maxtrax.tenants').map((t, i) => {
    const p = `maxtrax.tenants[${i}]`;
    const o = fx.object(t, p);
    const name = fx.string(o.name, `${p}.name`);
    if (!isTenantLabel(name)) throw new FixtureError(`${p}.name must be one lowercase DNS label`);
    if (seen.has(name)) throw new FixtureError(`${p}.name is a duplicate: ${name}`);
    seen.add(name);
    const users = fx.array(o.users, `${p}.users`).map((u, j) => {
      const q = `${p}.users[${j}]`;
      const uo = fx.object(u, q);
      const role = fx.string(uo.role, `${q}.role`);
      if (!isRole(role)) throw new FixtureError(`${q}.role must be inspector, ndt_technician, welder or admin`);
      return {
        userName: fx.string(uo.userName, `${q}.userName`),
        password: fx.string(uo.password, `${q}.password`),
        role,
        displayName: fx.string(uo.displayName, `${q}.displayName`),
      };
    });
    return { name, users, isos: fx.int(o.isos, `${p}.isos`), weldsPerIso: fx.int(o.weldsPerIso, `${p}.weldsPerIso`) };
  });
  return { asOf, tenants };
}

/** The start banner's demo credentials. */
export function demoCredentials(fixtures: MaxtraxFixtures) {
  return fixtures.tenants.flatMap((t) =>
    t.users.map((u) => ({
      label: `${t.name} ${u.role}`,
      value: `userName=${u.userName} password=${u.password} (Host: ${t.name}.maxtrax.localhost)`,
    })),
  );
}
