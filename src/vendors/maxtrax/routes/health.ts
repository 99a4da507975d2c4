import { Hono } from 'hono';
import { problems } from '../errors.js';
import { jsonResponse, noQuery, type Env, type MaxtraxServices } from '../http.js';

const UP = JSON.stringify({ status: 'UP' });

/** Health needs no auth. `ready` is 503 while the tenant's store is marked not ready (control plane). */
export function healthRoutes(s: MaxtraxServices): Hono<Env> {
  const app = new Hono<Env>();
  app.get(
    '/health/live',
    s.gate.open((c) => {
      noQuery(c);
      return jsonResponse(UP);
    }),
  );
  app.get(
    '/health/ready',
    s.gate.open((c) => {
      noQuery(c);
      const tenant = c.get('tenant');
      if (!tenant.ready) throw problems.notReady(tenant.id);
      return jsonResponse(UP);
    }),
  );
  return app;
}
