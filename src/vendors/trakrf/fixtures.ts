/** fixtures/trakrf.json: demo orgs, their documented demo credentials, and generator sizes. */
import { fx } from '../../core/fixtures.js';
import { FixtureError } from '../../core/vendor.js';
import { parseStrictTimestamp } from './query.js';
import { ALL_SCOPES } from './ops/api-keys.js';

export interface FixtureKey {
  label: string;
  name: string;
  client_id: string;
  client_secret: string;
  scopes: string[];
  expires_at: number | null;
  revoked: boolean;
}

export interface FixtureOrg {
  id: number;
  name: string;
  subscription_active: boolean;
  api_keys: FixtureKey[];
  generate: { locations: number; assets: number; scan_days: number };
}

export interface TrakrfFixtures {
  /** All generated timestamps are laid out before this instant, so the same seed gives the same data. */
  anchor: number;
  orgs: FixtureOrg[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECRET = /^trakrf_[0-9a-f]{64}$/;

export function parseFixtures(raw: unknown): TrakrfFixtures {
  const doc = fx.object(raw, 'trakrf fixtures');
  const anchor = parseStrictTimestamp(fx.string(doc.anchor, 'anchor'));
  if (!anchor) throw new FixtureError('anchor must be an RFC 3339 timestamp');
  const orgs = fx.array(doc.orgs, 'orgs').map((o, i): FixtureOrg => {
    const p = `orgs[${i}]`;
    const org = fx.object(o, p);
    const gen = fx.object(org.generate ?? {}, `${p}.generate`);
    return {
      id: fx.int(org.id, `${p}.id`, 1),
      name: fx.string(org.name, `${p}.name`),
      subscription_active: org.subscription_active === undefined ? true : fx.bool(org.subscription_active, `${p}.subscription_active`),
      generate: {
        locations: gen.locations === undefined ? 0 : fx.int(gen.locations, `${p}.generate.locations`),
        assets: gen.assets === undefined ? 0 : fx.int(gen.assets, `${p}.generate.assets`),
        scan_days: gen.scan_days === undefined ? 0 : fx.int(gen.scan_days, `${p}.generate.scan_days`),
      },
      api_keys: fx.array(org.api_keys ?? [], `${p}.api_keys`).map((k, j): FixtureKey => {
        const kp = `${p}.api_keys[${j}]`;
        const key = fx.object(k, kp);
        const clientId = fx.string(key.client_id, `${kp}.client_id`);
        if (!UUID.test(clientId)) throw new FixtureError(`${kp}.client_id must be a lowercase UUID v4`);
        const secret = fx.string(key.client_secret, `${kp}.client_secret`);
        if (!SECRET.test(secret)) throw new FixtureError(`${kp}.client_secret must be trakrf_ followed by 64 lowercase hex`);
        const scopes = fx.stringArray(key.scopes, `${kp}.scopes`);
        for (const s of scopes) {
          if (!(ALL_SCOPES as readonly string[]).includes(s)) throw new FixtureError(`${kp}.scopes: unknown scope ${s}`);
        }
        let expiresAt: number | null = null;
        if (key.expires_at !== undefined && key.expires_at !== null) {
          const d = parseStrictTimestamp(fx.string(key.expires_at, `${kp}.expires_at`));
          if (!d) throw new FixtureError(`${kp}.expires_at must be an RFC 3339 timestamp or null`);
          expiresAt = d.getTime();
        }
        return {
          label: fx.string(key.label ?? key.name, `${kp}.label`),
          name: fx.string(key.name, `${kp}.name`),
          client_id: clientId,
          client_secret: secret,
          scopes,
          expires_at: expiresAt,
          revoked: key.revoked === undefined ? false : fx.bool(key.revoked, `${kp}.revoked`),
        };
      }),
    };
  });
  return { anchor: anchor.getTime(), orgs };
}
