/**
 * Demo data: ISOs with welds across every status, each non-pending weld with the inspections that led to its status.
 * Deterministic for a given Rng (faker is seeded from it), so the same seed gives the same data.
 */
// The single-locale entry point: the package root loads every locale (~150 ms of start-up).
import { faker } from '../../core/faker.js';
import type { Rng } from '../../core/rng.js';
import type { MaxtraxStore, UserRow } from './store/index.js';
import type { WeldStatus } from './model.js';

const TYPES = ['BW', 'SW', 'FW', 'BR'] as const;
const SIZES = [0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 10, 12, 16, 24] as const;
const SCHEDULES = ['10', '40', '80', '160', 'STD', 'XS', 'XXS'] as const;
const WPS = ['WPS-CS-001', 'WPS-CS-002', 'WPS-SS-101', 'WPS-DSS-201'] as const;
const SERVICES = ['P', 'CW', 'FW', 'IA', 'N', 'ST'] as const;

/** Paths through the workflow that end in each status (first step from PENDING). */
const HISTORIES: Array<WeldStatus[]> = [
  [],
  [],
  [],
  ['ACCEPTED'],
  ['ACCEPTED'],
  ['REJECTED'],
  ['REPAIR'],
  ['REJECTED', 'REPAIR'],
  ['REJECTED', 'REPAIR', 'ACCEPTED'],
  ['VOIDED'],
];

export interface GenerateInput {
  tenant: string;
  isos: number;
  weldsPerIso: number;
  /** Suite-clock milliseconds; generated timestamps lie in the 60 days before it. */
  now: number;
}

export function generateTenantData(store: MaxtraxStore, rng: Rng, input: GenerateInput): { isos: number; welds: number } {
  faker.seed(rng.next());
  const welders = store.users.byRole(input.tenant, 'welder');
  const inspectors = store.users.byRole(input.tenant, 'inspector');
  const admins = store.users.byRole(input.tenant, 'admin');
  const day = 86_400_000;
  let welds = 0;
  const area = faker.number.int({ min: 1, max: 9 });
  for (let i = 0; i < input.isos; i++) {
    const isoId = rng.uuid();
    const service = rng.pick(SERVICES);
    const line = `${area}${String(rng.int(100, 999))}`;
    const created = input.now - rng.int(20, 60) * day - rng.int(0, day);
    const nominal = rng.pick(SIZES);
    store.isos.insert({
      id: isoId,
      tenant: input.tenant,
      iso_number: `${service}-${line}-ISO-${String(i + 1).padStart(3, '0')}`,
      revision: rng.pick(['A', 'B', 'C', '0', '1']),
      line_number: `${nominal}"-${service}-${line}-${rng.pick(['A1A', 'B2C', 'C1S'])}`,
      area: `Area ${area}0${faker.string.alpha({ length: 1, casing: 'upper' })}`,
      test_package: rng.float() < 0.8 ? `TP-${area}${String(rng.int(1, 40)).padStart(3, '0')}` : null,
      created_at: created,
      updated_at: created,
    });
    for (let w = 0; w < input.weldsPerIso; w++) {
      const weldId = rng.uuid();
      const welder: UserRow | null = welders.length && rng.float() < 0.9 ? rng.pick(welders) : null;
      const history = rng.pick(HISTORIES);
      const weldCreated = created + rng.int(1, 10) * day;
      let status: WeldStatus = 'PENDING';
      let at = weldCreated;
      const steps: Array<{ from: WeldStatus; to: WeldStatus; at: number; by: UserRow | undefined }> = [];
      for (const to of history) {
        at += rng.int(1, 5) * day + rng.int(0, day);
        const by = to === 'VOIDED' ? admins[0] : inspectors.length ? rng.pick(inspectors) : admins[0];
        if (!by) break;
        steps.push({ from: status, to, at, by });
        status = to;
      }
      store.welds.insert({
        id: weldId,
        tenant: input.tenant,
        iso_id: isoId,
        weld_number: `W-${String(w + 1).padStart(3, '0')}`,
        type: rng.pick(TYPES),
        size: rng.float() < 0.7 ? nominal : rng.pick(SIZES),
        schedule: rng.pick(SCHEDULES),
        status,
        welder_id: welder?.id ?? null,
        wps: rng.pick(WPS),
        created_at: weldCreated,
        updated_at: steps.length ? steps[steps.length - 1].at : weldCreated,
      });
      for (const s of steps) {
        store.inspections.insert({
          id: rng.uuid(),
          tenant: input.tenant,
          weld_id: weldId,
          from_status: s.from,
          to_status: s.to,
          reason: s.to === 'REJECTED' ? rng.pick(['Porosity on RT film', 'Lack of fusion', 'Undercut exceeds 0.8 mm', 'Crack at root']) :
            s.to === 'VOIDED' ? 'Weld removed by design change' : null,
          inspector_id: s.by!.id,
          inspector_name: s.by!.display_name,
          recorded_at: s.at,
        });
      }
      welds++;
    }
  }
  return { isos: input.isos, welds };
}
