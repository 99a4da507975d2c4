/** Over real sockets through startFakes(): what a client outside the process sees. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakes, type RunningFakes } from '../../src/index.js';
import { demo } from '../trakrf/helpers.js';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({ vendors: ['trakrf'] });
});
afterAll(() => fakes.close());

const token = async (base: string) => {
  const res = await fetch(`${base}/api/v1/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: demo.full.client_id, client_secret: demo.full.client_secret }),
  });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ access_token: string; refresh_token: string }>;
};

describe('TrakRF over a real port', () => {
  it('resolves urls on free ports and serves the token → assets flow', async () => {
    const base = fakes.urls.trakrf;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const t = await token(base);
    const res = await fetch(`${base}/api/v1/assets?limit=2`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('120');
    expect((await res.json()).data).toHaveLength(2);
  });

  it('50 concurrent refreshes of one token over HTTP → exactly one 200', async () => {
    const base = fakes.urls.trakrf;
    const t = await token(base);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${base}/api/v1/oauth/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: t.refresh_token }),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(49);
  });

  it('the clock advanced on the control plane expires tokens; reset over HTTP', async () => {
    const base = fakes.urls.trakrf;
    const t = await token(base);
    await fetch(`${base}/__admin/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advance_seconds: 901 }) });
    const res = await fetch(`${base}/api/v1/orgs/me`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.detail).toBe('Invalid or expired token');
    await fetch(`${base}/__admin/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advance_seconds: -901 }) });
    expect((await fetch(`${base}/__admin/reset`, { method: 'POST' })).status).toBe(200);
  });

  it('a port in use is a clear error', async () => {
    const port = Number(new URL(fakes.urls.trakrf).port);
    await expect(startFakes({ vendors: ['trakrf'], ports: { trakrf: port } })).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: address already in use`);
  });
});

describe('--data-dir: one SQLite file per vendor (WAL), kept across restarts', () => {
  it('a database left without its seeded image (an interrupted first start) is seeded again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-data-'));
    try {
      writeFileSync(join(dir, 'trakrf.db'), 'not a database');
      const f = await startFakes({ vendors: ['trakrf'], dataDir: dir });
      expect((await token(f.urls.trakrf)).access_token).toBeTruthy();
      await f.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('persists state across a restart and still resets to the seeded image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-data-'));
    try {
      let f = await startFakes({ vendors: ['trakrf'], dataDir: dir });
      expect(existsSync(join(dir, 'trakrf.db'))).toBe(true);
      expect(existsSync(join(dir, 'trakrf.db-wal'))).toBe(true);
      const org = await (await fetch(`${f.urls.trakrf}/__admin/orgs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"Persisted"}' })).json();
      await f.close();
      f = await startFakes({ vendors: ['trakrf'], dataDir: dir });
      const tenants = (await (await fetch(`${f.urls.trakrf}/__admin`)).json()).tenants.map((t: any) => t.id);
      expect(tenants).toContain(org.id);
      await fetch(`${f.urls.trakrf}/__admin/reset`, { method: 'POST' });
      expect((await (await fetch(`${f.urls.trakrf}/__admin`)).json()).tenants.map((t: any) => t.id)).toEqual([1, 2]);
      expect((await token(f.urls.trakrf)).access_token).toBeTruthy();
      await f.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
