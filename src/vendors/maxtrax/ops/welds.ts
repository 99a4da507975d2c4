/** The inspector workflow: status changes, validated before anything is written, in one transaction. */
import type { Clock } from '../../../core/clock.js';
import type { Principal } from '../auth.js';
import { invalidField, onlyFields, problems } from '../errors.js';
import { TRANSITIONS, WELD_STATUSES, isWeldStatus, mayChangeStatus, type WeldStatus } from '../model.js';
import type { InspectionRow, MaxtraxStore, WeldRow } from '../store/index.js';

const MAX_REASON = 2000;

interface Deps {
  store: MaxtraxStore;
  clock: Clock;
  newId: () => string;
}

/** Only inspectors and admins change a status (checked before the body is read). */
export function mayEditStatus(me: Principal): void {
  if (me.role !== 'inspector' && me.role !== 'admin') throw problems.forbiddenRole(me.role, 'change weld status');
}

/**
 * PATCH /welds/{id}/status with its JSON body: records the inspection and moves the weld, checking the transition
 * against the status read inside the transaction. Returns the weld and its audit trail.
 */
export function changeStatus(s: Deps, tenant: string, me: Principal, id: string, body: Record<string, unknown>): { weld: WeldRow; inspections: InspectionRow[] } {
  mayEditStatus(me);
  onlyFields(body, ['status', 'reason']);
  const { status, reason } = body;
  if (status === undefined) throw invalidField('status', 'is required');
  if (!isWeldStatus(status)) throw invalidField('status', `must be one of ${WELD_STATUSES.join(', ')}`);
  if (reason !== undefined && reason !== null && typeof reason !== 'string') throw invalidField('reason', 'must be a string');
  if (typeof reason === 'string' && reason.length > MAX_REASON) throw invalidField('reason', `must be at most ${MAX_REASON} characters`);
  if (!mayChangeStatus(me.role, status)) throw problems.forbiddenRole(me.role, `set a weld to ${status}`);
  // The transition is checked against the status read inside the transaction; nothing is written when it fails.
  const result = s.store.transaction((): WeldRow | { missing: true } | { from: WeldStatus } => {
    const before = s.store.welds.get(tenant, id);
    if (!before) return { missing: true };
    if (!TRANSITIONS[before.status].includes(status)) return { from: before.status };
    const now = s.clock.nowMs();
    const after = s.store.welds.setStatus(before, status, now);
    s.store.inspections.insert({
      id: s.newId(), tenant, weld_id: id, from_status: before.status, to_status: status,
      reason: typeof reason === 'string' && reason !== '' ? reason : null,
      inspector_id: me.id, inspector_name: me.name, recorded_at: now,
    });
    return after;
  });
  if ('missing' in result) throw problems.weldNotFound(id);
  if ('from' in result) throw problems.invalidTransition(id, result.from, status, TRANSITIONS[result.from]);
  const weld = result;
  return { weld, inspections: s.store.inspections.forWeld(tenant, id) };
}
