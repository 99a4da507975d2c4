import { Hono } from 'hono';
import { problems } from '../errors.js';
import { afterSeek, noQuery, queryPairs, rawQuery, readJson, ResponseMemo, jsonResponse, type Env, type MaxtraxServices } from '../http.js';
import { changeStatus, mayEditStatus } from '../ops/welds.js';
import { parseWeldQuery, queryProblem, WELD_QUERY } from '../query.js';
import { listView, weldDetailView, weldView } from '../views.js';

/**
 * Welds. Welders see only the welds assigned to them (403 otherwise); only inspectors and admins change a status,
 * and only admins void a weld.
 */
export function weldRoutes(s: MaxtraxServices): Hono<Env> {
  const { store, config } = s;
  const app = new Hono<Env>();
  const pages = new ResponseMemo(store);
  /** Weld details by tenant, id and query, with the weld's welder (a welder may read only their own). */
  const details = new ResponseMemo<string | null>(store);

  app.get(
    '/welds',
    s.gate.authed((c) => {
      const tenant = c.get('tenant').id;
      const me = c.get('principal');
      // A welder's list is their own welds: their id is part of the key.
      const key = `${tenant}\u0000${me.role === 'welder' ? me.id : ''}\u0000${rawQuery(c)}`;
      const hit = pages.get(key);
      if (hit) return hit.response();
      const q = parseWeldQuery(queryPairs(c), config.defaultPageSize, config.maxPageSize);
      if (!q.ok) throw queryProblem(q, WELD_QUERY);
      const { isoId, statuses, welderId, offset, page, pageSize } = q.value;
      let welder = welderId;
      if (me.role === 'welder') {
        if (welderId !== undefined && welderId !== me.id) throw problems.forbiddenRole('welder', "list another welder's welds");
        welder = me.id;
      }
      const filter = { isoId, statuses, welderId: welder };
      return afterSeek(() => store.welds.seek(tenant, filter), () => {
        const changes = store.changes();
        const rendered = store.welds.listItems(tenant, filter, offset, pageSize);
        // Rows SQLite could not render as weldView does (never in generated data) are rendered here instead.
        const items = rendered.items ?? JSON.stringify(store.welds.list(tenant, filter, offset, pageSize).rows.map(weldView));
        return pages.put(key, changes, listView(config, items, page, pageSize, rendered.total, c.req.url), undefined);
      });
    }),
  );

  app.get(
    '/welds/:id',
    s.gate.authed((c) => {
      const tenant = c.get('tenant').id;
      const me = c.get('principal');
      const id = c.req.param('id')!;
      const key = `${tenant}\u0000${id}\u0000${rawQuery(c)}`;
      const hit = details.get(key);
      if (hit) {
        if (me.role === 'welder' && hit.extra !== me.id) throw problems.forbiddenWeld(id);
        return hit.response();
      }
      const changes = store.changes();
      noQuery(c);
      const weld = store.welds.get(tenant, id);
      if (!weld) throw problems.weldNotFound(id);
      if (me.role === 'welder' && weld.welder_id !== me.id) throw problems.forbiddenWeld(id);
      const body = JSON.stringify(weldDetailView(weld, store.inspections.forWeld(tenant, id)));
      return details.put(key, changes, { body }, weld.welder_id);
    }),
  );

  app.patch(
    '/welds/:id/status',
    s.gate.authed(async (c) => {
      noQuery(c);
      const me = c.get('principal');
      mayEditStatus(me);
      const body = (await readJson(c, config.maxBodyBytes))!;
      const { weld, inspections } = changeStatus(s, c.get('tenant').id, me, c.req.param('id')!, body);
      return jsonResponse(JSON.stringify(weldDetailView(weld, inspections)));
    }),
  );

  return app;
}
