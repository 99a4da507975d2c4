/** Pieces several pages share: the vendor tabs and the tenant picker. */

export interface VendorChoice {
  name: string;
  title: string;
  tenantLabel: string;
  tenants: Array<{ id: string; name: string }>;
  all: Array<{ name: string; title: string }>;
}

export function VendorTabs(props: { vendors: Array<{ name: string; title: string }>; current: string; base: string; label: string }) {
  return (
    <nav aria-label={props.label} class="tabs">
      <ul>
        {props.vendors.map((v) => (
          <li>
            <a href={`${props.base}/${v.name}`} aria-current={v.name === props.current ? 'page' : undefined}>
              {v.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A GET form choosing the tenant (works without script; the script submits on change). */
export function TenantPicker(props: { action: string; tenants: Array<{ id: string; name: string }>; current: string; label: string; extra?: Record<string, string> }) {
  return (
    <form method="get" action={props.action} class="inline picker">
      {Object.entries(props.extra ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <label for="tenant-picker">{props.label[0].toUpperCase() + props.label.slice(1)}</label>
      <select id="tenant-picker" name="tenant" data-autosubmit="true">
        {props.tenants.map((t) => (
          <option value={t.id} selected={t.id === props.current}>
            {t.name && t.name !== t.id ? `${t.id} — ${t.name}` : t.id}
          </option>
        ))}
      </select>
      <button type="submit">Show</button>
    </form>
  );
}
