/** Presenters shared by routes and operations: stored rows → the wire shapes MaintainX sends. */
import type { Json, Row } from './store.js';

/** Fields named in webhook `newWorkOrder` objects. */
const WEBHOOK_FIELDS = ['assetId', 'assigneeIds', 'categories', 'description', 'dueDate', 'estimatedTime', 'extraFields', 'locationId', 'parts', 'priority', 'startDate', 'teamIds', 'title', 'vendorIds'];

export function webhookView(row: Row): Json {
  const out: Json = {};
  for (const k of WEBHOOK_FIELDS) out[k] = row.data[k] ?? null;
  return out;
}
