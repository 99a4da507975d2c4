/**
 * A domain's rows across the tables, as whole-domain operations: per-tenant reset from the seeded image (attached as
 * schema `seeded`), the copy a sandbox starts from, and the users that leave with a sandbox.
 */
import { copyRows, type Db, replaceRows, type VendorDb, withIdMap } from '../../../core/db.js';
import { DOMAIN_TABLES } from '../schema.js';
import { tableName } from './records.js';
import type { DomainRow } from './rows.js';
import { historianReady } from './tags.js';

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The domain's name, live or (failing that) in the seeded image, and whether the seeded image has it; undefined if neither. */
export function domainToReset(live: Db, seeded: string, id: string): { name: string; inSeed: boolean } | undefined {
  const inLive = live.prepare('SELECT name FROM domains WHERE id = ?').get(id) as { name: string } | undefined;
  const inSeed = live.prepare(`SELECT name FROM "${seeded}".domains WHERE id = ?`).get(id) as { name: string } | undefined;
  if (!inLive && !inSeed) return undefined;
  return { name: (inLive ?? inSeed)!.name, inSeed: !!inSeed };
}

/**
 * Historian rows are only ever appended (nothing updates or deletes one outside reset), so the seeded rows are still
 * in place with their rowids: dropping the domain's rows added since seeding restores it without rewriting thousands
 * of rows. If the seeded rows are not all there (should not happen), the rows are copied back in full.
 */
function resetHistorian(live: Db, seeded: string, id: string): void {
  const max = (live.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM "${seeded}".historian`).get() as { m: number }).m;
  live.prepare('DELETE FROM historian WHERE domain_id = ? AND rowid > ?').run(id, max);
  const have = (live.prepare('SELECT count(*) AS n FROM historian WHERE domain_id = ?').get(id) as { n: number }).n;
  const want = (live.prepare(`SELECT count(*) AS n FROM "${seeded}".historian WHERE domain_id = ?`).get(id) as { n: number }).n;
  if (have !== want) replaceRows(live, seeded, 'historian', 'domain_id = ?', [id]);
}

/** Per-tenant reset (in the caller's transaction): every row of the domain back to the seeded image. */
export function resetDomainRows(live: Db, seeded: string, id: string, { name, inSeed }: { name: string; inSeed: boolean }): void {
  // Collection tables: the seeded ones keep their table (rows copied back, no schema change, so prepared statements
  // stay valid); tables created since seeding are dropped.
  const seededCols = new Set((live.prepare(`SELECT name FROM "${seeded}".collections WHERE domain_id = ?`).all(id) as { name: string }[]).map((r) => r.name));
  const liveCols = (live.prepare('SELECT name FROM collections WHERE domain_id = ?').all(id) as { name: string }[]).map((r) => r.name);
  for (const c of liveCols) if (!seededCols.has(c)) live.exec(`DROP TABLE IF EXISTS "${tableName(name, c)}"`);
  // The domain row first (its ON DELETE CASCADE clears every dependent row), then groups, then the rest.
  if (inSeed) replaceRows(live, seeded, 'domains', 'id = ?', [id]);
  replaceRows(live, seeded, 'groups', 'domain_id = ?', [id]);
  for (const t of DOMAIN_TABLES) if (t !== 'historian') replaceRows(live, seeded, t, 'domain_id = ?', [id]);
  resetHistorian(live, seeded, id);
  replaceRows(live, seeded, 'collections', 'domain_id = ?', [id]);
  if (!inSeed) live.prepare('DELETE FROM domains WHERE id = ?').run(id);
  for (const c of seededCols) {
    const table = tableName(name, c);
    if (liveCols.includes(c)) live.exec(`DELETE FROM main."${table}"`);
    else live.exec(`CREATE TABLE IF NOT EXISTS main."${table}" (id TEXT PRIMARY KEY, data BLOB NOT NULL)`);
    live.exec(`INSERT INTO main."${table}" (id, data) SELECT id, data FROM "${seeded}"."${table}"`);
  }
}

/**
 * A sandbox's copy of `source` as domain `id` (`name`): groups (with features) and processes under new ids (`newKey`,
 * groups first), collections and their records (links rewritten to the copies' tables), files, tags; historian
 * points on first use (`historian_pending`).
 */
export function copyDomain(h: VendorDb, source: DomainRow, id: string, name: string, now: string, newKey: () => string): void {
  const db = h.db;
  db.prepare('INSERT INTO domains (id, name, display_name, system, created_dt) VALUES (?, ?, ?, 0, ?)').run(id, name, `${source.display_name} (${name})`, now);

  const groups = db.prepare('SELECT id FROM groups WHERE domain_id = ?').pluck().all(source.id) as string[];
  const processes = db.prepare('SELECT id FROM processes WHERE domain_id = ?').pluck().all(source.id) as string[];
  const pairs = [...groups.map((g) => [g, `groups:${newKey()}`] as const), ...processes.map((p) => [p, `processes:${newKey()}`] as const)];
  withIdMap(db, pairs, (mapped) => {
    const p = { from: source.id, to: id };
    copyRows(db, 'groups', 'domain_id = @from', { id: mapped('id'), domain_id: '@to' }, p);
    copyRows(db, 'group_features', 'domain_id = @from', { seq: 'NULL', group_id: mapped('group_id'), domain_id: '@to' }, p);
    copyRows(db, 'processes', 'domain_id = @from', { id: mapped('id'), domain_id: '@to' }, p);
    for (const table of ['collections', 'files', 'tags']) copyRows(db, table, 'domain_id = @from', { domain_id: '@to' }, p);
  });
  // Historian points are copied on the sandbox's first use of them (historianReady): a sandbox of a sandbox copies
  // its source's first.
  historianReady(h, source.id);
  db.prepare('INSERT INTO historian_pending (domain_id, source_id, max_rowid) SELECT ?, ?, coalesce(max(rowid), 0) FROM historian').run(id, source.id);
  // Records link to other records by table name ("<domain>.<collection>"): point the copies at the copies.
  for (const collection of db.prepare('SELECT name FROM collections WHERE domain_id = ?').pluck().all(id) as string[]) {
    const table = q(`${name}.${collection}`);
    db.exec(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, data BLOB NOT NULL)`);
    db.prepare(`INSERT INTO ${table} (id, data) SELECT id, jsonb(replace(json(data), ?, ?)) FROM ${q(`${source.name}.${collection}`)}`).run(
      `"${source.name}.`,
      `"${name}.`,
    );
  }
}

/** The sandbox's own users (members of no other domain) go with it. */
export function deleteDomainUsers(db: Db, domainId: string): void {
  db.prepare(
    `DELETE FROM users WHERE id IN (SELECT user_id FROM user_domains WHERE domain_id = @d)
       AND id NOT IN (SELECT user_id FROM user_domains WHERE domain_id <> @d)`,
  ).run({ d: domainId });
}
