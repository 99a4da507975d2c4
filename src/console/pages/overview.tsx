/** Overview: each vendor's base URL, port and tenants; the suite clock; reset. */
import type { ClockState } from '../../core/clock.js';
import { DataTable, Hidden, Layout, PostForm, type Frame } from '../layout.js';

export interface VendorRow {
  name: string;
  title: string;
  url: string;
  baseUrl: string;
  port: number;
  tenantLabel: string;
  tenants: Array<{ id: string; name: string }>;
}

export interface ClockChoice {
  /** '' (the suite clock) or `vendor|tenant`. */
  current: string;
  /** The chosen tenant's label, or null for the suite clock. */
  label: string | null;
  scopes: Array<{ value: string; label: string }>;
  /** Tenants whose clock is their own. */
  own: Array<{ state: ClockState; scope: string; label: string }>;
}

export function overviewPage(frame: Frame, vendors: VendorRow[], clock: ClockState, choice: ClockChoice) {
  const csrf = frame.csrf;
  return (
    <Layout {...frame}>
      <section aria-labelledby="vendors-h">
        <h2 id="vendors-h">Vendors</h2>
        <ul class="cards">
          {vendors.map((v) => (
            <li class="card" aria-labelledby={`vendor-${v.name}-h`}>
              <h3 id={`vendor-${v.name}-h`}>{v.title}</h3>
              <dl class="facts">
                <dt>Base URL</dt>
                <dd>
                  <code>{v.baseUrl}</code>
                </dd>
                <dt>Port</dt>
                <dd>{v.port}</dd>
              </dl>
              <ul class="plain tenants">
                {v.tenants.map((t) => (
                  <li>
                    <span>{`${v.tenantLabel} ${t.id}`}{t.name && t.name !== t.id ? ` (${t.name})` : ''}</span>{' '}
                    <a href={`/credentials/${v.name}?tenant=${encodeURIComponent(t.id)}`} aria-label={`${v.title} ${v.tenantLabel} ${t.id} credentials`}>credentials</a> ·{' '}
                    <a href={`/data/${v.name}?tenant=${encodeURIComponent(t.id)}`} aria-label={`${v.title} ${v.tenantLabel} ${t.id} data`}>data</a>
                  </li>
                ))}
              </ul>
              <PostForm action="/reset" csrf={csrf} class="inline" label={`Reset ${v.title}`}>
                <Hidden name="vendor" value={v.name} />
                <label for={`reset-${v.name}`}>Reset</label>
                <select id={`reset-${v.name}`} name="tenant">
                  <option value="">{`all ${v.tenantLabel}s`}</option>
                  {v.tenants.map((t) => (
                    <option value={t.id}>{`${v.tenantLabel} ${t.id}`}</option>
                  ))}
                </select>
                <button type="submit" aria-label={`Reset ${v.title}`}>Reset</button>
              </PostForm>
            </li>
          ))}
        </ul>
        <PostForm action="/reset" csrf={csrf} class="inline" label="Reset everything">
          <button type="submit" class="danger">
            Reset everything (all vendors, clock back to real time)
          </button>
        </PostForm>
      </section>
      <section aria-labelledby="clock-h">
        <h2 id="clock-h">{choice.label ? `Clock of ${choice.label}` : 'Suite clock'}</h2>
        <form method="get" action="/" class="inline picker" aria-label="Choose a clock">
          <label for="clock-scope">Clock</label>
          <select id="clock-scope" name="clock" data-autosubmit="true">
            <option value="">suite (every vendor and tenant without a clock of its own)</option>
            {choice.scopes.map((o) => (
              <option value={o.value} selected={o.value === choice.current}>
                {o.label}
              </option>
            ))}
          </select>
          <button type="submit">Show</button>
        </form>
        <dl class="facts">
          <dt>Now</dt>
          <dd>
            <time id="clock-now" datetime={clock.now}>
              {clock.now}
            </time>
          </dd>
          <dt>Offset from real time</dt>
          <dd id="clock-offset">{`${clock.offset_seconds} s`}</dd>
          <dt>State</dt>
          <dd id="clock-state">{clock.frozen ? 'frozen' : 'running'}</dd>
        </dl>
        <div class="forms">
          <PostForm action="/clock" csrf={csrf} class="inline" label="Advance the clock">
            <Hidden name="scope" value={choice.current} />
            <Hidden name="action" value="advance" />
            <label for="advance-seconds">Advance by (seconds)</label>
            <input id="advance-seconds" name="seconds" type="number" step="any" required value="3600" />
            <button type="submit">Advance</button>
          </PostForm>
          <PostForm action="/clock" csrf={csrf} class="inline" label="Set the clock">
            <Hidden name="scope" value={choice.current} />
            <Hidden name="action" value="set" />
            <label for="set-time">Set to (UTC)</label>
            <input id="set-time" name="time" type="datetime-local" step={1} required />
            <button type="submit">Set</button>
          </PostForm>
          <PostForm action="/clock" csrf={csrf} class="inline" label={clock.frozen ? 'Unfreeze the clock' : 'Freeze the clock'}>
            <Hidden name="scope" value={choice.current} />
            <Hidden name="action" value={clock.frozen ? 'unfreeze' : 'freeze'} />
            <button type="submit">{clock.frozen ? 'Unfreeze' : 'Freeze'}</button>
          </PostForm>
          <PostForm action="/clock" csrf={csrf} class="inline" label={choice.label ? 'Back to the suite clock' : 'Back to real time'}>
            <Hidden name="scope" value={choice.current} />
            <Hidden name="action" value="real" />
            <button type="submit">{choice.label ? 'Back to the suite clock' : 'Back to real time'}</button>
          </PostForm>
        </div>
        {choice.own.length ? (
          <DataTable caption="Tenants with a clock of their own" columns={['Tenant', 'Now', 'Offset', 'State']}>
            {choice.own.map((o) => (
              <tr>
                <td>
                  <a href={`/?${new URLSearchParams({ clock: o.scope })}`}>{o.label}</a>
                </td>
                <td>{o.state.now}</td>
                <td>{`${o.state.offset_seconds} s`}</td>
                <td>{o.state.frozen ? 'frozen' : 'running'}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </section>
    </Layout>
  );
}
