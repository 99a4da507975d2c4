/**
 * Around a vendor's API: each request runs in its own scope; when the journal is on or a fault exists, the request
 * is recorded and faults are applied. With the journal off and no fault, a request costs one scope and nothing else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { captureRequestBody, captureResponse, hasRequestBody, requestHeaders } from './capture.js';
import { MAX_DELAY_MS, type Fault, type FaultRule, type Faults } from './faults.js';
import { pathAndQuery, type HeaderBag, type Journal, type RawEntry } from './journal.js';
import { RequestScope, runInScope } from './scope.js';
import type { FetchHandler } from './vendor.js';

export interface ObserveOptions {
  nowMs: () => number;
  journal: Journal;
  faults: Faults;
  /** The vendor's own error response for a status (its body shape and headers). */
  errorResponse: (status: number, req: Request) => Response;
}

/** Thrown from `setTenant` when a tenant fault stops the request; the vendor's answer to it is discarded. */
export class FaultStop extends Error {
  constructor(readonly faultId: string) {
    super(`request stopped by injected fault ${faultId}`);
  }
}

/** What a broken connection (connection_reset, empty_reply, hang) rejects with where there is no socket: in-process. */
export class BrokenConnection extends Error {
  override name = 'BrokenConnection';
}

/** A scope whose request a fault has stopped: the vendor's log lines about the stop are dropped. */
export function stoppedByFault(scope: RequestScope | undefined): boolean {
  return scope instanceof ObservedScope && scope.stopped;
}

class ObservedScope extends RequestScope {
  stopped = false;
  tenantFault: Fault | null = null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  let end = url.length;
  const q = url.indexOf('?', start);
  if (q >= 0) end = q;
  const h = url.indexOf('#', start);
  if (h >= 0 && h < end) end = h;
  return url.slice(start, end);
}

interface NodeEnv {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export function observedFetch(api: { fetch: FetchHandler }, o: ObserveOptions): FetchHandler {
  const { journal, faults } = o;

