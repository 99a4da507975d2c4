/** --export-on-exit DIR writes each vendor's state and snapshots on SIGTERM; --import DIR starts from them. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, startCli } from './cli-helpers.js';
import { Suite } from '../../src/suite.js';
import { adminCall as admin } from '../support/admin.js';


describe('vendor-fakes --export-on-exit / --import', () => {
  it('round-trips the state and the saved snapshots through a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-export-'));
    try {
      let cli = await startCli(['--quiet', '--export-on-exit', dir], ['trakrf']);
      let url = cli.urls.trakrf;
      expect((await admin(url, 'POST', '/orgs', { name: 'Exported Org' })).status).toBe(201);
      expect((await admin(url, 'POST', '/snapshots', { name: 'with-org' })).status).toBe(201);
      expect((await admin(url, 'POST', '/orgs', { name: 'Second Org' })).status).toBe(201);
      expect(await cli.stop('SIGTERM')).toBe(0);
      expect(cli.out()).toContain(`state and snapshots written to ${dir}`);
      expect(readdirSync(dir).sort()).toEqual(['trakrf', 'trakrf.sqlite']);
      expect(readdirSync(join(dir, 'trakrf'))).toEqual(['with-org.sqlite']);
      expect(statSync(join(dir, 'trakrf.sqlite')).mode & 0o777).toBe(0o600);

      cli = await startCli(['--quiet', '--import', dir], ['trakrf']);
      url = cli.urls.trakrf;
      try {
        const names = (await admin(url, 'GET', '')).body.tenants.map((t: { name: string }) => t.name);
        expect(names).toEqual(expect.arrayContaining(['Exported Org', 'Second Org']));
        expect((await admin(url, 'GET', '/snapshots')).body.snapshots.map((s: { name: string }) => s.name)).toEqual(['with-org']);
        await admin(url, 'POST', '/snapshots/with-org/restore');
        const after = (await admin(url, 'GET', '')).body.tenants.map((t: { name: string }) => t.name);
        expect(after).toContain('Exported Org');
        expect(after).not.toContain('Second Org');
        // Rows created after an import get fresh ids (no clash with the imported ones).
        expect((await admin(url, 'POST', '/orgs', { name: 'Third Org' })).status).toBe(201);
      } finally {
        await cli.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a directory that is missing or holds a foreign file, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-import-'));
    try {
      const run = (args: string[]) => spawnSync(process.execPath, [...CLI, '--vendors', 'trakrf', '--trakrf-port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
      let r = run(['--import', join(dir, 'nope')]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`vendor-fakes: --import ${join(dir, 'nope')}: not a directory`);
      writeFileSync(join(dir, 'trakrf.sqlite'), 'not a database at all'.repeat(50));
      r = run(['--import', dir]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(
        `vendor-fakes: --import: ${join(dir, 'trakrf.sqlite')}: not a SQLite database: the file does not start with the SQLite header ("SQLite format 3")`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Suite({importDir}) does the same in-process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-import-'));
    try {
      const a = new Suite({ vendors: ['maxtrax'] });
      a.instance('maxtrax').snapshots.save('one');
      a.exportSnapshots(dir);
      a.close();
      expect(existsSync(join(dir, 'maxtrax', 'one.sqlite'))).toBe(true);
      const b = new Suite({ vendors: ['maxtrax'], importDir: dir });
      expect(b.instance('maxtrax').snapshots.list().map((s) => s.name)).toEqual(['one']);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
