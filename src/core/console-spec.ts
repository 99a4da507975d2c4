/**
 * What a vendor tells the web console (src/console/): the credential kinds its own web app issues (fields named as
 * in that app, the warning it shows with a new secret), its users, its data as paged tables with links between
 * them, and the control-plane injections a demo needs. Everything here is plain values; the console renders it.
 */

/** Calls this vendor's own control plane in-process (`/__admin` + path) with the admin token: validation and
 * error messages stay where they are. Resolves with the status and parsed JSON body (null when empty). */
export type AdminCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** A refusal to show the user (the control plane's `{"error"}` message, or the vendor's own wording). */
export class ConsoleError extends Error {
  override name = 'ConsoleError';
}

/** Calls the control plane and returns its JSON body; a 4xx/5xx answer throws ConsoleError with its message. */
export async function adminJson(admin: AdminCall, method: string, path: string, body?: unknown): Promise<any> {
  const res = await admin(method, path, body);
  if (res.status >= 400) throw new ConsoleError(typeof res.body?.error === 'string' ? res.body.error : `control plane answered ${res.status}`);
  return res.body;
}

export interface FieldOption {
  value: string;
  label: string;
}

/** One form field. Values arrive as strings (checkboxes: string[]); `datetime` is an HTML datetime-local (UTC). */
export interface ConsoleField {
  name: string;
  label: string;
  type: 'text' | 'password' | 'number' | 'datetime' | 'select' | 'checkboxes' | 'textarea';
  options?: FieldOption[];
  required?: boolean;
  help?: string;
  default?: string | string[];
}

export type FormValues = Record<string, string | string[]>;

/** A link from a table cell to another data-browser table (same vendor and tenant). */
export interface CellLink {
  text: string;
  resource: string;
  params?: Record<string, string>;
}

export type Cell = string | number | boolean | null | CellLink;

export interface Table {
  columns: string[];
  rows: Cell[][];
}

/** What a new credential shows, once: its parts (secret ones get a copy button), and a ready curl command. */
export interface CreatedCredential {
  fields: Array<{ label: string; value: string; secret?: boolean }>;
  curl: string;
}

export interface CredentialKind {
  /** URL segment, e.g. `api-keys`. */
  id: string;
  /** The page's name in the vendor's web app, e.g. `API Keys`. */
  title: string;
  /** Where the vendor's web app has it, e.g. `Account menu → API Keys → New key`. */
  where: string;
  /** The form's fields (a function when the choices depend on the tenant, e.g. its users). */
  fields: ConsoleField[] | ((tenant: string) => ConsoleField[]);
  /** The button label in the vendor's web app (`Create`, `Generate Key`). */
  submit: string;
  /** What the vendor shows beside a new secret (e.g. that it will not be shown again). */
  warning?: string;
  /** Rows for the tenant, never with secrets; each row's first element is its id (used by revoke). */
  list(tenant: string): Promise<{ columns: string[]; rows: Array<{ id: string; cells: Cell[]; active: boolean }> }>;
  /** Creates one; throws ConsoleError with a message for the user when refused. `url` is the vendor listener's URL. */
  create(tenant: string, values: FormValues, url: string): Promise<CreatedCredential>;
  revoke?(tenant: string, id: string): Promise<void>;
  /** The revoke button label (`Revoke`, `Delete`). */
  revokeLabel?: string;
}

export interface PageRequest {
  /** 1-based. */
  page: number;
  perPage: number;
  /** Filters from links (e.g. `{collection: 'products'}`); a resource may add the defaults it chose (pager links and
   * injection forms keep them). */
  params: Record<string, string>;
}

export interface DataResource {
  id: string;
  title: string;
  /** Shown in the nav (false: reached only by links, e.g. a collection's records). */
  listed?: boolean;
  page(tenant: string, req: PageRequest): { table: Table; total: number; title?: string; chart?: Array<{ t: number; v: number }> };
}

/** A vendor-invisible injection the control plane has (TrakRF scans, MACHHUB historian points). */
export interface Injection {
  id: string;
  title: string;
  fields: ConsoleField[];
  submit: string;
  /** Runs it; resolves with a one-line result to show. */
  run(tenant: string, values: FormValues): Promise<string>;
}

export interface ConsoleSpec {
  /** What the vendor calls a tenant (`org`, `domain`, `organization`, `tenant`). */
  tenantLabel: string;
  credentials: CredentialKind[];
  data: DataResource[];
  injections?: Injection[];
}

/** `2026-10-01T08:00` (datetime-local, read as UTC) or RFC 3339 → RFC 3339; '' → null. */
export function datetimeValue(value: string | string[] | undefined): string | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  if (v === '') return null;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return `${v}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v)) return `${v}Z`;
  return v;
}

/** One value of a form field ('' when absent). */
export function one(values: FormValues, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

/** All values of a checkbox group. */
export function many(values: FormValues, name: string): string[] {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Bounds a page request: page ≥ 1, 1 ≤ perPage ≤ 200. */
export function offsetOf(req: PageRequest): { limit: number; offset: number } {
  const limit = Math.min(Math.max(1, req.perPage), 200);
  return { limit, offset: (Math.max(1, req.page) - 1) * limit };
}

/**
 * One page of a query for the data browser: `select` ends where LIMIT/OFFSET go (they are appended), `count` counts
 * the same rows; both take `params`.
 */
export function sqlPage<T = Record<string, any>>(
  db: { prepare(sql: string): { all(...p: unknown[]): unknown[]; get(...p: unknown[]): unknown } },
  select: string,
  count: string,
  params: unknown[],
  req: PageRequest,
): { rows: T[]; total: number } {
  const { limit, offset } = offsetOf(req);
  const rows = db.prepare(`${select} LIMIT ? OFFSET ?`).all(...params, limit, offset) as T[];
  const total = (db.prepare(count).get(...params) as { n: number }).n;
  return { rows, total };
}
