/**
 * A sandbox shares its source org's scan history until scans are written to either of them (issue 13 §4: creating a
 * sandbox must not copy every scan). While linked, the sandbox's scans are the source's rows with asset and location
 * ids mapped to the sandbox's copies (`sandbox_ids`); the first scan write to the sandbox or to its source copies
 * them for real (`materialize`, inside that write's transaction), so neither side ever sees the other's writes and
 * every answer equals the one a full copy gives.
 */
import type { VendorDb } from '../../../core/db.js';
import { SCAN_LINK_TABLES, logScansWritten } from '../schema.js';

const LINKS = 'sandbox_scan_links';
const IDS = 'sandbox_ids';

function exists(h: VendorDb): boolean {
  return h.prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = '${LINKS}'`).get() !== undefined;
}

/** The org whose scan rows `org` reads (its source while linked), and whether ids go through the map. */
export function scanSource(h: VendorDb, org: number): { org: number; linked: boolean } {
  if (!exists(h)) return { org, linked: false };
  const source = h.prepare(`SELECT source FROM ${LINKS} WHERE org = ?`).pluck().get(org) as number | undefined;
  return source === undefined ? { org, linked: false } : { org: source, linked: true };
}

/** SQL: the sandbox's id for a source id held in `column` (NULL stays NULL); `orgParam` names the sandbox org. */
export const mappedId = (orgParam: string, column: string): string => `(SELECT new FROM ${IDS} WHERE org = ${orgParam} AND old = ${column})`;

/** The source's id of a linked sandbox's asset or location (null for one created in the sandbox). */
export function sourceId(h: VendorDb, org: number, id: number): number | null {
  return (h.prepare(`SELECT old FROM ${IDS} WHERE org = ? AND new = ?`).pluck().get(org, id) as number | undefined) ?? null;
}

/**
 * Links a new sandbox `org` to the scans of `from`, whose ids map to the sandbox's through `idmap` (a table of
 * old → new pairs). A sandbox of a linked sandbox links to the same rows through both maps.
 */
export function link(h: VendorDb, org: number, from: number, idmap: string): void {
  h.db.exec(SCAN_LINK_TABLES);
  const up = scanSource(h, from);
  if (up.linked) {
    h.prepare(`INSERT INTO ${IDS} (org, old, new) SELECT ?, m.old, i.new FROM ${IDS} m JOIN ${idmap} i ON i.old = m.new WHERE m.org = ?`).run(org, from);
  } else {
    h.prepare(`INSERT INTO ${IDS} (org, old, new) SELECT ?, old, new FROM ${idmap}`).run(org);
  }
  h.prepare(`INSERT INTO ${LINKS} (org, source) VALUES (?, ?)`).run(org, up.org);
}

/** Copies a linked sandbox's scans for real and unlinks it. */
function materialize(h: VendorDb, org: number, source: number): void {
  h.prepare(
    `INSERT INTO scans (org_id, asset_id, observed_at, location_id, first_at)
     SELECT @org, m.new, s.observed_at, ${mappedId('@org', 's.location_id')}, s.first_at
     FROM scans s JOIN ${IDS} m ON m.org = @org AND m.old = s.asset_id WHERE s.org_id = @source`,
  ).run({ org, source });
  logScansWritten(h.db, org, 0);
  h.prepare(`DELETE FROM ${LINKS} WHERE org = ?`).run(org);
  h.prepare(`DELETE FROM ${IDS} WHERE org = ?`).run(org);
}

/** Before scans of `org` are written: `org` and every sandbox reading its rows get their own copies. */
export function beforeScanWrite(h: VendorDb, org: number): void {
  if (!exists(h)) return;
  const own = h.prepare(`SELECT source FROM ${LINKS} WHERE org = ?`).pluck().get(org) as number | undefined;
  if (own !== undefined) materialize(h, org, own);
  materializeDependents(h, org);
}

/**
 * Before a per-tenant reset of `org`: its own link goes (a sandbox being reset is removed; a demo org is never
 * linked), and when its scans are about to change, the sandboxes reading them get their own copies first.
 */
export function beforeTenantReset(h: VendorDb, org: number, scansChange: boolean): void {
  if (!exists(h)) return;
  h.prepare(`DELETE FROM ${LINKS} WHERE org = ?`).run(org);
  h.prepare(`DELETE FROM ${IDS} WHERE org = ?`).run(org);
  if (scansChange) materializeDependents(h, org);
}

function materializeDependents(h: VendorDb, source: number): void {
  for (const dep of h.prepare(`SELECT org FROM ${LINKS} WHERE source = ?`).pluck().all(source) as number[]) materialize(h, dep, source);
}

/** SQL: a relation with the scans table's columns holding `org`'s scans, linked or not (the web console's tables). */
export function orgScans(h: VendorDb, org: number): string {
  const source = Number.isSafeInteger(org) ? scanSource(h, org) : { org, linked: false };
  if (!source.linked) return 'scans';
  return `(SELECT ${org} AS org_id, m.new AS asset_id, s.observed_at, ${mappedId(String(org), 's.location_id')} AS location_id, s.first_at
           FROM scans s JOIN ${IDS} m ON m.org = ${org} AND m.old = s.asset_id WHERE s.org_id = ${source.org})`;
}
