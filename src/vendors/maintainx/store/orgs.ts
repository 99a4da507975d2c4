/** Named queries on organizations (the tenants), including the per-tenant reset of every table they own. */
import { copyRows, replaceRows } from '../../../core/db.js';
import { ORG_TABLES } from '../schema.js';
import type { Conn, Org } from './rows.js';

/** A record as a sandbox copy reads it. */
export type CopiedRecord = { id: number; kind: string; parent_id: number | null; seq: number | null; data: string; created_at: string; updated_at: string; deleted_at: string | null };

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
   * Copies organization `from`'s records into `to` under new ids (above every id used so far) and its counters;
   * `data` gives each copy's document, or null to leave the record out. Returns the records read and the id map.
   */
  copyRecords(from: number, to: number, data: (r: CopiedRecord, ids: Map<number, number>) => string | null): { rows: CopiedRecord[]; ids: Map<number, number> } {
    const db = this.h.db;
    const rows = db.prepare('SELECT id, kind, parent_id, seq, data, created_at, updated_at, deleted_at FROM records WHERE org_id = ? ORDER BY id').all(from) as CopiedRecord[];
    const base = db.prepare("SELECT MAX(COALESCE((SELECT MAX(id) FROM records), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'records'), 0))").pluck().get() as number;
    const ids = new Map(rows.map((r, i) => [r.id, base + i + 1]));
    const insert = db.prepare('INSERT INTO records (id, kind, org_id, parent_id, seq, data, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows) {
      const doc = data(r, ids);
      if (doc === null) continue;
      insert.run(ids.get(r.id), r.kind, to, r.parent_id === null ? null : (ids.get(r.parent_id) ?? r.parent_id), r.seq, doc, r.created_at, r.updated_at, r.deleted_at);
    }
    copyRows(db, 'counters', 'org_id = @from', { org_id: '@to' }, { from, to });
    return { rows, ids };
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
