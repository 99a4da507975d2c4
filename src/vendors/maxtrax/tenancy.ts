/** Tenancy by origin: pure parsing of the Host (or X-Forwarded-Host) header and of the per-tenant port option. */
import { UsageError } from '../../core/vendor.js';

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

/** The first host of an `X-Forwarded-Host` list (the one the client used); undefined when absent or empty. */
export function firstForwardedHost(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const comma = header.indexOf(',');
  const first = (comma === -1 ? header : header.slice(0, comma)).trim();
  return first === '' ? undefined : first;
}

/** `acme=4101,globex=4102` → one pinned listener per tenant; '' → none. */
export function parseTenantPorts(option: string): Array<{ tenant: string; port: number }> {
  const out: Array<{ tenant: string; port: number }> = [];
  if (option.trim() === '') return out;
  for (const pair of option.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*(\d{1,5})\s*$/.exec(pair);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !isTenantLabel(m[1]) || port > 65535) {
      throw new UsageError(`--maxtrax-tenant-ports must be tenant=port pairs separated by commas, e.g. acme=4101,globex=4102 (got "${pair.trim()}")`);
    }
    if (out.some((t) => t.tenant === m[1])) throw new UsageError(`--maxtrax-tenant-ports names tenant ${m[1]} twice`);
    out.push({ tenant: m[1], port });
  }
  return out;
}
