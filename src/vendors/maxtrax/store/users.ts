/** Named queries on users. */
import type { Statements } from './statements.js';
import type { Role } from '../model.js';
import type { UserRow } from './rows.js';

export interface NewUser {
  id: string; tenant: string; userName: string; passwordHash: string; role: Role; displayName: string; createdAt: number;
}

export class UserStore {
  constructor(private readonly sql: Statements) {}

  byName(tenant: string, userName: string): UserRow | undefined {
    return this.sql.prepare('SELECT * FROM users WHERE tenant = ? AND user_name = ?').get(tenant, userName) as
      | UserRow
      | undefined;
  }

  byId(tenant: string, id: string): UserRow | undefined {
    return this.sql.prepare('SELECT * FROM users WHERE tenant = ? AND id = ?').get(tenant, id) as UserRow | undefined;
  }

  byRole(tenant: string, role: Role): UserRow[] {
    return this.sql.prepare('SELECT * FROM users WHERE tenant = ? AND role = ? ORDER BY created_at, id').all(tenant, role) as UserRow[];
  }

  /** Every user of a tenant, oldest first (sandbox copies). */
  ofTenant(tenant: string): UserRow[] {
    return this.sql.prepare('SELECT * FROM users WHERE tenant = ? ORDER BY created_at, user_name').all(tenant) as UserRow[];
  }

  create(u: NewUser): UserRow {
    return this.sql
      .prepare(
        `INSERT INTO users (id, tenant, user_name, password_hash, role, display_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(u.id, u.tenant, u.userName, u.passwordHash, u.role, u.displayName, u.createdAt) as UserRow;
  }
}
