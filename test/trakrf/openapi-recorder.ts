/** Records every /api response the TrakRF tests produce, for validation against openapi/trakrf.json. */
export interface Recorded {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  headers: Record<string, string>;
  body: unknown;
}

const g = globalThis as unknown as { __trakrfRecorded?: Recorded[] };
export const recorded: Recorded[] = (g.__trakrfRecorded ??= []);

export function recordResponse(method: string, path: string, r: { status: number; headers: Headers; body: unknown }): void {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  recorded.push({ method, path: path.split('?')[0], status: r.status, contentType: r.headers.get('content-type'), headers, body: r.body });
}
