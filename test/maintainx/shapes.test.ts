/** Every read endpoint with every expand value: each response is validated against the document by `call`. */
import { describe, expect, it } from 'vitest';
import { operations } from '../../src/vendors/maintainx/openapi.js';
import { makeSuite } from './helpers.js';

describe('maintainx response shapes', () => {
  const { call } = makeSuite({ rateLimit: false });

  it('every built GET, with all its expand values, matches the official schemas', async () => {
    // Rich data first: a parent with a child, parts, costs, attachments, a meter reading, a team member.
    const part = (await call('GET', '/v1/parts?limit=1')).body.parts[0].id;
    const asset = (await call('GET', '/v1/assets?limit=1')).body.assets[0].id;
    const location = (await call('GET', '/v1/locations?limit=1')).body.locations[0].id;
    const parent = (await call('POST', '/v1/workorders', { body: { title: 'Shape parent', isParent: true, assetId: asset, locationId: location, partsUsed: [{ partId: part, quantityUsed: 2 }], assignees: [{ type: 'USER', id: 1 }], extraFields: { Color: 'red' }, vendorIds: [] } })).body.id;
    await call('POST', '/v1/workorders', { body: { title: 'Shape child', parentId: parent } });
    await call('POST', `/v1/workorders/${parent}/costs`, { body: { type: 'TIME', costType: 'WORK', durationTotal: 3600, hourlyRate: 5000 } });
    await call('PUT', `/v1/workorders/${parent}/thumbnail/t.png`, { raw: new Uint8Array([1, 2]), headers: { 'content-type': 'image/png' } });
    await call('POST', '/v1/assetcustomstatuses', { body: { label: 'Shape', baseAssetStatus: 'ONLINE' } });
    const meter = (await call('GET', '/v1/meters?limit=1')).body.meters[0].id;
    await call('POST', `/v1/meters/${meter}/readings`, { body: { readingValue: 3 } });
    const vendor = (await call('GET', '/v1/vendors?limit=1')).body.vendors[0].id;
    const team = (await call('GET', '/v1/teams?limit=1')).body.teams[0].id;
    const sub = (await call('POST', '/v1/subscriptions', { body: { type: 'NEW_ASSET', url: 'http://127.0.0.1:9/x' } })).body.id;
    const contact = (await call('GET', `/v1/vendors/${vendor}/contacts`)).body.contacts[0].id;
    const workRequest = (await call('POST', '/v1/workrequests', { body: { title: 'Shape request', assetId: asset, locationId: location } })).body.id;
    await call('POST', '/v1/workorders', { body: { title: 'From shape request', workRequestId: workRequest } });
    const purchaseOrder = (await call('POST', '/v1/purchaseorders', { body: { vendorId: vendor, items: [{ partId: part, quantityOrdered: 2 }], costs: [{ name: 'Tax', type: 'PERCENT_TAXABLE', amount: 8 }], billingAddress: { street: 's', city: 'c', state: 'st', postalCode: 'p', country: 'co' } } })).body.id;
    await call('PUT', `/v1/purchaseorders/${purchaseOrder}/thumbnail/t.png`, { raw: new Uint8Array([1]), headers: { 'content-type': 'image/png' } });
    const portal = (await call('POST', '/v1/workrequestportals', { body: { title: 'Shape portal', assetId: asset } })).body.id;
    const template = (await call('POST', '/v1/proceduretemplates', { body: { title: 'Shape template', fields: [{ label: 'Check', type: 'CHECKBOX', choices: ['a'] }] } })).body.id;
    const rca = (await call('GET', '/v1/rootcauseanalysisreports?limit=1')).body.rootCauseAnalysisReports[0].id;
    const trigger = (await call('POST', '/v1/metertriggers', { body: { meterTrigger: { meterId: meter, name: 'Shape trigger', amount: 5, condition: 'IS_GREATER', dataPoints: { numerator: 1, denominator: 2 } }, workOrderTemplate: { data: { assetId: asset } } } })).body.id;
    const borealisPart = (await call('GET', '/v1/parts?limit=1', { key: 'mx_demo_borealis_admin_9b2d6c4e1a7f' })).body.parts[0].id;
    const transfer = (await call('POST', '/v1/parttransferrequests', { key: 'mx_demo_multi_org_3a8f5e2d7c1b', headers: { 'x-organization-id': '1' }, body: { quantityRequested: 1, sourcePartId: borealisPart, destinationPartId: part } })).body.id;
    const manufacturer = (await call('POST', '/v1/manufacturers', { body: { name: 'Shape Co' } })).body.id;
    const model = (await call('POST', '/v1/models', { body: { name: 'S1', manufacturerId: manufacturer } })).body.id;
    const conversation = (await call('POST', '/v1/users/2/messages', { body: { content: 'hello' } })).body.conversationId;
    const blueprint = (await call('POST', '/v1/maintenanceplans/workorderblueprints', { body: { title: 'Shape blueprint' } })).body.id;
    const plan = (await call('POST', '/v1/maintenanceplans', { body: { name: 'Shape plan', recurrence: { type: 'DAILY' }, workOrderBlueprintId: blueprint, planningHorizon: { value: 1, unit: 'MONTH' }, planAssets: [{ assetId: asset }] } })).body.id;
    const ids: Record<string, number | string> = { id: parent, assetId: asset, meterId: meter, contactId: contact, entity: 'workOrders' };
    const idFor: Record<string, number> = { maintenanceplans: plan, parttransferrequests: transfer, metertriggers: trigger, rootcauseanalysisreports: rca, proceduretemplates: template, workrequestportals: portal, purchaseorders: purchaseOrder, workrequests: workRequest, manufacturers: manufacturer, models: model, conversations: conversation, assets: asset, locations: location, parts: part, vendors: vendor, teams: team, meters: meter, subscriptions: sub, workorders: parent };
    let checked = 0;
    for (const op of operations()) {
      if (!op.built || op.method !== 'GET') continue;
      const resource = op.path.split('/')[1];
      const expand = (op.op.parameters ?? []).find((p: any) => p.name === 'expand')?.schema?.items?.enum as string[] | undefined;
      let path = op.path.replace(/\{(\w+)\}/g, (_, k) => String(k === 'id' ? (idFor[resource] ?? ids.id) : ids[k]));
      if (resource === 'assetcriticalities' && path.includes('/', 1)) path = `/assetcriticalities/${(await call('GET', '/v1/assetcriticalities?limit=1')).body.assetCriticalities[0].id}`;
      if (resource === 'assetcustomstatuses' && path.includes('/', 1)) path = `/assetcustomstatuses/${(await call('GET', '/v1/assetcustomstatuses')).body.assetCustomStatuses[0].id}`;
      if (resource === 'categories' && path.includes('/', 1)) path = `/categories/${(await call('GET', '/v1/categories?limit=1')).body.categories[0].id}`;
      if (resource === 'users' && path.includes('/', 1)) path = '/users/1';
      const qs = [expand ? expand.map((e) => `expand=${e}`).join('&') : '', path === '/workorders' ? 'show_upcoming=true&limit=200' : ''].filter(Boolean).join('&');
      const r = await call('GET', `/v1${path}${qs ? '?' + qs : ''}`);
      expect(r.status, `${op.path} → ${r.text.slice(0, 200)}`).toBe(200);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(28);
  });
});
