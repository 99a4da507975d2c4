/** Named queries on users and their domains. */
import type { VendorDb } from '../../../core/db.js';
import { type UserRow } from './rows.js';

export class UserStore {
  constructor(private readonly h: VendorDb) {}

  byId(id: string): UserRow | undefined {
    return this.h.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  byName(username: string): UserRow | undefined {
    return this.h.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
  }

  /** `passwordHash` is a `scrypt$…` string from core/passwords.ts (hashed before the write transaction). */
  create(
    u: { id: string; username: string; passwordHash: string; firstName?: string; lastName?: string; email?: string; number?: string; userImage?: string | null },
    now: string,
  ): UserRow {
    this.h
      .prepare(
        `INSERT INTO users (id, username, password_hash, first_name, last_name, email, number, user_image, created_dt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.username, u.passwordHash, u.firstName ?? '', u.lastName ?? '', u.email ?? '', u.number ?? '', u.userImage ?? null, now);
    return this.byId(u.id)!;
  }

  addToDomain(userId: string, domainId: string): void {
    this.h.prepare('INSERT OR IGNORE INTO user_domains (user_id, domain_id) VALUES (?, ?)').run(userId, domainId);
  }

  inDomain(userId: string, domainId: string): boolean {
    return !!this.h.prepare('SELECT 1 FROM user_domains WHERE user_id = ? AND domain_id = ?').get(userId, domainId);
  }

  ofDomain(domainId: string): UserRow[] {
    return this.h
      .prepare('SELECT u.* FROM users u JOIN user_domains d ON d.user_id = u.id WHERE d.domain_id = ? ORDER BY u.created_dt, u.id')
      .all(domainId) as UserRow[];
  }

  domainsOf(userId: string): string[] {
    return (this.h.prepare('SELECT domain_id FROM user_domains WHERE user_id = ? ORDER BY domain_id').all(userId) as { domain_id: string }[]).map((r) => r.domain_id);
  }

  groupIdsOf(userId: string, domainId?: string): string[] {
    const rows = domainId
      ? this.h.prepare('SELECT group_id FROM group_users WHERE user_id = ? AND domain_id = ? ORDER BY group_id').all(userId, domainId)
      : this.h.prepare('SELECT group_id FROM group_users WHERE user_id = ? ORDER BY group_id').all(userId);
    return (rows as { group_id: string }[]).map((r) => r.group_id);
  }
}
