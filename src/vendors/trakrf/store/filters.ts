/**
 * The WHERE clauses of the list queries: the org, the validity window, the filters, and the `q` search (Postgres
 * ILIKE '%q%' over a row's text columns and its tag values, in SQLite).
 */
import type { Db } from '../../../core/db.js';

/** SQLite refuses LIKE patterns over 50,000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH); Postgres has no such limit. */
const LIKE_LIMIT_BYTES = 50_000;
/** The longest searchable value (a description, 1,024 characters; names, keys and tag values are shorter). */
const MAX_SEARCHABLE_CHARS = 1024;

/**
 * Escapes nothing: like Postgres ILIKE '%q%', `%` and `_` in q stay wildcards and `\` escapes. A pattern over
 * SQLite's limit is replaced by an equivalent one: runs of `%` collapse to one, and a pattern that needs more
 * characters than any searchable value has becomes one that matches nothing (so a huge `q` answers like Postgres).
 */
function likeContains(q: string): string {
  const pat = `%${q}%`;
  if (pat.length <= LIKE_LIMIT_BYTES / 4 || Buffer.byteLength(pat) <= LIKE_LIMIT_BYTES) return pat;
  let out = '';
  let need = 0;
  let lastWild = false;
  let escape = false;
  for (const ch of pat) {
    if (escape) {
      out += ch;
      need++;
      escape = false;
      lastWild = false;
    } else if (ch === '\\') {
      out += ch;
      escape = true;
    } else if (ch === '%') {
      if (!lastWild) out += ch;
      lastWild = true;
    } else {
      out += ch;
      need++;
      lastWild = false;
    }
    if (need > MAX_SEARCHABLE_CHARS) return '_'.repeat(MAX_SEARCHABLE_CHARS + 1) + '%';
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7F]/;

/** A WHERE clause under construction: its conditions and their parameters, in order. */
export class Where {
  private readonly conditions: string[];
  readonly params: unknown[];

  /** The rows of `alias` in the org, inside their validity window at `now`, live unless `includeDeleted`. */
  constructor(alias: string, orgId: number, now: number, includeDeleted: boolean) {
    this.conditions = [`${alias}.org_id = ?`, `${alias}.valid_from <= ?`, `(${alias}.valid_to IS NULL OR ${alias}.valid_to > ?)`];
    this.params = [orgId, now, now];
    if (!includeDeleted) this.conditions.push(`${alias}.deleted_at IS NULL`);
  }

  add(condition: string, ...params: unknown[]): this {
    this.conditions.push(condition);
    this.params.push(...params);
    return this;
  }

  /** `column IN (values)`, when any values are given. */
  in(column: string, values: readonly unknown[]): this {
    return values.length ? this.add(`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(values)) : this;
  }

  /**
   * `q`, when given: ILIKE '%q%' (`%`/`_` stay wildcards, `\` escapes as Postgres's default LIKE escape) over name,
   * external_key[, description] and the owner's active, currently-effective tag values. SQLite's LIKE folds ASCII
   * case only; Postgres's ILIKE lowercases both sides with lower() in a multibyte encoding, so a `q` with non-ASCII
   * characters compares `trakrf_lower(column)` with the lowercased pattern (JavaScript's Unicode lowercase).
   */
  search(db: Db, alias: string, ownerColumn: string, withDescription: boolean, q: string | undefined, now: number): this {
    if (q === undefined || q === '') return this;
    registerLower(db);
    const fold = NON_ASCII.test(q);
    const like = (col: string) => `${fold ? `trakrf_lower(${col})` : col} LIKE ? ESCAPE '\\'`;
    const pat = fold ? likeContains(q).toLowerCase() : likeContains(q);
    return this.add(
      `(${like(`${alias}.name`)} OR ${like(`${alias}.external_key`)}${withDescription ? ` OR ${like(`${alias}.description`)}` : ''}
    OR EXISTS (SELECT 1 FROM tags t WHERE t.${ownerColumn} = ${alias}.id AND t.deleted_at IS NULL AND t.is_active = 1
               AND t.valid_from <= ? AND (t.valid_to IS NULL OR t.valid_to > ?) AND ${like('t.value')}))`,
      ...(withDescription ? [pat, pat, pat, now, now, pat] : [pat, pat, now, now, pat]),
    );
  }

  get sql(): string {
    return this.conditions.join(' AND ');
  }
}

/** Connections `trakrf_lower` is registered on (reset opens a new one). */
const folding = new WeakSet<object>();
function registerLower(db: Db): void {
  if (folding.has(db)) return;
  db.function('trakrf_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  folding.add(db);
}
