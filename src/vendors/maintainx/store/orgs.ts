/** Named queries on organizations (the tenants), including the per-tenant reset of every table they own. */
import { replaceRows } from '../../../core/db.js';
import { ORG_TABLES } from '../schema.js';
import type { Conn, Org } from './rows.js';

export class OrgStore {
  constructor(private readonly conn: Conn) {}

  private get h() {
    return this.conn.handle;
  }

  create(o: { id?: number; name: string; timeZone?: string; currency?: string | null; dateFormatLocale?: string | null }): Org {
    const id =
      o.id ??
      ((this.h.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS n FROM organizations').get() as { n: number }).n);
    this.h
      .prepare(
        `INSERT INTO organizations (id, name, time_zone, currency, date_format_locale, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, o.name, o.timeZone ?? 'Etc/UTC', o.currency ?? 'USD', o.dateFormatLocale ?? 'en-US', this.conn.nowIso());
    return this.get(id)!;
  }

  get(id: number): Org | null {
    const r = this.h.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as any;
    return r ? toOrg(r) : null;
  }

  all(): Org[] {
    return (this.h.prepare('SELECT * FROM organizations ORDER BY id').all() as any[]).map(toOrg);
  }

  /** The organizations among `ids` after `afterId`, by id (one page of GET /organizations). */
  page(ids: number[], afterId: number, limit: number): Org[] {
    if (ids.length === 0) return [];
    return (
      this.h
        .prepare(
          `SELECT * FROM organizations WHERE id IN (SELECT value FROM json_each(?)) AND id > ? ORDER BY id LIMIT ?`,
        )
        .all(JSON.stringify(ids), afterId, limit) as any[]
    ).map(toOrg);
  }

  /**
   * Per-tenant reset: the organization's rows back from the attached seeded image (schema `seeded`), or the
   * organization and its key links gone when it was not seeded (a sandbox). False when neither exists.
   */
  reset(id: number, seeded: string): boolean {
    const db = this.h.db;
    const live = db.prepare('SELECT 1 FROM organizations WHERE id = ?').get(id);
    const old = db.prepare(`SELECT * FROM "${seeded}".organizations WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    if (!live && !old) return false;
    for (const t of ORG_TABLES) replaceRows(db, seeded, t, 'org_id = ?', [id]);
    if (old) {
      db.prepare('UPDATE organizations SET name = ?, time_zone = ?, currency = ?, date_format_locale = ?, image_url = ? WHERE id = ?').run(
        old.name, old.time_zone, old.currency, old.date_format_locale, old.image_url, id,
      );
    } else {
      db.prepare('DELETE FROM api_key_orgs WHERE org_id = ?').run(id);
      db.prepare('DELETE FROM organizations WHERE id = ?').run(id);
    }
    return true;
  }
}

function toOrg(r: any): Org {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    currency: r.currency,
    dateFormatLocale: r.date_format_locale,
    imageUrl: r.image_url,
  };
}
