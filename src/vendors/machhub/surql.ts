/**
 * The SurrealQL subset `POST /machhub/historian/query` accepts: a single-pass tokenizer and a recursive-descent
 * parser (both linear in the query length; parenthesis nesting is bounded), then a pure evaluator over plain rows.
 *
 *   SELECT <item, …> | * FROM <table> [WHERE <cond>] [GROUP BY <name, …> | GROUP ALL]
 *     [ORDER BY <name> [ASC|DESC], …] [LIMIT n] [START n] [;]
 *   item:  <field path> | count() | math::mean|min|max|sum(<field>) | time::group(<field>, '<unit>')  [AS <name>]
 *   cond:  <field> <op> <literal> | (<cond>) | cond AND cond | cond OR cond     op: = == != < <= > >=
 *   literal: 'text' "text" d'<rfc3339>' number true false NULL NONE
 * Anything else is a SurqlError naming the unsupported part.
 */

export class SurqlError extends Error {}

export const MAX_QUERY_LENGTH = 16_384;
const MAX_DEPTH = 16;
/** Tokens one query may have (ours): bounds the parser's work and memory whatever the text. */
export const MAX_TOKENS = 4096;

type TokKind = 'ident' | 'qident' | 'number' | 'string' | 'date' | 'punct' | 'op' | 'eof';
interface Tok {
  kind: TokKind;
  /** Identifier text (upper-cased copy in `upper`), string/date contents, punctuation or operator. */
  text: string;
  upper: string;
  pos: number;
}

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

function quoted(src: string, start: number, close: string): { text: string; end: number } {
  const out: string[] = [];
  let i = start;
  // Each search only moves forward (recomputed once passed), so the whole scan stays linear.
  let end = src.indexOf(close, i);
  let esc = src.indexOf('\\', i);
  while (end >= 0) {
    if (esc < 0 || esc > end) {
      out.push(src.slice(i, end));
      return { text: out.join(''), end: end + 1 };
    }
    out.push(src.slice(i, esc), src.charAt(esc + 1));
    i = esc + 2;
    if (end < i) end = src.indexOf(close, i);
    esc = src.indexOf('\\', i);
  }
  throw new SurqlError(`unsupported query: unterminated quoted text at position ${start - 1}`);
}

/** One pass over the text; every character is looked at a bounded number of times. */
export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const push = (kind: TokKind, text: string, pos: number) => toks.push({ kind, text, upper: kind === 'ident' ? text.toUpperCase() : text, pos });
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (toks.length >= MAX_TOKENS) throw new SurqlError(`query too complex: at most ${MAX_TOKENS} tokens`);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if ((c === 100 || c === 68) && (src[i + 1] === "'" || src[i + 1] === '"')) {
      const q = quoted(src, i + 2, src[i + 1]);
      push('date', q.text, start);
      i = q.end;
    } else if (isIdentStart(c)) {
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      push('ident', src.slice(start, i), start);
    } else if (isDigit(c) || (c === 45 && isDigit(src.charCodeAt(i + 1)))) {
      i++;
      while (i < src.length && isDigit(src.charCodeAt(i))) i++;
      if (src[i] === '.' && isDigit(src.charCodeAt(i + 1))) {
        i++;
        while (i < src.length && isDigit(src.charCodeAt(i))) i++;
      }
      push('number', src.slice(start, i), start);
    } else if (c === 39 || c === 34) {
      const q = quoted(src, i + 1, src[i]);
      push('string', q.text, start);
      i = q.end;
    } else if (c === 96) {
      const q = quoted(src, i + 1, '`');
      push('qident', q.text, start);
      i = q.end;
    } else if (src[i] === '⟨') {
      const q = quoted(src, i + 1, '⟩');
      push('qident', q.text, start);
      i = q.end;
    } else if (src.startsWith('::', i)) {
      push('punct', '::', start);
      i += 2;
    } else if ('(),.*;'.includes(src[i])) {
      push('punct', src[i], start);
      i++;
    } else {
      const two = src.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '!=' || two === '==') {
        push('op', two, start);
        i += 2;
      } else if (src[i] === '<' || src[i] === '>' || src[i] === '=') {
        push('op', src[i], start);
        i++;
      } else {
        throw new SurqlError(`unsupported query: unexpected character ${JSON.stringify(src[i])} at position ${i}`);
      }
    }
  }
  toks.push({ kind: 'eof', text: '', upper: '', pos: src.length });
  return toks;
}

