import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate, MAX_QUERY_LENGTH, MAX_TOKENS, parseSurql, SurqlError, timeGroup, tokenize } from '../../src/vendors/machhub/surql.js';
import { expectText, makeSuite } from './helpers.js';

const ms = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

describe('SurrealQL subset (pure)', () => {
  it('parses the documented forms', () => {
    expect(parseSurql('SELECT * FROM historian')).toEqual({ items: '*', table: 'historian', where: null, group: null, order: [], limit: null, start: 0 });
    expect(parseSurql('SELECT count() FROM item_location GROUP ALL')).toMatchObject({ items: [{ kind: 'count', name: 'count' }], table: 'item_location', group: 'all' });
    const q = parseSurql("select time::group(time, 'hour') AS hour, math::mean(value) as avg_value from `line1/oven/temp` where time >= d'2026-06-01T00:00:00Z' and (value > 1 or value = NULL) group by hour order by hour desc limit 5 start 2;");
    expect(q).toMatchObject({
      items: [{ kind: 'timegroup', unit: 'hour', name: 'hour' }, { kind: 'math', fn: 'mean', name: 'avg_value' }],
      table: 'line1/oven/temp',
      group: ['hour'],
      order: [{ name: 'hour', desc: true }],
      limit: 5,
      start: 2,
    });
    expect(parseSurql('SELECT a.b FROM ⟨x/y⟩ WHERE a.b != "q\\"r"').where).toEqual({ kind: 'cmp', path: ['a', 'b'], op: '!=', value: 'q"r' });
  });

  it('anything outside the subset is a SurqlError naming the part', () => {
    const cases: [string, RegExp][] = [
      ['DELETE historian', /^unsupported query: only SELECT statements are supported; expected SELECT at "DELETE historian"/],
      ['SELECT string::len(topic) FROM historian', /function not supported .* at "string::len/],
      ['SELECT * FROM historian; DELETE historian', /only one SELECT statement/],
      ['SELECT * FROM historian WHERE value ~ 1', /unexpected character "~"/],
      ['SELECT * FROM historian WHERE value > topic', /expected a literal/],
      ["SELECT * FROM historian WHERE time > d'yesterday'", /invalid datetime/],
      ["SELECT * FROM historian WHERE topic = 'x", /unterminated quoted text/],
      ['SELECT * FROM historian FETCH x', /only one SELECT statement/],
      ['SELECT * FROM historian LIMIT -1', /LIMIT needs a non-negative integer/],
      [`SELECT * FROM historian WHERE ${'('.repeat(20)}a = 1${')'.repeat(20)}`, /nest at most 16/],
    ];
    for (const [q, msg] of cases) expect(() => parseSurql(q), q).toThrow(msg);
    expect(() => parseSurql('SELECT * FROM historian ' + ' '.repeat(MAX_QUERY_LENGTH))).toThrow(`query too long: at most ${MAX_QUERY_LENGTH} characters`);
  });

  it('property: any text either parses or throws a SurqlError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      try {
        parseSurql(s);
      } catch (e) {
        expect(e).toBeInstanceOf(SurqlError);
      }
    }));
    const word = fc.constantFrom('SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'ALL', 'ORDER', 'LIMIT', 'START', 'AND', 'OR', '(', ')', ',', '*', 'count()', 'math::mean(value)', "'x'", '1', '=', '>=', 'historian', 'value', 'AS', ';');
    fc.assert(fc.property(fc.array(word, { maxLength: 30 }), (ws) => {
      try {
        parseSurql(ws.join(' '));
      } catch (e) {
        expect(e).toBeInstanceOf(SurqlError);
      }
    }));
  });

  it('property: generated queries of the subset parse and evaluate', () => {
    const field = fc.constantFrom('topic', 'time', 'value');
    const cond = fc.tuple(field, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), fc.oneof(fc.integer().map(String), fc.constant("'a/b'"), fc.constant("d'2026-06-01T00:00:00Z'")))
      .map(([f, o, v]) => `${f} ${o} ${v}`);
    const query = fc.record({ fields: fc.uniqueArray(field, { minLength: 1 }), conds: fc.array(cond, { maxLength: 4 }), limit: fc.option(fc.nat(50)) }).map(
      ({ fields, conds, limit }) => `SELECT ${fields.join(', ')} FROM historian${conds.length ? ' WHERE ' + conds.join(' AND ') : ''}${limit === null ? '' : ` LIMIT ${limit}`}`,
    );
    const rows = [{ topic: 'a/b', time: '2026-06-01T00:00:00.000Z', value: 3 }, { topic: 'c/d', time: '2026-06-01T00:01:00.000Z', value: 5 }];
    fc.assert(fc.property(query, (q) => {
      const out = evaluate(parseSurql(q), rows, 100);
      expect(out.length).toBeLessThanOrEqual(2);
    }));
  });

  it('linear: the tokenizer time grows in proportion to the input (1 MB vs 100 KB); the length cap answers at once', () => {
    const shapes: ((n: number) => string)[] = [
      (n) => 'SELECT a' + ' '.repeat(n) + 'b',
      (n) => '('.repeat(n),
      (n) => "'".padEnd(n, 'x'),
      (n) => "'" + '\\x'.repeat(n / 2) + "'",
      (n) => '`' + '\\`'.repeat(n / 2),
      (n) => 'a.'.repeat(n / 2),
      (n) => 'SELECT ' + 'a, '.repeat(n / 3),
      (n) => 'd'.repeat(n),
      (n) => '1'.repeat(n),
    ];
    const best = (s: string) => Math.min(...[0, 1, 2].map(() => ms(() => { try { tokenize(s); } catch { /* a refusal is fine */ } })));
    for (const shape of shapes) {
      best(shape(100_000));
      const small = best(shape(100_000));
      const large = best(shape(1_000_000));
      // Quadratic work would be ~100x (seconds at 1 MB); allow generous noise on a shared machine.
      expect(large, shape(20)).toBeLessThan(Math.max(40 * small, 150));
    }
    const big = 'SELECT a' + ' '.repeat(1_000_000) + 'b';
    expect(ms(() => expect(() => parseSurql(big)).toThrow(/query too long/))).toBeLessThan(100);
    expect(() => tokenize('('.repeat(MAX_TOKENS + 1))).toThrow(`query too complex: at most ${MAX_TOKENS} tokens`);
    expect(tokenize("'a\\'b\\\\' x")[0].text).toBe("a'b\\");
    // A query just under the cap that is all AND conditions still parses quickly.
    const many = 'SELECT * FROM historian WHERE ' + Array.from({ length: 1000 }, () => 'a = 1').join(' AND ');
    expect(many.length).toBeLessThan(MAX_QUERY_LENGTH);
    expect(ms(() => parseSurql(many))).toBeLessThan(100);
  });

  it('evaluation: grouping, aggregates, order, limit, start', () => {
    const rows = [
      { time: '2026-06-01T00:10:00.000Z', value: 1 },
      { time: '2026-06-01T00:50:00.000Z', value: 3 },
      { time: '2026-06-01T01:05:00.000Z', value: 10 },
    ];
    const run = (q: string) => evaluate(parseSurql(q), rows, 100);
    expect(run('SELECT count() FROM t GROUP ALL')).toEqual([{ count: 3 }]);
    expect(run("SELECT count() FROM t WHERE value > 100 GROUP ALL")).toEqual([{ count: 0 }]);
    expect(run('SELECT count() FROM t')).toEqual([{ count: 1 }, { count: 1 }, { count: 1 }]);
    expect(run("SELECT time::group(time, 'hour') AS hour, math::mean(value) AS avg_value, math::max(value) FROM t GROUP BY hour ORDER BY hour DESC")).toEqual([
      { hour: '2026-06-01T01:00:00.000Z', avg_value: 10, 'math::max': 10 },
      { hour: '2026-06-01T00:00:00.000Z', avg_value: 2, 'math::max': 3 },
    ]);
    expect(run("SELECT value FROM t WHERE time >= '2026-06-01T00:50:00Z' ORDER BY value DESC")).toEqual([{ value: 10 }, { value: 3 }]);
    expect(run('SELECT value FROM t ORDER BY value LIMIT 1 START 1')).toEqual([{ value: 3 }]);
    expect(() => run('SELECT math::sum(value) FROM t')).toThrow('unsupported query: math::sum() needs GROUP BY or GROUP ALL');
    expect(() => run('SELECT time, count() FROM t GROUP ALL')).toThrow('unsupported query: time must be listed in GROUP BY or be an aggregate');
    expect(timeGroup('2026-06-03T10:11:12Z', 'week')).toBe('2026-06-01T00:00:00.000Z');
    expect(timeGroup('2026-06-03T10:11:12Z', 'month')).toBe('2026-06-01T00:00:00.000Z');
  });
});

