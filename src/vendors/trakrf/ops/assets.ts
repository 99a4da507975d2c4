/** Asset operations (trakrf.md §8.1): reads composed with their tags, and writes, each in one transaction. */
import type { CreateInput, PatchInput } from '../writes.js';
import type { OrgMemo } from '../memo.js';
import type { AssetListQuery, AssetRow, TrakrfStore } from '../store/index.js';
import { assetView, type AssetView } from '../views.js';
import { checkKeyFree, memoTotal, newRow, touchTime } from './common.js';
import { insertInlineTags } from './tags.js';

/**
 * `metadata` as the vendor returns it: decoded into a Go map, whose JSON encoding sorts keys at every level (so
 * key order on read is alphabetical, not the order sent).
 */
export function metadataJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          .map((k) => [k, sorted(o[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value));
}

export function listAssets(store: TrakrfStore, counts: OrgMemo, q: AssetListQuery): { data: AssetView[]; total: number } {
  const now = store.now();
  const total = memoTotal(counts, 'assets', q, () => store.assets.count(q, now));
  const rows = store.assets.page(q, now);
  const tags = store.tags.ofOwners(
    'asset',
    rows.map((r) => r.id),
    null,
  );
  return { data: rows.map((r) => assetView(r, tags.get(r.id)!)), total };
}

/** A live asset with its currently effective tags. */
export function getAsset(store: TrakrfStore, orgId: number, id: number): AssetView | undefined {
  const row = store.assets.get(orgId, id);
  return row && assetView(row, store.tags.ofOwners('asset', [row.id], store.now()).get(row.id)!);
}

export function createAsset(store: TrakrfStore, orgId: number, input: CreateInput): AssetView {
  return store.transaction(() => {
    const row = { ...newRow(store, store.assets, 'asset', orgId, input), metadata: metadataJson(input.metadata) };
    store.assets.insert(row);
    insertInlineTags(store, orgId, 'asset', row.id, input.tags, row.created_at);
    return assetView(store.assets.get(orgId, row.id)!, store.tags.live('asset', row.id));
  });
}

/** Merge-patch of a live asset (`row`, read before the body was parsed against it). */
export function updateAsset(store: TrakrfStore, orgId: number, row: AssetRow, patch: PatchInput): AssetView {
  return store.transaction(() => {
    store.assets.update(row.id, {
      name: patch.name ?? row.name,
      description: patch.description === undefined ? row.description : patch.description,
      metadata: patch.metadata === undefined ? row.metadata : metadataJson(patch.metadata),
      is_active: patch.is_active === undefined ? row.is_active : patch.is_active ? 1 : 0,
      valid_from: patch.valid_from ?? row.valid_from,
      valid_to: patch.valid_to === undefined ? row.valid_to : patch.valid_to,
      updated_at: touchTime(store.now(), row.updated_at),
    });
    return getAsset(store, orgId, row.id)!;
  });
}

/** Soft delete: frees the key, cascades to the asset's tags; false when there is no live asset. */
export function deleteAsset(store: TrakrfStore, orgId: number, id: number): boolean {
  return store.transaction(() => {
    const now = store.now();
    const done = store.assets.softDelete(orgId, id, now);
    if (done) store.tags.removeAll('asset', id, now);
    return done;
  });
}

export function renameAsset(store: TrakrfStore, orgId: number, row: AssetRow, key: string): AssetView {
  return store.transaction(() => {
    if (key !== row.external_key) {
      checkKeyFree(store.assets, 'asset', orgId, key, row.id);
      store.assets.setKey(row.id, key, touchTime(store.now(), row.updated_at));
    }
    return getAsset(store, orgId, row.id)!;
  });
}

const GEN_KINDS = ['Forklift', 'Pallet jack', 'Tote', 'Roll cage', 'Scanner', 'Cart'];

/** Bulk demo data (control plane, bench): `n` assets with one rfid tag each in one transaction; keys continue ASSET-N. */
export function generateAssets(store: TrakrfStore, orgId: number, n: number, rng: { next(): number }): number {
  store.transaction(() => {
    const now = store.now();
    const first = store.assets.maxKeyNumber(orgId) + 1;
    // the shared sequence gives each asset an id, then its tag one
    const ids = store.meta.nextIds(2 * n);
    for (let i = 0; i < n; i++) {
      const id = ids[2 * i];
      const r = rng.next();
      const t = now - (n - i) * 1000;
      const key = `ASSET-${String(first + i).padStart(4, '0')}`;
      const name = `${GEN_KINDS[r % GEN_KINDS.length]} ${first + i}`;
      store.assets.insert({ id, org_id: orgId, external_key: key, name, description: null, metadata: '{}', is_active: r % 10 === 0 ? 0 : 1, valid_from: t, valid_to: null, created_at: t, updated_at: t });
      const value = `GEN${String(first + i).padStart(12, '0')}${(r >>> 0).toString(16).toUpperCase()}`;
      store.tags.insert({ id: ids[2 * i + 1], org_id: orgId, owner: 'asset', owner_id: id, tag_type: 'rfid', value, created_at: t, seq: 0 });
    }
  });
  store.analyze();
  return n;
}
