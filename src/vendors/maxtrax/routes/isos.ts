import { Hono } from 'hono';
import { problems } from '../errors.js';
import { afterSeek, jsonResponse, noQuery, queryPairs, rawQuery, ResponseMemo, type Env, type MaxtraxServices } from '../http.js';
import { ISO_QUERY, parseIsoQuery, queryProblem } from '../query.js';
import { isoView, listView } from '../views.js';

/** ISOs: every authenticated role may read them (drawings are shared by the whole project). */
export function isoRoutes(s: MaxtraxServices): Hono<Env> {
  const { store, config } = s;
  const app = new Hono<Env>();
  const pages = new ResponseMemo(store);

  app.get(
    '/isos',
    s.gate.authed((c) => {
      const tenant = c.get('tenant').id;
      const key = `${tenant}\u0000${rawQuery(c)}`;
      const hit = pages.get(key);
      if (hit) return hit.response();
      const q = parseIsoQuery(queryPairs(c), config.defaultPageSize, config.maxPageSize);
      if (!q.ok) throw queryProblem(q, ISO_QUERY);
      const { offset, page, pageSize } = q.value;
      return afterSeek(() => store.isos.seek(tenant), () => {
        const changes = store.changes();
        const { rows, total } = store.isos.list(tenant, offset, pageSize);
        return pages.put(key, changes, listView(config, JSON.stringify(rows.map(isoView)), page, pageSize, total, c.req.url), undefined);
      });
    }),
  );

  app.get(
    '/isos/:id',
    s.gate.authed((c) => {
      noQuery(c);
      const tenant = c.get('tenant').id;
      const id = c.req.param('id')!;
      const iso = store.isos.get(tenant, id);
      if (!iso) throw problems.isoNotFound(id);
      return jsonResponse(JSON.stringify({ ...isoView(iso), weldCounts: store.welds.countsByIso(tenant, id) }));
    }),
  );

  return app;
}
