/** Requests (the journal), faults and snapshots pages, on each instance's in-process journal, faults and snapshots. */
import type { Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { FormValues } from '../core/console-spec.js';
import type { JournalFilter } from '../core/journal.js';
import type { VendorInstance } from '../core/instance.js';
import type { Suite } from '../suite.js';
import type { ConsoleEnv } from './index.js';
import { faultsPage } from './pages/faults.js';
import { RequestRows, requestPage, requestsPage, type RequestFilter, type Row } from './pages/requests.js';

export interface OperationHelpers {
  done(c: Context<ConsoleEnv>, to: string, kind: 'ok' | 'error', text: string): Response;
  form(c: Context<ConsoleEnv>): Promise<FormValues>;
  str(v: FormValues[string] | undefined): string;
  instance(name: string): VendorInstance;
  render(c: Context<any>, body: unknown, status?: 200 | 404): Response | Promise<Response>;
  notFound(message: string): Error;
}

const SHOWN = 100;

export function registerOperations(app: Hono<ConsoleEnv>, suite: Suite, h: OperationHelpers): void {
  const vendors = () => [...suite.instances.values()].map((i) => ({ name: i.vendor.name, title: i.vendor.title }));

  // ---- Requests
  const filterOf = (c: Context<ConsoleEnv>): RequestFilter => {
    const q = (k: string) => (c.req.query(k) ?? '').trim().slice(0, 200);
    return { vendor: q('vendor'), tenant: q('tenant'), status: q('status'), path: q('path'), method: q('method').toUpperCase() };
  };
  /** The newest matching entries of the chosen vendors, newest first, and how many match in all. */
  const rowsOf = (f: RequestFilter): { rows: Row[]; total: number } => {
    const filter: JournalFilter = { limit: SHOWN };
    if (f.tenant) filter.tenant = f.tenant;
    if (/^([1-5]\d\d|[1-5]xx)$/i.test(f.status)) filter.status = f.status.toLowerCase();
    if (f.path) filter.path = f.path.startsWith('/') || f.path.startsWith('*') ? f.path : `*${f.path}*`;
    if (f.method) filter.method = f.method;
    let total = 0;
    const rows: Row[] = [];
    for (const i of suite.instances.values()) {
      if (f.vendor && i.vendor.name !== f.vendor) continue;
      const { requests, total: n } = i.journal.list(filter);
      total += n;
      for (const r of requests) rows.push({ ...r, vendorTitle: i.vendor.title });
    }
    rows.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    return { rows: rows.slice(0, SHOWN), total };
  };
  const countText = (shown: number, total: number) => (total > shown ? `${total} requests match; the newest ${shown} are shown.` : `${total} request${total === 1 ? '' : 's'} match.`);
  const query = (f: RequestFilter) => new URLSearchParams(Object.entries(f).filter(([, v]) => v !== '')).toString();

  app.get('/requests', (c) => {
    const f = filterOf(c);
    const { rows, total } = rowsOf(f);
    return h.render(c, requestsPage(c.get('frame')('Requests', '/requests'), vendors(), f, rows, `/requests/live?${query(f)}`, countText(rows.length, total)));
  });
  app.get('/requests/live', (c) => {
    const { rows, total } = rowsOf(filterOf(c));
    return c.json({ html: String(RequestRows({ rows })), count: countText(rows.length, total) });
  });
  app.get('/requests/:vendor/:id', (c) => {
    const i = h.instance(c.req.param('vendor'));
    const entry = i.journal.get(c.req.param('id'));
    if (!entry) throw h.notFound(`${i.vendor.title} has no request ${c.req.param('id')} in its journal (it keeps the newest ${i.journal.capacity}).`);
    return h.render(c, requestPage(c.get('frame')(`${entry.method} ${entry.path}`, '/requests'), { ...entry, vendorTitle: i.vendor.title }));
  });

  /** Runs a control-plane operation; its refusal (AdminError) becomes the message on the page. */
  const attempt = async (c: Context<ConsoleEnv>, fn: () => string) => {
    try {
      return h.done(c, '/faults', 'ok', fn());
    } catch (e) {
      if (e instanceof HTTPException) return h.done(c, '/faults', 'error', e.message);
      throw e;
    }
  };

  // ---- Faults
  app.get('/faults', (c) => {
    const faults = [...suite.instances.values()].flatMap((i) => i.faults.list().map((f) => ({ ...f, vendor: i.vendor.name, vendorTitle: i.vendor.title })));
    const snapshots = [...suite.instances.values()].flatMap((i) => i.snapshots.list().map((s) => ({ ...s, vendorTitle: i.vendor.title })));
    return h.render(c, faultsPage(c.get('frame')('Faults & snapshots', '/faults'), vendors(), faults, snapshots));
  });
  app.post('/faults', async (c) => {
    const f = await h.form(c);
    const i = h.instance(h.str(f.vendor));
    const spec: Record<string, unknown> = { path: h.str(f.path) };
    for (const k of ['method', 'tenant', 'error']) if (h.str(f[k])) spec[k] = h.str(f[k]);
    for (const k of ['status', 'delay_ms', 'jitter_ms', 'times', 'after', 'probability']) {
      const v = h.str(f[k]);
      if (v === '') continue;
      const n = Number(v);
      if (!Number.isFinite(n)) return h.done(c, '/faults', 'error', `${k} must be a number`);
      spec[k] = n;
    }
    return attempt(c, () => {
      const added = i.faults.add(spec);
      return `${i.vendor.title}: fault ${added.id} added (${added.method ?? 'any method'} ${added.path}).`;
    });
  });
  app.post('/faults/remove', async (c) => {
    const f = await h.form(c);
    const i = h.instance(h.str(f.vendor));
    const id = h.str(f.id);
    return i.faults.remove(id) ? h.done(c, '/faults', 'ok', `${i.vendor.title}: fault ${id} removed.`) : h.done(c, '/faults', 'error', `${i.vendor.title} has no fault ${id}.`);
  });
  app.post('/faults/clear', (c) => {
    for (const i of suite.instances.values()) i.faults.clear();
    return h.done(c, '/faults', 'ok', 'All faults removed.');
  });

  // ---- Snapshots
  app.post('/snapshots', async (c) => {
    const f = await h.form(c);
    const name = h.str(f.name);
    const chosen = h.str(f.vendor) ? [h.instance(h.str(f.vendor))] : [...suite.instances.values()];
    return attempt(c, () => {
      for (const i of chosen) i.snapshots.save(name);
      return `Saved ${name} (${chosen.map((i) => i.vendor.title).join(', ')}).`;
    });
  });
  app.post('/snapshots/restore', async (c) => {
    const f = await h.form(c);
    const i = h.instance(h.str(f.vendor));
    return attempt(c, () => {
      const r = i.snapshots.restore(h.str(f.name));
      return `${i.vendor.title}: restored ${r.name} in ${r.ms} ms.`;
    });
  });
  app.post('/snapshots/delete', async (c) => {
    const f = await h.form(c);
    const i = h.instance(h.str(f.vendor));
    const name = h.str(f.name);
    return i.snapshots.delete(name) ? h.done(c, '/faults', 'ok', `${i.vendor.title}: snapshot ${name} deleted.`) : h.done(c, '/faults', 'error', `${i.vendor.title} has no snapshot ${name}.`);
  });
  app.get('/snapshots/:vendor/:name/file', (c) => {
    const i = h.instance(c.req.param('vendor'));
    const name = c.req.param('name');
    if (!i.snapshots.get(name)) throw h.notFound(`${i.vendor.title} has no snapshot ${name}.`);
    return c.body(new Uint8Array(i.snapshots.file(name)), 200, {
      'Content-Type': 'application/vnd.sqlite3',
      'Content-Disposition': `attachment; filename="${i.vendor.name}-${name}.sqlite"`,
    });
  });
}
