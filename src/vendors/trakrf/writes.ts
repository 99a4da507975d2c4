/**
 * Write bodies of assets and locations (trakrf.md §8.1, §8.2): pure parsers from a decoded JSON object to a typed
 * input, applying the runtime's stage order — unknown keys → type mismatches → null rules → external_key →
 * struct validation → validity window. Each stage that finds errors stops there with all of its errors.
 */
import { parseRfc3339Ms } from '../../core/time.js';
import { field, type FieldError } from './errors.js';
import {
  check,
  externalKeyErrors,
  isSentinel,
  nameErrors,
  required,
  tagErrors,
  textErrors,
  typeMismatch,
  unknownKeys,
  windowError,
  type Json,
  type Obj,
  type TagInput,
} from './body.js';

export type Resource = 'asset' | 'location';
const plural = (r: Resource) => (r === 'asset' ? 'assets' : 'locations');
const idParam = (r: Resource) => `${r}_id`;

const LOCATION_FIELDS = ['location_id', 'location_external_key'];
const LOCATION_FIELD_MESSAGE =
  'asset location is collected through scan event ingestion (fixed-reader MQTT pipeline or handheld UI submission) and is not part of the asset resource. Read current asset location through GET /api/v1/reports/asset-locations or GET /api/v1/assets/{asset_id}/history.';

/** Asset `location_id` / `location_external_key` presence → read_only, checked before decoding the rest. */
function assetLocationFields(body: Obj): FieldError[] {
  return LOCATION_FIELDS.filter((k) => k in body).map((k) => field(k, 'read_only', LOCATION_FIELD_MESSAGE));
}

type Kind = 'string' | 'boolean' | 'object' | 'array' | 'timestamp' | 'int';

/** The first type mismatch in document order (Go's decoder reports one), ignoring nulls. */
function typeErrors(body: Obj, kinds: Record<string, Kind>): FieldError[] {
  for (const [k, v] of Object.entries(body)) {
    const kind = kinds[k];
    if (!kind || v === null) continue;
    const err = kindError(k, kind, v);
    if (err) return [err];
  }
  return [];
}

function kindError(k: string, kind: Kind, v: Json): FieldError | null {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? null : typeMismatch(k, 'string', v);
    case 'boolean':
      return typeof v === 'boolean' ? null : typeMismatch(k, 'boolean', v);
    case 'object':
      return typeof v === 'object' && !Array.isArray(v) ? null : field(k, 'invalid_value', `${k} must be a JSON object`);
    case 'array':
      return Array.isArray(v) ? null : typeMismatch(k, 'array', v);
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? null : typeMismatch(k, 'integer', v);
    case 'timestamp':
      return typeof v === 'string' && parseRfc3339Ms(v) !== null ? null : field(k, 'invalid_value', `${k} must be an RFC 3339 timestamp`);
  }
}

const ts = (v: Json | undefined): number | undefined => (typeof v === 'string' ? (parseRfc3339Ms(v) ?? undefined) : undefined);

function sentinelErrors(body: Obj, mode: 'create' | 'patch'): FieldError[] {
  const out: FieldError[] = [];
  const from = body.valid_from;
  if (typeof from === 'string' && isSentinel(parseRfc3339Ms(from)!)) {
    out.push(
      field(
        'valid_from',
        'invalid_value',
        `valid_from must not be a default-value sentinel (${from}); ${mode === 'create' ? 'omit the field to use the server default' : 'omit the field to leave unchanged'}, or provide a real timestamp`,
      ),
    );
  }
  const to = body.valid_to;
  if (typeof to === 'string' && isSentinel(parseRfc3339Ms(to)!)) {
    out.push(field('valid_to', 'invalid_value', `valid_to must not be a default-value sentinel (${to}); use JSON null to leave the field unset`));
  }
  return out;
}

function idErrors(name: string, v: number): FieldError[] {
  if (v < 1) return [field(name, 'too_small', `${name} must be >= 1`, { min: 1 })];
  if (v > Number.MAX_SAFE_INTEGER) return [field(name, 'too_large', `${name} must be <= ${Number.MAX_SAFE_INTEGER}`, { max: Number.MAX_SAFE_INTEGER })];
  return [];
}

