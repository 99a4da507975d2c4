/** Credentials per vendor and tenant, as the vendor's web app issues them: list, create (secret shown once), revoke. */
import type { Cell, CreatedCredential, CredentialKind } from '../../core/console-spec.js';
import { CellView, DataTable, Field, Hidden, Layout, PostForm, type Frame } from '../layout.js';
import { TenantPicker, VendorTabs, type VendorChoice } from './common.js';

export interface KindView {
  kind: CredentialKind;
  columns: string[];
  rows: Array<{ id: string; cells: Cell[]; active: boolean }>;
  /** The credential just created, shown this once. */
  created?: CreatedCredential | null;
}

export function credentialsPage(frame: Frame, v: VendorChoice, tenant: string, kinds: KindView[]) {
  const csrf = frame.csrf;
  const noLink = () => '#';
  return (
    <Layout {...frame}>
      <VendorTabs vendors={v.all} current={v.name} base="/credentials" label="Vendor" />
      <TenantPicker action={`/credentials/${v.name}`} tenants={v.tenants} current={tenant} label={v.tenantLabel} />
      {kinds.length === 0 ? <p>This vendor has no credentials to issue in the console.</p> : null}
      {kinds.map(({ kind, columns, rows, created }) => (
        <section aria-labelledby={`${kind.id}-h`}>
          <h2 id={`${kind.id}-h`}>{kind.title}</h2>
          <p class="muted">{`In ${v.title}: ${kind.where}`}</p>
          {created ? (
            <div class="created" role="status" aria-labelledby={`${kind.id}-created-h`}>
              <h3 id={`${kind.id}-created-h`}>{`${kind.title}: created`}</h3>
              {kind.warning ? (
                <p class="warning">
                  <strong>{kind.warning}</strong>
                </p>
              ) : null}
              {created.fields.map((f, i) => (
                <div class="secret-field">
                  <label for={`${kind.id}-new-${i}`}>{f.label}</label>
                  <div class="copyrow">
                    <input id={`${kind.id}-new-${i}`} type="text" readonly value={f.value} class="mono" data-secret={f.secret ? 'true' : undefined} />
                    <button type="button" data-copy={`${kind.id}-new-${i}`} aria-label={`Copy ${f.label}`}>
                      Copy
                    </button>
                  </div>
                </div>
              ))}
              <div class="secret-field">
                <label for={`${kind.id}-curl`}>Try it with curl</label>
                <div class="copyrow">
                  <textarea id={`${kind.id}-curl`} readonly class="mono" rows={4}>
                    {created.curl}
                  </textarea>
                  <button type="button" data-copy={`${kind.id}-curl`} aria-label="Copy the curl command">
                    Copy
                  </button>
                </div>
              </div>
            </div>
          ) : null}
          <DataTable caption={`${kind.title} of ${v.tenantLabel} ${tenant}`} columns={kind.revoke ? [...columns, ''] : columns} empty={rows.length === 0}>
            {rows.map((r) => (
              <tr>
                {r.cells.map((c) => (
                  <td>
                    <CellView cell={c} href={noLink} />
                  </td>
                ))}
                {kind.revoke ? (
                  <td>
                    {r.active ? (
                      <PostForm action={`/credentials/${v.name}/${kind.id}/revoke`} csrf={csrf} class="inline" label={`${kind.revokeLabel ?? 'Revoke'} ${r.id}`}>
                        <Hidden name="tenant" value={tenant} />
                        <Hidden name="id" value={r.id} />
                        <button type="submit" class="danger" aria-label={`${kind.revokeLabel ?? 'Revoke'} ${String(r.cells[0])}`}>
                          {kind.revokeLabel ?? 'Revoke'}
                        </button>
                      </PostForm>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
          <details open={rows.length === 0 || undefined}>
            <summary>{kind.submit}</summary>
            <PostForm action={`/credentials/${v.name}/${kind.id}/create`} csrf={csrf} class="stack" label={kind.submit}>
              <Hidden name="tenant" value={tenant} />
              {(typeof kind.fields === 'function' ? kind.fields(tenant) : kind.fields).map((f) => (
                <Field field={f} idPrefix={kind.id} />
              ))}
              <button type="submit">{kind.submit}</button>
            </PostForm>
          </details>
        </section>
      ))}
    </Layout>
  );
}
