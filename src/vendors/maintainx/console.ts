/**
 * MaintainX in the web console: API keys as the web app issues them (Settings → Integrations → New Key → Generate
 * Key: a key for one user, for one or more organizations, shown once), and each organization's work orders, assets,
 * locations and parts.
 */
import { ConsoleError, adminJson, many, one, type AdminCall, type Cell, type CellLink, type ConsoleSpec, type DataResource } from '../../core/console-spec.js';
import type { VendorContext } from '../../core/vendor.js';
import { ConsoleQueries } from './store/console.js';

export function maintainxConsole(ctx: VendorContext, admin: AdminCall): ConsoleSpec {
  const queries = new ConsoleQueries(ctx.handle);
  const orgs = () => queries.orgs();
  const users = (org: string) => queries.users(Number(org));
  const userName = (id: number): string | null => queries.userName(id);
  const nameOf = (kind: string, id: unknown): string | null => (id === null || id === undefined ? null : (queries.name(kind, id) ?? String(id)));

  /** A table of one record kind: `cols` are [heading, JSON path] pairs; `link` turns a column into a link. */
  const kindTable = (id: string, title: string, kind: string, cols: Array<[string, string]>, link: (row: Record<string, any>, col: number) => Cell | undefined): DataResource => ({
    id,
    title,
    page(tenant, req) {
      const filters = Object.entries(req.params).filter(([k, v]) => /^[a-zA-Z]+Id$/.test(k) && /^\d+$/.test(v));
      const { rows, total } = queries.records(kind, Number(tenant), filters.map(([k, v]) => [k, Number(v)]), req);
      return {
        title: filters.length ? `${title} (${filters.map(([k, v]) => `${k} ${v}`).join(', ')})` : title,
        total,
        table: {
          columns: ['ID', ...cols.map(([h]) => h)],
          rows: rows.map((r) => {
            const data: Record<string, any> = { id: r.id, ...(JSON.parse(r.data) as Record<string, any>) };
            return [r.id, ...cols.map(([, path], i) => link(data, i) ?? (typeof data[path] === 'object' && data[path] !== null ? JSON.stringify(data[path]) : (data[path] ?? null)))];
          }),
        },
      };
    },
  });

  return {
    tenantLabel: 'organization',
    credentials: [
      {
        id: 'api-keys',
        title: 'API Keys',
        where: 'Settings → Integrations → New Key → Generate Key',
        submit: 'Generate Key',
        revokeLabel: 'Revoke',
        warning: 'Copy this key now and keep it somewhere safe: it will not be shown again. It acts as the chosen user in the chosen organizations.',
        fields: (tenant) => [
          { name: 'user_id', label: 'User', type: 'select', required: true, options: users(tenant).map((u) => ({ value: String(u.id), label: `${u.name} (${u.role})` })) },
          { name: 'organization_ids', label: 'Organizations', type: 'checkboxes', default: [tenant], options: orgs().map((o) => ({ value: String(o.id), label: `${o.id} ${o.name}` })) },
          { name: 'label', label: 'Label', type: 'text' },
        ],
        async list(tenant) {
          const { api_keys: keys } = (await adminJson(admin, 'GET', '/api-keys')) as { api_keys: Array<Record<string, any>> };
          const mine = keys.filter((k) => (k.organization_ids as number[]).includes(Number(tenant)));
          return {
            columns: ['ID', 'User', 'Key', 'Label', 'Organizations', 'Created', 'Status'],
            rows: mine.map((k) => ({
              id: String(k.id),
              active: k.revoked_at === null,
              cells: [k.id, userName(k.user_id) ?? k.user_id, `${k.prefix}…`, k.label, (k.organization_ids as number[]).join(', '), k.created_at, k.revoked_at ? `revoked ${k.revoked_at}` : 'active'],
            })),
          };
        },
        async create(tenant, values, url) {
          const userId = Number(one(values, 'user_id'));
          if (!Number.isSafeInteger(userId) || userId < 1) throw new ConsoleError('Choose a user.');
          const orgIds = many(values, 'organization_ids').map(Number);
          if (orgIds.length === 0) throw new ConsoleError('Choose at least one organization.');
          const body: Record<string, unknown> = { user_id: userId, organization_ids: orgIds };
          if (one(values, 'label')) body.label = one(values, 'label');
          const k = await adminJson(admin, 'POST', '/api-keys', body);
          const orgHeader = orgIds.length > 1 ? ` -H 'x-organization-id: ${tenant}'` : '';
          return {
            fields: [{ label: 'API key', value: k.key, secret: true }],
            curl: `curl -s -H 'Authorization: Bearer ${k.key}'${orgHeader} '${url}/v1/workorders?limit=5'`,
          };
        },
        async revoke(_tenant, id) {
          await adminJson(admin, 'DELETE', `/api-keys/${encodeURIComponent(id)}`);
        },
      },
    ],
    data: [
      kindTable(
        'workorders',
        'Work orders',
        'workOrder',
        [
          ['Title', 'title'],
          ['Status', 'status'],
          ['Priority', 'priority'],
          ['Asset', 'assetId'],
          ['Location', 'locationId'],
          ['Due', 'dueDate'],
        ],
        (r, i): CellLink | undefined =>
          i === 3 && r.assetId ? { text: nameOf('asset', r.assetId) ?? String(r.assetId), resource: 'workorders', params: { assetId: String(r.assetId) } } : i === 4 && r.locationId ? { text: nameOf('location', r.locationId) ?? String(r.locationId), resource: 'assets', params: { locationId: String(r.locationId) } } : undefined,
      ),
      kindTable(
        'assets',
        'Assets',
        'asset',
        [
          ['Name', 'name'],
          ['Serial number', 'serialNumber'],
          ['Location', 'locationId'],
          ['Work orders', 'id'],
        ],
        (r, i): CellLink | undefined =>
          i === 2 && r.locationId ? { text: nameOf('location', r.locationId) ?? String(r.locationId), resource: 'assets', params: { locationId: String(r.locationId) } } : i === 3 ? { text: 'work orders', resource: 'workorders', params: { assetId: String(r.id) } } : undefined,
      ),
      kindTable(
        'locations',
        'Locations',
        'location',
        [
          ['Name', 'name'],
          ['Address', 'address'],
          ['Parent', 'parentId'],
          ['Assets', 'id'],
        ],
        (r, i): CellLink | undefined => (i === 2 && r.parentId ? { text: nameOf('location', r.parentId) ?? String(r.parentId), resource: 'locations', params: {} } : i === 3 ? { text: 'assets', resource: 'assets', params: { locationId: String(r.id) } } : undefined),
      ),
      kindTable(
        'parts',
        'Parts',
        'part',
        [
          ['Name', 'name'],
          ['Area', 'area'],
          ['Available', 'availableQuantity'],
          ['Minimum', 'minimumQuantity'],
          ['Unit cost', 'unitCost'],
          ['Location', 'locationId'],
        ],
        (r, i): CellLink | undefined => (i === 5 && r.locationId ? { text: nameOf('location', r.locationId) ?? String(r.locationId), resource: 'assets', params: { locationId: String(r.locationId) } } : undefined),
      ),
    ],
  };
}
