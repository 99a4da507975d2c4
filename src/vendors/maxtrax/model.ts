/** The weld lifecycle and the roles: pure data, shared by the store, the routes and the tests. */
export const WELD_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED'] as const;
export type WeldStatus = (typeof WELD_STATUSES)[number];

export const ROLES = ['inspector', 'ndt_technician', 'welder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Inspector workflow (inferred from the help centre's "Record an inspection"): a pending weld is accepted, rejected
 * (entering the repair workflow) or sent to repair; rejected and repair welds stay in the workflow until a follow-up
 * inspection accepts them. ACCEPTED and VOIDED are final. VOIDED is outside the inspector flow: admins only.
 */
export const TRANSITIONS: Record<WeldStatus, readonly WeldStatus[]> = {
  PENDING: ['ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED'],
  REJECTED: ['REPAIR', 'ACCEPTED', 'VOIDED'],
  REPAIR: ['ACCEPTED', 'REJECTED', 'VOIDED'],
  ACCEPTED: [],
  VOIDED: [],
};

/** Roles that may set a status (403 for anyone else). */
export function mayChangeStatus(role: Role, to: WeldStatus): boolean {
  if (to === 'VOIDED') return role === 'admin';
  return role === 'inspector' || role === 'admin';
}

export function isWeldStatus(v: unknown): v is WeldStatus {
  return typeof v === 'string' && (WELD_STATUSES as readonly string[]).includes(v);
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
