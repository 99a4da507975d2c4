import { Hono } from 'hono';
import { invalidField, problems, type Problem } from '../errors.js';
import { noQuery, onlyFields, queryPairs, readJson, type Deps, type Env } from '../http.js';
import { TRANSITIONS, WELD_STATUSES, isWeldStatus, mayChangeStatus } from '../model.js';
import { parseWeldQuery, WELD_QUERY, type Parsed } from '../query.js';
import { inspectionJson, weldJson } from '../serialize.js';
import type { WeldRow } from '../store.js';
import { listResponse } from './list.js';

export function queryProblem(q: Extract<Parsed<unknown>, { ok: false }>, allowed: readonly string[]): Problem {
  return q.kind === 'unknown' ? problems.unknownQuery(q.names, allowed) : problems.invalidQuery(q.detail);
}

const MAX_REASON = 2000;

/**
 * Welds. Welders see only the welds assigned to them (403 otherwise); only inspectors and admins change a status,
 * and only admins void a weld.
 */
export function weldRoutes(deps: Deps): Hono<Env> {
  const { store, config, newId } = deps;
  const app = new Hono<Env>();

  const detail = (tenant: string, w: WeldRow) => ({
    ...weldJson(w),
    inspections: store.inspections(tenant, w.id).map(inspectionJson),
  });

  app.get('/welds', (c) => {
    const tenant = c.get('tenant').id;
    const me = c.get('principal');
    const q = parseWeldQuery(queryPairs(c), config.defaultPageSize, config.maxPageSize);
    if (!q.ok) throw queryProblem(q, WELD_QUERY);
    const { isoId, statuses, welderId, offset, page, pageSize } = q.value;
    let welder = welderId;
    if (me.role === 'welder') {
      if (welderId !== undefined && welderId !== me.id) throw problems.forbiddenRole('welder', "list another welder's welds");
      welder = me.id;
    }
    const { rows, total } = store.listWelds(tenant, { isoId, statuses, welderId: welder }, offset, pageSize);
    return listResponse(c, config, rows.map(weldJson), page, pageSize, total);
  });

  app.get('/welds/:id', (c) => {
    noQuery(c);
    const tenant = c.get('tenant').id;
    const me = c.get('principal');
    const id = c.req.param('id');
    const weld = store.weld(tenant, id);
    if (!weld) throw problems.weldNotFound(id);
    if (me.role === 'welder' && weld.welder_id !== me.id) throw problems.forbiddenWeld(id);
    return c.json(detail(tenant, weld));
  });

  app.patch('/welds/:id/status', async (c) => {
    noQuery(c);
    const tenant = c.get('tenant').id;
    const me = c.get('principal');
    const id = c.req.param('id');
    if (me.role !== 'inspector' && me.role !== 'admin') throw problems.forbiddenRole(me.role, 'change weld status');
    const body = (await readJson(c, config.maxBodyBytes))!;
    onlyFields(body, ['status', 'reason']);
    const { status, reason } = body;
    if (status === undefined) throw invalidField('status', 'is required');
    if (!isWeldStatus(status)) throw invalidField('status', `must be one of ${WELD_STATUSES.join(', ')}`);
    if (reason !== undefined && reason !== null && typeof reason !== 'string') throw invalidField('reason', 'must be a string');
    if (typeof reason === 'string' && reason.length > MAX_REASON) throw invalidField('reason', `must be at most ${MAX_REASON} characters`);
    if (!mayChangeStatus(me.role, status)) throw problems.forbiddenRole(me.role, `set a weld to ${status}`);
    const result = store.changeStatus(tenant, id, status, typeof reason === 'string' && reason !== '' ? reason : null,
      { id: me.id, name: me.name }, newId);
    if (!result.ok) {
      if (result.reason === 'not-found') throw problems.weldNotFound(id);
      throw problems.invalidTransition(id, result.from, status, TRANSITIONS[result.from]);
    }
    return c.json(detail(tenant, result.weld));
  });

  return app;
}
