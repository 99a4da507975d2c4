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
import { ApiKeyStore } from './store/api-keys.js';
import { AssetStore } from './store/assets.js';
import { LocationStore } from './store/locations.js';
import { MetaStore } from './store/meta.js';
import { OrgStore } from './store/orgs.js';
import { ScanStore } from './store/scans.js';
import { TagStore } from './store/tags.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const KINDS = ['Forklift', 'Pallet jack', 'Tote', 'Roll cage', 'Scanner', 'Laptop', 'Ladder', 'Drill', 'Generator', 'Cart'];

export function seed(ctx: VendorContext, fixtures: TrakrfFixtures, rng: Rng): void {
  const h = ctx.handle;
  const meta = new MetaStore(h);
  const orgs = new OrgStore(h);
  const apiKeys = new ApiKeyStore(h);
  const locations = new LocationStore(h);
  const assets = new AssetStore(h);
  const tags = new TagStore(h);
  const scans = new ScanStore(h);
  meta.set('id_keys', JSON.stringify([rng.next(), rng.next(), rng.next(), rng.next()]));
  meta.set('id_seq', '0');
  rng.hex(32); // formerly the JWT secret (now ctx.keys); still drawn so the seeded demo data stays the same

  faker.seed(rng.next());
  const anchor = fixtures.anchor;

  for (const org of fixtures.orgs) {
    const createdAt = anchor - 120 * DAY;
    orgs.insert(org.name, org.subscription_active, createdAt, org.id);
    for (const k of org.api_keys) {
      apiKeys.insert({
        client_id: k.client_id,
        org_id: org.id,
        name: k.name,
        scopes: JSON.stringify(k.scopes),
        secret_hash: sha(k.client_secret),
        created_at: createdAt,
        expires_at: k.expires_at,
        revoked_at: k.revoked ? anchor - 10 * DAY : null,
      });
    }

    // Locations: sites → zones → bays, keyed LOC-001… in creation order like auto-minted keys.
    const bays: number[] = [];
    let n = 0;
    const addLocation = (name: string, parent: number | null, description: string | null): number => {
      const id = meta.nextId();
      n++;
      const t = createdAt + n * MINUTE;
      const key = `LOC-${String(n).padStart(3, '0')}`;
      locations.insert({ id, org_id: org.id, external_key: key, name, description, parent_id: parent, is_active: 1, valid_from: t, valid_to: null, created_at: t, updated_at: t });
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
    if (bays.length === 0) bays.push(...locations.idsOf(org.id));

    // Assets with tags. (Property order below is the order of the seeded draws: keep it.)
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
      assets.insert({
        id,
        org_id: org.id,
        external_key: `ASSET-${String(i).padStart(4, '0')}`,
        name: `${kind} ${faker.string.alpha({ length: 1, casing: 'upper' })}${rng.int(1, 99)}`,
        description: rng.float() < 0.6 ? faker.commerce.productDescription().slice(0, 200) : null,
        metadata: metadataJson(metadata),
        is_active: rng.float() < 0.9 ? 1 : 0,
        valid_from: t,
        valid_to: retired ? anchor - 20 * DAY : null,
        created_at: t,
        updated_at: deleted ?? t,
        deleted_at: deleted,
      });
      const tag = (tagType: string, value: string, at: number) =>
        tags.insert({ id: meta.nextId(), org_id: org.id, owner: 'asset', owner_id: id, tag_type: tagType, value, created_at: at, seq: 0, deleted_at: deleted });
      tag('rfid', faker.string.hexadecimal({ length: 24, casing: 'upper', prefix: '' }), t);
      if (rng.float() < 0.3) tag('barcode', faker.string.numeric(12), t + 1);
      if (rng.float() < 0.15) tag('ble', faker.internet.mac().toUpperCase(), t + 2);

      // Scan history: dwell runs at bays, read roughly hourly; some assets were never scanned.
      if (i % 9 === 0 || org.generate.scan_days === 0) continue;
      let at = anchor - org.generate.scan_days * DAY + rng.int(0, 12) * HOUR;
      let location = rng.pick(bays);
      while (at < anchor) {
        const dwellEnd = Math.min(anchor, at + rng.int(4, 72) * HOUR);
        for (; at < dwellEnd; at += rng.int(40, 80) * MINUTE) {
          scans.insertSeeded(org.id, id, Math.floor(at / MINUTE) * MINUTE, location);
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
