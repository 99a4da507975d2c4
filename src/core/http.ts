/** Small HTTP helpers shared by the vendors. */
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';

/**
 * A request header, case-insensitive. On a real listener (@hono/node-server) this reads the headers Node already
 * parsed instead of building a Fetch `Headers` object for the request (a measurable share of a fast request);
 * in-process (`app.request()`) it reads the Fetch API's. Repeated headers are joined with ", " either way.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const v = incoming.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
