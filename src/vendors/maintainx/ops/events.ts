/**
 * Events whose cause is not a REST write: WORK_ORDER_OVERDUE on the suite clock, slash commands in messages, and the
 * audit events (logins, roles, SSO, invite links, exports…) whose causes live in the MaintainX web app, which the fake
 * does not serve; the control plane plays those causes (`POST /__admin/events`).
 */
import type { Mx } from '../http.js';
import { getAjv, loadSpec, normalize } from '../openapi.js';
import type { Json } from '../store/index.js';

/** Events caused in the MaintainX web app (no REST operation causes them). */
export const APP_EVENTS = [
  'CONNECTOR_TOKEN_REVOKED', 'DATA_EXPORT_INITIATED', 'INVITE_LINK_ARCHIVED', 'INVITE_LINK_CREATED', 'INVITE_LINK_UPDATED', 'ROLE_ARCHIVED',
  'ROLE_CREATED', 'ROLE_UPDATED', 'SSO_CONFIG_CHANGED', 'USER_ACTIVATED', 'USER_LOGIN_FAILURE', 'USER_LOGIN_SUCCESS', 'USER_LOGOUT',
  'USER_PERMISSIONS_CHANGED', 'USER_SESSION_REVOKED',
] as const;

/** The official schema of an event's payload (from `x-webhooks`), compiled once. */
export function eventValidator(event: string) {
  const schema = loadSpec()['x-webhooks']?.[event]?.post?.requestBody?.content?.['application/json']?.schema;
  if (!schema) return null;
  const ajv = getAjv();
  const id = `webhook:${event}`;
  return ajv.getSchema(id) ?? (ajv.addSchema(normalize(schema), id), ajv.getSchema(id)!);
}

/** Plays an app-side cause: fills the event's usual fields, checks the result against the spec, emits it. */
export function appEvent(mx: Mx, orgId: number, event: string, given: Json): string | null {
  const admin = mx.store.records.find('user', orgId, { eq: '$.role', value: 'ADMIN' })[0]?.id ?? 0;
  const defaults: Json = {
    actorId: admin, targetUserId: admin, userId: admin, inviteLinkId: 1, roleId: 1, roleName: 'Technician', configType: 'SAML',
    exportType: 'WORK_ORDERS', method: 'PASSWORD', reason: 'Invalid credentials',
  };
  const schema = loadSpec()['x-webhooks'][event].post.requestBody.content['application/json'].schema;
  const required = (schema.required as string[]).filter((k) => k !== 'orgId' && k !== 'occurredAt');
  const payload: Json = {};
  for (const k of required) payload[k] = k in given ? given[k] : defaults[k];
  for (const [k, v] of Object.entries(given)) payload[k] = v;
  if (schema.properties?.method?.enum && !('method' in given)) payload.method = schema.properties.method.enum[0];
  if (schema.properties?.configType?.enum && !('configType' in given)) payload.configType = schema.properties.configType.enum[0];
  const validate = eventValidator(event)!;
  if (!validate({ ...payload, orgId, occurredAt: mx.store.nowIso() })) {
    const e = validate.errors![0];
    return `${event} payload ${e.instancePath || '(root)'} ${e.message}`;
  }
  mx.hooks.emit(orgId, event, payload);
  return null;
}

/** NEW_SLASH_COMMAND when a message starts with `/<command>` (in a conversation or a work-order comment). */
export function slashCommand(mx: Mx, orgId: number, userId: number, messageId: number, content: string, parent: { id: number; type: 'CONVERSATION' | 'WORK_ORDER'; name: string }, skip?: boolean): void {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(content.trim());
  if (!m) return;
  mx.hooks.emit(orgId, 'NEW_SLASH_COMMAND', { user: { id: userId }, parent, messageId, command: m[1], content: m[2] }, { skip });
}

/**
 * WORK_ORDER_OVERDUE: once the suite clock passes a work order's due date while it is not done. The sweep covers the
 * due dates between its previous run and now, so time moving forward (really or through the clock) sends each once;
 * when the clock moves back the window restarts there.
 */
export class OverdueSweep {
  private last: number;

  constructor(private readonly mx: Mx) {
    this.last = mx.ctx.clock.nowMs();
  }

  reset(): void {
    this.last = this.mx.ctx.clock.nowMs();
  }

  /** Runs when at least a second of suite time has passed since the last run. */
  run(): void {
    const now = this.mx.ctx.clock.nowMs();
    if (now < this.last) this.last = now;
    if (now - this.last < 1000) return;
    const from = new Date(this.last).toISOString();
    const to = new Date(now).toISOString();
    this.last = now;
    for (const w of this.mx.store.records.dueBetween(from, to)) {
      this.mx.hooks.emit(w.orgId, 'WORK_ORDER_OVERDUE', { workOrderId: w.id, dueDate: w.data.dueDate });
    }
  }
}
