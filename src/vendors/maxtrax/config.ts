/** MaxTrax options (each also a CLI flag `--maxtrax-<kebab-key>`). */
import type { VendorOption } from '../../core/vendor.js';

export interface MaxtraxConfig {
  defaultTenant: string;
  tenantDomains: string;
  forwardedHost: boolean;
  tenantPorts: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  csrfCookie: string;
  refreshCookiePath: string;
  tokenFieldCase: 'camel' | 'snake';
  listEnvelope: 'object' | 'array';
  defaultPageSize: number;
  maxPageSize: number;
  maxBodyBytes: number;
  loginAttemptsPerMinute: number;
}

export const OPTIONS: Record<keyof MaxtraxConfig, VendorOption> = {
  defaultTenant: { description: 'tenant served to a Host outside the tenant domains (IP, localhost)', default: 'acme' },
  tenantDomains: {
    description: 'comma-separated domains whose first label names the tenant',
    default: 'maxtrax.localhost,maxtrax.io',
  },
  forwardedHost: {
    description: 'take the tenant from X-Forwarded-Host when a request has one (ours, for clients that cannot set Host)',
    default: true,
  },
  tenantPorts: {
    description: 'one more listener per tenant, pinned to it whatever the Host, e.g. acme=4101,globex=4102 (ours)',
    default: '',
  },
  accessTtlSeconds: { description: 'access JWT lifetime (inferred: 15 minutes)', default: 900 },
  refreshTtlSeconds: { description: 'refresh token lifetime (inferred: 14 days)', default: 1_209_600 },
  csrfCookie: { description: 'name of the JS-readable CSRF cookie (undocumented; inferred)', default: 'mtx_csrf' },
  refreshCookiePath: { description: 'Path attribute of the mtx_rt cookie (undocumented; inferred)', default: '/auth' },
  tokenFieldCase: {
    description: 'token response field names: camel (accessToken…) or snake (access_token…) (undocumented; inferred)',
    default: 'camel',
    choices: ['camel', 'snake'],
  },
  listEnvelope: {
    description: 'list responses: object ({items, page, pageSize, totalItems, totalPages}) or array (+ X-Total-Count, Link)',
    default: 'object',
    choices: ['object', 'array'],
  },
  defaultPageSize: { description: 'page size when pageSize is not given', default: 50 },
  maxPageSize: { description: 'largest accepted pageSize', default: 200 },
  maxBodyBytes: { description: 'largest accepted request body (413 above)', default: 65_536 },
  loginAttemptsPerMinute: { description: 'failed sign-ins per user name per minute before 429 (0 = unlimited)', default: 10 },
};
