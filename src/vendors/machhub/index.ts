/** The MACHHUB fake: `/auth/*` and `/machhub/*` (reference `machhub.md`, SDK 1.1.5 wire capture). Wiring only. */
import { STATUS_CODES } from 'node:http';
import type { Vendor, VendorContext } from '../../core/vendor.js';
import { adminRoutes, resetTenant } from './admin.js';
import { type MachhubConfig, signerFor } from './auth.js';
import { machhubConsole } from './console.js';
import { faultResponse } from './errors.js';
import { type MachhubFixtures, parseFixtures } from './fixtures.js';
import { apiApp, type Services } from './http.js';
import { PageMemo } from './memo.js';
import { Realtime } from './mqtt.js';
import { Records } from './store/records.js';
import { createSandbox, deleteSandbox } from './sandbox.js';
import { migrate } from './schema.js';
import { seed } from './seed.js';
import { Store } from './store/index.js';

export type { MachhubFixtures } from './fixtures.js';

export const machhub: Vendor<MachhubFixtures, MachhubConfig> = {
  name: 'machhub',
  requestIdHeader: 'App-CorrelationID',
  title: 'MACHHUB',
  defaultPort: 4200,
  options: {
    auth: { description: 'auth enforcement on /machhub/* data routes: lax (the real default) or strict', default: 'lax', choices: ['lax', 'strict'] },
    tokenTtlHours: { description: 'JWT lifetime in hours (auth.ttl)', default: 24 },
    maxBodyBytes: { description: 'largest accepted request body in bytes', default: 10 * 1024 * 1024 },
    mqttPort: { description: 'also serve MQTT on this TCP port (the vendor uses 1883); 0 = off (MQTT over WebSocket at /mqtt is always on)', default: 0 },
    maxCollections: { description: 'collections (tables) one domain may create (ours); past it 400', default: 500 },
    maxHeaderBytes: { description: 'request line + headers buffer in bytes (fasthttp ReadBufferSize); past it 431', default: 4096 },
  },
  migrate,
  parseFixtures,
  seed,
  start(ctx) {
    const store = new Store(ctx.handle);
    const signer = signerFor(ctx);
    const records = new Records(ctx.handle);
    const realtime = new Realtime(ctx, signer, records);
    const pages = new PageMemo(records);
    ctx.onReset(() => pages.clear());
    const services: Services = { ctx, store, records, signer, realtime, pages, nowIso: () => ctx.clock.now().toISOString() };
    // App-CorrelationID of injected faults' answers: a seeded stream of its own.
    const faultIds = ctx.rng.fork('fault-correlation-ids');
    return {
      api: apiApp(services),
      console: (admin) => machhubConsole(ctx as unknown as VendorContext, admin),
      admin: adminRoutes(services),
      tenants: () => store.domains.all().map((d) => ({ id: d.id, name: d.display_name, system: !!d.system })),
      resetTenant: (tenant, seeded) => resetTenant(services, tenant, seeded),
      createSandbox: (from) => createSandbox(ctx, store, from),
      deleteSandbox: (tenant) => deleteSandbox(ctx, tenant),
      attach: (server) => realtime.attach(server),
      close: () => realtime.close(),
      errorResponse: (status) => faultResponse(status, STATUS_CODES[status] ?? 'Error', faultIds.uuid()),
    };
  },
  demoCredentials(f) {
    return [
      ...f.users.map((u) => ({ label: `user (${Object.keys(u.groups).join(', ')})`, value: `username=${u.username} password=${u.password}` })),
      ...f.apiKeys.map((k) => ({ label: `API key (domains:${k.domain})`, value: `X-Machhub-Api-Key: ${k.key}` })),
    ];
  },
};
