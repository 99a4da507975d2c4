import { Hono } from 'hono';
import { problems } from '../errors.js';
import { noQuery, queryPairs, type Deps, type Env } from '../http.js';
import { ISO_QUERY, parseIsoQuery } from '../query.js';
import { isoJson } from '../serialize.js';
import { listResponse } from './list.js';
import { queryProblem } from './welds.js';

/** ISOs: every authenticated role may read them (drawings are shared by the whole project). */
export function isoRoutes(deps: Deps): Hono<Env> {
  const { store, config } = deps;
  const app = new Hono<Env>();

  app.get('/isos', (c) => {
    const tenant = c.get('tenant').id;
    const q = parseIsoQuery(queryPairs(c), config.defaultPageSize, config.maxPageSize);
    if (!q.ok) throw queryProblem(q, ISO_QUERY);
    const { rows, total } = store.listIsos(tenant, q.value.offset, q.value.pageSize);
    return listResponse(c, config, rows.map(isoJson), q.value.page, q.value.pageSize, total);
  });

  app.get('/isos/:id', (c) => {
    noQuery(c);
    const tenant = c.get('tenant').id;
    const id = c.req.param('id');
    const iso = store.iso(tenant, id);
    if (!iso) throw problems.isoNotFound(id);
    return c.json({ ...isoJson(iso), weldCounts: store.weldCountsByIso(tenant, id) });
  });

  return app;
}