function tagsErrors(v: Json | undefined): { tags: TagInput[]; errors: FieldError[] } {
  const tags: TagInput[] = [];
  const errors: FieldError[] = [];
  if (!Array.isArray(v)) return { tags, errors };
  for (const item of v) {
    const r = tagErrors(item, 'tags');
    if (r.tag) tags.push(r.tag);
    errors.push(...r.errors);
  }
  return { tags, errors };
}

// ---- create ---------------------------------------------------------------------------------------------------

export interface CreateInput {
  external_key?: string;
  name: string;
  description: string | null;
  metadata: Record<string, unknown>;
  is_active: boolean;
  valid_from?: number;
  valid_to: number | null;
  tags: TagInput[];
  /** Locations: the resolved parent (null = root). */
  parentId?: number | null;
}

export interface ParentInput {
  id?: number | null;
  externalKey?: string | null;
}

/** Live-location lookups in the caller's org (soft-deleted rows are not found), for parent resolution. */
export interface ParentLookup {
  byId(id: number): number | undefined;
  byKey(key: string): number | undefined;
}

const DISAGREE = 'parent_id and parent_external_key both supplied and disagree; supply exactly one or supply consistent values';
const MIXED = 'parent_id and parent_external_key are mutually exclusive when one is null and the other is set; supply exactly one';
const ambiguous = (m: string) => [field('parent_id', 'ambiguous_fields', m), field('parent_external_key', 'ambiguous_fields', m)];

/** The backend's resolveParent: `parent_id` when set (existence only), else a non-empty `parent_external_key`. */
function resolveParentRef(parents: ParentLookup, id: number | null | undefined, key: string | null | undefined): number | null {
  if (id !== undefined && id !== null) {
    if (parents.byId(id) === undefined) check([field('parent_id', 'fk_not_found', `parent_id ${id} not found`)]);
    return id;
  }
  if (key === undefined || key === null || key === '') return null;
  const found = parents.byKey(key);
  if (found === undefined) check([field('parent_external_key', 'fk_not_found', `parent_external_key "${key}" not found`)]);
  return found!;
}

/**
 * The backend's pre-validation reconciliation when both parent forms are present (locations.go Create ≈202–240,
 * doUpdate ≈542–583): both null → root; mixed null → ambiguous; both set → resolve the key only (fk_not_found) and
 * compare with `parent_id` as sent, never checking that `parent_id` exists. Returns the single intent left.
 */
function reconcileParent(parents: ParentLookup, body: Obj): ParentInput {
  const hasId = 'parent_id' in body;
  const hasKey = 'parent_external_key' in body;
  const p: ParentInput = {};
  if (hasId) p.id = body.parent_id as number | null;
  if (hasKey) p.externalKey = body.parent_external_key as string | null;
  if (!hasId || !hasKey) return p;
  if (p.id === null && p.externalKey === null) return { id: null };
  if (p.id === null || p.externalKey === null) check(ambiguous(MIXED));
  const resolved = resolveParentRef(parents, undefined, p.externalKey);
  if (resolved === null || resolved !== p.id) check(ambiguous(DISAGREE));
  return { id: p.id };
}

/** Struct validation of the parent forms left after reconciliation (`omitempty,min=1` / key pattern). */
function parentFieldErrors(p: ParentInput): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof p.id === 'number') errors.push(...idErrors('parent_id', p.id));
  if (typeof p.externalKey === 'string') errors.push(...externalKeyErrors('parent_external_key', p.externalKey));
  return errors;
}

const ASSET_CREATE: Record<string, Kind> = {
  external_key: 'string',
  name: 'string',
  description: 'string',
  metadata: 'object',
  is_active: 'boolean',
  valid_from: 'timestamp',
  valid_to: 'timestamp',
  tags: 'array',
};
const LOCATION_CREATE: Record<string, Kind> = {
  external_key: 'string',
  name: 'string',
  description: 'string',
  is_active: 'boolean',
  valid_from: 'timestamp',
  valid_to: 'timestamp',
  tags: 'array',
  parent_id: 'int',
  parent_external_key: 'string',
};

