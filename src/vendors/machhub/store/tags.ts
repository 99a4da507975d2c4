/** Named queries on tags and historian points. */
import type { VendorDb } from '../../../core/db.js';

export class TagStore {
  constructor(private readonly h: VendorDb) {}

  upsert(domainId: string, topic: string, historized: boolean): void {
    this.h.prepare('INSERT INTO tags (domain_id, topic, historized) VALUES (?, ?, ?) ON CONFLICT (domain_id, topic) DO UPDATE SET historized = max(historized, excluded.historized)').run(domainId, topic, historized ? 1 : 0);
  }

  topics(domainId: string, historizedOnly = false): string[] {
    const sql = historizedOnly
      ? 'SELECT topic FROM tags WHERE domain_id = ? AND historized = 1 ORDER BY topic'
      : 'SELECT topic FROM tags WHERE domain_id = ? ORDER BY topic';
    return (this.h.prepare(sql).all(domainId) as { topic: string }[]).map((r) => r.topic);
  }

  /** A published value: the tag's current value, plus a historian point when the tag is historized (one transaction). */
  setValue(domainId: string, topic: string, valueJson: string, ms: number): void {
    this.h.transaction(() => {
      historianReady(this.h, domainId);
      this.h
        .prepare('INSERT INTO tags (domain_id, topic, historized, value, value_ms) VALUES (?, ?, 0, ?, ?) ON CONFLICT (domain_id, topic) DO UPDATE SET value = excluded.value, value_ms = excluded.value_ms')
        .run(domainId, topic, valueJson, ms);
      const t = this.h.prepare('SELECT historized FROM tags WHERE domain_id = ? AND topic = ?').get(domainId, topic) as { historized: number };
      if (t.historized) this.h.prepare('INSERT INTO historian (domain_id, topic, ts, value) VALUES (?, ?, ?, ?)').run(domainId, topic, ms, valueJson);
    });
  }

  values(domainId: string): { topic: string; historized: number; value: string | null; value_ms: number | null }[] {
    return this.h.prepare('SELECT topic, historized, value, value_ms FROM tags WHERE domain_id = ? ORDER BY topic').all(domainId) as any;
  }

  has(domainId: string, topic: string): boolean {
    return !!this.h.prepare('SELECT 1 FROM tags WHERE domain_id = ? AND topic = ?').get(domainId, topic);
  }

  addPoint(domainId: string, topic: string, ts: number, value: unknown): void {
    historianReady(this.h, domainId);
    this.h.prepare('INSERT INTO historian (domain_id, topic, ts, value) VALUES (?, ?, ?, ?)').run(domainId, topic, ts, JSON.stringify(value));
  }

  points(domainId: string, topic: string, fromMs: number, toMs: number, desc = false, limit = -1): { ts: number; value: string }[] {
    historianReady(this.h, domainId);
    return this.h
      .prepare(`SELECT ts, value FROM historian WHERE domain_id = ? AND topic = ? AND ts >= ? AND ts < ? ORDER BY ts ${desc ? 'DESC' : 'ASC'}, rowid ${desc ? 'DESC' : 'ASC'} LIMIT ?`)
      .all(domainId, topic, fromMs, toMs, limit) as { ts: number; value: string }[];
  }

  lastPoints(domainId: string, topic: string, limit: number): { ts: number; value: string }[] {
    historianReady(this.h, domainId);
    return this.h.prepare('SELECT ts, value FROM historian WHERE domain_id = ? AND topic = ? ORDER BY ts DESC, rowid DESC LIMIT ?').all(domainId, topic, limit) as any;
  }

  /** Historian rows for the SurrealQL subset (topic filter optional). */
  historianRows(domainId: string, topic: string | null, fromMs: number, toMs: number, desc: boolean, limit: number): { topic: string; ts: number; value: string }[] {
    historianReady(this.h, domainId);
    return this.h
      .prepare(
        `SELECT topic, ts, value FROM historian WHERE domain_id = ? AND (? IS NULL OR topic = ?) AND ts >= ? AND ts <= ?
         ORDER BY ts ${desc ? 'DESC' : 'ASC'}, rowid ${desc ? 'DESC' : 'ASC'} LIMIT ?`,
      )
      .all(domainId, topic, topic, fromMs, toMs, limit) as any;
  }
}


/**
 * A sandbox gets its source's historian points on first use rather than at creation (copying ≈ 15k points would cost
 * most of the creation time): `historian_pending` names the source and the last rowid the sandbox saw. Historian rows
 * are only appended, so the source's rows up to that rowid are exactly the sandbox's copy; they are copied in (in
 * the source's index order, ties in rowid order, as a copy at creation would be) before the sandbox's historian is
 * first read or written, and before its source is reset or deleted.
 */
export function historianReady(h: { prepare: VendorDb['prepare']; transaction: VendorDb['transaction'] }, domainId: string): void {
  const pending = h.prepare('SELECT source_id, max_rowid FROM historian_pending WHERE domain_id = ?').get(domainId) as { source_id: string; max_rowid: number } | undefined;
  if (!pending) return;
  h.transaction(() => {
    h.prepare(
      'INSERT INTO historian (domain_id, topic, ts, value) SELECT ?, topic, ts, value FROM historian WHERE domain_id = ? AND rowid <= ? ORDER BY topic, ts, rowid',
    ).run(domainId, pending.source_id, pending.max_rowid);
    h.prepare('DELETE FROM historian_pending WHERE domain_id = ?').run(domainId);
  });
}

/** Before `sourceId`'s historian loses rows (its reset or deletion): the sandboxes still reading it take their copy. */
export function historianDependentsReady(h: { prepare: VendorDb['prepare']; transaction: VendorDb['transaction'] }, sourceId: string): void {
  for (const id of h.prepare('SELECT domain_id FROM historian_pending WHERE source_id = ?').pluck().all(sourceId) as string[]) historianReady(h, id);
}
