/**
 * The gate in front of every `/__admin` route. A request is refused when its `Host` is not an IP literal,
 * localhost, a `--public-host` or one of the vendor's own hosts (403: DNS rebinding), when it carries an `Origin`
 * other than the listener's own (403: a web page calling cross-site), when an admin token is configured and the
 * request does not present it as `Authorization: Bearer <token>` (401), and when it is a write that carries a body
 * or a Content-Type other than `application/json` (415: HTML forms and CORS-simple requests can only send other
 * types). A write with neither (`curl -X POST …/__admin/reset`) passes.
 * Answers `{"error": "…"}` like the rest of the control plane.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { sha256Hex } from './secrets.js';

export interface AdminGuardOptions {
  /** The bearer token every control-plane request must present; none → no token needed. */
  token?: string | null;
  /** Host names (exact, or `*.example.com` for subdomains) accepted besides IP literals and localhost. */
  publicHosts?: readonly string[];
  /** The vendor's own host names (MaxTrax tenant hosts); `host` is lower-case, without port. */
  isOwnHost?: (host: string) => boolean;
}

/** Methods that may change state: their bodies must be JSON. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Snapshot uploads (`PUT /__admin/snapshots/{name}/file`) are SQLite files. Neither type is one a form or a
 * CORS-simple request can send, so they keep the guarantee the JSON rule gives.
 */
const BINARY_UPLOAD_TYPES = new Set(['application/vnd.sqlite3', 'application/octet-stream']);
const BINARY_UPLOAD_PATH = /^\/__admin\/snapshots\/[^/]+\/file$/;

const refuse = (status: number, error: string, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify({ error }), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** `example.com:4100` → `example.com`, `[::1]:80` → `::1`; lower-case, no trailing dot. Null when malformed. */
export function hostName(hostHeader: string): string | null {
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return null;
    const rest = h.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    h = h.slice(1, end);
    return isIP(h) === 6 ? h : null;
  }
  const colon = h.indexOf(':');
  if (colon >= 0) {
    if (!/^\d{1,5}$/.test(h.slice(colon + 1))) return null;
    h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h === '' ? null : h;
}

/**
 * Parses `--public-host`: comma-separated host names (`*.example.com` for subdomains). Throws a one-line error
 * for an entry that is not a host name.
 */
export function parsePublicHosts(value: string | readonly string[]): string[] {
  const items = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const item of items) {
    const name = item.startsWith('*.') ? item.slice(2) : item;
    if (!isIP(name) && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(name)) {
      throw new Error(`--public-host: not a host name: ${item}`);
    }
  }
  return items;
}

function sameToken(presented: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  return timingSafeEqual(Buffer.from(sha256Hex(presented), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
}

export class AdminGuard {
  private readonly publicHosts: readonly string[];

  constructor(private readonly opts: AdminGuardOptions = {}) {
    this.publicHosts = opts.publicHosts ?? [];
  }

  get tokenRequired(): boolean {
    return !!this.opts.token;
  }

  private hostAllowed(host: string): boolean {
    if (isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost')) return true;
    for (const allowed of this.publicHosts) {
      if (allowed === host || (allowed.startsWith('*.') && host.endsWith(allowed.slice(1)))) return true;
    }
    return this.opts.isOwnHost?.(host) ?? false;
  }

  /** Null when the request may proceed; otherwise the refusal to send. */
  check(req: Request): Response | null {
    const refused = this.checkSource(req);
    if (refused) return refused;
    const token = this.opts.token;
    if (token) {
      const auth = req.headers.get('authorization') ?? '';
      const presented = auth.slice(0, 7).toLowerCase() === 'bearer ' ? auth.slice(7).trim() : null;
      if (presented === null || !sameToken(presented, token)) {
        return refuse(401, 'admin token required', { 'WWW-Authenticate': 'Bearer realm="vendor-fakes control plane"' });
      }
    }
    const contentType = req.headers.get('content-type');
    if (WRITES.has(req.method) && (contentType !== null || hasBody(req))) {
      const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
      const upload = req.method === 'PUT' && BINARY_UPLOAD_TYPES.has(type) && BINARY_UPLOAD_PATH.test(new URL(req.url).pathname);
      if (type !== 'application/json' && !upload) {
        return refuse(415, `control-plane writes need Content-Type: application/json${type ? ` (got ${type.slice(0, 100)})` : ''}`);
      }
    }
    return null;
  }

  /** True when `presented` is the configured token (constant-time); false when none is configured. */
  tokenMatches(presented: string): boolean {
    return !!this.opts.token && sameToken(presented, this.opts.token);
  }

  /** The Host and Origin rules alone (the web console applies them to its own pages): null, or the 403 to send. */
  checkSource(req: Request): Response | null {
    const url = new URL(req.url);
    const hostHeader = req.headers.get('host') ?? url.host;
    const host = hostHeader.length <= 300 ? hostName(hostHeader) : null;
    if (host === null || !this.hostAllowed(host)) {
      return refuse(
        403,
        `the control plane does not answer to Host ${JSON.stringify(hostHeader.slice(0, 300))}: use an IP address or localhost, or list the name with --public-host`,
      );
    }
    const origin = req.headers.get('origin');
    if (origin !== null) {
      const own = `${url.protocol}//${hostHeader.toLowerCase()}`;
      if (!sameOrigin(origin, hostHeader)) {
        return refuse(403, `cross-origin requests to the control plane are refused (Origin ${origin.slice(0, 300)} is not ${own})`);
      }
    }
    return null;
  }
}

/**
 * True when `origin` is the listener's own origin: the request's Host under http, or under https (the fakes behind
 * a TLS-terminating proxy). `Origin: null` (sandboxed pages, file: URLs) is never the listener's own.
 */
function sameOrigin(origin: string, hostHeader: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const host = hostHeader.trim().toLowerCase();
  if (u.host === host) return true;
  // The Host header may spell out the default port that the origin's URL omits.
  const port = u.protocol === 'https:' ? '443' : '80';
  return u.port === '' && host === `${u.hostname}:${port}`;
}

/** What HTTP/1.1 says announces a body (a bodiless `curl -X POST …/__admin/reset` sends neither). */
function hasBody(req: Request): boolean {
  const length = req.headers.get('content-length');
  return (length !== null && length.trim() !== '0') || req.headers.has('transfer-encoding');
}
