/**
 * What every MaintainX operation shares: the acting user and organization as plain values, one transaction per
 * write with its webhook events delivered only after the commit, and the reference checks operations validate with.
 */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';

/** Who acts, and in which organization (resolved from the key and `x-organization-id` by the HTTP layer). */
export interface Actor {
  orgId: number;
  userId: number;
  /** `skipWebhook` / `skipRestHook`: the write sends no webhook. */
  skipWebhook?: boolean;
}

/**
 * Runs `fn` in one transaction. Webhook events emitted inside are held back and delivered only once it commits; a
 * thrown error rolls every write back and drops the events. Nested calls join the outer transaction.
 */
export function write<T>(mx: Mx, fn: () => T): T {
  if (mx.hooks.holding()) return fn();
  mx.hooks.hold();
  let released = false;
  try {
    const value = mx.ctx.handle.transaction(fn);
    released = true;
    mx.hooks.release(true);
    return value;
  } finally {
    if (!released) mx.hooks.release(false);
  }
}

/** Soft-deletes one row (DELETE of an entity without events or dependent rows). */
export function deleteRecord(mx: Mx, row: Row): void {
  write(mx, () => mx.store.records.softDelete(row));
}

/** Checks that `id` (when given) is a live `kind` of the organization. */
export function ref(mx: Mx, orgId: number, kind: string, field: string, id: unknown): void {
  if (id === undefined || id === null) return;
  if (typeof id !== 'number' || !mx.store.records.get(kind, id, [orgId])) {
    throw validation([{ error: `${field} is not valid`, fieldPath: field, fieldValue: typeof id === 'object' ? null : (id as any) }]);
  }
}

export function refs(mx: Mx, orgId: number, kind: string, field: string, ids: unknown): void {
  if (!Array.isArray(ids)) return;
  ids.forEach((id, i) => {
    if (typeof id !== 'number' || !mx.store.records.get(kind, id, [orgId])) {
      throw validation([{ error: `${field} is not valid`, fieldPath: `${field}.${i}`, fieldValue: typeof id === 'object' ? null : id }]);
    }
  });
}

/** Copies the allowed keys of `body` onto `data`. */
export function pick(data: Json, body: Json, keys: readonly string[]): Json {
  for (const k of keys) if (k in body) data[k] = body[k];
  return data;
}
