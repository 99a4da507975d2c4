/**
 * Queries assets and locations share: rows by id or by live external_key, inserts and updates, the highest
 * auto-minted key number, renames.
 */
import type { VendorDb } from '../../../core/db.js';
import type { KeyedRow } from './rows.js';

type Table = 'assets' | 'locations';

/**
 * MAX numeric suffix over live `PREFIX-<digits>` keys. The literals match the partial expression indexes
 * assets_key_seq / locations_key_seq, named with INDEXED BY so this stays a lookup of the index's last entry
 * whatever the statistics (without any, SQLite walked the org's rows).
 */
const MAX_KEY_NUMBER: Record<Table, string> = {
  assets: `SELECT MAX(CAST(substr(external_key, 7) AS INTEGER)) AS n FROM assets INDEXED BY assets_key_seq
           WHERE org_id = ? AND deleted_at IS NULL AND external_key GLOB 'ASSET-[0-9]*' AND substr(external_key, 7) NOT GLOB '*[^0-9]*'`,
  locations: `SELECT MAX(CAST(substr(external_key, 5) AS INTEGER)) AS n FROM locations INDEXED BY locations_key_seq
           WHERE org_id = ? AND deleted_at IS NULL AND external_key GLOB 'LOC-[0-9]*' AND substr(external_key, 5) NOT GLOB '*[^0-9]*'`,
};

export class KeyedStore<R extends KeyedRow> {
  constructor(
    protected readonly h: VendorDb,
    private readonly table: Table,
  ) {}

  /** A live row of the org (validity window ignored), or undefined. */
  get(orgId: number, id: number): R | undefined {
    return this.h.prepare(`SELECT * FROM ${this.table} WHERE id = ? AND org_id = ? AND deleted_at IS NULL`).get(id, orgId) as R | undefined;
  }

  /** Any row with this id, deleted or not, of any org (the holder of a tag). */
  byId(id: number): R | undefined {
    return this.h.prepare(`SELECT * FROM ${this.table} WHERE id = ?`).get(id) as R | undefined;
  }

  /**
   * The live row holding `key` in the org (at most one: the `<table>_live_key` unique index). INDEXED BY: with stale
   * statistics SQLite walked every live row of the org instead, making each write O(org).
   */
  liveByKey(orgId: number, key: string): R | undefined {
    return this.h
      .prepare(`SELECT * FROM ${this.table} INDEXED BY ${this.table}_live_key WHERE org_id = ? AND external_key = ? AND deleted_at IS NULL`)
      .get(orgId, key) as R | undefined;
  }

  /** The highest number of a live auto-minted key (`ASSET-0007` → 7), 0 when there is none. */
  maxKeyNumber(orgId: number): number {
    return (this.h.prepare(MAX_KEY_NUMBER[this.table]).get(orgId) as { n: number | null }).n ?? 0;
  }

  /** Inserts a new row (every column; deleted_at only when it is born deleted, as some seeded rows are). */
  insert(row: Omit<R, 'deleted_at'> & { deleted_at?: number | null }): void {
    const columns = Object.keys(row);
    this.h
      .prepare(`INSERT INTO ${this.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...Object.values(row));
  }

  /** Sets the given columns of one row. */
  update(id: number, set: Partial<Omit<R, 'id' | 'org_id' | 'created_at' | 'deleted_at'>>): void {
    const columns = Object.keys(set);
    this.h.prepare(`UPDATE ${this.table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(set), id);
  }

  setKey(id: number, key: string, updatedAt: number): void {
    this.h.prepare(`UPDATE ${this.table} SET external_key = ?, updated_at = ? WHERE id = ?`).run(key, updatedAt, id);
  }
}
