/** Non-API endpoints: health (trakrf.md §1) and the served spec. */
import type { Hono } from 'hono';
import type { Services, TrakrfEnv } from '../http.js';
import { specJson, specYaml } from '../spec.js';

const SPEC_CACHE = 'public, max-age=60, stale-while-revalidate=300';
const text = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

export function metaRoutes(app: Hono<TrakrfEnv>, { table, ctx, store }: Services, version: string, startedAt: number): void {
  const dbOk = () => store.ping();
  app.get('/healthz', () => text('ok'));
  app.get('/readyz', () => (dbOk() ? text('ok') : text('database unavailable', 503)));
  const health = (c: { req: { method: string } }) => {
    // Quirk kept: the Go handler checks r.Method != GET, so HEAD gets a plain-text 405.
    if (c.req.method !== 'GET') return text('Method not allowed', 405);
    const up = Math.max(0, Math.floor((ctx.clock.nowMs() - startedAt) / 1000));
    const buildTime = new Date(startedAt).toISOString();
    return new Response(
      JSON.stringify({
        status: 'ok',
        version,
        commit: 'vendor-fakes',
        tag: `v${version}`,
        build_time: buildTime,
        go_version: 'go1.24 (emulated)',
        timestamp: ctx.clock.now().toISOString(),
        uptime: `${Math.floor(up / 3600)}h${Math.floor((up % 3600) / 60)}m${up % 60}s`,
        database: dbOk() ? 'connected' : 'unavailable',
        spec_refreshed_at: buildTime,
      }) + '\n',
      { headers: { 'Content-Type': 'application/json; charset=utf-8' } },
    );
  };
  app.get('/health', health);
  app.get('/health.json', health);

  table.on('GET', '/api/openapi.json', undefined, [], () =>
    new Response(specJson, { headers: { 'Content-Type': 'application/json', 'Cache-Control': SPEC_CACHE } }),
  );
  table.on('GET', '/api/openapi.yaml', undefined, [], async () =>
    new Response(await specYaml(), { headers: { 'Content-Type': 'application/yaml', 'Cache-Control': SPEC_CACHE } }),
  );
  for (const ext of ['json', 'yaml']) {
    const moved = () => new Response(null, { status: 301, headers: { Location: `/api/openapi.${ext}` } });
    table.on('GET', `/api/v1/openapi.${ext}`, undefined, [], moved);
    app.get(`/openapi.${ext}`, moved);
  }
}