  const statusResponse = (f: Fault, req: Request): Response => {
    if (f.body === null) {
      const res = o.errorResponse(f.status!, req);
      for (const [k, v] of Object.entries(f.headers)) res.headers.set(k, v);
      return res;
    }
    const text = typeof f.body === 'string' ? f.body : JSON.stringify(f.body);
    const headers = new Headers(f.headers);
    if (!headers.has('content-type')) headers.set('content-type', typeof f.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
    return new Response(text, { status: f.status!, headers });
  };

  /** connection_reset, empty_reply, hang: the socket ends without an answer. In-process there is no socket: rejects. */
  const breakConnection = async (f: Fault, req: Request, env: NodeEnv | undefined, delay: number): Promise<never> => {
    const socket = env?.incoming?.socket;
    if (f.error === 'hang') {
      // Until delay_ms (at most 10 minutes), or until the client gives up: the socket closes (a listener) or the
      // request's signal aborts (in-process app.request with a signal).
      await new Promise<void>((resolve) => {
        const signal = socket ? undefined : req.signal;
        const gone = () => {
          clearTimeout(timer);
          env?.outgoing?.off('close', gone);
          signal?.removeEventListener('abort', gone);
          resolve();
        };
        const timer = setTimeout(gone, delay > 0 ? delay : MAX_DELAY_MS);
        env?.outgoing?.once('close', gone);
        signal?.addEventListener('abort', gone);
      });
    } else if (delay > 0) {
      await sleep(delay);
    }
    if (socket) {
      if (f.error === 'connection_reset' && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
    }
    throw new BrokenConnection(`injected fault ${f.id}: ${f.error}`);
  };

  return (req, env) => {
    if (!journal.enabled && faults.size === 0) return runInScope(new RequestScope(), () => api.fetch(req, env));
    const started = performance.now();
    const timeMs = o.nowMs();
    const scope = new ObservedScope();
    const on = journal.enabled;
    const headers: HeaderBag = on ? requestHeaders(req, env) : {};
    const entry: RawEntry = {
      direction: 'inbound',
      timeMs,
      tenant: null,
      method: req.method,
      url: req.url,
      requestHeaders: headers,
      requestBody: null,
      status: null,
      responseHeaders: {},
      responseBody: null,
      durationMs: 0,
      fault: null,
      error: null,
    };
    const bodyRead = on && hasRequestBody(req, env, headers) ? captureRequestBody(req, (t) => journal.fill(entry, 'requestBody', t)) : null;

    let arrived: Fault | null = null;
    let pending: FaultRule[] = [];
    if (faults.size) ({ fault: arrived, pending } = faults.arrive(req.method, pathOf(req.url)));
    if (arrived) scope.fault = arrived.id;
    else if (pending.length) {
      scope.onTenant = (tenant) => {
        if (scope.fault || scope.stopped) return;
        const f = faults.forTenant(pending, tenant);
        if (!f) return;
        scope.fault = f.id;
        scope.tenantFault = f;
        if (f.status !== null || f.error !== null) {
          scope.stopped = true;
          throw new FaultStop(f.id);
        }
      };
    }

    const settle = (error: string | null) => {
      entry.tenant = scope.tenant;
      entry.fault = scope.fault;
      entry.error = error;
      entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    };
    // The request body is normally read by now (the handler read its branch); wait briefly when it is not.
    const recorded = <T>(value: T): T | Promise<T> => {
      if (!on) return value;
      if (!bodyRead) return (journal.record(entry), value);
      return Promise.race([bodyRead, sleep(50)]).then(() => (journal.record(entry), value));
    };
    const done = (res: Response): Response | Promise<Response> => {
      settle(null);
      if (!on) return res;
      const cap = captureResponse(res, (t) => journal.fill(entry, 'responseBody', t));
      entry.status = cap.status;
      entry.responseHeaders = cap.headers;
      entry.responseBody = cap.body ?? null;
      // In-process, give a body read from a clone a moment, so that the entry is whole when app.request() resolves.
      if (cap.bodyRead && !(env as NodeEnv | undefined)?.incoming) {
        const response = cap.response;
        return Promise.race([cap.bodyRead, sleep(50)]).then(() => recorded(response));
      }
      return recorded(cap.response);
    };

    const applyFault = async (f: Fault, handlerRes: Response | null): Promise<Response> => {
      const delay = faults.delayOf(f);
      if (f.error !== null) {
        if (handlerRes?.body) handlerRes.body.cancel().catch(() => {});
        await breakConnection(f, req, env as NodeEnv | undefined, delay).catch(async (err: unknown) => {
          settle(f.error);
          await recorded(null);
          throw err;
        });
      }
      if (delay > 0) await sleep(delay);
      if (f.status !== null) {
        if (handlerRes?.body) handlerRes.body.cancel().catch(() => {});
        return done(statusResponse(f, req));
      }
      return done(handlerRes!);
    };

    if (arrived && (arrived.status !== null || arrived.error !== null)) return applyFault(arrived, null);

    const afterHandler = (res: Response): Response | Promise<Response> => {
      const f = arrived ?? scope.tenantFault;
      if (!f) return done(res);
      if (scope.stopped) res.body?.cancel().catch(() => {});
      return applyFault(f, scope.stopped ? null : res);
    };
    const onError = (err: unknown): Response | Promise<Response> => {
      if (scope.stopped && scope.tenantFault) return applyFault(scope.tenantFault, null);
      // The vendor let an error escape (the listener answers 500): the journal still shows the request.
      settle(err instanceof Error ? err.message : String(err));
      entry.status = 500;
      if (on) journal.record(entry);
      throw err;
    };
    let res: Response | Promise<Response>;
    try {
      res = runInScope(scope, () => api.fetch(req, env));
    } catch (err) {
      return onError(err);
    }
    return res instanceof Promise ? res.then(afterHandler, onError) : afterHandler(res);
  };
}

/**
 * The request log, one line per request on every vendor (control plane included):
 * `<vendor> <METHOD> <path> <status> <ms>ms <request id>`, once the handler has answered. Only wrapped around a
 * fetch when logging is on.
 */
export function loggedFetch(vendor: string, fetch: FetchHandler, log: (line: string) => void, requestId: (res: Response) => string): FetchHandler {
  return (req, env) => {
    const started = performance.now();
    const line = (res: Response): Response => {
      log(`${vendor} ${req.method} ${pathAndQuery(req.url).path} ${res.status} ${(performance.now() - started).toFixed(1)}ms ${requestId(res)}`);
      return res;
    };
    const res = fetch(req, env);
    return res instanceof Promise ? res.then(line) : line(res);
  };
}
