/**
 * The MaintainX store: the named queries of each table over the vendor's one database (the only SQL of the vendor;
 * no HTTP here: plain values in, plain values out).
 */
import type { VendorContext } from '../../../core/vendor.js';
import { DeliveryStore } from './deliveries.js';
import { FileStore } from './files.js';
import { KeyStore } from './keys.js';
import { OrgStore } from './orgs.js';
import { RecordStore } from './records.js';
import type { Conn } from './rows.js';

export type * from './rows.js';
export { sortSpec, type Field, type Filter, type SortSpec } from './filters.js';
export type { ListOptions } from './records.js';
export type { KeyListing } from './keys.js';

export class Store implements Conn {
  readonly orgs = new OrgStore(this);
  readonly keys = new KeyStore(this);
  readonly records = new RecordStore(this);
  readonly files = new FileStore(this);
  readonly deliveries = new DeliveryStore(this);

  constructor(private readonly ctx: VendorContext<any>) {
    ctx.onReset(() => this.keys.clearCache());
  }

  /** The live connection (a reset or restore swaps it). */
  get handle() {
    return this.ctx.handle;
  }

  /** Rows changed on this connection so far: a cached read stays valid while this does not move. */
  changes(): number {
    return this.handle.totalChanges();
  }

  nowIso(): string {
    return this.ctx.clock.now().toISOString();
  }

  writing(): void {
    if (!this.handle.db.inTransaction) throw new Error('maintainx: record write outside a transaction');
  }
}
