/**
 * Around a vendor's API: each request runs in its own scope; when the journal is on the request is recorded, and when
 * a fault rule exists it is matched and applied. With the journal off and no fault, a request costs one scope and
 * nothing else; with the journal on, one entry more (references to what the request and response hold).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { captureInto, captureRequestBody, hasRequestBody, requestHeaders } from './capture.js';
import { MAX_DELAY_MS, type Fault, type Faults } from './faults.js';
import { inboundEntry, pathAndQuery, type Journal, type RawEntry } from './journal.js';
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

/** Resolves when `p` settles or after `ms`, whichever comes first; the timer goes as soon as `p` settles. */
function within(p: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const settled = () => {
      clearTimeout(timer);
      resolve();
    };
    p.then(settled, settled);
  });
}

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

/** What the request's scope says once it is answered (or failed), and how long it took. */
function settle(entry: RawEntry, scope: RequestScope, started: number, error: string | null): void {
  entry.tenant = scope.tenant;
  entry.fault = scope.fault;
  entry.error = error;
  entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
}

export function observedFetch(api: { fetch: FetchHandler }, o: ObserveOptions): FetchHandler {
  const { journal, faults } = o;
  const fillRequestBody = (entry: RawEntry, text: string) => journal.fill(entry, 'requestBody', text);
  const fillResponseBody = (entry: RawEntry, text: string) => journal.fill(entry, 'responseBody', text);

  /** Records the entry once the request body is read (the handler has normally read it by now; else briefly waits). */
  const record = <T>(entry: RawEntry, bodyRead: Promise<void> | undefined, value: T): T | Promise<T> => {
    if (!bodyRead) return (journal.push(entry), value);
    return within(bodyRead, 50).then(() => (journal.push(entry), value));
  };

  /** The handler answered: the response's status, headers and body go into the entry, which is then recorded. */
  const answered = (entry: RawEntry, scope: RequestScope, started: number, res: Response, env: unknown, bodyRead: Promise<void> | undefined): Response | Promise<Response> => {
    settle(entry, scope, started, null);
    const responseRead = captureInto(res, entry, fillResponseBody);
    // In-process, give a body read from a clone a moment, so that the entry is whole when app.request() resolves.
    if (responseRead && !(env as NodeEnv | undefined)?.incoming) return within(responseRead, 50).then(() => record(entry, bodyRead, res));
    return record(entry, bodyRead, res);
  };

  /** The vendor let an error escape (the listener answers 500): the journal still shows the request. */
  const failed = (entry: RawEntry, scope: RequestScope, started: number, err: unknown, on = true): never => {
    settle(entry, scope, started, err instanceof Error ? err.message : String(err));
    entry.status = 500;
    if (on) journal.push(entry);
    throw err;
  };

  const bodyReadOf = (entry: RawEntry, req: Request, env: unknown): Promise<void> | undefined =>
    hasRequestBody(req, env, entry.requestHeaders) ? captureRequestBody(req, (text) => fillRequestBody(entry, text)) : undefined;

  /**
   * The journal on and no fault rule (the usual case): one entry and one scope per request, no promise unless the
   * handler or a body read makes one; masking, ids, dates and URL parts wait until the entry is read.
   */
  const journaled = (req: Request, env: unknown): Response | Promise<Response> => {
    const entry = inboundEntry(o.nowMs(), req.method, req.url, requestHeaders(req, env));
    const started = performance.now();
    const scope = new RequestScope();
    const bodyRead = bodyReadOf(entry, req, env);
    let res: Response | Promise<Response>;
    try {
      res = runInScope(scope, () => api.fetch(req, env));
    } catch (err) {
      return failed(entry, scope, started, err);
    }
    if (res instanceof Promise) {
      return res.then(
        (r) => answered(entry, scope, started, r, env, bodyRead),
        (err: unknown) => failed(entry, scope, started, err),
      );
    }
    return answered(entry, scope, started, res, env, bodyRead);
  };

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

  /** Fault rules exist: each request is matched against them (the journal on or off). */
  const withFaults = (req: Request, env: unknown): Response | Promise<Response> => {
    const on = journal.enabled;
    const entry = inboundEntry(o.nowMs(), req.method, req.url, on ? requestHeaders(req, env) : {});
    const started = performance.now();
    const scope = new ObservedScope();
    const bodyRead = on ? bodyReadOf(entry, req, env) : undefined;

    const { fault: arrived, pending } = faults.arrive(req.method, pathOf(req.url));
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

    const done = (res: Response): Response | Promise<Response> => {
      if (on) return answered(entry, scope, started, res, env, bodyRead);
      settle(entry, scope, started, null);
      return res;
    };

    const applyFault = async (f: Fault, handlerRes: Response | null): Promise<Response> => {
      const delay = faults.delayOf(f);
      if (f.error !== null) {
        if (handlerRes?.body) handlerRes.body.cancel().catch(() => {});
        await breakConnection(f, req, env as NodeEnv | undefined, delay).catch(async (err: unknown) => {
          settle(entry, scope, started, f.error);
          if (on) await record(entry, bodyRead, null);
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
      return failed(entry, scope, started, err, on);
    };
    let res: Response | Promise<Response>;
    try {
      res = runInScope(scope, () => api.fetch(req, env));
    } catch (err) {
      return onError(err);
    }
    return res instanceof Promise ? res.then(afterHandler, onError) : afterHandler(res);
  };

  return (req, env) => {
    if (faults.size) return withFaults(req, env);
    if (journal.enabled) return journaled(req, env);
    return runInScope(new RequestScope(), () => api.fetch(req, env));
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
