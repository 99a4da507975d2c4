/**
 * The web console (issue 14): a server-rendered Hono app on its own listener that talks to the vendor instances
 * in-process. Pages: overview (vendors, clock, reset), credentials, data browser, requests, faults and snapshots.
 * It obeys the admin token (sign-in form, then an HttpOnly SameSite=Strict session cookie), the control plane's
 * Host and Origin rules, and checks a CSRF token on every form.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { AdminGuard } from '../core/admin-guard.js';
import { parseRfc3339 } from '../core/time.js';
import { ConsoleError, adminJson, datetimeValue, type ConsoleSpec, type CredentialKind, type FormValues } from '../core/console-spec.js';
import type { VendorInstance } from '../core/instance.js';
import { VendorClock } from '../core/clock.js';
import type { Suite } from '../suite.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import type { Frame } from './layout.js';
import { credentialsPage, type KindView } from './pages/credentials.js';
import { dataPage } from './pages/data.js';
import { errorPage, loginPage } from './pages/login.js';
import { overviewPage, type CreatedSandbox } from './pages/overview.js';
import type { VendorChoice } from './pages/common.js';
import { COOKIE, Sessions, type Session } from './session.js';
import { registerOperations } from './operations.js';

export interface ConsoleOptions {
  suite: Suite;
  /** Each vendor's listener URL (`http://127.0.0.1:4400`). */
  urls: Record<string, string>;
  adminToken: string | null;
  publicHosts?: readonly string[];
}

export type ConsoleEnv = { Variables: { session: Session; frame: (title: string, section: string) => Frame } };

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts, which the Origin check refuses.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export class ConsoleHttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

