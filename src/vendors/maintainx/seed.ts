/** Fixtures → demo data. Everything random comes from the seeded rng (faker is seeded from it). */
// The single-locale entry point: the package root loads every locale (~150 ms of start-up).
import { faker } from '../../core/faker.js';
import type { Rng } from '../../core/rng.js';
import { sha256Hex } from '../../core/secrets.js';
import { FixtureError, type VendorContext } from '../../core/vendor.js';
import { Store, type Json } from './store/index.js';

export interface Fixtures {
  epoch: string;
  organizations: Array<{ id: number; name: string; timeZone?: string; currency?: string; dateFormatLocale?: string }>;
  users: Array<{ organization: number; firstName: string; lastName: string; email: string; role: string }>;
  apiKeys: Array<{ key: string; user: string; organizations: number[]; label?: string }>;
  generate: { locations: number; assets: number; parts: number; vendors: number; teams: number; workOrders: number; commentsPerWorkOrder: number };
}

const ROLES = ['ADMIN', 'MEMBER', 'OPERATOR', 'REQUESTER', 'SERVICE_ACCOUNT'];

export function parseFixtures(raw: unknown): Fixtures {
  const f = raw as Fixtures;
  if (!f || typeof f !== 'object') throw new FixtureError('maintainx fixtures must be a JSON object');
  if (typeof f.epoch !== 'string' || Number.isNaN(Date.parse(f.epoch))) throw new FixtureError('maintainx fixtures: epoch must be an ISO date-time');
  if (!Array.isArray(f.organizations) || f.organizations.length === 0) throw new FixtureError('maintainx fixtures: organizations must be a non-empty array');
  const orgIds = new Set<number>();
  for (const o of f.organizations) {
    if (!Number.isInteger(o.id) || o.id < 1 || typeof o.name !== 'string') throw new FixtureError('maintainx fixtures: each organization needs an integer id and a name');
    if (orgIds.has(o.id)) throw new FixtureError(`maintainx fixtures: duplicate organization id ${o.id}`);
    orgIds.add(o.id);
  }
  if (!Array.isArray(f.users)) throw new FixtureError('maintainx fixtures: users must be an array');
  const emails = new Set<string>();
  for (const u of f.users) {
    if (!orgIds.has(u.organization)) throw new FixtureError(`maintainx fixtures: user ${u.email} names an unknown organization`);
    if (!ROLES.includes(u.role)) throw new FixtureError(`maintainx fixtures: user ${u.email} has an unknown role ${u.role}`);
    emails.add(u.email);
  }
  if (!Array.isArray(f.apiKeys)) throw new FixtureError('maintainx fixtures: apiKeys must be an array');
  for (const k of f.apiKeys) {
    if (typeof k.key !== 'string' || k.key.length < 16) throw new FixtureError('maintainx fixtures: each api key needs a key of at least 16 characters');
    if (!emails.has(k.user)) throw new FixtureError(`maintainx fixtures: api key names an unknown user ${k.user}`);
    if (!Array.isArray(k.organizations) || !k.organizations.length || k.organizations.some((o) => !orgIds.has(o))) {
      throw new FixtureError(`maintainx fixtures: api key of ${k.user} names an unknown organization`);
    }
  }
  const g = f.generate;
  if (!g || typeof g !== 'object') throw new FixtureError('maintainx fixtures: generate must be an object');
  for (const k of ['locations', 'assets', 'parts', 'vendors', 'teams', 'workOrders', 'commentsPerWorkOrder'] as const) {
    if (!Number.isInteger(g[k]) || g[k] < 0 || g[k] > 100_000) throw new FixtureError(`maintainx fixtures: generate.${k} must be an integer 0..100000`);
  }
  return f;
}

