/** The shared response checker finds what is wrong, for every vendor document (it must be able to fail). */
import { describe, expect, it } from 'vitest';
import { contract, templateOf } from './contract.js';

const json = (status: number, body: unknown, type = 'application/json') => ({ status, headers: new Headers({ 'content-type': type }), text: JSON.stringify(body) });

describe('contract()', () => {
  it('MaxTrax: a good page passes; a wrong field, an undocumented status, a loose content type and an unknown path do not', () => {
    const check = contract('maxtrax');
    const page = { items: [], page: 1, pageSize: 50, totalItems: 0, totalPages: 0 };
    expect(check('GET', '/welds?page=1', json(200, page))).toEqual([]);
    expect(check('GET', '/welds', json(200, { ...page, page: 'one' })).join()).toMatch(/page/);
    expect(check('GET', '/welds', json(418, page)).join()).toMatch(/status not documented/);
    expect(check('GET', '/welds', json(200, page, 'application/json; charset=utf-8')).join()).toMatch(/content-type/);
    expect(check('GET', '/nowhere', json(200, {})).join()).toMatch(/undocumented/);
    expect(templateOf('maxtrax', 'PATCH', '/welds/abc/status')).toBe('/welds/{id}/status');
  });

  it('MaintainX: documents under /v1; the plain 404 outside them passes, a 200 outside them does not', () => {
    const check = contract('maintainx');
    expect(check('GET', '/v1/nowhere', json(404, { error: 'Not Found' }))).toEqual([]);
    expect(check('GET', '/v1/nowhere', json(200, {})).join()).toMatch(/no operation/);
    expect(check('GET', '/v1/workorders/1', json(200, { workOrder: 'nope' })).length).toBeGreaterThan(0);
    expect(check('DELETE', '/v1/workorders/1', { status: 204, headers: new Headers(), text: 'surprise' }).join()).toMatch(/body where none/);
  });

  it('MACHHUB: plain-text errors pass, JSON where text is documented does not; strict refuses undocumented statuses', () => {
    expect(contract('machhub')('GET', '/machhub/products/all', { status: 400, headers: new Headers({ 'content-type': 'text/plain; charset=utf-8' }), text: 'bad' })).toEqual([]);
    expect(contract('machhub')('GET', '/machhub/products/all', json(400, { error: 'bad' })).length).toBeGreaterThan(0);
    expect(contract('machhub', { strict: true })('GET', '/machhub/tag/list', { status: 413, headers: new Headers({ 'content-type': 'text/plain' }), text: 'x' }).join()).toMatch(/not documented/);
  });

  it('TrakRF: only /api/ is covered; a missing documented header and a broken error envelope are found', () => {
    const check = contract('trakrf');
    expect(check('GET', '/healthz', { status: 200, headers: new Headers(), text: 'ok' })).toEqual([]);
    expect(check('GET', '/api/v1/nowhere', json(404, { error: { type: 'nope' } })).length).toBeGreaterThan(0);
    expect(check('GET', '/api/v1/orgs/me', json(200, { data: {} })).length).toBeGreaterThan(0);
  });

  it('the control plane is checked against openapi/admin.json', () => {
    const check = contract('trakrf');
    expect(check('POST', '/__admin/reset', json(200, { reset: true, tenant: null, ms: 1 }))).toEqual([]);
    expect(check('POST', '/__admin/reset', json(200, { reset: 'yes' })).length).toBeGreaterThan(0);
  });
});
