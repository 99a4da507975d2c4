/** Reset of a --data-dir database: back to the `.seeded` file beside it (not an image held in memory), after a restart too. */
import { expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Suite } from '../../src/suite.js';

const addOrg = (s: Suite, name: string) =>
  s.app('trakrf').request('/__admin/orgs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });

it('a data-dir suite resets to its seeded state, before and after a restart, whole and per tenant', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-reset-'));
  let s = new Suite({ vendors: ['trakrf'], dataDir: dir });
  try {
    const count = () => s.instance('trakrf').ctx.handle.db.prepare('SELECT count(*) FROM orgs').pluck().get() as number;
    const seeded = count();
    expect((await addOrg(s, 'x')).status).toBe(201);
    expect(count()).toBe(seeded + 1);
    s.instance('trakrf').reset();
    expect(count()).toBe(seeded);
    expect((await addOrg(s, 'y')).status).toBe(201);
    s.close();

    s = new Suite({ vendors: ['trakrf'], dataDir: dir });
    expect(s.instance('trakrf').seededFrom).toBe('data-dir');
    expect(count()).toBe(seeded + 1);
    expect(s.instance('trakrf').reset('1')).toBe(true);
    s.instance('trakrf').reset();
    expect(count()).toBe(seeded);
    expect(statSync(join(dir, 'trakrf.db')).mode & 0o777).toBe(0o600);
    expect(s.instance('trakrf').ctx.handle.seededImage()!.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
