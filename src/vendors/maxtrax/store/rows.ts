/** Row shapes of the MaxTrax tables (schema.ts), as the store returns them. Times are suite-clock milliseconds. */
import type { Role, WeldStatus } from '../model.js';

export interface TenantRow { id: string; name: string; ready: number; created_at: number }
export interface UserRow {
  id: string; tenant: string; user_name: string; password_hash: string; role: Role; display_name: string; created_at: number;
}
export interface IsoRow {
  id: string; seq: number; tenant: string; iso_number: string; revision: string; line_number: string; area: string;
  test_package: string | null; created_at: number; updated_at: number;
}
export interface WeldRow {
  id: string; seq: number; tenant: string; iso_id: string; weld_number: string; type: string; size: number;
  schedule: string; status: WeldStatus; welder_id: string | null; wps: string | null; created_at: number; updated_at: number;
}
export interface InspectionRow {
  id: string; seq: number; tenant: string; weld_id: string; from_status: WeldStatus; to_status: WeldStatus;
  reason: string | null; inspector_id: string; inspector_name: string; recorded_at: number;
}

export interface Page<T> { rows: T[]; total: number }
