/** The token endpoint and /orgs/me. */
import { TrakrfError } from '../errors.js';
import { json, noQueryParams, type Services } from '../http.js';
import { currentOrgView } from '../views.js';

export function readRoutes({ table, auth, store, chains }: Services): void {
  table.on('POST', '/api/v1/oauth/token', 'createToken', [], (c) => auth.token(c));

  table.on('GET', '/api/v1/orgs/me', 'getCurrentOrg', [...chains.apiKey, noQueryParams], (c) => {
    const { orgId, clientId, scopes } = c.get('auth');
    const org = store.orgs.get(orgId);
    if (!org) {
      throw new TrakrfError(
        'missing_org_context',
        'This request requires an active organization context. Select an organization or re-authenticate.',
      );
    }
    return json(c, { data: currentOrgView(org, clientId, scopes) });
  });
}
