/**
 * Named queries behind the web console (console.ts): a domain's users, collections, records, tags and historian
 * series a page at a time, and the two deletions the vendor's console offers that the control plane has no route
 * for (a developer key, a user). Collection tables come in already checked and quoted by the caller.
 */
import type { VendorDb } from '../../../core/db.js';
import { sqlPage, type PageRequest } from '../../../core/console-spec.js';

type Row = Record<string, any>;

export class ConsoleQueries {
  constructor(private readonly h: VendorDb) {}

  /** Deletes a developer key of the domain; false when it has none by that id. */
  deleteKey(id: string, domainId: string): boolean {
    return this.h.db.prepare('DELETE FROM api_keys WHERE lookup_id = ? AND domain_id = ?').run(id, domainId).changes > 0;
  }

  users(domainId: string): Row[] {
    return this.h.db
      .prepare(
        `SELECT u.id, u.username, u.first_name, u.last_name, u.created_dt,
           (SELECT group_concat(g.name, ', ') FROM group_users gu JOIN groups g ON g.id = gu.group_id WHERE gu.user_id = u.id AND gu.domain_id = ud.domain_id) AS groups
         FROM users u JOIN user_domains ud ON ud.user_id = u.id WHERE ud.domain_id = ? ORDER BY u.username`,
      )
      .all(domainId) as Row[];
  }

  /** Deletes a user who is a member of the domain (users are global: their memberships go with them); false if none. */
  deleteUser(id: string, domainId: string): boolean {
    return this.h.transaction(() => {
      if (!this.h.db.prepare('SELECT 1 FROM user_domains WHERE user_id = ? AND domain_id = ?').get(id, domainId)) return false;
      this.h.db.prepare('DELETE FROM users WHERE id = ?').run(id);
      return true;
    });
  }

  collections(domainId: string, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(this.h.db, 'SELECT name, created_dt FROM collections WHERE domain_id = ? ORDER BY name', 'SELECT count(*) AS n FROM collections WHERE domain_id = ?', [domainId], req);
  }

  hasCollection(domainId: string, name: string): boolean {
    return this.h.db.prepare('SELECT 1 FROM collections WHERE domain_id = ? AND name = ?').get(domainId, name) !== undefined;
  }

  recordCount(quotedTable: string): number {
    return (this.h.db.prepare(`SELECT count(*) AS n FROM ${quotedTable}`).get() as { n: number }).n;
  }

  records(quotedTable: string, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(this.h.db, `SELECT id, json(data) AS data FROM ${quotedTable} ORDER BY id`, `SELECT count(*) AS n FROM ${quotedTable}`, [], req);
  }

  tags(domainId: string, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(
      this.h.db,
      `SELECT t.topic, t.historized, (SELECT count(*) FROM historian h WHERE h.domain_id = t.domain_id AND h.topic = t.topic) AS points
       FROM tags t WHERE t.domain_id = ? ORDER BY t.topic`,
      'SELECT count(*) AS n FROM tags WHERE domain_id = ?',
      [domainId],
      req,
    );
  }

  firstTopic(domainId: string): string | undefined {
    return (this.h.db.prepare('SELECT topic FROM tags WHERE domain_id = ? ORDER BY topic LIMIT 1').get(domainId) as { topic: string } | undefined)?.topic;
  }

  /** A topic's historian points, newest first. */
  historian(domainId: string, topic: string, req: PageRequest): { rows: Row[]; total: number } {
    return sqlPage(
      this.h.db,
      'SELECT ts, value FROM historian WHERE domain_id = ? AND topic = ? ORDER BY ts DESC, rowid DESC',
      'SELECT count(*) AS n FROM historian WHERE domain_id = ? AND topic = ?',
      [domainId, topic],
      req,
    );
  }
}
