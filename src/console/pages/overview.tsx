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

export function overviewPage(frame: Frame, vendors: VendorRow[], clock: ClockState) {
  const csrf = frame.csrf;
  return (
    <Layout {...frame}>
      <section aria-labelledby="vendors-h">
        <h2 id="vendors-h">Vendors</h2>
        <DataTable caption="Running vendors" columns={['Vendor', 'Base URL', 'Port', 'Tenants', 'Reset']} empty={vendors.length === 0}>
          {vendors.map((v) => (
            <tr>
              <th scope="row">{v.title}</th>
              <td>
                <code>{v.baseUrl}</code>
              </td>
              <td>{v.port}</td>
              <td>
                <ul class="plain">
                  {v.tenants.map((t) => (
                    <li>
                      {`${v.tenantLabel} ${t.id}`}
                      {t.name && t.name !== t.id ? ` (${t.name})` : ''}: <a href={`/credentials/${v.name}?tenant=${encodeURIComponent(t.id)}`}>credentials</a> ·{' '}
                      <a href={`/data/${v.name}?tenant=${encodeURIComponent(t.id)}`}>data</a>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <PostForm action="/reset" csrf={csrf} class="inline" label={`Reset ${v.title}`}>
                  <Hidden name="vendor" value={v.name} />
                  <label for={`reset-${v.name}`} class="sr-only">{`${v.title} tenant to reset`}</label>
                  <select id={`reset-${v.name}`} name="tenant">
                    <option value="">all {v.tenantLabel}s</option>
                    {v.tenants.map((t) => (
                      <option value={t.id}>{`${v.tenantLabel} ${t.id}`}</option>
                    ))}
                  </select>
                  <button type="submit">Reset</button>
                </PostForm>
              </td>
            </tr>
          ))}
        </DataTable>
        <PostForm action="/reset" csrf={csrf} class="inline" label="Reset everything">
          <button type="submit" class="danger">
            Reset everything (all vendors, clock back to real time)
          </button>
        </PostForm>
      </section>
      <section aria-labelledby="clock-h">
        <h2 id="clock-h">Suite clock</h2>
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
            <Hidden name="action" value="advance" />
            <label for="advance-seconds">Advance by (seconds)</label>
            <input id="advance-seconds" name="seconds" type="number" step="any" required value="3600" />
            <button type="submit">Advance</button>
          </PostForm>
          <PostForm action="/clock" csrf={csrf} class="inline" label="Set the clock">
            <Hidden name="action" value="set" />
            <label for="set-time">Set to (UTC)</label>
            <input id="set-time" name="time" type="datetime-local" step={1} required />
            <button type="submit">Set</button>
          </PostForm>
          <PostForm action="/clock" csrf={csrf} class="inline" label={clock.frozen ? 'Unfreeze the clock' : 'Freeze the clock'}>
            <Hidden name="action" value={clock.frozen ? 'unfreeze' : 'freeze'} />
            <button type="submit">{clock.frozen ? 'Unfreeze' : 'Freeze'}</button>
          </PostForm>
          <PostForm action="/clock" csrf={csrf} class="inline" label="Back to real time">
            <Hidden name="action" value="real" />
            <button type="submit">Back to real time</button>
          </PostForm>
        </div>
      </section>
    </Layout>
  );
}
