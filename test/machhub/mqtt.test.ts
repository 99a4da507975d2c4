import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { startFakes, type RunningFakes } from '../../src/suite.js';
import { adminCall } from '../support/admin.js';

const ACME_KEY = 'mchx_ABCDEFGHIJKLsecret';
const GLOBEX_KEY = 'mchx_GLOBEXKEY0001globex-demo-secret';

interface Msg {
  topic: string;
  value: unknown;
  retain: boolean;
  qos: number;
  contentType?: string;
}

/** A client with the SDK's exact options (protocol 5; key as username `mch_developer_key` + password). */
function sdkOptions(developerKey?: string): IClientOptions {
  return { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000, ...(developerKey && { username: 'mch_developer_key', password: developerKey }) };
}

function connect(url: string, opts: IClientOptions): Promise<MqttClient & { inbox: Msg[] }> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, opts) as MqttClient & { inbox: Msg[] };
    c.inbox = [];
    c.on('message', (topic, payload, packet) => {
      let value: unknown = payload.toString();
      try {
        value = JSON.parse(payload.toString());
      } catch {
        /* the SDK keeps the text */
      }
      c.inbox.push({ topic, value, retain: packet.retain, qos: packet.qos, contentType: packet.properties?.contentType });
    });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });
}

const sdkSubscribe = (c: MqttClient, topic: string) => c.subscribeAsync(topic, { qos: 2 });
/** `sdk.tag.publish`: QoS 2, retain (default true), contentType json; objects as JSON, other values as String(v). */
const sdkPublish = (c: MqttClient, topic: string, value: unknown, retain = true) =>
  c.publishAsync(topic, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value), { qos: 2, retain, properties: { contentType: 'json' } });

