/** Small HTTP helpers shared by the vendors. */
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';

/**
 * A request header, case-insensitive. On a real listener (@hono/node-server passes `{ incoming }` as env) this reads
 * the headers Node already parsed instead of building a Fetch `Headers` object for the request (a measurable share
 * of a fast request); in-process (`app.request()`) it reads the Fetch API's. Repeated headers are joined with ", "
 * either way.
 */
export function headerOf(req: Request, env: unknown, name: string): string | undefined {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return req.headers.get(name) ?? undefined;
  const v = incoming.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** `headerOf` for a Hono context. */
export function requestHeader(c: Context, name: string): string | undefined {
  return headerOf(c.req.raw, c.env, name);
}

/**
 * True when an error only means the client went away (it closed the connection while its body was being read):
 * not a fault of the server, so no internal-error log line with a stack and no 500.
 */
export function clientGone(err: unknown, req: Request): boolean {
  if (req.signal?.aborted) return true;
  const e = err as { message?: unknown; code?: unknown; name?: unknown } | null;
  return !!e && (e.message === 'aborted' || e.code === 'ECONNRESET' || e.name === 'AbortError');
}

/**
 * What a vendor answers (to nobody) when the client went away: status 499, nginx's "client closed request", so the
 * request's one log line says what happened.
 */
export function clientClosedResponse(): Response {
  return new Response(null, { status: 499 });
}
