/**
 * Collections: each is a real SQLite table "<domain>.<collection>" (id TEXT PRIMARY KEY, data JSONB), created on
 * first write. The whole record (including `id` as {Table, ID}, `created_dt`, `updated_dt`) is the JSON in `data`,
 * so filters are json_extract/json_type expressions with the JSON path bound as a parameter. Table names are built
 * only from validated names and always quoted.
 */
import type { Db, Statement, VendorDb } from '../../../core/db.js';
import { err } from '../errors.js';
import type { Condition, ListQuery, Scalar } from '../query.js';

export const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** Route names that take precedence over `/machhub/:table_name` (reference §3.4). */
export const RESERVED_COLLECTIONS = new Set(['auth', 'tag', 'historian', 'processes', 'file', 'designer', 'info', 'flow', 'function']);

export function tableName(domain: string, collection: string): string {
  return `${domain}.${collection}`;
}
function quoted(table: string): string {
  if (!/^[a-z0-9_-]{1,64}\.[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(table)) throw new Error(`unsafe table name ${table}`);
  return `"${table}"`;
}

export function jsonPath(path: string[]): string {
  return '$' + path.map((s) => `."${s}"`).join('');
}

/** A tiny SQL builder that keeps fragments and their bound parameters together. */
class Sql {
  text = '';
  params: unknown[] = [];
  add(text: string, ...params: unknown[]): this {
    this.text += text;
    this.params.push(...params);
    return this;
  }
}

/** Where a value lives: an SQL expression that yields a JSON path into `data`, plus its parameters. */
interface Slot {
  path: string;
  params: unknown[];
}
/**
 * A top-level field's path is written into the SQL as a literal (its segments are validated names), so that
 * `json_extract(data, '$."f"')` is the very expression of the field's index (an index on an expression only serves
 * queries that spell the same expression).
 */
const topSlot = (path: string[], indexed: ReadonlySet<string>): Slot => {
  const p = jsonPath(path);
  return indexed.has(p) ? { path: `'${p}'`, params: [] } : { path: '?', params: [p] };
};
const elemSlot = (alias: string, sub: string[] = []): Slot =>
  sub.length ? { path: `(${alias}.fullkey || ?)`, params: [jsonPath(sub).slice(1)] } : { path: `${alias}.fullkey`, params: [] };

// Restarted by each compileWhere, so the same query compiles to the same SQL text (statement cache, count memo).
let aliasSeq = 0;
const nextAlias = () => `e${++aliasSeq}`;

function typ(b: Sql, s: Slot): void {
  b.add(`json_type(data, ${s.path})`, ...s.params);
}
function val(b: Sql, s: Slot): void {
  b.add(`json_extract(data, ${s.path})`, ...s.params);
}

/**
 * Equality, typed: strings also match a record link {Table, ID} by its `Table:ID` form. Each branch carries a
 * constraint on the field's value itself (an object's value is its JSON text, which starts with `{`), so an index on
 * the field serves every branch.
 */
function eq(b: Sql, s: Slot, v: Scalar): void {
  if (v === null) {
    b.add('(');
    val(b, s);
    b.add(' IS NULL AND coalesce(');
    typ(b, s);
    b.add(", 'null') = 'null')");
    return;
  }
  if (typeof v === 'boolean') {
    b.add('(');
    val(b, s);
    b.add(` = ${v ? 1 : 0} AND `);
    typ(b, s);
    b.add(' = ?)', v ? 'true' : 'false');
    return;
  }
  // Cheapest test first: most rows fail the value comparison, so the type check rarely runs.
  if (typeof v === 'number') {
    b.add('(');
    val(b, s);
    b.add(' = ? AND ', v);
    typ(b, s);
    b.add(" IN ('integer','real'))");
    return;
  }
  textOrLink(b, s, ' = ?', v);
}

/** The field passes `test` (its one parameter `param`) as text, or as a record link's `Table:ID` text. */
function textOrLink(b: Sql, s: Slot, test: string, param: unknown): void {
  b.add('((');
  val(b, s);
  b.add(`${test} AND `, param);
  typ(b, s);
  b.add(" = 'text') OR (");
  linkText(b, s);
  b.add(`${test}))`, param);
}

/** A record link's `Table:ID` text, guarded so that the field's index serves it (its value is JSON text from `{`). */
function linkText(b: Sql, s: Slot): void {
  val(b, s);
  b.add(" >= '{' AND ");
  val(b, s);
  b.add(" < '|' AND ");
  typ(b, s);
  b.add(" = 'object' AND json_extract(data, ");
  b.add(`${s.path} || '."Table"'`, ...s.params);
  b.add(") || ':' || json_extract(data, ");
  b.add(`${s.path} || '."ID"'`, ...s.params);
  b.add(')');
}

function cmp(b: Sql, s: Slot, op: '<' | '<=' | '>' | '>=', v: Scalar): void {
  if (v === null) {
    b.add('0');
    return;
  }
  const types = typeof v === 'number' ? "IN ('integer','real')" : typeof v === 'boolean' ? "IN ('true','false')" : "= 'text'";
  b.add('(');
  val(b, s);
  b.add(` ${op} ? AND `, typeof v === 'boolean' ? (v ? 1 : 0) : v);
  typ(b, s);
  b.add(` ${types})`);
}

function asciiLowerNeedle(v: Scalar): string {
  return String(v).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function fuzzy(b: Sql, s: Slot, v: Scalar): void {
  b.add('(');
  typ(b, s);
  b.add(" = 'text' AND instr(lower(");
  val(b, s);
  b.add('), ?) > 0)', asciiLowerNeedle(v));
}

function substr(b: Sql, s: Slot, v: Scalar): void {
  if (typeof v !== 'string') {
    b.add('0');
    return;
  }
  b.add('(');
  typ(b, s);
  b.add(" = 'text' AND instr(");
  val(b, s);
  b.add(', ?) > 0)', v);
}

/** EXISTS / NOT EXISTS over the elements of an array at slot `s`, with `pred` on each element. */
function someElem(b: Sql, s: Slot, pred: (b: Sql, e: Slot) => void, every = false): void {
  const a = nextAlias();
  b.add('(');
  typ(b, s);
  b.add(` = 'array' AND ${every ? 'NOT ' : ''}EXISTS (SELECT 1 FROM json_each(data, ${s.path}) AS ${a} WHERE `, ...s.params);
  if (every) b.add('NOT coalesce(');
  pred(b, elemSlot(a));
  if (every) b.add(', 0)');
  b.add('))');
}

function not(b: Sql, inner: (b: Sql) => void): void {
  b.add('NOT coalesce(');
  inner(b);
  b.add(', 0)');
}
/**
 * `each(v)` joined by OR (or AND) as a balanced tree, so a long list stays far below SQLite's expression depth
 * limit (1000) instead of nesting one level per value.
 */
function anyOf(b: Sql, list: Scalar[], each: (b: Sql, v: Scalar) => void, joiner = ' OR '): void {
  if (list.length === 0) {
    b.add(joiner === ' OR ' ? '0' : '1');
    return;
  }
  if (list.length === 1) {
    b.add('coalesce(');
    each(b, list[0]);
    b.add(', 0)');
    return;
  }
  const mid = list.length >> 1;
  b.add('(');
  anyOf(b, list.slice(0, mid), each, joiner);
  b.add(joiner);
  anyOf(b, list.slice(mid), each, joiner);
  b.add(')');
}

/**
 * Typed membership (`IN` and the *INSIDE operators): numbers and strings are matched against a JSON array bound as
 * one parameter, so the SQL text and its parameter count do not grow with the list; strings also match a record link.
 */
function inSet(b: Sql, s: Slot, list: Scalar[]): void {
  const nums = list.filter((v): v is number => typeof v === 'number');
  const strs = list.filter((v): v is string => typeof v === 'string');
  const rest = [...new Set(list.filter((v) => typeof v === 'boolean' || v === null))];
  const parts: ((b: Sql) => void)[] = [];
  if (nums.length) {
    parts.push((b2) => {
      b2.add('(');
      val(b2, s);
      b2.add(' IN (SELECT value FROM json_each(?)) AND ', JSON.stringify(nums));
      typ(b2, s);
      b2.add(" IN ('integer','real'))");
    });
  }
  if (strs.length) {
    parts.push((b2) => {
      textOrLink(b2, s, ' IN (SELECT value FROM json_each(?))', JSON.stringify(strs));
    });
  }
  for (const v of rest) parts.push((b2) => eq(b2, s, v));
  if (!parts.length) {
    b.add('0');
    return;
  }
  // No coalesce per part: NULL and false mean the same under OR here (every NOT above coalesces first).
  b.add('(');
  parts.forEach((part, i) => {
    if (i) b.add(' OR ');
    part(b);
  });
  b.add(')');
}

function contains(b: Sql, s: Slot, v: Scalar): void {
  b.add('(coalesce(');
  substr(b, s, v);
  b.add(', 0) OR coalesce(');
  someElem(b, s, (b2, e) => eq(b2, e, v));
  b.add(', 0))');
}

function matchTerms(b: Sql, s: Slot, v: Scalar): void {
  const terms = asciiLowerNeedle(v).split(/\s+/).filter(Boolean);
  if (!terms.length) {
    b.add('0');
    return;
  }
  anyOf(b, terms, (b2, t) => fuzzy(b2, s, t), ' AND ');
}

function compileAtom(b: Sql, s: Slot, c: Pick<Condition, 'op' | 'value'>): void {
  const v = c.value as Scalar;
  const list = c.value as Scalar[];
  switch (c.op) {
    case 'eq': return eq(b, s, v);
    case 'ne': return not(b, (b2) => eq(b2, s, v));
    case 'lt': return cmp(b, s, '<', v);
    case 'lte': return cmp(b, s, '<=', v);
    case 'gt': return cmp(b, s, '>', v);
    case 'gte': return cmp(b, s, '>=', v);
    case 'anyeq': return someElem(b, s, (b2, e) => eq(b2, e, v));
    case 'alleq': return someElem(b, s, (b2, e) => eq(b2, e, v), true);
    case 'fuzzy': return fuzzy(b, s, v);
    case 'nfuzzy': return not(b, (b2) => fuzzy(b2, s, v));
    case 'anyfuzzy': return someElem(b, s, (b2, e) => fuzzy(b2, e, v));
    case 'allfuzzy': return someElem(b, s, (b2, e) => fuzzy(b2, e, v), true);
    case 'contains': return contains(b, s, v);
    case 'containsnot': return not(b, (b2) => contains(b2, s, v));
    case 'containsall': return anyOf(b, list, (b2, x) => contains(b2, s, x), ' AND ');
    case 'containsany': return anyOf(b, list, (b2, x) => contains(b2, s, x));
    case 'containsnone': return not(b, (b2) => anyOf(b2, list, (b3, x) => contains(b3, s, x)));
    case 'in': return inSet(b, s, list);
    case 'nin': return not(b, (b2) => inSet(b2, s, list));
    case 'allinside': return someElem(b, s, (b2, e) => inSet(b2, e, list), true);
    case 'anyinside': return someElem(b, s, (b2, e) => inSet(b2, e, list));
    case 'noneinside': return not(b, (b2) => someElem(b2, s, (b3, e) => inSet(b3, e, list)));
    case 'match': return matchTerms(b, s, v);
  }
}

/**
 * One condition of the WHERE clause. A NULL (a missing field) excludes a row there just as false does, so the
 * top-level term is not wrapped in coalesce: `json_extract(data, '$."f"') = ?` stays visible to the field's index.
 */
function compileCondition(b: Sql, c: Condition, indexed: ReadonlySet<string>): void {
  if (c.sub) {
    const arr = topSlot(c.path, indexed);
    const sub = c.sub;
    const a = nextAlias();
    b.add('(');
    typ(b, arr);
    b.add(` = 'array' AND EXISTS (SELECT 1 FROM json_each(data, ${arr.path}) AS ${a} WHERE coalesce(`, ...arr.params);
    compileAtom(b, elemSlot(a, sub), c);
    b.add(', 0)))');
  } else {
    compileAtom(b, topSlot(c.path, indexed), c);
  }
}

/**
 * The WHERE clause (without the keyword) for a parsed query; '1' when there is no filter. Field paths are bound as
 * parameters, except those in `indexed` (JSON paths of the fields that have an index), which are written as literals.
 */
export function compileWhere(q: Pick<ListQuery, 'and' | 'or'>, indexed: ReadonlySet<string> = new Set()): { sql: string; params: unknown[] } {
  aliasSeq = 0;
  const b = new Sql();
  const parts: Sql[] = [];
  for (const c of q.and) {
    const p = new Sql();
    compileCondition(p, c, indexed);
    parts.push(p);
  }
  if (q.or.length) {
    const p = new Sql();
    p.add('(');
    q.or.forEach((c, i) => {
      if (i) p.add(' OR ');
      compileCondition(p, c, indexed);
    });
    p.add(')');
    parts.push(p);
  }
  if (!parts.length) return { sql: '1', params: [] };
  parts.forEach((p, i) => {
    if (i) b.add(' AND ');
    b.add(p.text, ...p.params);
  });
  return { sql: b.text, params: b.params };
}

export interface RecordRow {
  id: string;
  data: string;
}

/**
 * Ours: a collection's fields get an index (on `json_extract(data, '<path>')`) the first time a query filters or sorts
 * on them, at most this many per collection, first come first served; queries on other fields scan.
 */
export const MAX_FIELD_INDEXES = 16;
/** Ours: below this many records a collection is scanned (cheaper than building an index, and no schema change). */
export const MIN_INDEXED_RECORDS = 500;
/** The operators a field's index serves (top-level conditions only). */
const INDEXED_OPS: ReadonlySet<Condition['op']> = new Set(['eq', 'lt', 'lte', 'gt', 'gte', 'in']);
/** Counts kept between writes (per connection; any write or schema change clears them). */
const MAX_MEMO_COUNTS = 256;

/** `<table>/<field path>`; upper-case letters are escaped, since SQLite's names ignore case and fields do not. */
export function fieldIndexName(table: string, path: string[]): string {
  return `${table}/${path.join('.').replace(/[A-Z]/g, (c) => `^${c.toLowerCase()}`)}`;
}

const INDEXED_PATH = /^CREATE INDEX "[^"]*" ON "[^"]*" ?\(json_extract\(data, '(\$[^']*)'\)\)$/;

/**
 * Where a collection's data stands, as far as this Records can tell: an answer computed at one stamp is the answer at
 * any equal stamp. `foreign` counts the rows written on the connection other than by this Records' own writes to
 * collection tables (total_changes() minus those), `gen` the own writes to this table; a reset or restore swaps the
 * connection (`db`), a schema change by this Records moves `version` (see probe).
 */
export interface Stamp {
  db: Db;
  version: number;
  foreign: number;
  gen: number;
}

/** What the connection says at one moment: which connection, this Records' schema changes, its total_changes(). */
export interface Probe {
  db: Db;
  version: number;
  changes: number;
}

export function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.gen === b.gen && a.foreign === b.foreign && a.version === b.version && a.db === b.db;
}

interface CountEntry {
  table: string;
  where: { sql: string; params: unknown[] };
  n: number;
  stamp: Stamp;
}

export class Records {
  /** The connection the counters below belong to. */
  private conn: Db | undefined;
  /** Rows changed on `conn` by insert/update/delete of this Records. */
  private own = 0;
  /** Per table: how many times insert/update/delete of this Records wrote it on `conn`. */
  private readonly gens = new Map<string, number>();
  /** The tables, each with the JSON paths of its field indexes, as of a schema version of `conn`. */
  private schema: { db: Db; version: number; tables: Map<string, Set<string>> } | undefined;
  /** Counts by table, then by compiled filter; carried across this Records' own writes (afterWrite). */
  private readonly counts = new Map<string, Map<string, CountEntry>>();
  private countEntries = 0;
  /** `SELECT total_changes()` on `conn`, held here: the statement cache's bookkeeping cost more than running it. */
  private changesQuery: Statement | undefined;
  /** Schema changes made by this Records (tables, field indexes) since the process started; only ever grows. */
  private ddl = 0;

  constructor(private readonly h: VendorDb) {}

  /** The connection, after forgetting what belonged to a previous one. */
  private connection(): Db {
    const db = this.h.db;
    if (db !== this.conn) {
      this.conn = db;
      this.changesQuery = undefined;
      this.own = 0;
      this.gens.clear();
      this.counts.clear();
      this.countEntries = 0;
    }
    return db;
  }

  private schemaVersion(): number {
    return this.h.prepare('PRAGMA schema_version').pluck().get() as number;
  }

  /**
   * The connection's state now, in one statement that does not touch the database file: on a file-backed database
   * every statement that reads it (PRAGMA schema_version included) opens a read transaction, with its file locks.
   * `version` counts this Records' own schema changes; every other one on the connection (per-tenant reset, a sandbox's
   * copy) also writes rows, which moves total_changes().
   */
  probe(): Probe {
    const db = this.connection();
    this.changesQuery ??= db.prepare('SELECT total_changes()').pluck();
    return { db, version: this.ddl, changes: this.changesQuery.get() as number };
  }

  /** The stamp of `table` as of `at` (a probe taken since the last write; now when absent). */
  stamp(table: string, at: Probe = this.probe()): Stamp {
    return { db: at.db, version: at.version, foreign: at.changes - this.own, gen: this.gens.get(table) ?? 0 };
  }

  /**
   * Runs `fn`, a write to fixed tables only (a tag's value, historian points), counting its rows as this Records' own:
   * such writes cannot change a collection's answers, so they do not drop the memoized ones (MQTT publishes would).
   */
  fixedTablesWrite<T>(fn: () => T): T {
    this.connection();
    const before = this.h.totalChanges();
    try {
      return fn();
    } finally {
      this.own += this.h.totalChanges() - before;
    }
  }

  private wrote(table: string, changes: number): void {
    this.connection();
    this.own += changes;
    this.gens.set(table, (this.gens.get(table) ?? 0) + 1);
  }

  /** Every table of the database with its field indexes (read again from sqlite_master after any schema change). */
  private tables(): Map<string, Set<string>> {
    const db = this.h.db;
    const version = this.schemaVersion();
    let s = this.schema;
    if (s?.db !== db || s.version !== version) {
      const tables = new Map<string, Set<string>>();
      const rows = this.h.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY type DESC").all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
      for (const r of rows) {
        if (r.type === 'table') tables.set(r.name, new Set());
        else if (r.name.startsWith(`${r.tbl_name}/`)) {
          const m = INDEXED_PATH.exec(r.sql ?? '');
          if (m) tables.get(r.tbl_name)?.add(m[1]);
        }
      }
      s = { db, version, tables };
      this.schema = s;
    }
    return s.tables;
  }

  exists(table: string): boolean {
    return this.tables().has(table);
  }

  /**
   * The JSON paths of `table` that have an index, after building the missing ones that `q` filters or sorts on (while
   * the collection has fewer than MAX_FIELD_INDEXES). Building one reads every record once, which is what the query
   * would cost without it; ANALYZE then gives the planner the field's distribution (which index, or none, to use).
   */
  private indexedPaths(table: string, q: Pick<ListQuery, 'and' | 'or' | 'sort'>): ReadonlySet<string> {
    const have = this.tables().get(table)!;
    const want: string[][] = [];
    for (const c of [...q.and, ...q.or]) if (!c.sub && INDEXED_OPS.has(c.op)) want.push(c.path);
    if (q.sort && !(q.sort.path.length === 1 && q.sort.path[0] === 'id')) want.push(q.sort.path);
    let built = false;
    let small: boolean | undefined;
    for (const path of want) {
      const p = jsonPath(path);
      if (have.has(p) || have.size >= MAX_FIELD_INDEXES) continue;
      // The largest rowid: at least the number of records, read from the end of the table without a scan.
      small ??= ((this.h.prepare(`SELECT coalesce(max(rowid), 0) FROM ${quoted(table)}`).pluck().get() as number) < MIN_INDEXED_RECORDS);
      if (small) break;
      const name = fieldIndexName(table, path);
      this.h.db.exec(`CREATE INDEX "${name}" ON ${quoted(table)} (json_extract(data, '${p}'))`);
      this.ddl++;
      this.h.db.exec(`ANALYZE "${name}"`);
      have.add(p);
      built = true;
    }
    return built ? this.tables().get(table)! : have;
  }

  /** Creates "<domain>.<collection>" on first write and registers it; a domain holds at most `max` collections. */
  ensure(domainId: string, domain: string, collection: string, now: string, max: number): string {
    const table = tableName(domain, collection);
    if (!this.exists(table)) {
      const have = (this.h.prepare('SELECT count(*) AS n FROM collections WHERE domain_id = ?').get(domainId) as { n: number }).n;
      if (have >= max) throw err.badRequest(`collection limit reached: a domain holds at most ${max} collections`);
      // MACHHUB table names are case-sensitive, SQLite's are not: refuse a name that differs from an existing one
      // only in case rather than silently sharing its table.
      const clash = this.h.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`).get(table) as { name: string } | undefined;
      if (clash) throw err.conflict(`collection ${collection} conflicts with ${clash.name.slice(domain.length + 1)} (names may not differ only in case)`);
      this.h.db.exec(`CREATE TABLE ${quoted(table)} (id TEXT PRIMARY KEY, data BLOB NOT NULL)`);
      this.ddl++;
      this.h.prepare('INSERT OR IGNORE INTO collections (domain_id, name, created_dt) VALUES (?, ?, ?)').run(domainId, collection, now);
    }
    return table;
  }

  collections(domainId: string): string[] {
    return (this.h.prepare('SELECT name FROM collections WHERE domain_id = ? ORDER BY name').all(domainId) as { name: string }[]).map((r) => r.name);
  }

  get(table: string, id: string): RecordRow | undefined {
    if (!this.exists(table)) return undefined;
    return this.h.prepare(`SELECT id, json(data) AS data FROM ${quoted(table)} WHERE id = ?`).get(id) as RecordRow | undefined;
  }

  insert(table: string, id: string, data: string): void {
    this.wrote(table, this.h.prepare(`INSERT INTO ${quoted(table)} (id, data) VALUES (?, jsonb(?))`).run(id, data).changes);
  }

  update(table: string, id: string, data: string): void {
    this.wrote(table, this.h.prepare(`UPDATE ${quoted(table)} SET data = jsonb(?) WHERE id = ?`).run(data, id).changes);
  }

  delete(table: string, id: string): boolean {
    if (!this.exists(table)) return false;
    const changes = this.h.prepare(`DELETE FROM ${quoted(table)} WHERE id = ?`).run(id).changes;
    this.wrote(table, changes);
    return changes > 0;
  }

  list(table: string, q: ListQuery): RecordRow[] {
    if (!this.exists(table)) return [];
    const { sql, params } = this.listSql(table, q);
    return this.h.prepare(sql).all(...params) as RecordRow[];
  }

  /** SQLite's plan for `list` (EXPLAIN QUERY PLAN details): which index, if any, serves the query. */
  plan(table: string, q: ListQuery): string[] {
    const { sql, params } = this.listSql(table, q);
    return (this.h.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  }

  private listSql(table: string, q: ListQuery): { sql: string; params: unknown[] } {
    const indexed = this.indexedPaths(table, q);
    const where = compileWhere(q, indexed);
    const params = [...where.params];
    let sql = `SELECT id, json(data) AS data FROM ${quoted(table)} WHERE ${where.sql}`;
    if (q.sort) {
      const isId = q.sort.path.length === 1 && q.sort.path[0] === 'id';
      const dir = q.sort.dir === 'desc' ? 'DESC' : 'ASC';
      const p = jsonPath(q.sort.path);
      if (isId) sql += ` ORDER BY id ${dir}`;
      else if (indexed.has(p)) sql += ` ORDER BY json_extract(data, '${p}') ${dir}, id ${dir}`;
      else {
        sql += ` ORDER BY json_extract(data, ?) ${dir}, id ${dir}`;
        params.push(p);
      }
    } else sql += ' ORDER BY rowid';
    sql += ' LIMIT ? OFFSET ?';
    params.push(q.limit ?? -1, q.offset);
    return { sql, params };
  }

  /** Up to `limit` records in insertion order (for the SurrealQL evaluator). */
  scan(table: string, limit: number): RecordRow[] {
    if (!this.exists(table)) return [];
    return this.h.prepare(`SELECT id, json(data) AS data FROM ${quoted(table)} ORDER BY rowid LIMIT ?`).all(limit) as RecordRow[];
  }

  /**
   * Memoized while the table's stamp stands still (a count over many records costs a pass over them); a write through
   * this Records followed by afterWrite adjusts the memoized counts of its table instead of dropping them.
   */
  count(table: string, q: Pick<ListQuery, 'and' | 'or'>): number {
    if (!this.exists(table)) return 0;
    const where = compileWhere(q, this.indexedPaths(table, q));
    const key = `${where.sql}\n${JSON.stringify(where.params)}`;
    const hit = this.counts.get(table)?.get(key);
    if (hit && sameStamp(hit.stamp, this.stamp(table))) return hit.n;
    const n = (this.h.prepare(`SELECT count(*) AS n FROM ${quoted(table)} WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
    this.remember(table, key, { table, where, n, stamp: this.stamp(table) });
    return n;
  }

  private remember(table: string, key: string, e: CountEntry): void {
    if (this.countEntries >= MAX_MEMO_COUNTS) {
      this.counts.clear();
      this.countEntries = 0;
    }
    let byKey = this.counts.get(table);
    if (!byKey) this.counts.set(table, (byKey = new Map()));
    if (!byKey.has(key)) this.countEntries++;
    byKey.set(key, e);
  }

  /**
   * After a committed transaction whose only write to collection tables was this Records' one write to `table`
   * (`before` → `after`, each a record's JSON or undefined): every memoized count of the table that was exact just
   * before it is moved by whether each version matches its filter (the same WHERE, on the one record), so a count
   * right after a write costs two one-record checks instead of a pass over the table.
   */
  afterWrite(table: string, before: string | undefined, after: string | undefined): void {
    const byKey = this.counts.get(table);
    if (!byKey) return;
    const now = this.stamp(table);
    const previous: Stamp = { ...now, gen: now.gen - 1 };
    for (const e of byKey.values()) {
      if (!sameStamp(e.stamp, previous)) continue;
      e.n += this.matches(e.where, after) - this.matches(e.where, before);
      e.stamp = now;
    }
  }

  private matches(where: { sql: string; params: unknown[] }, record: string | undefined): number {
    if (record === undefined) return 0;
    return (this.h.prepare(`SELECT count(*) AS n FROM (SELECT jsonb(?) AS data) WHERE ${where.sql}`).get(record, ...where.params) as { n: number }).n;
  }

  /** Bulk insert inside the caller's transaction (control plane / seeding). */
  insertMany(table: string, rows: RecordRow[]): void {
    const stmt = this.h.db.prepare(`INSERT INTO ${quoted(table)} (id, data) VALUES (?, jsonb(?))`);
    for (const r of rows) stmt.run(r.id, r.data);
  }
}
