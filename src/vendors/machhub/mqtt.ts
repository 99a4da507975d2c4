/**
 * MACHHUB's realtime half (reference Appendix B, §7.2, §7.4): an MQTT 5 broker (aedes, pinned) at `/mqtt` on the
 * MACHHUB listener over WebSocket, and optionally on TCP (`--machhub-mqtt-port`). Topics are tag paths scoped to the
 * connection's domain: inside the broker every topic is `<domain>/<tag path>`, a prefix added on publish and
 * subscribe and removed on delivery, so two domains publishing `Plant1/T` never see each other.
 *
 * Every publish (a client's, or the control plane's) becomes the tag's current value; a historized tag also gets a
 * historian point at the suite clock's now.
 */
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
// aedes and ws are loaded on first use (a connection, a control-plane publish): most runs never speak MQTT, and
// loading them at start-up costs ≈ 100 ms.
import type { Aedes, AuthenticateError, Client } from 'aedes';
import type { WebSocketServer, createWebSocketStream } from 'ws';
import type { VendorContext } from '../../core/vendor.js';
import { DEFAULT_DOMAIN, type MachhubConfig, verifyApiKey, verifyToken, type signerFor } from './auth.js';
import { Store } from './store/index.js';
import type { Records } from './store/records.js';

export const DEVELOPER_KEY_USER = 'mch_developer_key';
/** Ours: the largest MQTT packet accepted (MQTT 5 Maximum Packet Size, advertised in CONNACK). */
export const MAX_PACKET_BYTES = 1024 * 1024;

interface Session {
  domainId: string;
  domain: string;
}