export function parseCreate(resource: Resource, body: Obj, now: number, parents?: ParentLookup): CreateInput {
  if (resource === 'asset') check(assetLocationFields(body));
  const kinds = resource === 'asset' ? ASSET_CREATE : LOCATION_CREATE;
  check(unknownKeys(body, Object.keys(kinds)));
  check(typeErrors(body, kinds));

  const nulls: FieldError[] = [];
  for (const k of ['name', 'external_key']) {
    if (body[k] === null) nulls.push(field(k, 'invalid_value', `${k} cannot be null; provide a string value`));
  }
  for (const k of resource === 'asset' ? ['valid_from', 'is_active', 'metadata'] : ['valid_from', 'is_active']) {
    if (body[k] === null) {
      nulls.push(field(k, 'invalid_value', `${k} cannot be null; omit the field to use the server default, or provide a value`));
    }
  }
  nulls.push(...sentinelErrors(body, 'create'));
  check(nulls);

  if (typeof body.external_key === 'string') check(externalKeyErrors('external_key', body.external_key));
  const parent = resource === 'location' && parents ? reconcileParent(parents, body) : {};

  const errors: FieldError[] = [];
  if (body.name === undefined) errors.push(required('name'));
  else errors.push(...nameErrors(body.name as string));
  if (typeof body.description === 'string') errors.push(...textErrors('description', body.description, 1, 1024));
  errors.push(...parentFieldErrors(parent));
  const { tags, errors: tagErrs } = tagsErrors(body.tags);
  errors.push(...tagErrs);
  check(errors);
  const parentId = resource === 'location' && parents ? resolveParentRef(parents, parent.id, parent.externalKey) : undefined;

  const validFrom = ts(body.valid_from);
  const validTo = ts(body.valid_to) ?? null;
  const w = windowError(validFrom ?? now, validTo);
  if (w) check([w]);

  const out: CreateInput = {
    external_key: body.external_key as string | undefined,
    name: body.name as string,
    description: (body.description as string | null | undefined) ?? null,
    metadata: (body.metadata as Record<string, unknown> | undefined) ?? {},
    is_active: (body.is_active as boolean | undefined) ?? true,
    valid_from: validFrom,
    valid_to: validTo,
    tags,
  };
  if (parentId !== undefined) out.parentId = parentId;
  return out;
}

// ---- patch ----------------------------------------------------------------------------------------------------

/** Current state a PATCH echo is compared with. */
export interface EchoState {
  id: number;
  external_key: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  tags: Array<{ id: number; tag_type: string; value: string }>;
  valid_from: number;
  valid_to: number | null;
}

export interface PatchInput {
  name?: string;
  /** null clears */
  description?: string | null;
  is_active?: boolean;
  metadata?: Record<string, unknown>;
  valid_from?: number;
  valid_to?: number | null;
  /** Locations: the new parent (null = root), absent when neither form was sent. */
  parentId?: number | null;
}

const ECHO = ['id', 'external_key', 'created_at', 'updated_at', 'deleted_at', 'tags'];

function sameInstant(v: Json | undefined, ms: number | null): boolean {
  if (ms === null) return v === null;
  return typeof v === 'string' && parseRfc3339Ms(v) === ms;
}

function sameTags(v: Json | undefined, current: EchoState['tags']): boolean {
  if (!Array.isArray(v) || v.length !== current.length) return false;
  const key = (t: { id: unknown; tag_type: unknown; value: unknown }) => JSON.stringify([t.id, t.tag_type, t.value]);
  const want = new Set(current.map(key));
  const seen = new Set<string>();
  for (const item of v) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
    if (Object.keys(item).some((k) => k !== 'id' && k !== 'tag_type' && k !== 'value')) return false;
    const k = key(item as { id: unknown; tag_type: unknown; value: unknown });
    if (!want.has(k)) return false;
    seen.add(k);
  }
  return seen.size === want.size;
}

