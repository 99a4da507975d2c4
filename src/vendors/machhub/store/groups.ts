/** Named queries on groups, their features and members. */
import type { VendorDb } from '../../../core/db.js';
import type { Rng } from '../../../core/rng.js';
import { newKey, type Feature } from './rows.js';
import type { UserStore } from './users.js';

export class GroupStore {
  constructor(private readonly h: VendorDb, private readonly users: UserStore) {}

  create(domainId: string, name: string, now: string, rng: Rng, id = `groups:${newKey(rng)}`): string {
    this.h.prepare('INSERT INTO groups (id, domain_id, name, created_dt) VALUES (?, ?, ?, ?)').run(id, domainId, name, now);
    return id;
  }

  byId(id: string): { id: string; domain_id: string; name: string; created_dt: string } | undefined {
    return this.h.prepare('SELECT * FROM groups WHERE id = ?').get(id) as any;
  }

  byName(domainId: string, name: string): { id: string; domain_id: string; name: string } | undefined {
    return this.h.prepare('SELECT * FROM groups WHERE domain_id = ? AND lower(name) = lower(?)').get(domainId, name) as any;
  }

  ofDomain(domainId: string): { id: string; name: string; created_dt: string }[] {
    return this.h.prepare('SELECT * FROM groups WHERE domain_id = ? ORDER BY created_dt, id').all(domainId) as any;
  }

  features(groupId: string): Feature[] {
    return this.h.prepare('SELECT name, action, scope FROM group_features WHERE group_id = ? ORDER BY seq').all(groupId) as Feature[];
  }

  userIds(groupId: string): string[] {
    return (this.h.prepare('SELECT user_id FROM group_users WHERE group_id = ? ORDER BY user_id').all(groupId) as { user_id: string }[]).map((r) => r.user_id);
  }

  addFeature(groupId: string, domainId: string, f: Feature): void {
    this.h.prepare('INSERT OR IGNORE INTO group_features (group_id, domain_id, name, action, scope) VALUES (?, ?, ?, ?, ?)').run(groupId, domainId, f.name, f.action, f.scope);
  }

  addUser(groupId: string, userId: string, domainId: string): void {
    this.h.prepare('INSERT OR IGNORE INTO group_users (group_id, user_id, domain_id) VALUES (?, ?, ?)').run(groupId, userId, domainId);
    this.users.addToDomain(userId, domainId);
  }

  /** Whether the user is in the reserved `superuser` group of the domain. */
  isSuperuser(userId: string, domainId: string): boolean {
    return !!this.h
      .prepare(`SELECT 1 FROM group_users gu JOIN groups g ON g.id = gu.group_id WHERE gu.user_id = ? AND g.domain_id = ? AND lower(g.name) = 'superuser'`)
      .get(userId, domainId);
  }

  /** The user's features inherited from every group they hold in that domain (only that domain). */
  userFeatures(userId: string, domainId: string): Feature[] {
    return this.h
      .prepare(
        `SELECT DISTINCT f.name, f.action, f.scope FROM group_features f JOIN group_users gu ON gu.group_id = f.group_id
         WHERE gu.user_id = ? AND f.domain_id = ? ORDER BY f.name, f.action, f.scope`,
      )
      .all(userId, domainId) as Feature[];
  }
}
