/** Every remaining bad-input rule, table-driven: status and exact plain-text message. */
import { describe, expect, it } from 'vitest';
import { expectText, makeSuite } from './helpers.js';

const EXPORT = { topics: ['a/b'], startDate: '2026-06-01T00:00:00Z', endDate: '2026-06-01T01:00:00Z' };

const CASES: [string, string, unknown, number, string | RegExp][] = [
  ['POST', '/machhub/auth/group', { name: 'x'.repeat(65) }, 400, 'name must be at most 64 characters'],
  ['POST', '/machhub/auth/group', { name: 'G2', features: 'all' }, 400, 'features must be an array'],
  ['POST', '/machhub/auth/group', { name: 'G3', features: [null] }, 400, 'features[0] must be an object'],
  ['POST', '/machhub/auth/group', {}, 400, 'name is required'],
  ['POST', '/machhub/auth/group', { name: 7 }, 400, 'name must be a string'],
  ['POST', '/machhub/auth/user', { username: 'has space', password: 'p' }, 400, 'username may only contain letters, digits, _ . @ -'],
  ['POST', '/machhub/auth/user', { username: 'img', password: 'p', userImage: 5 }, 400, 'userImage must be a string or null'],
  ['POST', '/machhub/auth/user', { username: 'em', password: 'p', email: 5 }, 400, 'email must be a string'],
  ['POST', '/machhub/auth/group/groups:nope/user/users:admin', undefined, 404, 'group not found'],
  ['POST', '/machhub/auth/permission', { permissions: [] }, 400, 'group_id is required'],
  ['POST', '/machhub/auth/permission', { group_id: 'groups:x', permissions: {} }, 400, 'permissions must be an array'],
  ['POST', '/machhub/historian/export/aggregated', { ...EXPORT, mapping: [] }, 400, 'mapping must be an object'],
  ['POST', '/machhub/historian/export/aggregated', { ...EXPORT, timezone: 8 }, 400, 'timezone must be a string'],
  ['POST', '/machhub/historian/export/aggregated', { ...EXPORT, sampleRate: 60 }, 400, 'invalid sampleRate'],
  ['POST', '/machhub/historian/export/aggregated', { ...EXPORT, sampleRate: '0_minute' }, 400, 'invalid sampleRate: 0_minute'],
  ['POST', '/machhub/historian/export/aggregated', { ...EXPORT, startDate: '2026-06-01' }, 400, 'startDate must be an RFC 3339 timestamp'],
  ['POST', '/machhub/historian/export/aggregated', { ...EXPORT, topics: ['a/b', 3] }, 400, 'topics must be a non-empty array of topic strings'],
  ['PATCH', '/machhub/historian', { topic: 'x'.repeat(600), start_time: '2026-06-01T00:00:00Z' }, 400, 'topic is required'],
  ['PUT', '/machhub/processes/triggers/processes:abc', { triggers: {} }, 400, 'triggers must be an array'],
  ['PUT', '/machhub/processes/triggers/processes:abc', { triggers: Array(51).fill({ type: 'manual' }) }, 400, 'triggers must be an array'],
  ['PUT', '/machhub/processes/triggers/processes:abc', { triggers: [{ type: 'manual', config: [] }] }, 400, 'triggers[0].config must be an object'],
  ['PUT', '/machhub/processes/triggers/processes:abc', { triggers: [{ type: 'tag_change', config: {} }] }, 400, 'triggers[0].config.tag is required'],
  ['PUT', '/machhub/processes/triggers/processes:abc', { triggers: ['cron'] }, 400, 'triggers[0] must be an object'],
  ['PATCH', '/machhub/products/all', { 'filter[a][=][object]': { x: 1 } }, 400, 'invalid query parameter filter[a][=][object]: value must be a string, number, boolean or array'],
  ['PATCH', '/machhub/products/count', [1], 400, 'Invalid request body'],
  ['PATCH', '/machhub/file', { fileName: 'a', collectionName: 'products', fieldName: 'f', recordID: 'nonsense' }, 404, 'file not found'],
  ['POST', '/machhub/products', { id: 'x'.repeat(300) }, 400, 'invalid record id: at most 255 characters, no control characters'],
  ['POST', '/machhub/products', { id: 'a\u0001b' }, 400, 'invalid record id: at most 255 characters, no control characters'],
  ['POST', '/machhub/products', { id: 5 }, 400, 'id must be a record id of this collection'],
];

describe('bad input', () => {
  const { req } = makeSuite();
  it.each(CASES)('%s %s %j → %i', async (method, path, body, status, message) => {
    const r = await req(method, path, body === undefined ? { raw: '' } : { body });
    expectText(r, status, message);
  });

  it('adding an unknown user to a real group → 404 user not found', async () => {
    const g = (await req('GET', '/machhub/auth/group')).json.find((x: any) => x.name === 'operators');
    expectText(await req('POST', `/machhub/auth/group/groups:${g.id.ID}/user/users:ghost`, { raw: '' }), 404, 'user not found');
    expect((await req('POST', `/machhub/auth/group/${g.id.ID}/user/engineer`, { raw: '' })).json).toMatchObject({ success: true, actions: ['read', 'read', 'read'] });
  });
});
