/**
 * One in-process client for any vendor of a suite: `call(method, path, {headers, body, raw, query})` answers
 * `{status, headers, body, text}` and, unless turned off, checks every response against the vendor's OpenAPI
 * document (test/support/contract.ts), throwing on the first mismatch.
 */
import type { Suite } from '../../src/suite.js';
import { contract as contractFor } from './contract.js';

export interface VendorResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON when the response is JSON (and parses), else the text. */
  body: any;
  text: string;
}

export interface CallInit {
  headers?: Record<string, string>;
  /** JSON-encoded, with Content-Type application/json unless the headers give one. */
  body?: unknown;
  /** Sent as is. */
  raw?: BodyInit;
  /** Appended to the path's query string. */
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
}

export interface VendorClientOptions {
  /** Check every response against the vendor's OpenAPI document (default true). */
  contract?: boolean;
  /** Headers sent with every request (a call's own headers win). */
  headers?: Record<string, string>;
}

export interface VendorClient {
  call(method: string, path: string, init?: CallInit): Promise<VendorResponse>;
  /** How many responses were checked against the document. */
  readonly checked: number;
}

const JSON_TYPE = /^application\/(.+\+)?json\b/i;

function withQuery(path: string, query: CallInit['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, String(x));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

export function vendorClient(suite: Suite, vendor: string, opts: VendorClientOptions = {}): VendorClient {
  const app = suite.app(vendor);
  const check = opts.contract === false ? null : contractFor(vendor);
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...opts.headers, ...init.headers };
      let body: BodyInit | undefined = init.raw;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      }
      const url = withQuery(path, init.query);
      const res = await app.request(url, { method, headers, body });
      const text = await res.text();
      let parsed: any = text;
      if (text !== '' && JSON_TYPE.test(res.headers.get('content-type') ?? '')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      const out = { status: res.status, headers: res.headers, body: parsed, text };
      if (check) {
        const problems = check(method, url, out);
        if (problems.length) throw new Error(`response does not match the OpenAPI document:\n${problems.join('\n')}`);
        checked++;
      }
      return out;
    },
  };
}
