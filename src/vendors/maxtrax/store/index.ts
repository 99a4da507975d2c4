/** The MaxTrax store: the named queries of each table over one database, and the memos kept exact with them. */
import type { VendorDb } from '../../../core/db.js';
import { InspectionStore } from './inspections.js';
import { IsoStore } from './isos.js';
import { ListIndex } from './lists.js';
import { Statements } from './statements.js';
import { TenantStore } from './tenants.js';
import { UserStore } from './users.js';
import { WeldStore } from './welds.js';

export type * from './rows.js';
export type { WeldFilter } from './welds.js';

export class MaxtraxStore {
  readonly tenants: TenantStore;
  readonly users: UserStore;
  readonly isos: IsoStore;
  readonly welds: WeldStore;
  readonly inspections: InspectionStore;
  private readonly lists: ListIndex;
  private readonly clearHooks: Array<() => void> = [];

  private readonly sql: Statements;

  constructor(private readonly handle: VendorDb) {
    const sql = (this.sql = new Statements(handle));
    this.lists = new ListIndex(sql);
    this.tenants = new TenantStore(sql);
    this.users = new UserStore(sql);
    this.isos = new IsoStore(sql, this.lists);
    this.welds = new WeldStore(sql, this.lists);
    this.inspections = new InspectionStore(sql);
  }

  /**
   * Rows written on this connection so far (any table): a memo of a read taken at one value is exact while it holds.
   * Writes that replace rows wholesale (reset, restore, sandbox copies) also call clearCache.
   */
  changes(): number {
    return this.sql.changes();
  }

  /** Drops every memo: the store's list totals and marks, tenant rows, and whatever registered with onClear. */
  clearCache(): void {
    this.lists.clear();
    this.tenants.clearCache();
    for (const fn of this.clearHooks) fn();
  }

  onClear(fn: () => void): void {
    this.clearHooks.push(fn);
  }

  /** Runs fn in one transaction; a failed one drops the memos it may have adjusted. */
  transaction<T>(fn: () => T): T {
    try {
      return this.handle.transaction(fn);
    } catch (err) {
      this.clearCache();
      throw err;
    }
  }
}
