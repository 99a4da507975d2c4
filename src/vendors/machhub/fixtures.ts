/** MACHHUB fixtures: the shape of `fixtures/machhub.json` and its validation. */
import { parseRfc3339 } from '../../core/time.js';
import { fx } from '../../core/fixtures.js';
import { FixtureError } from '../../core/vendor.js';
import { PROCESS_HANDLERS } from './processes.js';
import { COLLECTION_NAME, RESERVED_COLLECTIONS } from './store/records.js';
import { DOMAIN_NAME, domainNameFrom } from './store/index.js';

export interface MachhubFixtures {
  epoch: string;
  domains: { name: string; system?: boolean }[];
  users: { id: string; username: string; password: string; firstName?: string; lastName?: string; email?: string; groups: Record<string, string[]> }[];
  groups: { domain: string; name: string; features: { name: string; action: string; scope: string }[] }[];
  apiKeys: { domain: string; name: string; key: string; expiration?: string | null }[];
  collections: Record<string, Record<string, number>>;
  tags: { domain: string; topic: string; historized: boolean; base: number; amplitude: number; noise: number }[];
  historian: { intervalSeconds: number; points: number };
  processes: { id: string; domain: string; name: string; handler: string; language: 'python' | 'typescript'; code: string; enabled: boolean; config?: Record<string, unknown>; triggers: unknown[] }[];
}

export function parseFixtures(raw: unknown): MachhubFixtures {
  const o = fx.object(raw, 'machhub');
  if (!parseRfc3339(o.epoch)) throw new FixtureError('machhub.epoch must be an RFC 3339 timestamp');
  const domains = fx.array(o.domains, 'machhub.domains').map((d, i) => {
    const x = fx.object(d, `machhub.domains[${i}]`);
    const name = fx.string(x.name, `machhub.domains[${i}].name`);
    if (!DOMAIN_NAME.test(domainNameFrom(name))) throw new FixtureError(`machhub.domains[${i}].name gives an invalid domain id`);
    return { name, system: x.system === true };
  });
  const known = new Set(domains.map((d) => domainNameFrom(d.name)));
  const dom = (v: unknown, path: string) => {
    const s = fx.string(v, path);
    if (!known.has(s)) throw new FixtureError(`${path}: unknown domain ${s}`);
    return s;
  };
  const users = fx.array(o.users, 'machhub.users').map((u, i) => {
    const x = fx.object(u, `machhub.users[${i}]`);
    const groups = fx.object(x.groups, `machhub.users[${i}].groups`);
    for (const [d, g] of Object.entries(groups)) {
      dom(d, `machhub.users[${i}].groups key`);
      fx.stringArray(g, `machhub.users[${i}].groups.${d}`);
    }
    return { ...x, id: fx.string(x.id, `machhub.users[${i}].id`), username: fx.string(x.username, `machhub.users[${i}].username`), password: fx.string(x.password, `machhub.users[${i}].password`), groups } as MachhubFixtures['users'][number];
  });
  const groups = fx.array(o.groups, 'machhub.groups').map((g, i) => {
    const x = fx.object(g, `machhub.groups[${i}]`);
    return { domain: dom(x.domain, `machhub.groups[${i}].domain`), name: fx.string(x.name, `machhub.groups[${i}].name`), features: fx.array(x.features, `machhub.groups[${i}].features`) as MachhubFixtures['groups'][number]['features'] };
  });
  const apiKeys = fx.array(o.apiKeys, 'machhub.apiKeys').map((k, i) => {
    const x = fx.object(k, `machhub.apiKeys[${i}]`);
    const key = fx.string(x.key, `machhub.apiKeys[${i}].key`);
    if (!/^mchx_[A-Za-z0-9]{12}.+$/.test(key)) throw new FixtureError(`machhub.apiKeys[${i}].key must be mchx_<12-char id><secret>`);
    return { domain: dom(x.domain, `machhub.apiKeys[${i}].domain`), name: fx.string(x.name, `machhub.apiKeys[${i}].name`), key, expiration: (x.expiration as string | null | undefined) ?? null };
  });
  const collections = fx.object(o.collections, 'machhub.collections') as Record<string, Record<string, number>>;
  for (const [d, cols] of Object.entries(collections)) {
    dom(d, 'machhub.collections key');
    for (const [c, n] of Object.entries(fx.object(cols, `machhub.collections.${d}`))) {
      if (!COLLECTION_NAME.test(c) || RESERVED_COLLECTIONS.has(c)) throw new FixtureError(`machhub.collections.${d}.${c}: invalid collection name`);
      fx.int(n, `machhub.collections.${d}.${c}`);
    }
  }
  const tags = fx.array(o.tags, 'machhub.tags').map((t, i) => {
    const x = fx.object(t, `machhub.tags[${i}]`);
    return { domain: dom(x.domain, `machhub.tags[${i}].domain`), topic: fx.string(x.topic, `machhub.tags[${i}].topic`), historized: x.historized === true, base: Number(x.base ?? 0), amplitude: Number(x.amplitude ?? 0), noise: Number(x.noise ?? 0) };
  });
  const h = fx.object(o.historian, 'machhub.historian');
  const historian = { intervalSeconds: fx.int(h.intervalSeconds, 'machhub.historian.intervalSeconds', 1), points: fx.int(h.points, 'machhub.historian.points') };
  const processes = fx.array(o.processes, 'machhub.processes').map((p, i) => {
    const x = fx.object(p, `machhub.processes[${i}]`);
    const handler = fx.string(x.handler, `machhub.processes[${i}].handler`);
    if (!PROCESS_HANDLERS[handler]) throw new FixtureError(`machhub.processes[${i}].handler: unknown handler ${handler} (known: ${Object.keys(PROCESS_HANDLERS).join(', ')})`);
    return { ...x, id: fx.string(x.id, `machhub.processes[${i}].id`), domain: dom(x.domain, `machhub.processes[${i}].domain`), name: fx.string(x.name, `machhub.processes[${i}].name`), handler } as MachhubFixtures['processes'][number];
  });
  return { epoch: o.epoch as string, domains, users, groups, apiKeys, collections, tags, historian, processes };
}
