/** Named queries on domains. */
import type { VendorDb } from '../../../core/db.js';
import type { Rng } from '../../../core/rng.js';
import { domainNameFrom, RESERVED_GROUPS, type DomainRow } from './rows.js';
import type { GroupStore } from './groups.js';

export class DomainStore {
  constructor(private readonly h: VendorDb, private readonly groups: GroupStore) {}

  byId(id: string): DomainRow | undefined {
    return this.h.prepare('SELECT * FROM domains WHERE id = ?').get(id) as DomainRow | undefined;
  }

  /** A domain's name (the per-request lookup: one column, no row object). */
  nameOf(id: string): string | undefined {
    return this.h.prepare('SELECT name FROM domains WHERE id = ?').pluck().get(id) as string | undefined;
  }

  all(): DomainRow[] {
    return this.h.prepare('SELECT * FROM domains ORDER BY created_dt, rowid').all() as DomainRow[];
  }

  create(display: string, now: string, rng: Rng, system = false): DomainRow {
    const name = domainNameFrom(display);
    const id = `domains:${name}`;
    this.h.prepare('INSERT INTO domains (id, name, display_name, system, created_dt) VALUES (?, ?, ?, ?, ?)').run(id, name, display, system ? 1 : 0, now);
    for (const g of RESERVED_GROUPS) this.groups.create(id, g, now, rng);
    return this.byId(id)!;
  }
}