const CATEGORIES = ['Damage', 'Electrical', 'Inspection', 'Preventive', 'Safety', 'Cleaning', 'Calibration'];
const WO_TITLES = ['Replace conveyor belt', 'Lubricate bearings', 'Inspect fire extinguishers', 'Calibrate pressure sensor', 'Fix hydraulic leak', 'Clean air filters', 'Replace worn gasket', 'Check motor vibration', 'Tighten loose fittings', 'Test emergency stop'];
const ASSET_TYPES = ['Compressor', 'Conveyor', 'Pump', 'Forklift', 'HVAC Unit', 'Boiler', 'CNC Mill', 'Generator', 'Chiller', 'Packaging Line'];
const STATUS_MIX = ['OPEN', 'OPEN', 'OPEN', 'IN_PROGRESS', 'IN_PROGRESS', 'ON_HOLD', 'DONE', 'DONE', 'CANCELED'];

export function seed(ctx: VendorContext<any>, f: Fixtures, rng: Rng): void {
  const store = new Store(ctx);
  faker.seed(rng.next());
  const epoch = Date.parse(f.epoch);
  const iso = (offsetMinutes: number) => new Date(epoch + offsetMinutes * 60_000).toISOString();
  // Demo rows carry fixed timestamps relative to `epoch`, so one seed gives the same data on every run.
  const stamp = (id: number, at: string) => store.records.stamp(id, at);
  let minute = 1;
  // Every row the seed writes is stamped from `epoch`, never from the live clock.
  store.nowIso = () => iso(minute);
  const usersByEmail = new Map<string, number>();
  for (const o of f.organizations) store.orgs.create(o);
  for (const u of f.users) {
    const r = store.records.insert('user', u.organization, { firstName: u.firstName, lastName: u.lastName, email: u.email, role: u.role, authType: 'NORMAL', extraFields: {}, hourlyRate: 4500 });
    usersByEmail.set(u.email, r.id);
    stamp(r.id, iso(0));
  }
  for (const k of f.apiKeys) store.keys.create(usersByEmail.get(k.user)!, sha256Hex(k.key), k.key.slice(0, 8), k.organizations, k.label ?? 'demo');

  const g = f.generate;
  const next = () => (minute += rng.int(1, 90));
  for (const o of f.organizations) {
    const org = o.id;
    const users = f.users.filter((u) => u.organization === org).map((u) => usersByEmail.get(u.email)!);
    const crit = ['Low', 'Medium', 'High', 'Critical'].map((label, i) => store.records.insert('assetCriticality', org, { label, level: i + 1 }).id);
    for (const label of CATEGORIES) stamp(store.records.insert('category', org, { label, description: `${label} work` }).id, iso(next()));
    const vendors: number[] = [];
    for (let i = 0; i < g.vendors; i++) {
      const v = store.records.insert('vendor', org, { name: faker.company.name(), description: faker.company.catchPhrase(), extraFields: {}, emails: [faker.internet.email().toLowerCase()], phoneNumbers: [faker.phone.number({ style: 'national' })] });
      stamp(v.id, iso(next()));
      vendors.push(v.id);
      store.records.insert('vendorContact', org, { name: faker.person.fullName(), role: 'Account manager', email: faker.internet.email().toLowerCase(), phoneNumber: faker.phone.number({ style: 'national' }), extension: null }, { parentId: v.id });
    }
    // Location tree: a site, its buildings, then rooms.
    const locations: number[] = [];
    const site = store.records.insert('location', org, { name: `${o.name} Plant`, description: 'Main site', address: faker.location.streetAddress({ useFullAddress: true }), barcode: null, parentId: null, extraFields: {}, vendorIds: [], teamIds: [] });
    stamp(site.id, iso(next()));
    locations.push(site.id);
    for (let i = 1; i < g.locations; i++) {
      const parent = i <= 2 ? site.id : rng.pick(locations.slice(1, 3).length ? locations.slice(1, 3) : [site.id]);
      const name = i <= 2 ? `Building ${String.fromCharCode(64 + i)}` : `${faker.word.adjective({ length: { min: 4, max: 8 } })} room ${i}`.replace(/^./, (m) => m.toUpperCase());
      const l = store.records.insert('location', org, { name, description: null, address: null, barcode: null, parentId: parent, extraFields: {}, vendorIds: [], teamIds: [] });
      stamp(l.id, iso(next()));
      locations.push(l.id);
    }
    const teams: number[] = [];
    for (let i = 0; i < g.teams; i++) {
      const members = users.filter(() => rng.float() < 0.6).map((id) => ({ id, teamRole: 'MEMBER' }));
      const t = store.records.insert('team', org, { name: ['Mechanics', 'Electricians', 'Facilities', 'Night shift'][i % 4], description: '', assetIds: [], locationIds: [rng.pick(locations)], members });
      teams.push(t.id);
    }
    const makers = ['Atlas Copco', 'Grundfos', 'Toyota', 'Carrier', 'Haas'].map((name) => {
      const m = store.records.insert('manufacturer', org, { name });
      const models = [1, 2].map((n) => store.records.insert('model', org, { name: `${name.slice(0, 2).toUpperCase()}-${rng.int(100, 999)}${n}`, manufacturerId: m.id }).data.name as string);
      return { name, models };
    });
    const assets: number[] = [];
    for (let i = 0; i < g.assets; i++) {
      const type = rng.pick(ASSET_TYPES);
      const a = store.records.insert('asset', org, {
        name: `${type} ${i + 1}`, description: `${faker.commerce.productAdjective()} ${type.toLowerCase()}`, barcode: String(rng.int(100000000, 999999999)),
        criticalityId: rng.pick(crit), parentId: i > 3 && rng.float() < 0.2 ? rng.pick(assets) : null, locationId: rng.pick(locations), teamIds: [],
        assetTypes: [type], extraFields: {}, vendorIds: vendors.length ? [rng.pick(vendors)] : [], serialNumber: faker.string.alphanumeric({ length: 10, casing: 'upper' }),
        ...(() => {
          const mk = rng.pick(makers);
          return { manufacturer: mk.name, model: rng.pick(mk.models) };
        })(),
        creatorId: users[0] ?? null,
      });
      stamp(a.id, iso(next()));
      assets.push(a.id);
      const s = store.records.insert('assetStatus', org, { status: rng.float() < 0.85 ? 'ONLINE' : 'OFFLINE', downtimeType: null, customStatusId: null, startedAt: iso(minute), endedAt: null, description: null, creatorId: users[0] ?? 0 }, { parentId: a.id });
      if (s.data.status === 'OFFLINE') store.records.setField(s.id, '$.downtimeType', 'UNPLANNED');
      stamp(s.id, iso(minute));
    }
    const parts: number[] = [];
    for (let i = 0; i < g.parts; i++) {
      const p = store.records.insert('part', org, {
        name: faker.commerce.productName(), description: faker.commerce.productDescription().slice(0, 120), area: `Shelf ${rng.int(1, 20)}`,
        unitCost: rng.int(100, 50000), availableQuantity: rng.int(0, 200), minimumQuantity: rng.int(0, 20), barcode: `P-${rng.int(10000, 99999)}`,
        locationId: rng.pick(locations), locations: [], partTypes: [], assetIds: [], teamIds: [], extraFields: {}, vendors: [], vendorIds: vendors.length ? [rng.pick(vendors)] : [],
        assignedQuantity: 0, committedQuantities: {},
      });
      stamp(p.id, iso(next()));
      parts.push(p.id);
    }
    // Root cause analysis: a finished report and a draft about the first assets, with their problems.
    const rcaCats = ['Mechanical Failure', 'Electrical Fault', 'Operator Error'];
    for (let i = 0; i < Math.min(2, assets.length); i++) {
      const asset = assets[i];
      const started = next();
      const done = i === 0;
      const status = store.records.insert('assetStatus', org, { status: 'OFFLINE', downtimeType: 'UNPLANNED', customStatusId: null, startedAt: iso(started), endedAt: iso(started + 240), description: 'Breakdown', creatorId: users[0] ?? 0 }, { parentId: asset });
      store.records.insert('rcaReport', org, {
        status: done ? 'DONE' : 'DRAFT', mainAssetId: asset, mainAssetStatusId: status.id, completedAt: done ? iso(started + 600) : null,
        incidentStartedAt: iso(started), incidentEndedAt: iso(started + 240), repairTime: 3 * 3600, notes: done ? 'Loose coupling caused the drive to slip.' : null,
        creatorId: users[0] ?? 0, updaterId: null, archivedAt: null, relatedAssetIds: assets.slice(2, 3), workOrderIds: [],
        problems: [{ id: 1000 * org + i, category: { id: 900 + i, label: rng.pick(rcaCats) }, stepOptions: [{ id: 5000 + i, label: 'Worn bearings', stepType: 'CAUSE' }, { id: 6000 + i, label: 'Replace coupling', stepType: 'ACTION' }], notes: done ? { text: 'Vibration readings were rising for a week.' } : null }],
      });
    }
    const m = store.records.insert('meter', org, { name: 'Compressor run hours', unit: 'hours', measurementType: 'MANUAL', uuid: rng.uuid(), description: null, assetId: assets[0] ?? null, locationId: null, readingFrequency: null, creatorId: users[0] ?? 0 });
    stamp(m.id, iso(next()));
    for (let i = 0; i < g.workOrders; i++) {
      const status = rng.pick(STATUS_MIX);
      const created = next();
      const data: Json = {
        title: rng.pick(WO_TITLES), description: faker.lorem.sentence(), status, priority: rng.pick(['NONE', 'LOW', 'MEDIUM', 'HIGH']),
        type: rng.pick(['REACTIVE', 'PREVENTIVE', 'OTHER']), partStatus: 'NO_PARTS', creatorId: rng.pick(users), assigneeIds: users.length ? [rng.pick(users)] : [],
        teamIds: teams.length && rng.float() < 0.3 ? [rng.pick(teams)] : [], categories: [rng.pick(CATEGORIES)], vendorIds: [], extraFields: {},
        assetId: assets.length ? rng.pick(assets) : null, locationId: rng.pick(locations), dueDate: iso(created + rng.int(60, 20000)), startDate: null,
        estimatedTime: rng.int(1, 16) * 1800, isParent: false, parentId: null, requesterId: null,
      };
      if (parts.length && rng.float() < 0.3) {
        data.parts = [{ partId: rng.pick(parts), quantityUsed: rng.int(1, 4), locationId: null }];
        data.partStatus = rng.pick(['ASSIGNED', 'RESERVED', 'ISSUED']);
      }
      if (status === 'DONE') {
        data.completedAt = iso(created + rng.int(30, 3000));
        data.completerId = rng.pick(users);
      }
      const w = store.records.insert('workOrder', org, data, { seq: store.records.nextSeq(org, 'workOrder') });
      stamp(w.id, iso(created));
      for (let j = 0; j < g.commentsPerWorkOrder; j++) {
        const cm = store.records.insert('woComment', org, { authorId: rng.pick(users), content: faker.lorem.sentence() }, { parentId: w.id });
        stamp(cm.id, iso(created + j + 1));
      }
      if (g.commentsPerWorkOrder > 0) {
        store.records.setField(w.id, '$.lastMessageSentAt', iso(created + g.commentsPerWorkOrder));
      }
      if (rng.float() < 0.4) {
        const seconds = rng.int(1, 8) * 1800;
        const rate = 4500;
        store.records.insert('woCost', org, { type: 'TIME', costType: 'WORK', costPerUnit: rate, description: 'Labor', quantity: seconds / 3600, rowTotal: Math.round((seconds / 3600) * rate), durationTotal: seconds, userId: rng.pick(users), partId: null }, { parentId: w.id });
      }
      if (rng.float() < 0.2) {
        const cpu = rng.int(500, 30000);
        store.records.insert('woCost', org, { type: 'EXPENSE', costType: 'OTHER', costPerUnit: cpu, description: 'Supplies', quantity: 1, rowTotal: cpu, durationTotal: 0, userId: rng.pick(users), partId: null }, { parentId: w.id });
      }
    }
    // Reports point at the work orders of their asset.
    for (const r of store.records.find('rcaReport', org)) {
      const ids = store.records.find('workOrder', org, { eq: '$.assetId', value: r.data.mainAssetId }).slice(0, 3).map((w) => w.id);
      store.records.setField(r.id, '$.workOrderIds', ids);
    }
  }
}
