/** Named queries on `orgs`. */
import type { VendorDb } from '../../../core/db.js';
import type { OrgRow } from './rows.js';

export class OrgStore {
  constructor(private readonly h: VendorDb) {}

  insert(name: string, subscriptionActive: boolean, now: number): OrgRow {
    return this.h
      .prepare('INSERT INTO orgs (name, subscription_active, created_at) VALUES (?, ?, ?) RETURNING *')
      .get(name, subscriptionActive ? 1 : 0, now) as OrgRow;
  }

  get(id: number): OrgRow | undefined {
    return this.h.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
  }

  all(): OrgRow[] {
    return this.h.prepare('SELECT * FROM orgs ORDER BY id').all() as OrgRow[];
  }

  setSubscription(id: number, active: boolean): void {
    this.h.prepare('UPDATE orgs SET subscription_active = ? WHERE id = ?').run(active ? 1 : 0, id);
  }
}
