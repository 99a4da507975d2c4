/** The console's page frame: skip link, header with navigation, main landmark; and the small shared pieces. */
import type { Child } from 'hono/jsx';
import type { Cell, CellLink, ConsoleField } from '../core/console-spec.js';

export const NAV = [
  { href: '/', label: 'Overview' },
  { href: '/credentials', label: 'Credentials' },
  { href: '/data', label: 'Data' },
  { href: '/requests', label: 'Requests' },
  { href: '/faults', label: 'Faults & snapshots' },
] as const;

export interface Frame {
  title: string;
  /** The nav entry to mark current. */
  section: string;
  csrf: string;
  /** Show the sign-out button (an admin token is set). */
  signedIn: boolean;
  flash?: { kind: 'ok' | 'error'; text: string; data?: unknown } | null;
}

export function Layout(props: Frame & { children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · vendor-fakes console`}</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <span class="brand">vendor-fakes</span>
          <nav aria-label="Console">
            <ul>
              {NAV.map((n) => (
                <li>
                  <a href={n.href} aria-current={n.href === props.section ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {props.signedIn ? (
            <form method="post" action="/logout" class="signout">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.flash ? (
            <p class={`flash ${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
              {props.flash.text}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A POST form with the CSRF token. */
export function PostForm(props: { action: string; csrf: string; class?: string; label?: string; children?: Child }) {
  return (
    <form method="post" action={props.action} class={props.class} aria-label={props.label}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

export function Hidden(props: { name: string; value: string }) {
  return <input type="hidden" name={props.name} value={props.value} />;
}

/** A form field with its label (checkbox groups in a fieldset with a legend). */
export function Field(props: { field: ConsoleField; idPrefix: string }) {
  const f = props.field;
  const id = `${props.idPrefix}-${f.name}`;
  const help = f.help ? <small id={`${id}-help`}>{f.help}</small> : null;
  const described = f.help ? `${id}-help` : undefined;
  if (f.type === 'checkboxes') {
    const checked = new Set(Array.isArray(f.default) ? f.default : f.default ? [f.default] : []);
    return (
      <fieldset class="field">
        <legend>{f.label}</legend>
        {(f.options ?? []).map((o, i) => (
          <label class="check">
            <input type="checkbox" name={f.name} value={o.value} id={`${id}-${i}`} checked={checked.has(o.value)} /> {o.label}
          </label>
        ))}
        {help}
      </fieldset>
    );
  }
  const value = typeof f.default === 'string' ? f.default : undefined;
  let control;
  if (f.type === 'select') {
    control = (
      <select id={id} name={f.name} required={f.required} aria-describedby={described}>
        {(f.options ?? []).map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (f.type === 'textarea') {
    control = (
      <textarea id={id} name={f.name} required={f.required} aria-describedby={described} rows={4}>
        {value ?? ''}
      </textarea>
    );
  } else {
    const type = f.type === 'datetime' ? 'datetime-local' : f.type;
    control = <input id={id} name={f.name} type={type} value={value} required={f.required} aria-describedby={described} step={f.type === 'datetime' ? 1 : f.type === 'number' ? 'any' : undefined} autocomplete="off" />;
  }
  return (
    <div class="field">
      <label for={id}>{f.label}</label>
      {control}
      {help}
    </div>
  );
}

/** A table cell: plain text, or a link to another data-browser table (`href` builds its URL). */
export function CellView(props: { cell: Cell; href: (link: CellLink) => string }) {
  const c = props.cell;
  if (c === null || c === undefined) return <span class="muted">—</span>;
  if (typeof c === 'object') return <a href={props.href(c)}>{c.text}</a>;
  if (typeof c === 'boolean') return <>{c ? 'yes' : 'no'}</>;
  return <>{String(c)}</>;
}

/** A scrollable, labelled table. */
export function DataTable(props: { caption: string; columns: string[]; children?: Child; empty?: boolean }) {
  return (
    <div class="scroll" role="region" aria-label={props.caption} tabindex={0}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.empty ? (
            <tr>
              <td colspan={props.columns.length} class="muted">
                Nothing yet.
              </td>
            </tr>
          ) : (
            props.children
          )}
        </tbody>
      </table>
    </div>
  );
}
