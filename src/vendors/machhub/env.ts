/** What every MACHHUB route module gets: the stores, the signer, the config, and per-request variables. */
import type { Context, Hono } from 'hono';
import type { JwtSigner } from '../../core/jwt.js';
import type { VendorContext } from '../../core/vendor.js';
import type { MachhubConfig, Principal } from './auth.js';
import { featuresAllow } from './auth.js';
import { err } from './errors.js';
import type { Records } from './records.js';
import type { Store } from './store.js';

export interface Vars {
  domainId: string;
  domainName: string;
  principal: Principal;
}
export type AppEnv = { Variables: Vars };
export type MhApp = Hono<AppEnv>;
export type Ctx = Context<AppEnv>;

export interface Env {
  ctx: VendorContext<MachhubConfig>;
  store: Store;
  records: Records;
  signer: JwtSigner;
  nowIso(): string;
}

/**
 * PermissionCheck. In `lax` mode (the real default: "several per-route permission checks are disabled") every
 * caller passes; in `strict` mode a credential is required, API keys have full access within their own domain,
 * users need the feature/action in the active domain (or the reserved `superuser` group). Denial is 401.
 */
export function requirePermission(env: Env, c: Ctx, feature: string, action: 'read' | 'read-write'): void {
  if (env.ctx.config.auth !== 'strict') return;
  const p = c.get('principal');
  if (p.kind === 'apikey') return;
  if (p.kind !== 'user') throw err.unauthorized();
  const domainId = c.get('domainId');
  if (env.store.isSuperuser(p.user.id, domainId)) return;
  if (!featuresAllow(env.store.userFeatures(p.user.id, domainId), feature, action)) throw err.unauthorized();
}

/** Reads a JSON object body; anything else is 400 `Invalid request body`. */
export async function jsonObject(c: Ctx): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw err.invalidBody();
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw err.invalidBody();
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw err.invalidBody();
  return body as Record<string, unknown>;
}

export function str(body: Record<string, unknown>, key: string, { required = true, allowEmpty = false } = {}): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw err.badRequest(`${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw err.badRequest(`${key} must be a string`);
  if (!allowEmpty && v === '' && required) throw err.badRequest(`${key} is required`);
  return v;
}

export function rid(s: string): { Table: string; ID: string } {
  const i = s.indexOf(':');
  return i < 0 ? { Table: '', ID: s } : { Table: s.slice(0, i), ID: s.slice(i + 1) };
}
