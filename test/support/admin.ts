/**
 * One control-plane call for tests: `adminCall(target, method, path, body?)` sends `body` as JSON to
 * `/__admin<path>` and answers `{status, body}` (the parsed JSON, null when empty). The target is a vendor's app
 * (in-process `app.request`, optionally under a base URL such as `http://127.0.0.1:4000`, which sets the Host the
 * control plane sees) or a listener's URL (over HTTP).
 */

export interface AdminAnswer {
  status: number;
  body: any;
}

interface InProcess {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export async function adminCall(target: InProcess | string, method: string, path: string, body?: unknown, opts: { base?: string } = {}): Promise<AdminAnswer> {
  const init: RequestInit = {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
  const res = typeof target === 'string' ? await fetch(`${target}/__admin${path}`, init) : await target.request(`${opts.base ?? ''}/__admin${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
