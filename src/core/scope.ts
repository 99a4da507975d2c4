/**
 * The request scope: what core needs to know about the request being served that only the vendor can tell — the
 * tenant it resolved (for the request journal and per-tenant clocks) — and what core decided about it (an injected
 * fault). Each request to a vendor instance runs in its own scope (AsyncLocalStorage), so code anywhere below the
 * handler (the clock included) can read it without the vendor passing it down.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class RequestScope {
  /** The vendor's tenant id once resolved (TrakRF org, MACHHUB domain, MaintainX organization, MaxTrax tenant). */
  tenant: string | null = null;
  /** The id of the fault injected into this request, or null. */
  fault: string | null = null;
  /** Called when the vendor reports the tenant (fault rules for a tenant are decided then); may throw to stop the request. */
  onTenant?: (tenant: string) => void;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (a request's handling) in `scope`. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the request being served, or undefined outside a request (seeding, timers, the control plane). */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Records the tenant the vendor resolved for the current request (no-op outside a request). */
export function setRequestTenant(tenant: string | number | null): void {
  const scope = storage.getStore();
  if (!scope) return;
  scope.tenant = tenant === null ? null : String(tenant);
  if (scope.tenant !== null) scope.onTenant?.(scope.tenant);
}
