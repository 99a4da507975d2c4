/** Named queries on `webhooks` (one registration per org) and `webhook_deliveries` (their delivery records). */
import type { VendorDb } from '../../../core/db.js';
import type { DeliveryRow, WebhookRow } from './rows.js';

export class WebhookStore {
  constructor(private readonly h: VendorDb) {}

  /** Every row of `table`, or the org's, in `order`. */
  private rows<R>(table: string, order: string, orgId: number | undefined): R[] {
    return (
      orgId === undefined
        ? this.h.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all()
        : this.h.prepare(`SELECT * FROM ${table} WHERE org_id = ? ORDER BY ${order}`).all(orgId)
    ) as R[];
  }

  list(orgId?: number): WebhookRow[] {
    return this.rows('webhooks', 'id', orgId);
  }

  get(id: number): WebhookRow | undefined {
    return this.h.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
  }

  forOrg(orgId: number): WebhookRow | undefined {
    return this.h.prepare('SELECT * FROM webhooks WHERE org_id = ?').get(orgId) as WebhookRow | undefined;
  }

  insert(orgId: number, url: string, secret: string, enabled: boolean, now: number): number {
    return Number(
      this.h.prepare('INSERT INTO webhooks (org_id, url, secret, enabled, created_at) VALUES (?, ?, ?, ?, ?)').run(orgId, url, secret, enabled ? 1 : 0, now)
        .lastInsertRowid,
    );
  }

  update(id: number, url: string, enabled: number, now: number): void {
    this.h.prepare('UPDATE webhooks SET url = ?, enabled = ?, updated_at = ? WHERE id = ?').run(url, enabled, now, id);
  }

  delete(id: number): void {
    this.h.prepare('DELETE FROM webhooks WHERE id = ?').run(id);
  }

  deliveries(orgId?: number): DeliveryRow[] {
    return this.rows('webhook_deliveries', 'created_at, rowid', orgId);
  }

  insertDelivery(d: Omit<DeliveryRow, 'attempts' | 'response_status'>): void {
    this.h
      .prepare(
        `INSERT INTO webhook_deliveries (delivery_id, org_id, webhook_id, url, body, occurred_at, state, attempts, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
      )
      .run(d.delivery_id, d.org_id, d.webhook_id, d.url, d.body, d.occurred_at, d.state, d.error, d.created_at, d.updated_at);
  }

  /** Records an attempt's outcome. */
  updateDelivery(deliveryId: string, d: Pick<DeliveryRow, 'state' | 'attempts' | 'response_status' | 'error' | 'updated_at'>): void {
    this.h
      .prepare('UPDATE webhook_deliveries SET state = ?, attempts = ?, response_status = ?, error = ?, updated_at = ? WHERE delivery_id = ?')
      .run(d.state, d.attempts, d.response_status, d.error, d.updated_at, deliveryId);
  }

  /** Keeps the org's `kept` newest delivery records. */
  pruneDeliveries(orgId: number, kept: number): void {
    this.h
      .prepare(
        `DELETE FROM webhook_deliveries WHERE org_id = ? AND rowid IN
           (SELECT rowid FROM webhook_deliveries WHERE org_id = ? ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ${kept})`,
      )
      .run(orgId, orgId);
  }
}