export type Literal = string | number | boolean | null | { date: string };
export type Cond =
  | { kind: 'cmp'; path: string[]; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'and' | 'or'; left: Cond; right: Cond };

export type Item =
  | { kind: 'field'; path: string[]; name: string }
  | { kind: 'count'; name: string }
  | { kind: 'math'; fn: 'mean' | 'min' | 'max' | 'sum'; path: string[]; name: string }
  | { kind: 'timegroup'; path: string[]; unit: TimeUnit; name: string };

export const TIME_UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export interface SurqlQuery {
  items: Item[] | '*';
  table: string;
  where: Cond | null;
  group: string[] | 'all' | null;
  order: { name: string; desc: boolean }[];
  limit: number | null;
  start: number;
}

const CLAUSE_WORDS = new Set(['WHERE', 'GROUP', 'ORDER', 'LIMIT', 'START', 'FROM', 'AS', 'AND', 'OR', 'BY', 'ALL', 'ASC', 'DESC']);
const OPS: Record<string, Extract<Cond, { kind: 'cmp' }>['op']> = { '=': '=', '==': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  private get t(): Tok {
    return this.toks[this.i];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private isWord(w: string): boolean {
    return this.t.kind === 'ident' && this.t.upper === w;
  }
  private isPunct(p: string): boolean {
    return this.t.kind === 'punct' && this.t.text === p;
  }
  private near(): string {
    if (this.t.kind === 'eof') return 'the end of the query';
    const rest = this.src.slice(this.t.pos, this.t.pos + 40);
    return `"${rest}${this.src.length > this.t.pos + 40 ? '…' : ''}"`;
  }
  fail(what: string): never {
    throw new SurqlError(`unsupported query: ${what} at ${this.near()}`);
  }
  private word(w: string): void {
    if (!this.isWord(w)) this.fail(`expected ${w}`);
    this.i++;
  }
  private punct(p: string): void {
    if (!this.isPunct(p)) this.fail(`expected "${p}"`);
    this.i++;
  }
  private name(): string {
    const t = this.t;
    if (t.kind === 'qident') {
      this.i++;
      return t.text;
    }
    if (t.kind !== 'ident' || CLAUSE_WORDS.has(t.upper)) this.fail('expected a name');
    this.i++;
    return t.text;
  }
  private path(): string[] {
    const p = [this.name()];
    while (this.isPunct('.')) {
      this.i++;
      p.push(this.name());
      if (p.length > 8) this.fail('field paths have at most 8 parts');
    }
    return p;
  }
  private uint(what: string): number {
    const t = this.t;
    if (t.kind !== 'number' || !/^\d{1,9}$/.test(t.text)) this.fail(`${what} needs a non-negative integer`);
    this.i++;
    return Number(t.text);
  }

  query(): SurqlQuery {
    if (!this.isWord('SELECT')) this.fail('only SELECT statements are supported; expected SELECT');
    this.i++;
    let items: SurqlQuery['items'];
    if (this.isPunct('*')) {
      this.i++;
      items = '*';
    } else {
      items = [this.item()];
      while (this.isPunct(',')) {
        this.i++;
        items.push(this.item());
      }
    }
    this.word('FROM');
    const table = this.name();
    const q: SurqlQuery = { items, table, where: null, group: null, order: [], limit: null, start: 0 };
    if (this.isWord('WHERE')) {
      this.i++;
      q.where = this.or(0);
    }
    if (this.isWord('GROUP')) {
      this.i++;
      if (this.isWord('ALL')) {
        this.i++;
        q.group = 'all';
      } else {
        this.word('BY');
        q.group = [this.path().join('.')];
        while (this.isPunct(',')) {
          this.i++;
          q.group.push(this.path().join('.'));
        }
      }
    }
    if (this.isWord('ORDER')) {
      this.i++;
      this.word('BY');
      do {
        if (q.order.length) this.i++;
        const name = this.path().join('.');
        let desc = false;
        if (this.isWord('ASC')) this.i++;
        else if (this.isWord('DESC')) {
          this.i++;
          desc = true;
        }
        q.order.push({ name, desc });
      } while (this.isPunct(','));
    }
    if (this.isWord('LIMIT')) {
      this.i++;
      if (this.isWord('BY')) this.i++;
      q.limit = this.uint('LIMIT');
    }
    if (this.isWord('START')) {
      this.i++;
      if (this.isWord('AT')) this.i++;
      q.start = this.uint('START');
    }
    if (this.isPunct(';')) this.i++;
    if (this.t.kind !== 'eof') this.fail(this.isPunct(';') || this.t.kind === 'ident' ? 'only one SELECT statement with WHERE, GROUP, ORDER, LIMIT and START clauses is supported' : 'unexpected text');
    return q;
  }

  private item(): Item {
    const t = this.t;
    let it: Item;
    if (t.kind === 'ident' && this.toks[this.i + 1]?.text === '::') {
      const ns = t.upper;
      this.i += 2;
      const fnTok = this.t;
      const fn = fnTok.kind === 'ident' ? fnTok.text.toLowerCase() : '';
      if (ns === 'MATH' && (fn === 'mean' || fn === 'min' || fn === 'max' || fn === 'sum')) {
        this.i++;
        this.punct('(');
        const path = this.path();
        this.punct(')');
        it = { kind: 'math', fn, path, name: `math::${fn}` };
      } else if (ns === 'TIME' && fn === 'group') {
        this.i++;
        this.punct('(');
        const path = this.path();
        this.punct(',');
        const u = this.t;
        if (u.kind !== 'string' || !(TIME_UNITS as readonly string[]).includes(u.text)) this.fail(`time::group needs a unit (${TIME_UNITS.join(', ')})`);
        this.i++;
        this.punct(')');
        it = { kind: 'timegroup', path, unit: u.text as TimeUnit, name: 'time::group' };
      } else {
        this.i -= 2;
        this.fail('function not supported (supported: count(), math::mean/min/max/sum(field), time::group(field, unit))');
      }
    } else if (t.kind === 'ident' && t.upper === 'COUNT' && this.toks[this.i + 1]?.text === '(') {
      this.i += 2;
      this.punct(')');
      it = { kind: 'count', name: 'count' };
    } else {
      if (t.kind === 'ident' && this.toks[this.i + 1]?.text === '(') this.fail('function not supported (supported: count(), math::mean/min/max/sum(field), time::group(field, unit))');
      const path = this.path();
      it = { kind: 'field', path, name: path.join('.') };
    }
    if (this.isWord('AS')) {
      this.i++;
      it.name = this.name();
    }
    return it;
  }

  private or(depth: number): Cond {
    let left = this.and(depth);
    while (this.isWord('OR')) {
      this.i++;
      left = { kind: 'or', left, right: this.and(depth) };
    }
    return left;
  }
  private and(depth: number): Cond {
    let left = this.atom(depth);
    while (this.isWord('AND')) {
      this.i++;
      left = { kind: 'and', left, right: this.atom(depth) };
    }
    return left;
  }
  private atom(depth: number): Cond {
    if (this.isPunct('(')) {
      if (depth >= MAX_DEPTH) this.fail(`conditions nest at most ${MAX_DEPTH} parentheses deep`);
      this.i++;
      const c = this.or(depth + 1);
      this.punct(')');
      return c;
    }
    const path = this.path();
    const opTok = this.t;
    if (opTok.kind !== 'op') this.fail('expected a comparison operator (= != < <= > >=)');
    this.i++;
    return { kind: 'cmp', path, op: OPS[opTok.text], value: this.literal() };
  }
  private literal(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return t.text;
      case 'date':
        if (!isDateText(t.text)) {
          this.i--;
          this.fail('invalid datetime');
        }
        return { date: t.text };
      case 'number':
        return Number(t.text);
      case 'ident':
        if (t.upper === 'TRUE') return true;
        if (t.upper === 'FALSE') return false;
        if (t.upper === 'NULL' || t.upper === 'NONE') return null;
    }
    this.i--;
    return this.fail('expected a literal (quoted text, d\'datetime\', number, true, false, NULL)');
  }
}

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}(T|$)/;
function isDateText(s: string): boolean {
  return s.length <= 64 && DATE_PREFIX.test(s) && !Number.isNaN(Date.parse(s));
}

