/** JSON representations (field names inferred from the data model page; camelCase like `userName`). */
import { iso8601 } from './http.js';
import type { InspectionRow, IsoRow, WeldRow } from './store.js';

export function isoJson(r: IsoRow) {
  return {
    id: r.id,
    isoNumber: r.iso_number,
    revision: r.revision,
    lineNumber: r.line_number,
    area: r.area,
    testPackage: r.test_package,
    createdAt: iso8601(r.created_at),
    updatedAt: iso8601(r.updated_at),
  };
}

export function weldJson(r: WeldRow) {
  return {
    id: r.id,
    isoId: r.iso_id,
    weldNumber: r.weld_number,
    type: r.type,
    size: r.size,
    schedule: r.schedule,
    status: r.status,
    welderId: r.welder_id,
    wps: r.wps,
    createdAt: iso8601(r.created_at),
    updatedAt: iso8601(r.updated_at),
  };
}

export function inspectionJson(r: InspectionRow) {
  return {
    id: r.id,
    weldId: r.weld_id,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    reason: r.reason,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    recordedAt: iso8601(r.recorded_at),
  };
}
