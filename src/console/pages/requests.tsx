/** Requests: the journal of every vendor, filtered, refreshed live; one request in full. */
import type { JournalEntry } from '../../core/journal.js';
import { Layout, type Frame } from '../layout.js';

export interface RequestFilter {
  vendor: string;
  tenant: string;
  status: string;
  path: string;
  method: string;
}

export type Row = JournalEntry & { vendorTitle: string };

export function RequestRows(props: { rows: Row[] }) {
  if (props.rows.length === 0) {
    return (
      <tr>
        <td colspan={8} class="muted">
          No requests match yet.
        </td>
      </tr>
    );
  }
  return (
    <>
      {props.rows.map((r) => (
        <tr>
          <td>{r.time}</td>
          <td>{r.vendorTitle}</td>
          <td>{r.direction === 'outbound' ? `${r.method} (outbound)` : r.method}</td>
          <td class="mono">
            <a href={`/requests/${r.vendor}/${encodeURIComponent(r.id)}`}>{r.direction === 'outbound' ? r.url : `${r.path}${r.query ? `?${r.query}` : ''}`}</a>
          </td>
          <td class={`status-${String(r.status ?? 0)[0]}`}>{r.status === null ? r.error ?? '—' : r.status}</td>
          <td>{r.tenant ?? '—'}</td>
          <td>{`${r.duration_ms} ms`}</td>
          <td>{r.fault ?? ''}</td>
        </tr>
      ))}
    </>
  );
}

export function requestsPage(frame: Frame, vendors: Array<{ name: string; title: string }>, f: RequestFilter, rows: Row[], liveUrl: string, count: string) {
  return (
    <Layout {...frame}>
      <form method="get" action="/requests" class="filters" aria-label="Filter requests">
        <div class="field">
          <label for="f-vendor">Vendor</label>
          <select id="f-vendor" name="vendor">
            <option value="">all</option>
            {vendors.map((v) => (
              <option value={v.name} selected={v.name === f.vendor}>
                {v.title}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-tenant">Tenant</label>
          <input id="f-tenant" name="tenant" value={f.tenant} size={12} />
        </div>
        <div class="field">
          <label for="f-status">Status</label>
          <input id="f-status" name="status" value={f.status} placeholder="4xx" size={6} />
        </div>
        <div class="field">
          <label for="f-method">Method</label>
          <select id="f-method" name="method">
            {['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
              <option value={m} selected={m === f.method}>
                {m || 'any'}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-path">Path (* matches anything)</label>
          <input id="f-path" name="path" value={f.path} placeholder="/api/v1/*" size={20} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <p class="muted" id="req-count" role="status">
        {count}
      </p>
      <div class="scroll" role="region" aria-label="Requests, newest first" tabindex={0}>
        <table>
          <caption>Requests, newest first (refreshes every second)</caption>
          <thead>
            <tr>
              {['Time (suite clock)', 'Vendor', 'Method', 'Path', 'Status', 'Tenant', 'Duration', 'Fault'].map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody data-live={liveUrl} data-count="req-count">
            <RequestRows rows={rows} />
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** A body as text: JSON pretty-printed, anything else as it came. */
function pretty(body: string | null): string {
  if (body === null || body === '') return '(none)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Headers(props: { headers: Record<string, string>; caption: string }) {
  const entries = Object.entries(props.headers);
  return (
    <div class="scroll" role="region" aria-label={props.caption} tabindex={0}>
      <table>
        <caption>{props.caption}</caption>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td class="muted">(none)</td>
            </tr>
          ) : (
            entries.map(([k, v]) => (
              <tr>
                <th scope="row" class="mono">
                  {k}
                </th>
                <td class="mono">{v}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function requestPage(frame: Frame, r: Row) {
  return (
    <Layout {...frame}>
      <p>
        <a href="/requests">All requests</a>
      </p>
      <dl class="facts">
        {(
          [
            ['Vendor', r.vendorTitle],
            ['Direction', r.direction],
            ['Time (suite clock)', r.time],
            ['Method', r.method],
            ['URL', r.url],
            ['Status', r.status === null ? '—' : String(r.status)],
            ['Tenant', r.tenant ?? '—'],
            ['Duration', `${r.duration_ms} ms`],
            ['Request id', r.request_id ?? '—'],
            ['Fault', r.fault ?? '—'],
            ['Error', r.error ?? '—'],
          ] as const
        ).map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd class="mono">{v}</dd>
          </>
        ))}
      </dl>
      <h2>Request</h2>
      <Headers headers={r.request_headers} caption="Request headers" />
      <h3>Request body</h3>
      <pre tabindex={0}>{pretty(r.request_body)}</pre>
      <h2>Response</h2>
      <Headers headers={r.response_headers} caption="Response headers" />
      <h3>Response body</h3>
      <pre tabindex={0}>{pretty(r.response_body)}</pre>
    </Layout>
  );
}
