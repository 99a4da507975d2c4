import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTenantLabel, parseDomains, tenantFromHost } from '../../src/vendors/maxtrax/tenancy.js';
import { checkNames, parseIsoQuery, parsePaging, parseWeldQuery } from '../../src/vendors/maxtrax/query.js';

const DOMAINS = ['maxtrax.localhost', 'maxtrax.io'];
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);

describe('tenantFromHost', () => {
  it('examples', () => {
    expect(tenantFromHost('acme.maxtrax.localhost:4100', DOMAINS)).toEqual({ kind: 'tenant', tenant: 'acme' });
    expect(tenantFromHost('ACME.MAXTRAX.IO', DOMAINS)).toEqual({ kind: 'tenant', tenant: 'acme' });
    expect(tenantFromHost('a.b.maxtrax.io', DOMAINS)).toEqual({ kind: 'tenant', tenant: 'a' });
    expect(tenantFromHost('maxtrax.io', DOMAINS)).toEqual({ kind: 'default' });
    expect(tenantFromHost('evilmaxtrax.io', DOMAINS)).toEqual({ kind: 'default' });
    expect(tenantFromHost('acme.maxtrax.io.evil.com', DOMAINS)).toEqual({ kind: 'default' });
    expect(tenantFromHost(undefined, DOMAINS)).toEqual({ kind: 'default' });
    expect(tenantFromHost('[::1]:4100', DOMAINS)).toEqual({ kind: 'default' });
    expect(tenantFromHost('a_b.maxtrax.io', DOMAINS)).toEqual({ kind: 'invalid', host: 'a_b.maxtrax.io' });
  });

  it('round-trips any valid label under any domain, with or without a port', () => {
    fc.assert(
      fc.property(label, fc.constantFrom(...DOMAINS), fc.option(fc.integer({ min: 1, max: 65535 })), fc.boolean(), (l, d, port, upper) => {
        let host = `${l}.${d}` + (port === null ? '' : `:${port}`);
        if (upper) host = host.toUpperCase();
        expect(tenantFromHost(host, DOMAINS)).toEqual({ kind: 'tenant', tenant: l });
      }),
    );
  });

  it('never throws and only ever yields valid labels', () => {
    fc.assert(
      fc.property(fc.string(), (host) => {
        const r = tenantFromHost(host, DOMAINS);
        if (r.kind === 'tenant') expect(isTenantLabel(r.tenant)).toBe(true);
      }),
    );
  });

  it('parseDomains trims, lowercases and drops empties and dots', () => {
    expect(parseDomains(' MaxTrax.IO , .maxtrax.localhost.,,')).toEqual(['maxtrax.io', 'maxtrax.localhost']);
  });
});

describe('query parsing', () => {
  it('paging accepts exactly positive integers within range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 200 }), (page, size) => {
        const r = parsePaging(new Map([['page', String(page)], ['pageSize', String(size)]]), 50, 200);
        expect(r).toEqual({ ok: true, value: { page, pageSize: size, offset: (page - 1) * size } });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parsePaging(new Map([['page', s]]), 50, 200);
        expect(r.ok).toBe(/^[1-9][0-9]{0,8}$/.test(s));
      }),
    );
    expect(parsePaging(new Map([['pageSize', '201']]), 50, 200).ok).toBe(false);
    expect(parsePaging(new Map(), 50, 200)).toEqual({ ok: true, value: { page: 1, pageSize: 50, offset: 0 } });
  });

  it('refuses unknown and repeated names', () => {
    expect(checkNames([['x', '1'], ['y', '2'], ['x', '3']], ['page'])).toEqual({ ok: false, kind: 'unknown', names: ['x', 'y'] });
    expect(checkNames([['page', '1'], ['page', '2']], ['page'])).toMatchObject({ ok: false, kind: 'invalid' });
    expect(parseIsoQuery([['status', 'PENDING']], 50, 200)).toEqual({ ok: false, kind: 'unknown', names: ['status'] });
  });

  it('status lists: any non-empty subset of statuses parses, deduplicated', () => {
    const statuses = fc.subarray(['PENDING', 'ACCEPTED', 'REJECTED', 'REPAIR', 'VOIDED'], { minLength: 1 });
    fc.assert(
      fc.property(statuses, fc.boolean(), (list, dup) => {
        const raw = (dup ? [...list, ...list] : list).join(',');
        const r = parseWeldQuery([['status', raw]], 50, 200);
        expect(r).toMatchObject({ ok: true, value: { statuses: list } });
      }),
    );
    expect(parseWeldQuery([['status', 'PENDING,']], 50, 200).ok).toBe(false);
    expect(parseWeldQuery([['status', '']], 50, 200).ok).toBe(false);
  });

  it('never throws on arbitrary pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('page', 'pageSize', 'isoId', 'status', 'welderId', 'x'), fc.string())), (pairs) => {
        const r = parseWeldQuery(pairs, 50, 200);
        if (r.ok) {
          expect(r.value.page).toBeGreaterThanOrEqual(1);
          expect(r.value.pageSize).toBeLessThanOrEqual(200);
        }
      }),
    );
  });
});