export function parseSurql(src: string): SurqlQuery {
  if (src.length > MAX_QUERY_LENGTH) throw new SurqlError(`query too long: at most ${MAX_QUERY_LENGTH} characters`);
  return new Parser(tokenize(src), src).query();
}

// ---- evaluation over plain rows

export type Row = Record<string, unknown>;

function get(row: Row, path: string[]): unknown {
  let v: unknown = row;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Row)[seg];
  }
  return v;
}

/** Datetimes compare as instants (a stored `…00.000Z` equals a literal `…00Z`); other values by type. */
function compare(a: unknown, b: Literal): number | null {
  if (b !== null && typeof b === 'object') b = b.date;
  if (typeof a === 'string' && typeof b === 'string') {
    if (isDateText(a) && isDateText(b)) return Math.sign(Date.parse(a) - Date.parse(b));
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

export function matches(c: Cond, row: Row): boolean {
  if (c.kind !== 'cmp') return c.kind === 'and' ? matches(c.left, row) && matches(c.right, row) : matches(c.left, row) || matches(c.right, row);
  const v = get(row, c.path);
  if (c.value === null) {
    const isNull = v === null || v === undefined;
    return c.op === '=' ? isNull : c.op === '!=' ? !isNull : false;
  }
  const r = compare(v, c.value);
  switch (c.op) {
    case '=': return r === 0;
    case '!=': return r !== 0;
    case '<': return r !== null && r < 0;
    case '<=': return r !== null && r <= 0;
    case '>': return r !== null && r > 0;
    case '>=': return r !== null && r >= 0;
  }
}

/** Floors an instant to the start of its UTC year, month, week (Monday), day, hour, minute or second. */
export function timeGroup(v: unknown, unit: TimeUnit): string | null {
  const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const parts = [d.getUTCFullYear(), unit === 'year' ? 0 : d.getUTCMonth(), 1, 0, 0, 0];
  const order = ['year', 'month', 'day', 'hour', 'minute', 'second'];
  const keep = unit === 'week' ? 2 : order.indexOf(unit);
  const src = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  for (let k = 0; k <= keep; k++) parts[k] = src[k];
  let out = Date.UTC(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
  if (unit === 'week') out -= ((d.getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(out).toISOString();
}

function itemValue(it: Item, row: Row): unknown {
  if (it.kind === 'field') return get(row, it.path);
  if (it.kind === 'timegroup') return timeGroup(get(row, it.path), it.unit);
  return undefined;
}

function setPath(out: Row, name: string, v: unknown): void {
  if (v !== undefined) out[name] = v;
}

function aggregate(it: Extract<Item, { kind: 'count' | 'math' }>, rows: Row[]): unknown {
  if (it.kind === 'count') return rows.length;
  const nums = rows.map((r) => get(r, it.path)).filter((v): v is number => typeof v === 'number');
  if (!nums.length) return it.fn === 'sum' ? 0 : null;
  switch (it.fn) {
    case 'sum': return nums.reduce((a, b) => a + b, 0);
    case 'mean': return nums.reduce((a, b) => a + b, 0) / nums.length;
    case 'min': return nums.reduce((a, b) => (b < a ? b : a));
    case 'max': return nums.reduce((a, b) => (b > a ? b : a));
  }
}

function orderValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Runs a parsed query over `rows` (already narrowed to the request's domain and table). Aggregates need GROUP BY or
 * GROUP ALL, except `count()`, which counts 1 per row without them (as SurrealDB does).
 */
export function evaluate(q: SurqlQuery, rows: Iterable<Row>, maxRows: number): Row[] {
  const items = q.items;
  const filtered: Row[] = [];
  for (const r of rows) if (!q.where || matches(q.where, r)) filtered.push(r);
  let out: Row[];
  if (q.group !== null) {
    if (items === '*') throw new SurqlError('unsupported query: SELECT * cannot be grouped; list the fields and aggregates');
    const keys = q.group === 'all' ? [] : q.group;
    for (const it of items) {
      if ((it.kind === 'field' || it.kind === 'timegroup') && !keys.includes(it.name)) {
        throw new SurqlError(`unsupported query: ${it.name} must be listed in GROUP BY or be an aggregate`);
      }
    }
    for (const k of keys) if (!items.some((it) => it.name === k)) throw new SurqlError(`unsupported query: GROUP BY ${k} must name a selected field`);
    const groups = new Map<string, { first: Row; rows: Row[] }>();
    for (const r of filtered) {
      const key = JSON.stringify(keys.map((k) => itemValue(items.find((it) => it.name === k)!, r) ?? null));
      const g = groups.get(key);
      if (g) g.rows.push(r);
      else groups.set(key, { first: r, rows: [r] });
    }
    if (q.group === 'all' && groups.size === 0) groups.set('[]', { first: {}, rows: [] });
    out = [...groups.values()].map((g) => {
      const o: Row = {};
      for (const it of items) setPath(o, it.name, it.kind === 'field' || it.kind === 'timegroup' ? itemValue(it, g.first) : aggregate(it, g.rows));
      return o;
    });
    if (!q.order.length && keys.length) out.sort((a, b) => { for (const k of keys) { const c = orderValue(a[k], b[k]); if (c) return c; } return 0; });
  } else if (items === '*') {
    out = filtered;
  } else {
    const math = items.find((it) => it.kind === 'math');
    if (math) throw new SurqlError(`unsupported query: ${math.name}() needs GROUP BY or GROUP ALL`);
    out = filtered.map((r) => {
      const o: Row = {};
      for (const it of items) setPath(o, it.name, it.kind === 'count' ? 1 : itemValue(it, r));
      return o;
    });
  }
  if (q.order.length) {
    for (const o of q.order) {
      if (out.length && items !== '*' && !items.some((it) => it.name === o.name)) throw new SurqlError(`unsupported query: ORDER BY ${o.name} must name a selected field`);
    }
    const paths = q.order.map((o) => ({ path: o.name.split('.'), desc: o.desc, flat: o.name }));
    out.sort((a, b) => {
      for (const p of paths) {
        const c = orderValue(Object.hasOwn(a, p.flat) ? a[p.flat] : get(a, p.path), Object.hasOwn(b, p.flat) ? b[p.flat] : get(b, p.path));
        if (c) return p.desc ? -c : c;
      }
      return 0;
    });
  }
  const end = q.limit === null ? out.length : q.start + q.limit;
  return out.slice(q.start, Math.min(end, q.start + maxRows));
}

/**
 * Time bounds and topic implied by the top-level AND of the WHERE clause (for narrowing a historian scan in SQL);
 * the full condition is still applied to every row afterwards.
 */
export function historianBounds(where: Cond | null): { topic: string | null; fromMs: number; toMs: number } {
  const out = { topic: null as string | null, fromMs: -8.64e15, toMs: 8.64e15 };
  const visit = (c: Cond) => {
    if (c.kind === 'and') {
      visit(c.left);
      visit(c.right);
      return;
    }
    if (c.kind !== 'cmp' || c.path.length !== 1) return;
    const lit = c.value !== null && typeof c.value === 'object' ? c.value.date : c.value;
    if (c.path[0] === 'topic' && c.op === '=' && typeof lit === 'string') out.topic = lit;
    if (c.path[0] === 'time' && typeof lit === 'string' && isDateText(lit)) {
      const t = Date.parse(lit);
      if (c.op === '=' || c.op === '>=' || c.op === '>') out.fromMs = Math.max(out.fromMs, t);
      if (c.op === '=' || c.op === '<=' || c.op === '<') out.toMs = Math.min(out.toMs, t);
    }
  };
  if (where) visit(where);
  return out;
}
