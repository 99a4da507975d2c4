/**
 * A --data-dir across restarts of the real CLI (clean stop and kill -9): ids drawn after a restart never collide
 * with stored ones, one process at a time, and the seed that is in effect is the one printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, startCli, type RunningCli } from './cli-helpers.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vf-data-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ALL = ['maxtrax', 'trakrf', 'machhub', 'maintainx'];
const run = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** One write per server-generated id kind, per vendor; returns the new ids (each call must succeed). */
async function writeEverywhere(cli: RunningCli, round: number): Promise<string[]> {
  const { maxtrax, trakrf, machhub, maintainx } = cli.urls;
  const ids: string[] = [];
  const ok = (r: { status: number; json: any }, what: string) => {
    expect(r.status, `${what}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
    return r.json;
  };
  // MaxTrax: a user (POST /__admin/users) and an inspection (PATCH /welds/{id}/status: a repeated inspection id is a 500).
  ids.push('maxtrax user ' + ok(await call(`${maxtrax}/__admin/users`, 'POST', { tenant: 'acme', userName: `restart-${round}@acme.example`, password: 'Restart-2026!', role: 'inspector' }), 'maxtrax user').id);
  const login = ok(await call(`${maxtrax}/auth/login`, 'POST', { userName: 'ada.admin@acme.example', password: 'Admin-2026!' }), 'maxtrax login');
  const auth = { Authorization: `Bearer ${login.accessToken}` };
  const pending = ok(await call(`${maxtrax}/welds?status=PENDING&pageSize=1`, 'GET', undefined, auth), 'maxtrax welds');
  const weld = (Array.isArray(pending) ? pending : pending.items)[0];
  const patched = ok(await call(`${maxtrax}/welds/${weld.id}/status`, 'PATCH', { status: 'VOIDED', reason: `restart ${round}` }, auth), 'maxtrax weld status');
  expect(patched.status).toBe('VOIDED');
  // TrakRF: an API key (client_id).
  ids.push('trakrf key ' + ok(await call(`${trakrf}/__admin/api-keys`, 'POST', { org_id: 1, name: `restart ${round}`, scopes: ['assets:read'] }), 'trakrf api key').client_id);
  // MACHHUB: a record without an id, and a user.
  ids.push('machhub record ' + ok(await call(`${machhub}/machhub/restarts`, 'POST', { round }, { Domain: 'domains:acme' }), 'machhub record').id.ID);
  ids.push('machhub user ' + JSON.stringify(ok(await call(`${machhub}/__admin/users`, 'POST', { username: `restart${round}`, password: 'Restart-2026!' }), 'machhub user').id));
  // MaintainX: an organization and a user.
  ids.push('maintainx org ' + String(ok(await call(`${maintainx}/__admin/organizations`, 'POST', { name: `Restart ${round}` }), 'maintainx org').id));
  ids.push('maintainx user ' + String(ok(await call(`${maintainx}/__admin/users`, 'POST', { organization_id: 1, firstName: 'Re', lastName: `Start ${round}` }), 'maintainx user').id));
  return ids;
}

describe('--data-dir across restarts (real CLI)', () => {
  it('every id drawn after a clean restart or a kill -9 is new; the next start records the previous ones', async () => {
    const dir = tempDir();
    const seen = new Set<string>();
    const record = (ids: string[]) => {
      for (const id of ids) {
        expect(seen.has(id), `id ${id} repeated`).toBe(false);
        seen.add(id);
      }
    };
    let cli = await startCli(['--data-dir', dir, '--quiet'], ALL);
    record(await writeEverywhere(cli, 1));
    expect(await cli.stop('SIGTERM')).toBe(0);
    cli = await startCli(['--data-dir', dir, '--quiet'], ALL);
    record(await writeEverywhere(cli, 2));
    await cli.stop('SIGKILL');
    cli = await startCli(['--data-dir', dir, '--quiet'], ALL);
    record(await writeEverywhere(cli, 3));
    // The writes of every round are still there.
    expect((await call(`${cli.urls.machhub}/machhub/restarts/count`, 'GET', undefined, { Domain: 'domains:acme' })).json).toEqual({ count: 3 });
    expect((await call(`${cli.urls.trakrf}/__admin/api-keys?org_id=1`, 'GET')).json.filter((k: { name: string }) => k.name.startsWith('restart'))).toHaveLength(3);
    await cli.stop('SIGKILL');
    expect(JSON.parse(readFileSync(join(dir, 'vendor-fakes.json'), 'utf8'))).toEqual({ seed: 42, starts: 3 });
  }, 180_000);

  it('a second CLI on the same data dir exits 1 with one line; after kill -9 of the first a new start works', async () => {
    const dir = tempDir();
    const first = await startCli(['--data-dir', dir, '--quiet'], ['trakrf']);
    const second = run(['--vendors', 'trakrf', '--trakrf-port', '0', '--data-dir', dir]);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(`vendor-fakes: ${dir} is in use by another vendor-fakes process (pid ${first.child.pid}); stop it or use another --data-dir\n`);
    await first.stop('SIGKILL');
    const third = await startCli(['--data-dir', dir, '--quiet'], ['trakrf']);
    expect((await call(`${third.urls.trakrf}/healthz`, 'GET')).status).toBe(200);
    expect(await third.stop('SIGTERM')).toBe(0);
  }, 120_000);

  it('--seed N on a data dir seeded with another seed → one line, exit 1; without --seed the stored seed is used and printed', async () => {
    const dir = tempDir();
    let cli = await startCli(['--data-dir', dir, '--quiet', '--seed', '7'], ['trakrf']);
    expect(cli.out()).toContain(`ready (seed 7, data in ${dir})`);
    await cli.stop();
    const refused = run(['--vendors', 'trakrf', '--trakrf-port', '0', '--data-dir', dir, '--seed', '8']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`vendor-fakes: ${dir} holds data seeded with --seed 7; start with --seed 7 (or without --seed), or use another --data-dir\n`);
    cli = await startCli(['--data-dir', dir, '--quiet'], ['trakrf']);
    expect(cli.out()).toContain(`ready (seed 7, data in ${dir})`);
    await cli.stop();
    cli = await startCli(['--data-dir', dir, '--quiet', '--seed', '7'], ['trakrf']);
    expect(cli.out()).toContain(`ready (seed 7, data in ${dir})`);
    await cli.stop();
  }, 120_000);

  it('a data dir whose schema is not this version\'s (an older build) → one line, exit 1, nothing served from it', async () => {
    const dir = tempDir();
    const cli = await startCli(['--data-dir', dir, '--quiet'], ['trakrf']);
    await cli.stop();
    // What an older build left: one of this version's indexes missing.
    const db = new Database(join(dir, 'trakrf.db'));
    const index = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name LIMIT 1").pluck().get() as string;
    db.exec(`DROP INDEX "${index}"`);
    db.close();
    const refused = run(['--vendors', 'trakrf', '--trakrf-port', '0', '--data-dir', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `vendor-fakes: trakrf: ${dir} was written by another version of vendor-fakes (its index ${index} is not this version's); delete the folder, or use another --data-dir, to start from the seeded state\n`,
    );
  }, 120_000);
});
