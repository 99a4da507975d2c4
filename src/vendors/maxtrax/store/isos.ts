/** Named queries on ISOs (drawings). */
import type { Statements } from './statements.js';
import type { ListIndex } from './lists.js';
import type { IsoRow, Page } from './rows.js';

export class IsoStore {
  constructor(
    private readonly sql: Statements,
    private readonly lists: ListIndex,
  ) {}

  list(tenant: string, offset: number, limit: number): Page<IsoRow> {
    return this.lists.page<IsoRow>({ table: 'isos', tenant }, offset, limit);
  }

  /** Walks the list's seek marks one bounded slice further; true once its pages are ready (see ListIndex.seek). */
  seek(tenant: string): boolean {
    return this.lists.seek({ table: 'isos', tenant });
  }

  get(tenant: string, id: string): IsoRow | undefined {
    return this.sql.prepare('SELECT * FROM isos WHERE tenant = ? AND id = ?').get(tenant, id) as IsoRow | undefined;
  }

  insert(row: Omit<IsoRow, 'seq'>): void {
    this.lists.clear();
    this.sql
      .prepare(
        `INSERT INTO isos (id, seq, tenant, iso_number, revision, line_number, area, test_package, created_at, updated_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM isos), ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, row.tenant, row.iso_number, row.revision, row.line_number, row.area, row.test_package, row.created_at, row.updated_at);
  }
}
