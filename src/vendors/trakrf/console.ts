/**
 * TrakRF in the web console: API keys as the web app issues them (Account menu → API Keys → New key: name, scopes,
 * expiry → client_id + client_secret shown once), and each org's assets, locations and scans.
 */
import { ConsoleError, adminJson, datetimeValue, many, offsetOf, one, type AdminCall, type ConsoleSpec } from '../../core/console-spec.js';
import type { VendorContext } from '../../core/vendor.js';
import { ALL_SCOPES } from './ops/api-keys.js';
import { ConsoleQueries } from './store/console.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const DAY = 86_400_000;

export function trakrfConsole(ctx: VendorContext, admin: AdminCall): ConsoleSpec {
  const queries = new ConsoleQueries(ctx.handle);
  const org = (tenant: string) => Number(tenant);

  return {
    tenantLabel: 'org',
    credentials: [
      {
        id: 'api-keys',
        title: 'API Keys',
        where: 'Account menu → API Keys → New key',
        submit: 'Create key',
        revokeLabel: 'Revoke',
        warning:
          'This is the only time the client secret is shown. Copy both values now: you need them together to request an access token. If you lose the secret, revoke this key and create a new one.',
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true },
          { name: 'scopes', label: 'Scopes', type: 'checkboxes', options: ALL_SCOPES.map((s) => ({ value: s, label: s })) },
          {
            name: 'expiry',
            label: 'Expires',
            type: 'select',
            default: 'never',
            options: [
              { value: 'never', label: 'Never' },
              { value: '30d', label: '30 days' },
              { value: '90d', label: '90 days' },
              { value: '1y', label: '1 year' },
              { value: 'custom', label: 'Custom date' },
            ],
          },
          { name: 'expires_at', label: 'Custom date (UTC)', type: 'datetime', help: 'used when Expires is Custom date' },
        ],
        async list(tenant) {
          const keys = (await adminJson(admin, 'GET', `/api-keys?org_id=${encodeURIComponent(tenant)}`)) as Array<Record<string, any>>;
          const now = ctx.clock.nowMs();
          return {
            columns: ['Name', 'Client ID', 'Scopes', 'Created', 'Expires', 'Last used', 'Status'],
            rows: keys.map((k) => {
              const expired = k.expires_at !== null && Date.parse(k.expires_at) <= now;
              const status = k.revoked_at ? 'revoked' : expired ? 'expired' : 'active';
              return { id: k.client_id, active: status === 'active', cells: [k.name, k.client_id, (k.scopes as string[]).join(' '), k.created_at, k.expires_at ?? 'never', k.last_used_at ?? 'never', status] };
            }),
          };
        },
        async create(tenant, values, url) {
          const scopes = many(values, 'scopes');
          if (scopes.length === 0) throw new ConsoleError('Choose at least one scope.');
          const preset = one(values, 'expiry') || 'never';
          const now = ctx.clock.nowMs();
          const offsets: Record<string, number> = { '30d': 30 * DAY, '90d': 90 * DAY, '1y': 365 * DAY };
          let expiresAt: string | null = null;
          if (preset === 'custom') {
            expiresAt = datetimeValue(values.expires_at);
            if (!expiresAt) throw new ConsoleError('Choose the custom expiry date.');
          } else if (offsets[preset]) {
            expiresAt = iso(now + offsets[preset]);
          }
          const k = await adminJson(admin, 'POST', '/api-keys', { org_id: org(tenant), name: one(values, 'name'), scopes, expires_at: expiresAt });
          const body = JSON.stringify({ grant_type: 'client_credentials', client_id: k.client_id, client_secret: k.client_secret });
          return {
            fields: [
              { label: 'Client ID', value: k.client_id },
              { label: 'Client secret', value: k.client_secret, secret: true },
            ],
            curl:
              `TOKEN=$(curl -s -X POST ${url}/api/v1/oauth/token -H 'Content-Type: application/json' \\\n  -d '${body}' | jq -r .access_token)\n` +
              `curl -s '${url}/api/v1/assets?limit=5' -H "Authorization: Bearer $TOKEN"`,
          };
        },
        async revoke(_tenant, id) {
          await adminJson(admin, 'DELETE', `/api-keys/${encodeURIComponent(id)}`);
        },
      },
    ],
    data: [
      {
        id: 'assets',
        title: 'Assets',
        page(tenant, req) {
          const { limit, offset } = offsetOf(req);
          const { total, rows } = queries.assets(org(tenant), limit, offset);
          return {
            total,
            table: {
              columns: ['ID', 'External key', 'Name', 'Active', 'Tags', 'Updated', 'Scans'],
              rows: rows.map((r) => [r.id, r.external_key, r.name, r.is_active === 1, r.tags, iso(r.updated_at), { text: String(r.scans), resource: 'scans', params: { asset: String(r.id) } }]),
            },
          };
        },
      },
      {
        id: 'locations',
        title: 'Locations',
        page(tenant, req) {
          const { limit, offset } = offsetOf(req);
          const { total, rows } = queries.locations(org(tenant), limit, offset);
          return {
            total,
            table: {
              columns: ['ID', 'External key', 'Name', 'Active', 'Parent', 'Scans'],
              rows: rows.map((r) => [r.id, r.external_key, r.name, r.is_active === 1, r.parent_name ?? null, { text: String(r.scans), resource: 'scans', params: { location: String(r.id) } }]),
            },
          };
        },
      },
      {
        id: 'scans',
        title: 'Scans',
        page(tenant, req) {
          const { limit, offset } = offsetOf(req);
          const asset = /^\d+$/.test(req.params.asset ?? '') ? Number(req.params.asset) : null;
          const location = /^\d+$/.test(req.params.location ?? '') ? Number(req.params.location) : null;
          const { total, rows } = queries.scans(org(tenant), asset, location, limit, offset);
          const filter = asset !== null ? ` of asset ${asset}` : location !== null ? ` at location ${location}` : '';
          return {
            title: `Scans${filter}`,
            total,
            table: {
              columns: ['Observed (minute)', 'Asset', 'Location'],
              rows: rows.map((r) => [
                iso(r.observed_at),
                { text: r.asset_name ?? String(r.asset_id), resource: 'scans', params: { asset: String(r.asset_id) } },
                r.location_id === null ? null : { text: r.location_name ?? String(r.location_id), resource: 'scans', params: { location: String(r.location_id) } },
              ]),
            },
          };
        },
      },
    ],
    injections: [
      {
        id: 'scan',
        title: 'Inject a scan (not part of the public API: readers feed it)',
        submit: 'Inject scan',
        fields: [
          { name: 'asset_external_key', label: 'Asset external key', type: 'text', required: true, help: 'e.g. ASSET-0001' },
          { name: 'location_external_key', label: 'Location external key', type: 'text', required: true, help: 'e.g. LOC-003' },
          { name: 'observed_at', label: 'Observed at (UTC, empty: now on the suite clock)', type: 'datetime' },
        ],
        async run(tenant, values) {
          const at = datetimeValue(values.observed_at) ?? ctx.clock.now().toISOString();
          const r = await adminJson(admin, 'POST', '/scans', {
            org_id: org(tenant),
            scans: [{ asset_external_key: one(values, 'asset_external_key'), location_external_key: one(values, 'location_external_key'), observed_at: at }],
          });
          return `Scan received (${r.stored} stored) at ${at}.`;
        },
      },
    ],
  };
}
