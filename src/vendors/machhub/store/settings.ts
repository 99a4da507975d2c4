/** Named queries on settings (key/value). */
import type { VendorDb } from '../../../core/db.js';

export class SettingStore {
  constructor(private readonly h: VendorDb) {}

  get(key: string): string | undefined {
    return (this.h.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  put(key: string, value: string): void {
    this.h.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  }
}
