/** Faults (add with status / delay / error / times, remove) and snapshots (save, restore, download, delete). */
import type { Fault } from '../../core/faults.js';
import type { SnapshotInfo } from '../../core/snapshots.js';
import { DataTable, Hidden, Layout, PostForm, type Frame } from '../layout.js';

export type VendorFault = Fault & { vendor: string; vendorTitle: string };
export type VendorSnapshot = SnapshotInfo & { vendorTitle: string };

function VendorSelect(props: { id: string; vendors: Array<{ name: string; title: string }>; all?: boolean }) {
  return (
    <div class="field">
      <label for={props.id}>Vendor</label>
      <select id={props.id} name="vendor" required>
        {props.all ? <option value="">all vendors</option> : null}
        {props.vendors.map((v) => (
          <option value={v.name}>{v.title}</option>
        ))}
      </select>
    </div>
  );
}

function Input(props: { id: string; name: string; label: string; type?: string; value?: string; placeholder?: string; required?: boolean; help?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.name} type={props.type ?? 'text'} value={props.value} placeholder={props.placeholder} required={props.required} step={props.type === 'number' ? 'any' : undefined} />
      {props.help ? <small>{props.help}</small> : null}
    </div>
  );
}

export function faultsPage(frame: Frame, vendors: Array<{ name: string; title: string }>, faults: VendorFault[], snapshots: VendorSnapshot[]) {
  const csrf = frame.csrf;
  return (
    <Layout {...frame}>
      <section aria-labelledby="faults-h">
        <h2 id="faults-h">Faults</h2>
        <DataTable caption="Faults, first match applies" columns={['Vendor', 'ID', 'Method', 'Path', 'Tenant', 'Effect', 'Times', 'Hits', '']} empty={faults.length === 0}>
          {faults.map((f) => (
            <tr>
              <td>{f.vendorTitle}</td>
              <td>{f.id}</td>
              <td>{f.method ?? 'any'}</td>
              <td class="mono">{f.path}</td>
              <td>{f.tenant ?? 'any'}</td>
              <td>{[f.status !== null ? `status ${f.status}` : '', f.error ?? '', f.delay_ms ? `delay ${f.delay_ms} ms${f.jitter_ms ? ` ± ${f.jitter_ms}` : ''}` : '', f.probability < 1 ? `p=${f.probability}` : ''].filter(Boolean).join(', ')}</td>
              <td>{f.times === null ? 'always' : f.times}</td>
              <td>{f.hits}</td>
              <td>
                <PostForm action="/faults/remove" csrf={csrf} class="inline" label={`Remove fault ${f.id} of ${f.vendorTitle}`}>
                  <Hidden name="vendor" value={f.vendor} />
                  <Hidden name="id" value={f.id} />
                  <button type="submit" class="danger" aria-label={`Remove fault ${f.id} of ${f.vendorTitle}`}>
                    Remove
                  </button>
                </PostForm>
              </td>
            </tr>
          ))}
        </DataTable>
        {faults.length ? (
          <PostForm action="/faults/clear" csrf={csrf} class="inline" label="Remove all faults">
            <button type="submit" class="danger">
              Remove all faults
            </button>
          </PostForm>
        ) : null}
        <h3 id="add-fault-h">Add a fault</h3>
        <PostForm action="/faults" csrf={csrf} class="stack" label="Add a fault">
          <VendorSelect id="fault-vendor" vendors={vendors} />
          <div class="field">
            <label for="fault-method">Method</label>
            <select id="fault-method" name="method">
              {['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
                <option value={m}>{m || 'any'}</option>
              ))}
            </select>
          </div>
          <Input id="fault-path" name="path" label="Path (* matches anything)" value="*" required />
          <Input id="fault-tenant" name="tenant" label="Tenant (empty: any)" />
          <Input id="fault-status" name="status" label="Status (answers in the vendor's own error shape)" type="number" placeholder="503" />
          <div class="field">
            <label for="fault-error">Connection error</label>
            <select id="fault-error" name="error">
              <option value="">none</option>
              <option value="connection_reset">connection_reset</option>
              <option value="empty_reply">empty_reply</option>
              <option value="hang">hang</option>
            </select>
          </div>
          <Input id="fault-delay" name="delay_ms" label="Delay (ms)" type="number" placeholder="0" />
          <Input id="fault-jitter" name="jitter_ms" label="Jitter (ms)" type="number" placeholder="0" />
          <Input id="fault-times" name="times" label="Times (empty: until removed)" type="number" />
          <Input id="fault-after" name="after" label="After (skip the first N matches)" type="number" placeholder="0" />
          <Input id="fault-probability" name="probability" label="Probability (0–1)" type="number" placeholder="1" />
          <button type="submit">Add fault</button>
        </PostForm>
      </section>
      <section aria-labelledby="snapshots-h">
        <h2 id="snapshots-h">Snapshots</h2>
        <DataTable caption="Saved states" columns={['Vendor', 'Name', 'Saved (suite clock)', 'Size', '']} empty={snapshots.length === 0}>
          {snapshots.map((s) => (
            <tr>
              <td>{s.vendorTitle}</td>
              <td>{s.name}</td>
              <td>{s.created_at}</td>
              <td>{`${Math.ceil(s.bytes / 1024)} KiB`}</td>
              <td>
                <PostForm action="/snapshots/restore" csrf={csrf} class="inline" label={`Restore ${s.name} of ${s.vendorTitle}`}>
                  <Hidden name="vendor" value={s.vendor} />
                  <Hidden name="name" value={s.name} />
                  <button type="submit" aria-label={`Restore ${s.name} of ${s.vendorTitle}`}>
                    Restore
                  </button>
                </PostForm>
                <a href={`/snapshots/${s.vendor}/${encodeURIComponent(s.name)}/file`} download={`${s.vendor}-${s.name}.sqlite`} aria-label={`Download ${s.name} of ${s.vendorTitle}`}>
                  Download
                </a>
                <PostForm action="/snapshots/delete" csrf={csrf} class="inline" label={`Delete ${s.name} of ${s.vendorTitle}`}>
                  <Hidden name="vendor" value={s.vendor} />
                  <Hidden name="name" value={s.name} />
                  <button type="submit" class="danger" aria-label={`Delete ${s.name} of ${s.vendorTitle}`}>
                    Delete
                  </button>
                </PostForm>
              </td>
            </tr>
          ))}
        </DataTable>
        <h3>Save the current state</h3>
        <PostForm action="/snapshots" csrf={csrf} class="stack" label="Save a snapshot">
          <VendorSelect id="snapshot-vendor" vendors={vendors} all />
          <Input id="snapshot-name" name="name" label="Name" required placeholder="before-demo" help="letters, digits, dots, dashes, underscores" />
          <button type="submit">Save snapshot</button>
        </PostForm>
      </section>
    </Layout>
  );
}
