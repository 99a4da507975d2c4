/** Tenancy by origin: pure parsing of the Host header. */

export type HostTenant = { kind: 'tenant'; tenant: string } | { kind: 'default' } | { kind: 'invalid'; host: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** True for a valid tenant id: one lowercase DNS label. */
export function isTenantLabel(s: string): boolean {
  return LABEL.test(s);
}

/**
 * `acme.maxtrax.localhost:4100` → tenant `acme` (the first label of a host under one of `domains`); any other host
 * (an IP, `localhost`, the bare domain) → the default tenant; a host under a domain whose first label is not a valid
 * DNS label → invalid.
 */
export function tenantFromHost(host: string | undefined, domains: readonly string[]): HostTenant {
  if (!host) return { kind: 'default' };
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) return { kind: 'default' }; // IPv6 literal
  const colon = h.lastIndexOf(':');
  if (colon !== -1) h = h.slice(0, colon);
  if (h.endsWith('.')) h = h.slice(0, -1);
  for (const domain of domains) {
    const suffix = '.' + domain;
    if (h.endsWith(suffix)) {
      const label = h.slice(0, -suffix.length).split('.')[0];
      return isTenantLabel(label) ? { kind: 'tenant', tenant: label } : { kind: 'invalid', host };
    }
  }
  return { kind: 'default' };
}

export function parseDomains(option: string): string[] {
  return option
    .split(',')
    .map((d) => d.trim().toLowerCase().replace(/^\.+|\.+$/g, ''))
    .filter((d) => d !== '');
}
