/**
 * A benchmark scenario. `npm run bench` starts the fakes (and a bare Hono server) in a child process, runs each
 * scenario's `prepare` against the running fakes, then drives the request it returns with a load generator.
 * With `baseline` (the default), the same response body is also served by a bare Hono route in the same process,
 * and the scenario is reported as a ratio against it.
 */
export interface BenchRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Fresh request per call (e.g. a create with a unique key); default: the same request every time. */
  next?: () => { path?: string; body?: string; headers?: Record<string, string> };
}

export interface BenchContext {
  /** Base URL of the vendor listener, e.g. http://127.0.0.1:41234 */
  url: string;
  /** JSON request helper against the vendor listener (control plane or API). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any; text: string }>;
}

export interface BenchScenario {
  name: string;
  vendor: string;
  prepare(ctx: BenchContext): Promise<BenchRequest>;
  /** Compare against a bare Hono route serving the same body (default true). */
  baseline?: boolean;
  /** Target, for the report, e.g. '≥ 50% of bare route'. */
  target?: string;
  /** What bounds the scenario's throughput, for the report (token exchange, login), e.g. 'scrypt, N=2^15'. */
  bound?: string;
  /** Run against a second listener of the same vendor with the request journal off (--journal-size 0). */
  journalOff?: boolean;
  /** Seconds per measurement round (default 2; the runner alternates 3 rounds of fake and bare route). */
  seconds?: number;
  /**
   * A measurement that is not an HTTP request (e.g. MQTT): when present, the runner calls it after `prepare` instead
   * of the load generator and reports the line it returns.
   */
  measure?(ctx: BenchContext): Promise<string>;
}
