/** Named queries on webhook deliveries (what the dispatcher sent, its attempts and outcome). */
import type { Conn, DeliveryRow } from './rows.js';

export class DeliveryStore {
  constructor(private readonly conn: Conn) {}

  private get h() {
    return this.conn.handle;
  }

  add(d: { orgId: number; subscriptionId: number; event: string; url: string; body: string }): number {
    const at = this.conn.nowIso();
    return Number(
      this.h
        .prepare(
          `INSERT INTO webhook_deliveries (org_id, subscription_id, event, url, body, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(d.orgId, d.subscriptionId, d.event, d.url, d.body, at, at).lastInsertRowid,
    );
  }

  update(id: number, u: { state: string; attempts: number; responseStatus: number | null; error: string | null }): void {
    this.h
      .prepare('UPDATE webhook_deliveries SET state = ?, attempts = ?, response_status = ?, error = ?, updated_at = ? WHERE id = ?')
      .run(u.state, u.attempts, u.responseStatus, u.error, this.conn.nowIso(), id);
  }

  /** States of the last `n` deliveries of a subscription, newest first. */
  lastStates(subscriptionId: number, n: number): string[] {
    return this.h.prepare('SELECT state FROM webhook_deliveries WHERE subscription_id = ? ORDER BY id DESC LIMIT ?').pluck().all(subscriptionId, n) as string[];
  }

  list(filter: { orgId?: number; subscriptionId?: number; state?: string }): DeliveryRow[] {
    const rows = this.h
      .prepare(
        `SELECT * FROM webhook_deliveries WHERE (? IS NULL OR org_id = ?) AND (? IS NULL OR subscription_id = ?) AND (? IS NULL OR state = ?) ORDER BY id`,
      )
      .all(
        filter.orgId ?? null,
        filter.orgId ?? null,
        filter.subscriptionId ?? null,
        filter.subscriptionId ?? null,
        filter.state ?? null,
        filter.state ?? null,
      ) as any[];
    return rows.map((r) => ({
      id: r.id,
      organizationId: r.org_id,
      subscriptionId: r.subscription_id,
      event: r.event,
      url: r.url,
      body: r.body,
      state: r.state,
      attempts: r.attempts,
      responseStatus: r.response_status,
      error: r.error,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
