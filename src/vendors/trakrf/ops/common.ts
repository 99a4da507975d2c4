/** What the asset and location operations share: auto-minted keys, write stamps, memoized list totals. */
import { conflict } from '../errors.js';
import type { OrgMemo } from '../memo.js';
import type { KeyedStore } from '../store/keyed.js';
import type { KeyedRow, TrakrfStore } from '../store/index.js';
import type { CreateInput } from '../writes.js';

const KEY_FORMAT = { asset: ['ASSET-', 4], location: ['LOC-', 3] } as const;

/** The next auto-minted key: MAX numeric suffix over live `PREFIX-<digits>` keys + 1 (gaps are not backfilled). */
function nextKey(rows: KeyedStore<KeyedRow>, kind: 'asset' | 'location', orgId: number): string {
  const [prefix, width] = KEY_FORMAT[kind];
  return prefix + String(rows.maxKeyNumber(orgId) + 1).padStart(width, '0');
}

/** 409 when another live row of the org holds `key`. */
export function checkKeyFree(rows: KeyedStore<KeyedRow>, kind: 'asset' | 'location', orgId: number, key: string, exceptId?: number): void {
  const holder = rows.liveByKey(orgId, key);
  if (holder !== undefined && holder.id !== exceptId) throw conflict(`${kind} with external_key ${key} already exists`);
}

/**
 * The columns every create sets (inside its transaction): the key (sent or auto-minted; 409 when a live row holds
 * it), a new id, the sent fields, the validity window (from now unless sent) and the timestamps.
 */
export function newRow(store: TrakrfStore, rows: KeyedStore<KeyedRow>, kind: 'asset' | 'location', orgId: number, input: CreateInput): Omit<KeyedRow, 'deleted_at'> {
  const now = store.now();
  const key = input.external_key ?? nextKey(rows, kind, orgId);
  checkKeyFree(rows, kind, orgId, key);
  return {
    id: store.meta.nextId(),
    org_id: orgId,
    external_key: key,
    name: input.name,
    description: input.description,
    is_active: input.is_active ? 1 : 0,
    valid_from: input.valid_from ?? now,
    valid_to: input.valid_to,
    created_at: now,
    updated_at: now,
  };
}

/** updated_at = now, but always past the previous value (a frozen clock still shows the write). */
export const touchTime = (now: number, prev: number): number => Math.max(now, prev + 1);

/**
 * A list query's total, memoized in `counts` (exact: see OrgMemo). The key is every filter of the query; limit,
 * offset and sort do not change a total.
 */
export function memoTotal<Q extends { orgId: number; limit: number; offset: number; sort: unknown }>(
  counts: OrgMemo,
  list: string,
  q: Q,
  compute: () => number,
): number {
  const { limit: _l, offset: _o, sort: _s, ...filters } = q;
  return counts.get(`${list}-total\u0000${JSON.stringify(filters)}`, q.orgId, compute);
}