function echoErrors(resource: Resource, body: Obj, cur: EchoState): FieldError[] {
  const base = `/api/v1/${plural(resource)}/{${idParam(resource)}}`;
  const out: FieldError[] = [];
  if ('id' in body && body.id !== cur.id) {
    out.push(field('id', 'read_only', "id is server-assigned and immutable; submit the resource's current id or omit the field"));
  }
  if ('created_at' in body && !sameInstant(body.created_at, cur.created_at)) {
    out.push(
      field('created_at', 'read_only', "created_at is server-managed and immutable; submit the resource's current created_at or omit the field"),
    );
  }
  if ('updated_at' in body && !sameInstant(body.updated_at, cur.updated_at)) {
    out.push(
      field(
        'updated_at',
        'read_only',
        "updated_at is server-managed; PATCH advances it implicitly. Submit the resource's current updated_at or omit the field",
      ),
    );
  }
  if ('deleted_at' in body && !sameInstant(body.deleted_at, cur.deleted_at)) {
    out.push(
      field(
        'deleted_at',
        'read_only',
        `deleted_at is server-managed; use DELETE ${base} to soft-delete. Submit the resource's current deleted_at or omit the field`,
      ),
    );
  }
  if ('tags' in body && !sameTags(body.tags, cur.tags)) {
    out.push(
      field(
        'tags',
        'invalid_context',
        `the tags field on PATCH must equal the current value as a set (idempotent echo only; ordering is not significant); use POST ${base}/tags and DELETE ${base}/tags/{tag_id} to mutate`,
      ),
    );
  }
  if ('external_key' in body && body.external_key !== cur.external_key) {
    out.push(
      field(
        'external_key',
        'invalid_context',
        `external_key is immutable via PATCH; use POST ${base}/rename with body {"external_key": "<new value>"} to change it`,
      ),
    );
  }
  return out;
}

const ASSET_PATCH: Record<string, Kind> = {
  name: 'string',
  description: 'string',
  is_active: 'boolean',
  metadata: 'object',
  valid_from: 'timestamp',
  valid_to: 'timestamp',
};
const LOCATION_PATCH: Record<string, Kind> = {
  name: 'string',
  description: 'string',
  is_active: 'boolean',
  valid_from: 'timestamp',
  valid_to: 'timestamp',
  parent_id: 'int',
  parent_external_key: 'string',
};

export function parsePatch(resource: Resource, body: Obj, cur: EchoState, parents?: ParentLookup): PatchInput {
  if (resource === 'asset') check(assetLocationFields(body));
  const kinds = resource === 'asset' ? ASSET_PATCH : LOCATION_PATCH;
  check(unknownKeys(body, [...Object.keys(kinds), ...ECHO]));
  check(typeErrors(body, kinds));

  const nulls: FieldError[] = [];
  for (const k of resource === 'asset' ? ['valid_from', 'name', 'is_active', 'metadata'] : ['valid_from', 'name', 'is_active']) {
    if (body[k] === null) {
      nulls.push(field(k, 'invalid_value', `${k} cannot be null; omit the field to leave unchanged, or provide a value`));
    }
  }
  nulls.push(...sentinelErrors(body, 'patch'));
  check(nulls);
  check(echoErrors(resource, body, cur));
  const parent = resource === 'location' && parents ? reconcileParent(parents, body) : {};

  const errors: FieldError[] = [];
  if (typeof body.name === 'string') errors.push(...nameErrors(body.name));
  if (typeof body.description === 'string') errors.push(...textErrors('description', body.description, 1, 1024));
  errors.push(...parentFieldErrors(parent));
  check(errors);

  const out: PatchInput = {};
  if (body.name !== undefined) out.name = body.name as string;
  if (body.description !== undefined) out.description = body.description as string | null;
  if (body.is_active !== undefined) out.is_active = body.is_active as boolean;
  if (body.metadata !== undefined) out.metadata = body.metadata as Record<string, unknown>;
  if (body.valid_from !== undefined) out.valid_from = ts(body.valid_from);
  if (body.valid_to !== undefined) out.valid_to = ts(body.valid_to) ?? null;
  const w = windowError(out.valid_from ?? cur.valid_from, out.valid_to === undefined ? cur.valid_to : out.valid_to);
  if (w) check([w]);
  if (parents && ('id' in parent || 'externalKey' in parent)) out.parentId = resolveParentRef(parents, parent.id, parent.externalKey);
  return out;
}

// ---- rename, tag ------------------------------------------------------------------------------------------------

export function parseRename(body: Obj): string {
  check(unknownKeys(body, ['external_key']));
  const v = body.external_key;
  if (v === undefined || v === null) check([required('external_key')]);
  if (typeof v !== 'string') check([typeMismatch('external_key', 'string', v as Json)]);
  check(externalKeyErrors('external_key', v as string));
  return v as string;
}

export function parseTag(body: Obj): TagInput {
  const r = tagErrors(body);
  check(r.errors);
  return r.tag!;
}

