/**
 * MaxTrax in the web console: users (MaxTrax has no API keys: clients sign in with a user's userName and password),
 * and each tenant's ISOs → welds → inspections.
 */
import { adminJson, one, type AdminCall, type ConsoleSpec } from '../../core/console-spec.js';
import type { VendorContext } from '../../core/vendor.js';
import { ROLES } from './model.js';
import { ConsoleQueries } from './store/console.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function maxtraxConsole(ctx: VendorContext, admin: AdminCall): ConsoleSpec {
  const queries = new ConsoleQueries(ctx.handle);
  const tenantUrl = (url: string, tenant: string) => {
    const u = new URL(url);
    return `${u.protocol}//${tenant}.maxtrax.localhost:${u.port}`;
  };
  return {
    tenantLabel: 'tenant',
    credentials: [
      {
        id: 'users',
        title: 'Users',
        where: 'tenant administration → Users (clients sign in as a user: POST /auth/login)',
        submit: 'Add user',
        warning: 'The password is shown here once; the fake keeps only its hash.',
        fields: [
          { name: 'userName', label: 'userName (e-mail)', type: 'text', required: true },
          { name: 'displayName', label: 'Display name', type: 'text' },
          { name: 'role', label: 'Role', type: 'select', default: 'inspector', options: ROLES.map((r) => ({ value: r, label: r })) },
          { name: 'password', label: 'Password', type: 'password', required: true },
        ],
        async list(tenant) {
          const rows = queries.users(tenant);
          return { columns: ['userName', 'Display name', 'Role', 'Created'], rows: rows.map((r) => ({ id: r.id, active: true, cells: [r.user_name, r.display_name, r.role, iso(r.created_at)] })) };
        },
        async create(tenant, values, url) {
          const body: Record<string, unknown> = { tenant, userName: one(values, 'userName'), password: one(values, 'password'), role: one(values, 'role') };
          if (one(values, 'displayName')) body.displayName = one(values, 'displayName');
          const u = await adminJson(admin, 'POST', '/users', body);
          const base = tenantUrl(url, tenant);
          const login = JSON.stringify({ userName: u.userName, password: body.password });
          return {
            fields: [
              { label: 'userName', value: u.userName },
              { label: 'Password', value: String(body.password), secret: true },
            ],
            curl: `TOKEN=$(curl -s -X POST ${base}/auth/login -H 'Content-Type: application/json' \\\n  -d '${login.replace(/'/g, `'\\''`)}' | jq -r .accessToken)\ncurl -s ${base}/welds -H "Authorization: Bearer $TOKEN"`,
          };
        },
      },
    ],
    data: [
      {
        id: 'isos',
        title: 'ISOs',
        page(tenant, req) {
          const { rows, total } = queries.isos(tenant, req);
          return {
            total,
            table: {
              columns: ['ISO number', 'Revision', 'Line', 'Area', 'Test package', 'Welds'],
              rows: rows.map((r) => [r.iso_number, r.revision, r.line_number, r.area, r.test_package, { text: String(r.welds), resource: 'welds', params: { iso: r.id } }]),
            },
          };
        },
      },
      {
        id: 'welds',
        title: 'Welds',
        page(tenant, req) {
          const isoId = req.params.iso ?? null;
          const { rows, total } = queries.welds(tenant, isoId, req);
          const isoNumber = isoId ? queries.isoNumber(isoId) : undefined;
          return {
            title: isoNumber ? `Welds of ISO ${isoNumber}` : 'Welds',
            total,
            table: {
              columns: ['Weld', 'ISO', 'Type', 'Size', 'Schedule', 'Status', 'WPS', 'Welder', 'Inspections'],
              rows: rows.map((r) => [
                r.weld_number,
                { text: r.iso_number ?? r.iso_id, resource: 'welds', params: { iso: r.iso_id } },
                r.type,
                r.size,
                r.schedule,
                r.status,
                r.wps,
                r.welder,
                { text: String(r.inspections), resource: 'inspections', params: { weld: r.id } },
              ]),
            },
          };
        },
      },
      {
        id: 'inspections',
        title: 'Inspections',
        page(tenant, req) {
          const weldId = req.params.weld ?? null;
          const { rows, total } = queries.inspections(tenant, weldId, req);
          return {
            title: weldId ? 'Inspections of one weld' : 'Inspections',
            total,
            table: {
              columns: ['Recorded', 'Weld', 'From', 'To', 'Reason', 'Inspector'],
              rows: rows.map((r) => [iso(r.recorded_at), { text: r.weld_number ?? r.weld_id, resource: 'inspections', params: { weld: r.weld_id } }, r.from_status, r.to_status, r.reason, r.inspector_name]),
            },
          };
        },
      },
    ],
  };
}
