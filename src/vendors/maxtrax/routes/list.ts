/** List responses in the configured envelope. */
import type { Context } from 'hono';
import type { MaxtraxConfig } from '../config.js';

export function listResponse(c: Context, config: MaxtraxConfig, items: unknown[], page: number, pageSize: number, total: number): Response {
  const totalPages = Math.ceil(total / pageSize);
  if (config.listEnvelope === 'array') {
    c.header('X-Total-Count', String(total));
    const links: string[] = [];
    const url = new URL(c.req.url);
    const link = (p: number, rel: string) => {
      url.searchParams.set('page', String(p));
      url.searchParams.set('pageSize', String(pageSize));
      links.push(`<${url.pathname}${url.search}>; rel="${rel}"`);
    };
    if (page < totalPages) link(page + 1, 'next');
    if (page > 1) link(Math.min(page - 1, Math.max(totalPages, 1)), 'prev');
    if (totalPages > 0) {
      link(1, 'first');
      link(totalPages, 'last');
    }
    if (links.length) c.header('Link', links.join(', '));
    return c.json(items);
  }
  return c.json({ items, page, pageSize, totalItems: total, totalPages });
}
