/**
 * An in-memory reference evaluator for the MACHHUB filter grammar, written independently of the SQL compiler
 * (src/vendors/machhub/records.ts), with the semantics documented in docs/fidelity.md.
 */
import type { Condition, ListQuery, Scalar } from '../../src/vendors/machhub/query.js';

type J = unknown;
const isObj = (v: J): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);
const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const utf8cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export function getPath(v: J, path: string[]): J {
  let cur = v;
  for (const seg of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

function eq(f: J, v: Scalar): boolean {
  if (v === null) return f === undefined || f === null;
  if (typeof v === 'boolean' || typeof v === 'number') return f === v;
  if (typeof f === 'string') return f === v;
  return isObj(f) && typeof f.Table === 'string' && typeof f.ID === 'string' && `${f.Table}:${f.ID}` === v;
}

function cmp(f: J, v: Scalar, test: (c: number) => boolean): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return typeof f === 'number' && test(f < v ? -1 : f > v ? 1 : 0);
  if (typeof v === 'boolean') return typeof f === 'boolean' && test(Number(f) - Number(v));
  return typeof f === 'string' && test(utf8cmp(f, v));
}

const fuzzy = (f: J, v: Scalar) => typeof f === 'string' && lower(f).includes(lower(String(v)));
const substr = (f: J, v: Scalar) => typeof f === 'string' && typeof v === 'string' && f.includes(v);
const contains = (f: J, v: Scalar) => substr(f, v) || (Array.isArray(f) && f.some((x) => eq(x, v)));

export function atom(f: J, op: Condition['op'], value: Scalar | Scalar[]): boolean {
  const v = value as Scalar;
  const L = value as Scalar[];
  switch (op) {
    case 'eq': return eq(f, v);
    case 'ne': return !eq(f, v);
    case 'lt': return cmp(f, v, (c) => c < 0);
    case 'lte': return cmp(f, v, (c) => c <= 0);
    case 'gt': return cmp(f, v, (c) => c > 0);
    case 'gte': return cmp(f, v, (c) => c >= 0);
    case 'anyeq': return Array.isArray(f) && f.some((x) => eq(x, v));
    case 'alleq': return Array.isArray(f) && f.every((x) => eq(x, v));
    case 'fuzzy': return fuzzy(f, v);
    case 'nfuzzy': return !fuzzy(f, v);
    case 'anyfuzzy': return Array.isArray(f) && f.some((x) => fuzzy(x, v));
    case 'allfuzzy': return Array.isArray(f) && f.every((x) => fuzzy(x, v));
    case 'contains': return contains(f, v);
    case 'containsnot': return !contains(f, v);
    case 'containsall': return L.every((x) => contains(f, x));
    case 'containsany': return L.some((x) => contains(f, x));
    case 'containsnone': return !L.some((x) => contains(f, x));
    case 'in': return L.some((x) => eq(f, x));
    case 'nin': return !L.some((x) => eq(f, x));
    case 'allinside': return Array.isArray(f) && f.every((x) => L.some((l) => eq(x, l)));
    case 'anyinside': return Array.isArray(f) && f.some((x) => L.some((l) => eq(x, l)));
    case 'noneinside': return !(Array.isArray(f) && f.some((x) => L.some((l) => eq(x, l))));
    case 'match': {
      const terms = lower(String(v)).split(/\s+/).filter(Boolean);
      return terms.length > 0 && terms.every((t) => fuzzy(f, t));
    }
  }
}

export function matches(rec: J, c: Condition): boolean {
  const f = getPath(rec, c.path);
  if (c.sub) return Array.isArray(f) && f.some((el) => atom(getPath(el, c.sub!), c.op, c.value));
  return atom(f, c.op, c.value);
}

export function evaluate(records: J[], q: Pick<ListQuery, 'and' | 'or'>): J[] {
  return records.filter((r) => q.and.every((c) => matches(r, c)) && (q.or.length === 0 || q.or.some((c) => matches(r, c))));
}
