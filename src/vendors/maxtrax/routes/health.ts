import { Hono } from 'hono';
import { problems } from '../errors.js';
import { noQuery, type Env } from '../http.js';

/** Health needs no auth. `ready` is 503 while the tenant's store is marked not ready (control plane). */
export function healthRoutes(): Hono<Env> {
  const app = new Hono<Env>();
  app.get('/health/live', (c) => {
    noQuery(c);
    return c.json({ status: 'UP' });
  });
  app.get('/health/ready', (c) => {
    noQuery(c);
    const tenant = c.get('tenant');
    if (!tenant.ready) throw problems.notReady(tenant.id);
    return c.json({ status: 'UP' });
  });
  return app;
}
