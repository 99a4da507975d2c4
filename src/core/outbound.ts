/**
 * Calls a fake makes to the outside world (webhook deliveries). Targets are allowed only on loopback and on the
 * hosts the user lists (`--webhook-allow-hosts`), so a fake reachable by others cannot be made to call arbitrary
 * hosts. Every call is reported to the listeners registered with `onRecord` (the request journal).
 */
import { isIP } from 'node:net';
import type { Clock } from './clock.js';

export interface OutboundRequest {
  /** The vendor's tenant id the call belongs to, when there is one. */
  tenant?: string | number | null;
  url: string;
  method?: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface OutboundResult {
  /** The receiver's status, or null when no response arrived (refused target, network error, timeout). */
  status: number | null;
  /** Why the call failed, or null for a 2xx answer. A 3xx is a failure (redirects are not followed). */
  error: string | null;
  /** True when the failure was the timeout. */
  timedOut: boolean;
}

export interface OutboundRecord {
  vendor: string;
  tenant: string | null;
  /** Suite-clock time the call started, RFC 3339 with milliseconds. */
  time: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string;
  error: string | null;
  durationMs: number;
}

/** Hostname of a URL as `URL` gives it, without IPv6 brackets. */
function hostOf(url: URL): string {
  const h = url.hostname.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v = isIP(host);
  if (v === 4) return host.startsWith('127.');
  if (v === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || host.startsWith('::ffff:127.');
  return false;
}

/**
 * Parses `--webhook-allow-hosts`: comma-separated host names (exact, or `*.example.com` for subdomains) and IP
 * literals; `*` allows every host. Returns a one-line error for a bad entry.
 */
export function parseAllowHosts(value: string | readonly string[]): string[] {
  const items = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const item of items) {
    if (item === '*') continue;
    const name = item.startsWith('*.') ? item.slice(2) : item;
    if (!isIP(name) && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) {
      throw new Error(`--webhook-allow-hosts: not a host name or IP address: ${item}`);
    }
  }
  return items;
}

export class Outbound {
  private readonly listeners: Array<(r: OutboundRecord) => void> = [];

  constructor(
    readonly vendor: string,
    private readonly clock: Clock,
    private readonly allowHosts: readonly string[] = [],
  ) {}

  /** Registers a listener for every completed call (the request journal). */
  onRecord(fn: (r: OutboundRecord) => void): void {
    this.listeners.push(fn);
  }

  /**
   * Null when `url` may be called; otherwise a sentence saying why not, for the vendor's 400 when a subscription is
   * created (and checked again at delivery time).
   */
  refusal(url: string): string | null {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return `${JSON.stringify(url)} is not an absolute URL`;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `webhook URLs must use http or https, not ${u.protocol.slice(0, -1)}`;
    const host = hostOf(u);
    if (isLoopback(host)) return null;
    for (const allowed of this.allowHosts) {
      if (allowed === '*' || allowed === host) return null;
      if (allowed.startsWith('*.') && host.endsWith(allowed.slice(1))) return null;
    }
    return `webhook target host ${host} is not allowed: the fakes deliver only to loopback and to hosts listed with --webhook-allow-hosts`;
  }

  /** POSTs (or `method`s) one request; never throws. Redirects are not followed. */
  async send(req: OutboundRequest): Promise<OutboundResult> {
    const method = req.method ?? 'POST';
    const time = this.clock.now().toISOString();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    let timedOut = false;
    let responseHeaders: Record<string, string> = {};
    let responseBody = '';
    const refused = this.refusal(req.url);
    if (refused) {
      error = refused;
    } else {
      try {
        const res = await fetch(req.url, {
          method,
          headers: req.headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : req.body,
          signal: AbortSignal.timeout(req.timeoutMs),
          redirect: 'manual',
        });
        status = res.status;
        responseHeaders = Object.fromEntries(res.headers);
        responseBody = await res.text().catch(() => '');
        error = res.status >= 200 && res.status < 300 ? null : `receiver answered ${res.status}`;
      } catch (err) {
        const e = err as Error;
        timedOut = e.name === 'TimeoutError';
        error = timedOut ? `timed out after ${req.timeoutMs} ms` : `request failed: ${(e.cause as Error | undefined)?.message ?? e.message}`;
      }
    }
    if (this.listeners.length) {
      const record: OutboundRecord = {
        vendor: this.vendor,
        tenant: req.tenant == null ? null : String(req.tenant),
        time,
        method,
        url: req.url,
        requestHeaders: req.headers,
        requestBody: req.body,
        status,
        responseHeaders,
        responseBody,
        error,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
      for (const fn of this.listeners) fn(record);
    }
    return { status, error, timedOut };
  }
}
