/** Named queries on tenants. */
import { copyRows, replaceRows, withIdMap } from '../../../core/db.js';
import type { Statements } from './statements.js';
import { TENANT_TABLES } from '../schema.js';
import type { TenantRow } from './rows.js';

/** Tenant rows kept between writes (every API request reads its tenant's). */
const MAX_CACHED = 1024;

export class TenantStore {
  /** Rows by id, valid while the connection's change count stands still (any write, even rolled back, moves it). */
  private readonly cached = new Map<string, TenantRow>();
  private cachedAt = -1;

  constructor(private readonly sql: Statements) {}

  get(id: string): TenantRow | undefined {
    const changes = this.sql.changes();
    if (changes !== this.cachedAt) {
      this.cached.clear();
      this.cachedAt = changes;
    }
    let row = this.cached.get(id);
    if (!row) {
      row = this.sql.prepare('SELECT * FROM tenants WHERE id = ?').get(id) as TenantRow | undefined;
      if (row) {
        if (this.cached.size >= MAX_CACHED) this.cached.clear();
        this.cached.set(id, row);
      }
    }
    return row;
  }

  /** A new connection (reset, restore) may count changes from where the old one stood. */
  clearCache(): void {
    this.cached.clear();
    this.cachedAt = -1;
  }

  all(): TenantRow[] {
    return this.sql.prepare('SELECT * FROM tenants ORDER BY id').all() as TenantRow[];
  }

  create(id: string, name: string, createdAt: number): TenantRow {
    return this.sql
      .prepare('INSERT INTO tenants (id, name, ready, created_at) VALUES (?, ?, 1, ?) RETURNING *')
      .get(id, name, createdAt) as TenantRow;
  }

  setReady(id: string, ready: boolean): TenantRow | undefined {
    return this.sql.prepare('UPDATE tenants SET ready = ? WHERE id = ? RETURNING *').get(ready ? 1 : 0, id) as
      | TenantRow
      | undefined;
  }

  counts(tenant: string): { users: number; isos: number; welds: number } {
    const one = (sql: string) => (this.sql.prepare(sql).get(tenant) as { n: number }).n;
    return {
      users: one('SELECT COUNT(*) AS n FROM users WHERE tenant = ?'),
      isos: one('SELECT COUNT(*) AS n FROM isos WHERE tenant = ?'),
      welds: one('SELECT COUNT(*) AS n FROM welds WHERE tenant = ?'),
    };
  }

  /**
   * Per-tenant reset: the tenant's rows of every table back to those of the seeded image (attached as `seeded`).
   * False when the tenant is in neither.
   */
  resetFromSeeded(tenant: string, seeded: string): boolean {
    const db = this.sql.handle.db;
    const live = this.sql.prepare('SELECT 1 FROM tenants WHERE id = ?').get(tenant);
    const before = db.prepare(`SELECT 1 FROM "${seeded}".tenants WHERE id = ?`).get(tenant);
    if (!live && !before) return false;
    for (const { table, column } of TENANT_TABLES) this.sql.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(tenant);
    for (const { table, column } of [...TENANT_TABLES].reverse()) replaceRows(db, seeded, table, `${column} = ?`, [tenant]);
    return true;
  }

  /** Ids of the tenant's ISOs, welds and inspections (a sandbox maps each to a new one). */
  dataIds(tenant: string): string[] {
    return this.sql
      .prepare('SELECT id FROM isos WHERE tenant = @t UNION ALL SELECT id FROM welds WHERE tenant = @t UNION ALL SELECT id FROM inspections WHERE tenant = @t')
      .pluck()
      .all({ t: tenant }) as string[];
  }

  /**
   * Copies `from`'s ISOs, welds and inspections to `to` under new ids (`ids`: old → new, covering every row id and
   * every user id they refer to), after every existing seq.
   */
  copyData(from: string, to: string, ids: ReadonlyArray<readonly [string, string]>): void {
    const db = this.sql.handle.db;
    const maxSeq = (table: string) => this.sql.prepare(`SELECT COALESCE(MAX(seq), 0) FROM ${table}`).pluck().get() as number;
    withIdMap(db, ids, (mapped) => {
      const p = { from, to };
      copyRows(db, 'isos', 'tenant = @from', { id: mapped('id'), tenant: '@to', seq: `seq + ${maxSeq('isos')}` }, p);
      copyRows(db, 'welds', 'tenant = @from', { id: mapped('id'), tenant: '@to', seq: `seq + ${maxSeq('welds')}`, iso_id: mapped('iso_id'), welder_id: mapped('welder_id') }, p);
      copyRows(db, 'inspections', 'tenant = @from', { id: mapped('id'), tenant: '@to', seq: `seq + ${maxSeq('inspections')}`, weld_id: mapped('weld_id'), inspector_id: mapped('inspector_id') }, p);
    });
  }
}