describe('POST /machhub/historian/query', () => {
  const { req } = makeSuite();
  const query = (q: string, domain?: string) => req('POST', '/machhub/historian/query', { body: { query: q }, domain });

  it("the vendor skill's SELECT count() FROM item_location GROUP ALL", async () => {
    for (let i = 0; i < 3; i++) expect((await req('POST', '/machhub/item_location', { body: { item: `i${i}`, location: 'A' } })).status).toBe(200);
    expect((await query('SELECT count() FROM item_location GROUP ALL')).json).toEqual([{ count: 3 }]);
    expect((await query("SELECT location, count() FROM item_location WHERE location = 'A' GROUP BY location")).json).toEqual([{ location: 'A', count: 3 }]);
    // Another domain does not see acme's collection.
    expectText(await query('SELECT count() FROM item_location GROUP ALL', 'domains:globex'), 400, /^unsupported query: unknown table item_location/);
  });

  it('collections, topic tables and historian aggregates of the domain', async () => {
    expect((await query('SELECT count() FROM products GROUP ALL')).json).toEqual([{ count: 60 }]);
    const hourly = await query("SELECT time::group(time, 'hour') AS hour, math::mean(value) AS avg_value FROM historian WHERE topic = 'a/b' AND time < '2026-06-01T02:00:00Z' GROUP BY hour");
    expect(hourly.json).toEqual([{ hour: '2026-06-01T00:00:00.000Z', avg_value: expect.any(Number) }, { hour: '2026-06-01T01:00:00.000Z', avg_value: expect.any(Number) }]);
    const topic = await query("SELECT time, value FROM `a/b` WHERE time >= d'2026-06-01T00:00:00Z' LIMIT 2");
    expect(topic.json).toEqual([{ time: '2026-06-01T00:00:00.000Z', value: expect.any(Number) }, { time: '2026-06-01T00:01:00.000Z', value: expect.any(Number) }]);
    expect((await query("SELECT * FROM historian WHERE topic = 'a/b' AND value > 1000000")).json).toEqual([]);
  });

  it('refusals are 400 plain text naming the part', async () => {
    expectText(await query('SELECT * FROM historian WHERE value > topic'), 400, /^unsupported query: expected a literal .* at "topic"$/);
    expectText(await query('SELECT * FROM users'), 400, /^unsupported query: unknown table users/);
    expectText(await query('UPDATE historian SET value = 1'), 400, /^unsupported query: only SELECT/);
  });

  it('ReDoS input (SELECT a + 80,000 spaces + b, and 1 MB) answers in < 100 ms beyond moving the body', async () => {
    await query('SELECT * FROM historian LIMIT 1');
    const time = async (q: string) => {
      const t = performance.now();
      const r = await query(q);
      return { ms: performance.now() - t, status: r.status };
    };
    const best = async (q: string) => {
      const runs = [await time(q), await time(q), await time(q)];
      return { ms: Math.min(...runs.map((r) => r.ms)), status: runs[0].status };
    };
    // The cost of carrying 1 MB through Request/Hono/JSON.parse, whatever its content (shared, loaded machine).
    const transport = (await best('x'.repeat(1_000_000))).ms;
    for (const q of ['SELECT a' + ' '.repeat(80_000) + 'b', 'SELECT a' + ' '.repeat(1_000_000) + 'b', 'SELECT ' + 'a '.repeat(7000) + 'FROM']) {
      const r = await best(q);
      expect(r.status).toBe(400);
      expect(r.ms).toBeLessThan(100 + transport);
    }
  });
});