export function createConsole(opts: ConsoleOptions): Hono<ConsoleEnv> {
  const { suite } = opts;
  const sessions = new Sessions();
  const guard = new AdminGuard({
    token: opts.adminToken,
    publicHosts: opts.publicHosts,
    isOwnHost: (host) => [...suite.instances.values()].some((i) => i.runtime.isOwnHost?.(host) ?? false),
  });
  const app = new Hono<ConsoleEnv>();

  app.use(async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  });
  app.get('/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.get('/assets/console.js', (c) => c.body(CONSOLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }));
  // Host (DNS rebinding) and Origin (cross-site) as on /__admin.
  app.use(async (c, next) => guard.checkSource(c.req.raw) ?? next());
  app.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('form too large', 413) }));

  // Sign-in (only when an admin token is set).
  app.get('/login', (c) => (guard.tokenRequired ? render(c, loginPage(null, sessions.csrf(sessions.open))) : c.redirect('/', 303)));
  app.post('/login', async (c) => {
    if (!guard.tokenRequired) return c.redirect('/', 303);
    const form = await c.req.parseBody();
    if (!sessions.csrfOk(sessions.open, form._csrf)) return render(c, loginPage('The form expired; sign in again.', sessions.csrf(sessions.open)), 403);
    if (sessions.signInPaused()) return render(c, loginPage('Too many wrong admin tokens: wait a minute, then try again.', sessions.csrf(sessions.open)), 429);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    if (!guard.tokenMatches(token)) {
      sessions.failedSignIn();
      return render(c, loginPage('Wrong admin token: use the value of --admin-token (or VENDOR_FAKES_ADMIN_TOKEN).', sessions.csrf(sessions.open)), 401);
    }
    const s = sessions.create();
    setCookie(c, COOKIE, s.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure: new URL(c.req.url).protocol === 'https:' });
    return c.redirect('/', 303);
  });

  // Everything else needs a session (the open one without a token) and, for POST, the session's CSRF token.
  app.use(async (c, next) => {
    let session: Session | null = sessions.open;
    if (guard.tokenRequired) {
      session = sessions.get(getCookie(c, COOKIE));
      if (!session) return c.req.method === 'GET' || c.req.method === 'HEAD' ? c.redirect('/login', 303) : render(c, loginPage('Sign in first.', sessions.csrf(sessions.open)), 401);
    }
    const s = session;
    c.set('session', s);
    c.set('frame', (title, section) => ({ title, section, csrf: sessions.csrf(s), signedIn: guard.tokenRequired, flash: sessions.take(s, c.req.query('msg')) }));
    if (c.req.method === 'POST') {
      const type = c.req.header('content-type') ?? '';
      if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) throw new ConsoleHttpError(400, 'the console accepts form posts only');
      const form = await c.req.parseBody({ all: true });
      if (!sessions.csrfOk(s, form._csrf)) throw new ConsoleHttpError(403, 'The form expired or came from another site: reload the page and try again.');
    }
    await next();
  });

  app.post('/logout', (c) => {
    sessions.end(c.get('session').id);
    deleteCookie(c, COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  /** Redirects to `to` with a one-time message. */
  const done = (c: Context<ConsoleEnv>, to: string, kind: 'ok' | 'error', text: string, data?: unknown) => {
    const id = sessions.flash(c.get('session'), { kind, text, data });
    return c.redirect(`${to}${to.includes('?') ? '&' : '?'}msg=${id}`, 303);
  };
  const form = async (c: Context<ConsoleEnv>): Promise<FormValues> => {
    const raw = await c.req.parseBody({ all: true });
    const out: FormValues = {};
    for (const [k, v] of Object.entries(raw)) {
      const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
      out[k] = Array.isArray(v) ? list : (list[0] ?? '');
    }
    return out;
  };
  const str = (v: FormValues[string] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

  const instance = (name: string): VendorInstance => {
    const i = suite.instances.get(name);
    if (!i) throw new ConsoleHttpError(404, `no vendor named ${name} in this suite`);
    return i;
  };
  const spec = (i: VendorInstance): ConsoleSpec => {
    const s = i.console();
    if (!s) throw new ConsoleHttpError(404, `${i.vendor.title} has no console pages`);
    return s;
  };
  const tenantsOf = (i: VendorInstance) => (i.runtime.tenants?.() ?? []).map((t) => ({ id: String(t.id), name: String(t.name ?? '') }));
  const choice = (i: VendorInstance): VendorChoice => ({
    name: i.vendor.name,
    title: i.vendor.title,
    tenantLabel: i.console()?.tenantLabel ?? 'tenant',
    tenants: tenantsOf(i),
    all: [...suite.instances.values()].filter((x) => x.console()).map((x) => ({ name: x.vendor.name, title: x.vendor.title })),
  });
  const tenantOf = (v: VendorChoice, asked: string | undefined): string => {
    if (asked === undefined || asked === '') {
      if (!v.tenants.length) throw new ConsoleHttpError(404, `${v.title} has no ${v.tenantLabel}s`);
      return v.tenants[0].id;
    }
    if (!v.tenants.some((t) => t.id === asked)) throw new ConsoleHttpError(404, `${v.title} has no ${v.tenantLabel} ${asked}`);
    return asked;
  };
  const firstVendor = () => {
    const i = [...suite.instances.values()].find((x) => x.console());
    if (!i) throw new ConsoleHttpError(404, 'no vendor in this suite has console pages');
    return i.vendor.name;
  };

  // ---- Overview
  app.get('/', (c) => {
    const rows = [...suite.instances.values()].map((i) => {
      const url = opts.urls[i.vendor.name] ?? '';
      return {
        name: i.vendor.name,
        title: i.vendor.title,
        url,
        baseUrl: url + (i.vendor.basePath ?? ''),
        port: url ? Number(new URL(url).port) : 0,
        tenantLabel: i.console()?.tenantLabel ?? 'tenant',
        tenants: tenantsOf(i),
        sandboxes: i.sandboxes.supported ? i.sandboxes.list() : null,
      };
    });
    const scope = clockScope(c.req.query('clock') ?? '');
    const clock = scope ? (scope.i.ctx.clock as VendorClock).tenantState(scope.tenant) : suite.clock.state();
    const own = [...suite.instances.values()].flatMap((i) =>
      i.ctx.clock instanceof VendorClock
        ? tenantsOf(i)
            .map((t) => ({ state: (i.ctx.clock as VendorClock).tenantState(t.id), scope: `${i.vendor.name}|${t.id}`, label: `${i.vendor.title} ${choice(i).tenantLabel} ${t.id}` }))
            .filter((x) => x.state.own)
        : [],
    );
    const scopes = [...suite.instances.values()].flatMap((i) => tenantsOf(i).map((t) => ({ value: `${i.vendor.name}|${t.id}`, label: `${i.vendor.title} ${choice(i).tenantLabel} ${t.id}` })));
    const frame = c.get('frame')('Overview', '/');
    const created = (frame.flash?.data as { sandbox?: CreatedSandbox } | undefined)?.sandbox ?? null;
    return render(c, overviewPage(frame, rows, clock, { current: c.req.query('clock') ?? '', label: scope?.label ?? null, scopes, own }, created));
  });

  /** `vendor|tenant` (a tenant's own clock, issue 13 §4) or '' (the suite clock); checked. */
  const clockScope = (value: string): { i: VendorInstance; tenant: string; label: string } | null => {
    if (!value) return null;
    const bar = value.indexOf('|');
    const i = instance(bar < 0 ? value : value.slice(0, bar));
    const v = choice(i);
    const tenant = tenantOf(v, value.slice(bar + 1));
    return { i, tenant, label: `${v.title} ${v.tenantLabel} ${tenant}` };
  };

  app.post('/clock', async (c) => {
    const f = await form(c);
    const action = str(f.action);
    const scope = clockScope(str(f.scope));
    const back = scope ? `/?${new URLSearchParams({ clock: str(f.scope) })}` : '/';
    const whose = scope ? `${scope.label}: clock` : 'Clock';
    let body: Record<string, unknown>;
    if (action === 'advance') {
      const s = Number(str(f.seconds));
      if (str(f.seconds) === '' || !Number.isFinite(s)) return done(c, back, 'error', 'Advance by: enter a number of seconds.');
      body = { advance_seconds: s };
    } else if (action === 'set') {
      const d = parseRfc3339(datetimeValue(f.time));
      if (!d) return done(c, back, 'error', 'Set to: enter a date and time (UTC).');
      body = { set: d.toISOString() };
    } else if (action === 'freeze' || action === 'unfreeze') {
      body = { freeze: action === 'freeze' };
    } else if (action === 'real') {
      body = { real: true };
    } else {
      throw new ConsoleHttpError(400, `unknown clock action: ${action.slice(0, 40)}`);
    }
    let now: string;
    if (scope) {
      now = (await adminJson(scope.i.adminCall, 'POST', '/clock', { tenant: scope.tenant, ...body })).now;
    } else {
      const clock = suite.clock;
      if ('advance_seconds' in body) clock.advance(body.advance_seconds as number);
      else if ('set' in body) clock.set(new Date(body.set as string));
      else if ('freeze' in body) clock.freeze(body.freeze as boolean);
      else clock.reset();
      now = clock.state().now;
    }
    const text =
      action === 'advance'
        ? `${whose} advanced by ${body.advance_seconds} s: now ${now}.`
        : action === 'set'
          ? `${whose} set: now ${now}.`
          : action === 'freeze'
            ? `${whose} frozen at ${now}.`
            : action === 'unfreeze'
              ? `${whose} running again.`
              : scope
                ? `${whose} follows the suite clock again.`
                : 'Clock back to real time.';
    return done(c, back, 'ok', text);
  });

  // Sandbox tenants (issue 13 §4): the instance's own create/delete; credentials shown once on the overview.
  app.post('/sandboxes', async (c) => {
    const f = await form(c);
    const i = instance(str(f.vendor));
    try {
      const sb = i.sandboxes.create(str(f.from) || undefined, opts.urls[i.vendor.name] ?? '');
      const sandbox: CreatedSandbox = { vendor: i.vendor.name, title: i.vendor.title, tenant: sb.tenant, base_url: sb.base_url, credentials: sb.credentials, headers: sb.headers };
      return done(c, '/', 'ok', `${i.vendor.title}: sandbox ${sb.tenant} created from ${sb.from} in ${sb.ms} ms.`, { sandbox });
    } catch (e) {
      if (e instanceof HTTPException) return done(c, '/', 'error', `${i.vendor.title}: ${e.message}`);
      throw e;
    }
  });
  app.post('/sandboxes/delete', async (c) => {
    const f = await form(c);
    const i = instance(str(f.vendor));
    const tenant = str(f.tenant);
    return i.sandboxes.delete(tenant) ? done(c, '/', 'ok', `${i.vendor.title}: sandbox ${tenant} deleted.`) : done(c, '/', 'error', `${i.vendor.title}: not a sandbox: ${tenant}.`);
  });

  app.post('/reset', async (c) => {
    const f = await form(c);
    const vendor = str(f.vendor);
    const tenant = str(f.tenant);
    if (!vendor) {
      suite.reset();
      return done(c, '/', 'ok', 'Everything reset to the seeded state; the clock is back to real time.');
    }
    const i = instance(vendor);
    if (!i.reset(tenant || undefined)) return done(c, '/', 'error', `${i.vendor.title}: unknown tenant ${tenant}.`);
    return done(c, '/', 'ok', tenant ? `${i.vendor.title} ${choice(i).tenantLabel} ${tenant} reset.` : `${i.vendor.title} reset (the clock is back to real time).`);
  });

  // ---- Credentials
  app.get('/credentials', (c) => c.redirect(`/credentials/${firstVendor()}`, 303));
  app.get('/credentials/:vendor', async (c) => {
    const i = instance(c.req.param('vendor'));
    const s = spec(i);
    const v = choice(i);
    const tenant = tenantOf(v, c.req.query('tenant'));
    const frame = c.get('frame')(`${v.title} credentials`, '/credentials');
    const shown = frame.flash?.data as { kind: string; created: KindView['created'] } | undefined;
    const kinds: KindView[] = [];
    for (const kind of s.credentials) {
      const list = await kind.list(tenant);
      kinds.push({ kind, columns: list.columns, rows: list.rows, created: shown?.kind === kind.id ? shown.created : null });
    }
    return render(c, credentialsPage(frame, v, tenant, kinds));
  });
  const credentialKind = (i: VendorInstance, id: string) => {
    const k = spec(i).credentials.find((x) => x.id === id);
    if (!k) throw new ConsoleHttpError(404, `${i.vendor.title} has no credential kind ${id}`);
    return k;
  };
  /**
   * One credential form post: the kind, its tenant and where to go back; `act` returns the message and the one-time
   * data to show, or throws ConsoleError with what the user must fix (shown on the page, nothing changed).
   */
  const credentialAction = (action: string, act: (kind: CredentialKind, tenant: string, f: FormValues, vendor: string) => Promise<[string, unknown?]>) =>
    app.post(`/credentials/:vendor/:kind/${action}`, async (c) => {
      const i = instance(c.req.param('vendor'));
      const kind = credentialKind(i, c.req.param('kind'));
      const f = await form(c);
      const tenant = tenantOf(choice(i), str(f.tenant));
      const back = `/credentials/${i.vendor.name}?tenant=${encodeURIComponent(tenant)}`;
      try {
        const [text, data] = await act(kind, tenant, f, i.vendor.name);
        return done(c, back, 'ok', `${kind.title}: ${text}`, data);
      } catch (e) {
        if (e instanceof ConsoleError) return done(c, back, 'error', `${kind.title}: ${e.message}`);
        throw e;
      }
    });
  credentialAction('create', async (kind, tenant, f, vendor) => {
    const created = await kind.create(tenant, f, opts.urls[vendor] ?? '');
    return ['created.', { kind: kind.id, created }];
  });
  credentialAction('revoke', async (kind, tenant, f) => {
    if (!kind.revoke) throw new ConsoleHttpError(404, `${kind.title} cannot be revoked here`);
    await kind.revoke(tenant, str(f.id));
    return [`${str(f.id)} ${(kind.revokeLabel ?? 'Revoke').toLowerCase()}d.`];
  });

  // ---- Data browser
  app.get('/data', (c) => c.redirect(`/data/${firstVendor()}`, 303));
  app.get('/data/:vendor', (c) => {
    const i = instance(c.req.param('vendor'));
    const first = spec(i).data[0];
    if (!first) throw new ConsoleHttpError(404, `${i.vendor.title} has no data tables`);
    const q = new URLSearchParams(c.req.query());
    return c.redirect(`/data/${i.vendor.name}/${first.id}${q.size ? `?${q}` : ''}`, 303);
  });
  app.get('/data/:vendor/:resource', (c) => {
    const i = instance(c.req.param('vendor'));
    const s = spec(i);
    const v = choice(i);
    const resource = s.data.find((r) => r.id === c.req.param('resource'));
    if (!resource) throw new ConsoleHttpError(404, `${v.title} has no data table ${c.req.param('resource')}`);
    const { tenant: asked, page: pageText, msg: _msg, ...params } = c.req.query();
    const tenant = tenantOf(v, asked);
    const page = /^\d{1,6}$/.test(pageText ?? '') ? Math.max(1, Number(pageText)) : 1;
    const perPage = 25;
    const r = resource.page(tenant, { page, perPage, params });
    return render(c, 
      dataPage(c.get('frame')(`${v.title} data`, '/data'), v, tenant, {
        resources: s.data,
        current: resource.id,
        title: r.title ?? resource.title,
        table: r.table,
        total: r.total,
        page,
        perPage,
        params,
        chart: r.chart,
        injections: s.injections ?? [],
      }),
    );
  });
  app.post('/data/:vendor/inject/:id', async (c) => {
    const i = instance(c.req.param('vendor'));
    const inj = (spec(i).injections ?? []).find((x) => x.id === c.req.param('id'));
    if (!inj) throw new ConsoleHttpError(404, `${i.vendor.title} has no injection ${c.req.param('id')}`);
    const f = await form(c);
    const tenant = tenantOf(choice(i), str(f.tenant));
    const backPath = str(f.back);
    const [resource, query] = /^[a-z0-9_-]+(\?[^#]*)?$/i.test(backPath) ? backPath.split('?') : [spec(i).data[0]?.id ?? '', ''];
    const back = `/data/${i.vendor.name}/${resource}?${new URLSearchParams([...new URLSearchParams(query ?? ''), ['tenant', tenant]])}`;
    try {
      return done(c, back, 'ok', await inj.run(tenant, f));
    } catch (e) {
      if (e instanceof ConsoleError) return done(c, back, 'error', e.message);
      throw e;
    }
  });

  registerOperations(app, suite, { done, form, str, instance, render, notFound: (m) => new ConsoleHttpError(404, m) });

  app.notFound((c) => render(c, errorPage(frameOrPlain(c, 'Not found'), `No console page at ${c.req.path}.`), 404));
  app.onError((err, c) => {
    if (err instanceof ConsoleHttpError) return render(c, errorPage(frameOrPlain(c, 'Cannot do that'), err.message), err.status);
    if (err instanceof ConsoleError) return render(c, errorPage(frameOrPlain(c, 'Cannot do that'), err.message), 400);
    console.error(`vendor-fakes console: ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return render(c, errorPage(frameOrPlain(c, 'Error'), 'Internal error in the console (details in the server log).'), 500);
  });
  return app;
}

/** Sends a rendered page with its doctype. */
function render(c: Context<any>, body: unknown, status: 200 | 400 | 401 | 403 | 404 | 429 | 500 = 200): Response | Promise<Response> {
  return c.html(html`<!doctype html>${body}`, status);
}

function frameOrPlain(c: Context<ConsoleEnv>, title: string): Frame {
  const make = c.get('frame');
  return make ? { ...make(title, ''), flash: null } : { title, section: '', csrf: '', signedIn: false, flash: null };
}