async function until<T>(f: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('MQTT 5 over WebSocket at /mqtt (lax)', () => {
  let fakes: RunningFakes;
  let url: string;
  let http: string;
  const clients: MqttClient[] = [];
  const open = async (opts: IClientOptions) => {
    const c = await connect(url, opts);
    clients.push(c);
    return c;
  };
  const rest = async (method: string, path: string, body?: unknown, domain = 'domains:acme') => {
    const r = await fetch(`${http}${path}`, { method, headers: { Domain: domain, 'X-Machhub-Api-Key': domain === 'domains:acme' ? ACME_KEY : GLOBEX_KEY, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: (await r.json().catch(() => undefined)) as any };
  };
  const admin = (path: string, body: unknown) => adminCall(http, 'POST', path, body).then(({ status, body: json }) => ({ status, json }));

  beforeAll(async () => {
    fakes = await startFakes({ vendors: ['machhub'], seedCache: false });
    http = fakes.urls.machhub;
    url = `${http.replace('http', 'ws')}/mqtt`;
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await fakes.close();
  });

  it('a developer key connects; a bad key is refused with reason 134 Bad User Name or Password', async () => {
    const c = await open(sdkOptions(ACME_KEY));
    expect(c.connected).toBe(true);
    const e = (await connect(url, sdkOptions('mchx_ABCDEFGHIJKLwrong')).catch((x) => x)) as Error & { code?: number };
    expect(e.code).toBe(134);
    expect(e.message).toMatch(/Bad User Name or Password/);
    // Anonymous is accepted in lax mode (the real default).
    expect((await open(sdkOptions())).connected).toBe(true);
  });

  it('connections, subscriptions and publishes appear in the request journal, the key masked', async () => {
    const journal = async (q: string) => ((await (await fetch(`${http}/__admin/requests?${q}`)).json()) as { requests: any[] }).requests;
    await fetch(`${http}/__admin/requests`, { method: 'DELETE' });
    await connect(url, sdkOptions('mchx_ABCDEFGHIJKLwrong')).catch(() => undefined);
    const c = await open(sdkOptions(ACME_KEY));
    await sdkSubscribe(c, 'Journal/#');
    await sdkPublish(c, 'Journal/T', { v: 1 });
    await until(() => (c.inbox.some((m) => m.topic === 'Journal/T') ? true : undefined));
    const connects = await journal('method=CONNECT');
    expect(connects.map((e) => [e.status, e.tenant, e.path])).toEqual([[0, 'domains:acme', '/mqtt'], [134, null, '/mqtt']]);
    const [pub] = await journal('method=PUBLISH&path=/mqtt/Journal/*');
    expect(pub).toMatchObject({ direction: 'inbound', tenant: 'domains:acme', path: '/mqtt/Journal/T', status: 0, request_body: '{"v":1}' });
    expect((await journal('method=SUBSCRIBE'))[0]).toMatchObject({ path: '/mqtt/Journal/%23', status: 0 });
    expect(JSON.stringify(await journal(''))).not.toContain(ACME_KEY);
  });

  it('retained values, object round-trip, wildcards, QoS, unsubscribe; values become the tag value and are listed', async () => {
    const pub = await open(sdkOptions(ACME_KEY));
    await sdkPublish(pub, 'Plant1/LineA/Temperature', { celsius: 21.5, ok: true });
    await sdkPublish(pub, 'Plant1/LineA/Count', 7);
    const sub = await open(sdkOptions(ACME_KEY));
    await sdkSubscribe(sub, 'Plant1/LineA/Temperature');
    const retained = await until(() => sub.inbox.find((m) => m.topic === 'Plant1/LineA/Temperature'));
    expect(retained).toEqual({ topic: 'Plant1/LineA/Temperature', value: { celsius: 21.5, ok: true }, retain: true, qos: 2, contentType: 'json' });

    const wild = await open(sdkOptions(ACME_KEY));
    await sdkSubscribe(wild, 'Plant1/+/Count');
    await sdkSubscribe(wild, 'Plant2/#');
    await until(() => wild.inbox.find((m) => m.topic === 'Plant1/LineA/Count' && m.value === 7));
    await sdkPublish(pub, 'Plant2/Boiler/Pressure', 'high', false);
    await pub.publishAsync('Plant2/Boiler/Temp', '99', { qos: 0 });
    await pub.publishAsync('Plant2/Boiler/Flow', '3', { qos: 1 });
    await until(() => (wild.inbox.filter((m) => m.topic.startsWith('Plant2/')).length === 3 ? true : undefined));
    expect(wild.inbox.filter((m) => m.topic.startsWith('Plant2/')).map((m) => [m.topic, m.value, m.qos, m.retain])).toEqual([
      ['Plant2/Boiler/Pressure', 'high', 2, false],
      ['Plant2/Boiler/Temp', 99, 0, false],
      ['Plant2/Boiler/Flow', 3, 1, false],
    ]);
    await wild.unsubscribeAsync('Plant2/#');
    await sdkPublish(pub, 'Plant2/Boiler/Temp', 100);
    await settle();
    expect(wild.inbox.filter((m) => m.topic === 'Plant2/Boiler/Temp')).toHaveLength(1);

    const tags = await rest('GET', '/machhub/tag/list');
    expect(tags.json).toEqual(expect.arrayContaining(['Plant1/LineA/Temperature', 'Plant1/LineA/Count', 'Plant2/Boiler/Temp']));
  });

  it('domains are isolated: two domains publishing Plant1/T do not see each other', async () => {
    const acme = await open(sdkOptions(ACME_KEY));
    const globex = await open(sdkOptions(GLOBEX_KEY));
    await sdkSubscribe(acme, '#');
    await sdkSubscribe(globex, '#');
    await settle();
    acme.inbox.length = 0;
    globex.inbox.length = 0;
    await sdkPublish(acme, 'Plant1/T', 1, false);
    await sdkPublish(globex, 'Plant1/T', 2, false);
    await settle();
    expect(acme.inbox.map((m) => m.value)).toEqual([1]);
    expect(globex.inbox.map((m) => m.value)).toEqual([2]);
    expect((await rest('GET', '/machhub/tag/list', undefined, 'domains:globex')).json).toContain('Plant1/T');
    expect((await rest('GET', '/machhub/tag/list', undefined, 'domains:globex')).json).not.toContain('Plant1/LineA/Temperature');
  });

  it('historized tags: published values become historian points on the suite clock (getLastNValues, query, live data)', async () => {
    expect((await admin('/tags/historized', { domain: 'acme', topic: 'Line9/Speed' })).status).toBe(200);
    // Frozen first: set-then-freeze lets a millisecond pass in between.
    fakes.clock.freeze(true);
    fakes.clock.set(new Date('2026-09-01T10:00:00Z'));
    const live = await open(sdkOptions(ACME_KEY));
    await sdkSubscribe(live, 'Line9/Speed'); // historian.subscribeLiveData(topic, cb) subscribes to the topic
    const pub = await open(sdkOptions(ACME_KEY));
    await sdkPublish(pub, 'Line9/Speed', 12.5);
    fakes.clock.advance(60);
    const dev = await admin('/tags/publish', { domain: 'acme', topic: 'Line9/Speed', value: 13 });
    expect(dev).toEqual({ status: 200, json: { domain: 'domains:acme', topic: 'Line9/Speed', value: 13, retain: true } });
    await until(() => (live.inbox.length === 2 ? true : undefined));
    expect(live.inbox.map((m) => m.value)).toEqual([12.5, 13]);
    const last = await rest('PATCH', '/machhub/historian/last', { topic: 'Line9/Speed', limit: 5 });
    expect(last.json).toEqual([
      { timestamp: '2026-09-01T10:01:00.000Z', value: 13 },
      { timestamp: '2026-09-01T10:00:00.000Z', value: 12.5 },
    ]);
    const q = await rest('POST', '/machhub/historian/query', { query: "SELECT math::mean(value) AS avg FROM historian WHERE topic = 'Line9/Speed' GROUP ALL" });
    expect(q.json).toEqual([{ avg: 12.75 }]);
    expect((await rest('GET', '/machhub/historian/list')).json).toContain('Line9/Speed');
    // A non-historized tag keeps only its current value.
    await sdkPublish(pub, 'Line9/Mode', 'auto');
    await settle();
    expect((await rest('PATCH', '/machhub/historian/last', { topic: 'Line9/Mode', limit: 5 })).json).toEqual([]);
    fakes.clock.reset();
  });

  it('control-plane validation', async () => {
    expect((await admin('/tags/publish', { domain: 'acme', topic: 'a/#', value: 1 })).status).toBe(400);
    expect((await admin('/tags/publish', { domain: 'nope', topic: 'a', value: 1 })).status).toBe(404);
    expect((await admin('/tags/publish', { domain: 'acme', topic: 'a' })).json).toEqual({ error: 'value is required' });
    expect((await admin('/tags/historized', { domain: 'acme', topic: '' })).status).toBe(400);
  });

  it('a login JWT as password (username = the domain); expired keys are refused', async () => {
    const login = await fetch(`${http}/machhub/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator' }) });
    const { tkn } = (await login.json()) as { tkn: string };
    const c = await open({ protocolVersion: 5, reconnectPeriod: 0, username: 'domains:acme', password: tkn });
    await sdkPublish(c, 'Jwt/T', 5);
    // operator is not in globex: refused.
    expect(((await connect(url, { protocolVersion: 5, reconnectPeriod: 0, username: 'globex', password: tkn }).catch((x) => x)) as { code?: number }).code).toBe(134);
    const minted = await admin('/api-keys', { domain: 'acme', name: 'short', expiration: new Date(fakes.clock.nowMs() + 60_000).toISOString() });
    expect((await open(sdkOptions(minted.json.key))).connected).toBe(true);
    fakes.clock.advance(120);
    expect(((await connect(url, sdkOptions(minted.json.key)).catch((x) => x)) as { code?: number }).code).toBe(134);
    fakes.clock.reset();
  });

  it('reset clears retained values and closes sessions; a domain reset only that domain', async () => {
    const pub = await open(sdkOptions(ACME_KEY));
    await sdkPublish(pub, 'Keep/Me', 'acme-value');
    const g = await open(sdkOptions(GLOBEX_KEY));
    await sdkPublish(g, 'Keep/Me', 'globex-value');
    const r1 = await fetch(`${http}/__admin/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'domains:acme' }) });
    expect(r1.status).toBe(200);
    await until(() => (pub.connected ? undefined : true));
    const a2 = await open(sdkOptions(ACME_KEY));
    await sdkSubscribe(a2, 'Keep/Me');
    const g2 = await open(sdkOptions(GLOBEX_KEY));
    await sdkSubscribe(g2, 'Keep/Me');
    await until(() => g2.inbox[0]);
    expect(g2.inbox[0].value).toBe('globex-value');
    await settle();
    expect(a2.inbox).toEqual([]);
    expect(g.connected).toBe(true);

    const r2 = await fetch(`${http}/__admin/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(r2.status).toBe(200);
    await until(() => (g2.connected ? undefined : true));
    const g3 = await open(sdkOptions(GLOBEX_KEY));
    await sdkSubscribe(g3, 'Keep/Me');
    await settle();
    expect(g3.inbox).toEqual([]);
    expect((await rest('GET', '/machhub/tag/list', undefined, 'domains:globex')).json).not.toContain('Keep/Me');
  });
});

describe('MQTT strict mode and TCP', () => {
  it('strict: anonymous refused (134); --machhub-mqtt-port serves TCP; closing the suite closes the broker', async () => {
    const probe = await startFakes({ vendors: ['machhub'], seedCache: false });
    const port = Number(new URL(probe.urls.machhub).port);
    await probe.close();
    const fakes = await startFakes({ vendors: ['machhub'], seedCache: false, config: { machhub: { auth: 'strict', mqttPort: port } } });
    let closed = false;
    try {
      const url = `${fakes.urls.machhub.replace('http', 'ws')}/mqtt`;
      expect(((await connect(url, sdkOptions()).catch((x) => x)) as { code?: number }).code).toBe(134);
      const ws = await connect(url, sdkOptions(ACME_KEY));
      const tcp = await connect(`mqtt://127.0.0.1:${port}`, sdkOptions(ACME_KEY));
      await sdkSubscribe(ws, 'Over/Tcp');
      await sdkPublish(tcp, 'Over/Tcp', { a: [1, 2] });
      await until(() => ws.inbox[0]);
      expect(ws.inbox[0].value).toEqual({ a: [1, 2] });
      const wsClosed = new Promise<void>((r) => ws.once('close', () => r()));
      const tcpClosed = new Promise<void>((r) => tcp.once('close', () => r()));
      await fakes.close();
      closed = true;
      await Promise.all([wsClosed, tcpClosed]);
      tcp.end(true);
      ws.end(true);
    } finally {
      if (!closed) await fakes.close();
    }
  });
});
