/** Data browser: one tenant's resources as paged tables with links, a small chart where there is a series, injections. */
import type { CellLink, DataResource, Injection, Table } from '../../core/console-spec.js';
import { CellView, DataTable, Field, Hidden, Layout, PostForm, type Frame } from '../layout.js';
import { TenantPicker, VendorTabs, type VendorChoice } from './common.js';

export interface DataView {
  resources: DataResource[];
  current: string;
  title: string;
  table: Table;
  total: number;
  page: number;
  perPage: number;
  params: Record<string, string>;
  chart?: Array<{ t: number; v: number }>;
  injections: Injection[];
}

export function dataPage(frame: Frame, v: VendorChoice, tenant: string, d: DataView) {
  const base = `/data/${v.name}`;
  const href = (l: CellLink) => `${base}/${encodeURIComponent(l.resource)}?${new URLSearchParams({ tenant, ...(l.params ?? {}) })}`;
  const pages = Math.max(1, Math.ceil(d.total / d.perPage));
  const pageHref = (p: number) => `${base}/${d.current}?${new URLSearchParams({ tenant, ...d.params, page: String(p) })}`;
  return (
    <Layout {...frame}>
      <VendorTabs vendors={v.all} current={v.name} base="/data" label="Vendor" />
      <TenantPicker action={`${base}/${d.current}`} tenants={v.tenants} current={tenant} label={v.tenantLabel} />
      <nav aria-label="Resources" class="tabs sub">
        <ul>
          {d.resources
            .filter((r) => r.listed !== false)
            .map((r) => (
              <li>
                <a href={`${base}/${r.id}?${new URLSearchParams({ tenant })}`} aria-current={r.id === d.current ? 'page' : undefined}>
                  {r.title}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <section aria-labelledby="table-h">
        <h2 id="table-h">{d.title}</h2>
        <p class="muted" id="table-count">{`${d.total} in all · page ${d.page} of ${pages}`}</p>
        {d.chart && d.chart.length > 0 ? <Chart points={d.chart} label={d.title} /> : null}
        <DataTable caption={`${d.title}, page ${d.page}`} columns={d.table.columns} empty={d.table.rows.length === 0}>
          {d.table.rows.map((row) => (
            <tr>
              {row.map((c) => (
                <td>
                  <CellView cell={c} href={href} />
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
        <nav aria-label="Pages" class="pager">
          {d.page > 1 ? <a href={pageHref(d.page - 1)} rel="prev">Previous page</a> : <span class="muted">Previous page</span>}
          {d.page < pages ? <a href={pageHref(d.page + 1)} rel="next">Next page</a> : <span class="muted">Next page</span>}
        </nav>
      </section>
      {d.injections.map((inj) => (
        <section aria-labelledby={`inject-${inj.id}-h`}>
          <h2 id={`inject-${inj.id}-h`}>{inj.title}</h2>
          <PostForm action={`${base}/inject/${inj.id}`} csrf={frame.csrf} class="stack" label={inj.title}>
            <Hidden name="tenant" value={tenant} />
            <Hidden name="back" value={`${d.current}?${new URLSearchParams({ ...d.params })}`} />
            {inj.fields.map((f) => (
              <Field field={d.params[f.name] ? { ...f, default: d.params[f.name] } : f} idPrefix={`inject-${inj.id}`} />
            ))}
            <button type="submit">{inj.submit}</button>
          </PostForm>
        </section>
      ))}
    </Layout>
  );
}

/** A small line chart of a series, as inline SVG (no script), with a text summary for screen readers. */
function Chart(props: { points: Array<{ t: number; v: number }>; label: string }) {
  const pts = props.points;
  const W = 600;
  const H = 160;
  const pad = 4;
  const t0 = Math.min(...pts.map((p) => p.t));
  const t1 = Math.max(...pts.map((p) => p.t));
  const v0 = Math.min(...pts.map((p) => p.v));
  const v1 = Math.max(...pts.map((p) => p.v));
  const x = (t: number) => pad + (t1 === t0 ? (W - 2 * pad) / 2 : ((t - t0) / (t1 - t0)) * (W - 2 * pad));
  const y = (v: number) => H - pad - (v1 === v0 ? (H - 2 * pad) / 2 : ((v - v0) / (v1 - v0)) * (H - 2 * pad));
  const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const summary = `${props.label}: ${pts.length} points from ${new Date(t0).toISOString()} to ${new Date(t1).toISOString()}, values ${v0} to ${v1}`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <path d={d} fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke" />
      </svg>
      <figcaption class="muted">{summary}</figcaption>
    </figure>
  );
}
