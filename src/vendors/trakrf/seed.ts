/**
 * Demo data: per org, a location tree (sites → zones → bays), assets with RFID/BLE/barcode tags, and scan history
 * (assets dwelling at bays, read about hourly). Everything is drawn from the seeded source and laid out before the
 * fixture's anchor instant, so the same seed gives the same data.
 */
// The single-locale entry point: the package root loads every locale (~150 ms of start-up).
import { faker } from '../../core/faker.js';
import type { Rng } from '../../core/rng.js';
import { sha256Hex as sha } from '../../core/secrets.js';
import type { VendorContext } from '../../core/vendor.js';
import type { TrakrfFixtures } from './fixtures.js';
import { trackTenantWrites } from './schema.js';
import { metadataJson } from './ops/assets.js';
import { MetaStore } from './store/meta.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const KINDS = ['Forklift', 'Pallet jack', 'Tote', 'Roll cage', 'Scanner', 'Laptop', 'Ladder', 'Drill', 'Generator', 'Cart'];

export function seed(ctx: VendorContext, fixtures: TrakrfFixtures, rng: Rng): void {
  const h = ctx.handle;
  const meta = new MetaStore(h);
  meta.set('id_keys', JSON.stringify([rng.next(), rng.next(), rng.next(), rng.next()]));
  meta.set('id_seq', '0');
  rng.hex(32); // formerly the JWT secret (now ctx.keys); still drawn so the seeded demo data stays the same

  faker.seed(rng.next());
  const anchor = fixtures.anchor;

  for (const org of fixtures.orgs) {
    const createdAt = anchor - 120 * DAY;
    h.prepare('INSERT INTO orgs (id, name, subscription_active, created_at) VALUES (?, ?, ?, ?)').run(
      org.id,
      org.name,
      org.subscription_active ? 1 : 0,
      createdAt,
    );
    for (const k of org.api_keys) {
      h.prepare(
        `INSERT INTO api_keys (client_id, org_id, name, scopes, secret_hash, created_at, expires_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        k.client_id,
        org.id,
        k.name,
        JSON.stringify(k.scopes),
        sha(k.client_secret),
        createdAt,
        k.expires_at,
        k.revoked ? anchor - 10 * DAY : null,
      );
    }

    // Locations: sites → zones → bays, keyed LOC-001… in creation order like auto-minted keys.
    const insertLocation = h.prepare(
      `INSERT INTO locations (id, org_id, external_key, name, description, parent_id, is_active, valid_from, valid_to, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, NULL, ?, ?)`,
    );
    const bays: number[] = [];
    let n = 0;
    const addLocation = (name: string, parent: number | null, description: string | null): number => {
      const id = meta.nextId();
      n++;
      const t = createdAt + n * MINUTE;
      insertLocation.run(id, org.id, `LOC-${String(n).padStart(3, '0')}`, name, description, parent, t, t, t);
      return id;
    };
    const total = org.generate.locations;
    const sites = Math.max(1, Math.round(total / 10));
    for (let s = 0; s < sites && n < total; s++) {
      const site = addLocation(`${faker.location.city()} Warehouse`, null, faker.location.streetAddress());
      const zones = ['Receiving', 'Storage', 'Shipping', 'Maintenance'];
      for (const zoneName of zones) {
        if (n >= total) break;
        const zone = addLocation(`${zoneName}`, site, null);
        for (let b = 1; b <= 2 && n < total; b++) bays.push(addLocation(`${zoneName} Bay ${b}`, zone, null));
      }
    }
    if (bays.length === 0) bays.push(...(h.prepare('SELECT id FROM locations WHERE org_id = ?').all(org.id) as { id: number }[]).map((r) => r.id));

    // Assets with tags.
    const insertAsset = h.prepare(
      `INSERT INTO assets (id, org_id, external_key, name, description, metadata, is_active, valid_from, valid_to, created_at, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTag = h.prepare(
      `INSERT INTO tags (id, org_id, asset_id, tag_type, value, is_active, valid_from, created_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    );
    const insertScan = h.prepare('INSERT OR IGNORE INTO scans (org_id, asset_id, observed_at, location_id) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= org.generate.assets; i++) {
      const id = meta.nextId();
      const t = createdAt + 7 * DAY + i * HOUR;
      const kind = rng.pick(KINDS);
      const deleted = i % 25 === 0 ? anchor - 3 * DAY : null;
      const retired = i % 17 === 0; // validity ended: hidden from lists, still readable by id
      const metadata = {
        manufacturer: faker.company.name(),
        serial: faker.string.alphanumeric({ length: 10, casing: 'upper' }),
        ...(rng.float() < 0.5 ? { purchased: faker.date.past({ years: 3, refDate: new Date(createdAt) }).toISOString().slice(0, 10) } : {}),
      };
      insertAsset.run(
        id,
        org.id,
        `ASSET-${String(i).padStart(4, '0')}`,
        `${kind} ${faker.string.alpha({ length: 1, casing: 'upper' })}${rng.int(1, 99)}`,
        rng.float() < 0.6 ? faker.commerce.productDescription().slice(0, 200) : null,
        metadataJson(metadata),
        rng.float() < 0.9 ? 1 : 0,
        t,
        retired ? anchor - 20 * DAY : null,
        t,
        deleted ?? t,
        deleted,
      );
      insertTag.run(meta.nextId(), org.id, id, 'rfid', faker.string.hexadecimal({ length: 24, casing: 'upper', prefix: '' }), t, t, deleted);
      if (rng.float() < 0.3) insertTag.run(meta.nextId(), org.id, id, 'barcode', faker.string.numeric(12), t + 1, t + 1, deleted);
      if (rng.float() < 0.15) insertTag.run(meta.nextId(), org.id, id, 'ble', faker.internet.mac().toUpperCase(), t + 2, t + 2, deleted);

      // Scan history: dwell runs at bays, read roughly hourly; some assets were never scanned.
      if (i % 9 === 0 || org.generate.scan_days === 0) continue;
      let at = anchor - org.generate.scan_days * DAY + rng.int(0, 12) * HOUR;
      let location = rng.pick(bays);
      while (at < anchor) {
        const dwellEnd = Math.min(anchor, at + rng.int(4, 72) * HOUR);
        for (; at < dwellEnd; at += rng.int(40, 80) * MINUTE) {
          insertScan.run(org.id, id, Math.floor(at / MINUTE) * MINUTE, location);
        }
        at += rng.int(1, 12) * HOUR; // in transit, unseen
        location = rng.pick(bays);
      }
    }
  }
  // No ANALYZE here: statistics of the small demo tables would mislead the planner once an org grows through the
  // API (it chose to walk whole tables over the right index). Bulk generation analyzes the data it creates.
  trackTenantWrites(h.db);
}