/** What the SDK sends: objects as JSON, everything else as `String(v)`. Read back: JSON when it parses, else text. */
export function encodePayload(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
export function decodePayload(payload: Buffer | string): unknown {
  const text = payload.toString();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A tag path a client may publish to: non-empty, no wildcard, no leading `$`, at most 512 characters. */
export function validTopic(topic: string): boolean {
  return topic !== '' && topic.length <= 512 && !topic.startsWith('$') && !/[+#\u0000]/.test(topic);
}

const badCredentials = (): AuthenticateError => Object.assign(new Error('Bad User Name or Password'), { returnCode: 4 as const });

export class Realtime {
  /** Created on first use (a listener attaching, a control-plane publish), so in-process suites start no timers. */
  private brokerP: Promise<Aedes> | null = null;
  private readonly sessions = new WeakMap<Client, Session>();
  private wsP: Promise<{ wss: WebSocketServer; stream: typeof createWebSocketStream }> | null = null;
  private tcp: TcpServer | null = null;
  private closed = false;
  /** Set by per-tenant reset: the next reset hook clears only this domain. */
  pendingTenant: { domainId: string; domain: string } | null = null;
  private readonly store: Store;

  constructor(
    private readonly ctx: VendorContext<MachhubConfig>,
    private readonly signer: ReturnType<typeof signerFor>,
    private readonly records: Records,
  ) {
    this.store = new Store(ctx.handle);
    ctx.onReset(() => {
      const t = this.pendingTenant;
      this.pendingTenant = null;
      if (t) void this.clearDomain(t.domain);
      else void this.restart();
    });
  }

  private get broker(): Promise<Aedes> {
    this.brokerP ??= this.create();
    return this.brokerP;
  }

  private get ws(): Promise<{ wss: WebSocketServer; stream: typeof createWebSocketStream }> {
    this.wsP ??= import('ws').then((m) => ({ wss: new m.WebSocketServer({ noServer: true, maxPayload: MAX_PACKET_BYTES + 16 }), stream: m.createWebSocketStream }));
    return this.wsP;
  }

  private async create(): Promise<Aedes> {
    const { Aedes } = await import('aedes');
    return Aedes.createBroker({
      maximumPacketSize: MAX_PACKET_BYTES,
      authenticate: (client, username, password, done) => {
        this.authenticate(username, password)
          .then((s) => {
            this.journal('CONNECT', '', s?.domainId ?? null, s ? 0 : 134, { username: username ?? '', 'client-id': client.id });
            if (!s) return done(badCredentials(), null);
            this.sessions.set(client, s);
            scopeUnsubscribes(client, s.domain);
            done(null, true);
          })
          .catch(() => {
            this.journal('CONNECT', '', null, 134, { username: username ?? '', 'client-id': client.id });
            done(badCredentials(), null);
          });
      },
      authorizePublish: (client, packet, done) => {
        const s = client && this.sessions.get(client);
        if (!client) return done(null);
        if (!s || !validTopic(packet.topic)) {
          this.journal('PUBLISH', packet.topic, s?.domainId ?? null, 135, {}, null, 'topic not allowed');
          return done(new Error('topic not allowed'));
        }
        this.journal('PUBLISH', packet.topic, s.domainId, 0, { qos: String(packet.qos), retain: String(packet.retain) }, String(packet.payload));
        this.record(s, packet.topic, packet.payload);
        packet.topic = `${s.domain}/${packet.topic}`;
        done(null);
      },
      authorizeSubscribe: (client, sub, done) => {
        const s = this.sessions.get(client);
        if (!s || sub.topic === '' || sub.topic.startsWith('$') || sub.topic.length > 512) {
          this.journal('SUBSCRIBE', sub.topic.slice(0, 512), s?.domainId ?? null, 135, {}, null, 'subscription not allowed');
          return done(new Error('subscription not allowed'), null);
        }
        this.journal('SUBSCRIBE', sub.topic, s.domainId, 0, { qos: String(sub.qos) });
        sub.topic = `${s.domain}/${sub.topic}`;
        done(null, sub);
      },
      authorizeForward: (client, packet) => {
        const s = this.sessions.get(client);
        const prefix = s ? `${s.domain}/` : null;
        if (!prefix || !packet.topic.startsWith(prefix)) return null;
        return { ...packet, topic: packet.topic.slice(prefix.length) } as typeof packet;
      },
    });
  }

  /**
   * Developer key: username `mch_developer_key`, password the key (the SDK's rule). A login JWT as password: the
   * username names the domain (`domains:acme` or `acme`; inferred). Anonymous (lax only): the username, if any, names
   * the domain, else `domains:machhub_admin`.
   */
  private async authenticate(username: string | undefined, password: Buffer | undefined): Promise<Session | null> {
    const nowMs = this.ctx.clock.nowMs();
    const pw = password?.toString() ?? '';
    let domainId: string | null = null;
    if (username === DEVELOPER_KEY_USER) {
      const p = verifyApiKey(this.store, pw, nowMs);
      if (p.kind !== 'apikey') return null;
      domainId = p.domainId;
    } else if (pw !== '') {
      const p = await verifyToken(this.signer, this.store, pw, Math.floor(nowMs / 1000));
      if (p.kind !== 'user') return null;
      const wanted = domainIdOf(username) ?? DEFAULT_DOMAIN;
      const allowed = this.store.users.inDomain(p.user.id, wanted) || this.store.groups.isSuperuser(p.user.id, DEFAULT_DOMAIN);
      if (!allowed) return null;
      domainId = wanted;
    } else {
      if (this.ctx.config.auth === 'strict') return null;
      domainId = domainIdOf(username) ?? DEFAULT_DOMAIN;
    }
    const d = this.store.domains.byId(domainId);
    return d ? { domainId: d.id, domain: d.name } : null;
  }

  /** One MQTT packet in the request journal: `CONNECT /mqtt`, `PUBLISH /mqtt/<topic>`, status the MQTT 5 reason code. */
  private journal(method: string, topic: string, tenant: string | null, status: number, headers: Record<string, string>, body: string | null = null, error: string | null = null): void {
    this.ctx.journal({ protocol: 'mqtt', method, path: topic ? `/mqtt/${topic}` : '/mqtt', tenant, headers, body, status, error });
  }

  /** The tag's current value; a historian point when the tag is historized. */
  private record(s: Session, topic: string, payload: Buffer | string): void {
    const value = decodePayload(payload);
    this.records.fixedTablesWrite(() => this.store.tags.setValue(s.domainId, topic, JSON.stringify(value), this.ctx.clock.nowMs()));
  }

  /** `POST /__admin/tags/publish`: as a device would (QoS 1). */
  async publish(domain: { id: string; name: string }, topic: string, value: unknown, retain: boolean): Promise<void> {
    const payload = Buffer.from(encodePayload(value));
    this.record({ domainId: domain.id, domain: domain.name }, topic, payload);
    const broker = await this.broker;
    await new Promise<void>((resolve, reject) =>
      broker.publish({ cmd: 'publish', topic: `${domain.name}/${topic}`, payload, qos: 1, retain, dup: false, properties: { contentType: 'json' } } as never, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Serves MQTT over WebSocket on `GET /mqtt` upgrades of the listener, and on TCP when configured. */
  async attach(server: Server): Promise<void> {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/mqtt' || this.closed) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nCannot GET ' + path);
        return;
      }
      void this.ws.then(({ wss, stream }) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          // The stream now (it buffers the client's first packets), the broker when it is ready.
          const s = stream(ws);
          void this.broker.then((b) => b.handle(s, req));
        }),
      );
    });
    const port = Number(this.ctx.config.mqttPort);
    if (port > 0) {
      const addr = server.address();
      const host = addr && typeof addr === 'object' ? addr.address : '127.0.0.1';
      const tcp = createTcpServer((socket) => void this.broker.then((b) => b.handle(socket)));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => resolve());
      });
      this.tcp = tcp;
    }
  }

  /** Full reset: a new broker (no retained values, no sessions); every connection of the old one is closed. */
  private async restart(): Promise<void> {
    const old = this.brokerP;
    if (!old) return;
    this.brokerP = this.closed ? null : this.create();
    const b = await old;
    await new Promise<void>((resolve) => b.close(() => resolve()));
  }

  /** Per-domain reset: that domain's retained values are cleared and its connections closed. */
  private async clearDomain(domain: string): Promise<void> {
    if (!this.brokerP) return;
    // aedes keeps these untyped: its persistence (retained store) and the connected clients by id.
    const b = (await this.broker) as unknown as {
      persistence: { createRetainedStream(pattern: string): AsyncIterable<{ topic: string }>; storeRetained(p: unknown): Promise<void> };
      clients: Record<string, Client>;
    };
    const topics: string[] = [];
    for await (const p of b.persistence.createRetainedStream(`${domain}/#`)) topics.push(p.topic);
    for (const topic of topics) await b.persistence.storeRetained({ cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
    for (const client of Object.values(b.clients)) {
      if (this.sessions.get(client)?.domain === domain) client.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.wsP) {
      const { wss } = await this.wsP;
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    }
    // The broker first (it ends every client connection), then the TCP server (whose close waits for them).
    if (this.brokerP) {
      const b = await this.brokerP;
      await new Promise<void>((resolve) => b.close(() => resolve()));
    }
    const tcp = this.tcp;
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  get tcpPort(): number | null {
    const a = this.tcp?.address();
    return a && typeof a === 'object' ? a.port : null;
  }
}

/**
 * aedes has no hook for UNSUBSCRIBE, so the domain prefix is added to its topics as the packet is parsed (before
 * aedes handles it), including packets already queued behind the CONNECT.
 */
function scopeUnsubscribes(client: Client, domain: string): void {
  const parser = (client as unknown as { _parser?: { prependListener(e: 'packet', f: (p: { cmd: string; unsubscriptions?: string[] }) => void): void; _queue?: { cmd: string; unsubscriptions?: string[] }[] | null } })._parser;
  if (!parser) return;
  const scope = (p: { cmd: string; unsubscriptions?: string[] }) => {
    if (p.cmd === 'unsubscribe' && p.unsubscriptions) p.unsubscriptions = p.unsubscriptions.map((t) => `${domain}/${t}`);
  };
  for (const p of parser._queue ?? []) scope(p);
  parser.prependListener('packet', scope);
}

function domainIdOf(username: string | undefined): string | null {
  if (!username) return null;
  return username.startsWith('domains:') ? username : `domains:${username}`;
}
