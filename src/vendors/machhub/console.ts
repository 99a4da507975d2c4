/**
 * MACHHUB in the web console: Developer Keys as the MACHHUB console issues them (Account → Developer Keys: name,
 * expiration → the `mchx_…` key shown once), users of a domain, and the domain's collections → records, tags and
 * historian series (a small chart), with historian points injected as the control plane does.
 */
import { ConsoleError, adminJson, datetimeValue, one, type AdminCall, type ConsoleSpec } from '../../core/console-spec.js';
import type { VendorContext } from '../../core/vendor.js';
import { tableName } from './store/records.js';
import { ConsoleQueries } from './store/console.js';
import { historianReady } from './store/index.js';

export function machhubConsole(ctx: VendorContext, admin: AdminCall): ConsoleSpec {
  const queries = new ConsoleQueries(ctx.handle);
  const domainName = (tenant: string) => tenant.replace(/^domains:/, '');
  const quoted = (table: string) => {
    if (!/^[a-z0-9_-]{1,64}\.[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(table)) throw new ConsoleError(`no collection ${table}`);
    return `"${table}"`;
  };
  return {
    tenantLabel: 'domain',
    credentials: [
      {
        id: 'developer-keys',
        title: 'Developer Keys',
        where: 'Account → Developer Keys',
        submit: 'Generate key',
        revokeLabel: 'Delete',
        warning: 'Copy the key now: it is shown only once. Keys have full access within their domain and do not expire unless you set an expiration.',
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true },
          { name: 'expiration', label: 'Expiration (UTC; empty: No Expiration)', type: 'datetime' },
        ],
        async list(tenant) {
          const keys = ((await adminJson(admin, 'GET', '/api-keys')) as Array<Record<string, any>>).filter((k) => k.domain === tenant);
          const now = ctx.clock.nowMs();
          return {
            columns: ['Name', 'Key id', 'Created', 'Expiration', 'Status'],
            rows: keys.map((k) => {
              const status = k.expiration === null ? 'No Expiration' : Date.parse(k.expiration) > now ? 'Valid' : 'Expired';
              return { id: k.id, active: true, cells: [k.name, `mchx_${k.id}…`, k.created_dt, k.expiration ?? '—', status] };
            }),
          };
        },
        async create(tenant, values, url) {
          const k = await adminJson(admin, 'POST', '/api-keys', { domain: tenant, name: one(values, 'name'), expiration: datetimeValue(values.expiration) });
          return {
            fields: [{ label: 'Developer key', value: k.key, secret: true }],
            curl: `curl -s -H 'X-Machhub-Api-Key: ${k.key}' -H 'Domain: ${tenant}' '${url}/machhub/tag/list'`,
          };
        },
        // The vendor's console deletes keys (DELETE /api/api-key/delete); the fake's control plane has no route for it.
        async revoke(tenant, id) {
          if (!queries.deleteKey(id, tenant)) throw new ConsoleError(`no developer key ${id} in ${tenant}`);
        },
      },
      {
        id: 'users',
        title: 'Users',
        where: 'Users (domain members; clients sign in at POST /machhub/auth/login)',
        submit: 'Add user',
        revokeLabel: 'Delete',
        warning: 'The password is shown here once; the fake keeps only its hash.',
        fields: [
          { name: 'username', label: 'Username', type: 'text', required: true },
          { name: 'password', label: 'Password', type: 'password', required: true },
          { name: 'firstName', label: 'First name', type: 'text' },
          { name: 'lastName', label: 'Last name', type: 'text' },
          { name: 'group', label: 'Group (empty: member)', type: 'text' },
        ],
        async list(tenant) {
          const rows = queries.users(tenant);
          return {
            columns: ['Username', 'Name', 'Groups', 'Created'],
            rows: rows.map((r) => ({ id: r.id, active: true, cells: [r.username, `${r.first_name} ${r.last_name}`.trim(), r.groups, r.created_dt] })),
          };
        },
        async create(tenant, values, url) {
          const body: Record<string, unknown> = { username: one(values, 'username'), password: one(values, 'password'), domains: [tenant] };
          for (const k of ['firstName', 'lastName']) if (one(values, k)) body[k] = one(values, k);
          if (one(values, 'group')) body.groups = [one(values, 'group')];
          const u = await adminJson(admin, 'POST', '/users', body);
          const login = JSON.stringify({ username: u.username, password: body.password }).replace(/'/g, `'\\''`);
          return {
            fields: [
              { label: 'Username', value: u.username },
              { label: 'Password', value: String(body.password), secret: true },
            ],
            curl: `TKN=$(curl -s -X POST ${url}/machhub/auth/login -H 'Content-Type: application/json' \\\n  -d '${login}' | jq -r .tkn)\ncurl -s -H "Authorization: Bearer $TKN" -H 'Domain: ${tenant}' '${url}/machhub/tag/list'`,
          };
        },
        // The vendor deletes users (DELETE /api/users/:userID; users are global, their domain memberships go with
        // them); the control plane has no such route. Their tokens stop working: verification looks the user up.
        async revoke(tenant, id) {
          if (!queries.deleteUser(id, tenant)) throw new ConsoleError(`no user ${id} in ${tenant}`);
        },
      },
    ],
    data: [
      {
        id: 'collections',
        title: 'Collections',
        page(tenant, req) {
          const { rows, total } = queries.collections(tenant, req);
          return {
            total,
            table: {
              columns: ['Collection', 'Table', 'Records', 'Created'],
              rows: rows.map((r) => {
                const table = tableName(domainName(tenant), r.name);
                const n = queries.recordCount(quoted(table));
                return [{ text: r.name, resource: 'records', params: { collection: r.name } }, table, n, r.created_dt];
              }),
            },
          };
        },
      },
      {
        id: 'records',
        title: 'Records',
        listed: false,
        page(tenant, req) {
          const collection = req.params.collection ?? '';
          if (!queries.hasCollection(tenant, collection)) throw new ConsoleError(`no collection ${collection} in ${tenant}`);
          const table = quoted(tableName(domainName(tenant), collection));
          const { rows, total } = queries.records(table, req);
          return {
            title: `Records of ${collection}`,
            total,
            table: { columns: ['ID', 'Data'], rows: rows.map((r) => [r.id, String(r.data).length > 400 ? `${String(r.data).slice(0, 400)}…` : r.data]) },
          };
        },
      },
      {
        id: 'tags',
        title: 'Tags',
        page(tenant, req) {
          historianReady(ctx.handle, tenant);
          const { rows, total } = queries.tags(tenant, req);
          return {
            total,
            table: {
              columns: ['Topic', 'Historized', 'Points'],
              rows: rows.map((r) => [r.topic, r.historized === 1, { text: String(r.points), resource: 'historian', params: { topic: r.topic } }]),
            },
          };
        },
      },
      {
        id: 'historian',
        title: 'Historian',
        page(tenant, req) {
          historianReady(ctx.handle, tenant);
          const topic = req.params.topic ?? queries.firstTopic(tenant) ?? '';
          const { rows, total } = queries.historian(tenant, topic, req);
          const chart = rows
            .map((r) => ({ t: r.ts as number, v: Number(JSON.parse(r.value as string)) }))
            .filter((p) => Number.isFinite(p.v))
            .reverse();
          req.params.topic = topic;
          return {
            title: `Historian: ${topic}`,
            total,
            chart,
            table: { columns: ['Timestamp', 'Value'], rows: rows.map((r) => [new Date(r.ts).toISOString(), r.value]) },
          };
        },
      },
    ],
    injections: [
      {
        id: 'historian',
        title: 'Add a historian point',
        submit: 'Add point',
        fields: [
          { name: 'topic', label: 'Topic', type: 'text', required: true },
          { name: 'value', label: 'Value (JSON: 21.5, true, "text")', type: 'text', required: true },
          { name: 'timestamp', label: 'Timestamp (UTC; empty: now on the suite clock)', type: 'datetime' },
        ],
        async run(tenant, values) {
          let value: unknown;
          try {
            value = JSON.parse(one(values, 'value'));
          } catch {
            value = one(values, 'value');
          }
          const timestamp = datetimeValue(values.timestamp) ?? ctx.clock.now().toISOString();
          const r = await adminJson(admin, 'POST', '/historian', { domain: tenant, topic: one(values, 'topic'), points: [{ timestamp, value }] });
          return `Added ${r.added} point to ${r.topic} at ${timestamp}.`;
        },
      },
    ],
  };
}
