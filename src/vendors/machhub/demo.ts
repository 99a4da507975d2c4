/** Demo data generators (seeded: the same seed gives the same records). */
// The single-locale entry point: the package root loads every locale (~150 ms of start-up).
import { faker } from '../../core/faker.js';
import type { Rng } from '../../core/rng.js';

type Rec = Record<string, unknown>;
const link = (Table: string, ID: string) => ({ Table, ID });

const STATUSES = ['active', 'active', 'active', 'inactive', 'discontinued'];
const STATES = ['open', 'pending', 'closed'];
const TAGS = ['a', 'b', 'c', 'bulk', 'fragile', 'hazmat', 'food-grade', 'spare'];

export interface GenContext {
  rng: Rng;
  domain: string;
  /** Sizes of the other collections, for links. */
  sizes: Record<string, number>;
  /** ISO instant the demo data is anchored at. */
  epochMs: number;
}

export function recordKey(collection: string, i: number): string {
  switch (collection) {
    case 'products':
      return `PROD-${String(i + 1).padStart(3, '0')}`;
    case 'categories':
      return `C${i + 1}`;
    case 'suppliers':
      return `S${i + 1}`;
    case 'items':
      return `I${i + 1}`;
    case 'orders':
      return `ORD-${String(i + 1).padStart(4, '0')}`;
    default:
      return `${collection.slice(0, 3).toUpperCase()}-${i + 1}`;
  }
}

function pickLink(g: GenContext, collection: string): { Table: string; ID: string } | null {
  const n = g.sizes[collection] ?? 0;
  return n ? link(`${g.domain}.${collection}`, recordKey(collection, g.rng.int(0, n - 1))) : null;
}

function dt(g: GenContext, maxDaysBack: number): string {
  return new Date(g.epochMs - g.rng.int(0, maxDaysBack * 86_400) * 1000).toISOString();
}

/** A product with only rng draws (fast enough for 100k rows from the control plane). */
export function fastProduct(g: GenContext, i: number): Rec {
  const r = g.rng;
  const tagCount = r.int(0, 3);
  const tags: string[] = [];
  for (let k = 0; k < tagCount; k++) {
    const t = r.pick(TAGS);
    if (!tags.includes(t)) tags.push(t);
  }
  const lines = [];
  for (let k = r.int(0, 3); k > 0; k--) lines.push({ itemId: pickLink(g, 'items') ?? link(`${g.domain}.items`, `I${r.int(1, 40)}`), qty: r.int(1, 20) });
  return {
    name: `Product ${i + 1}`,
    sku: `SKU-${r.hex(4).toUpperCase()}`,
    price: Math.round(r.float() * 50000) / 100,
    status: r.pick(STATUSES),
    inStock: r.float() < 0.7,
    tags,
    categoryId: pickLink(g, 'categories'),
    supplierId: pickLink(g, 'suppliers'),
    dt: dt(g, 365),
    state: r.pick(STATES),
    orderLines: lines,
  };
}

export function generate(g: GenContext, collection: string, i: number): Rec {
  faker.seed(g.rng.next());
  switch (collection) {
    case 'categories':
      return { name: faker.commerce.department() + (i ? ` ${i + 1}` : ''), description: faker.commerce.productDescription() };
    case 'suppliers':
      return { name: faker.company.name(), email: faker.internet.email().toLowerCase(), country: faker.location.countryCode(), rating: g.rng.int(1, 5) };
    case 'items':
      return { name: faker.commerce.productMaterial() + ' ' + faker.commerce.product(), unit: g.rng.pick(['pcs', 'kg', 'm', 'l']), qty: g.rng.int(0, 500) };
    case 'products': {
      const p = fastProduct(g, i);
      p.name = faker.commerce.productName();
      return p;
    }
    case 'orders':
      return {
        number: `PO-${20260000 + i + 1}`,
        customer: faker.company.name(),
        state: g.rng.pick(STATES),
        total: Math.round(g.rng.float() * 1_000_000) / 100,
        orderLines: Array.from({ length: g.rng.int(1, 4) }, () => ({ itemId: pickLink(g, 'items'), qty: g.rng.int(1, 50) })),
        dt: dt(g, 90),
      };
    default:
      return { name: faker.commerce.productName(), value: g.rng.int(0, 1000), dt: dt(g, 30) };
  }
}

/** A plausible sensor series value at step k. */
export function sensorValue(rng: Rng, base: number, amplitude: number, noise: number, k: number, periodSteps: number): number {
  const v = base + amplitude * Math.sin((2 * Math.PI * k) / periodSteps) + (rng.float() * 2 - 1) * noise;
  return Math.round(v * 100) / 100;
}
