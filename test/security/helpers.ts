/** Shared by the security tests: raw HTTP (any Host header) and the real CLI as a child process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTP request with exactly the given headers (fetch cannot set Host). */
export function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const JSON_HEADERS = { 'Content-Type': 'application/json' };

export interface Cli {
  child: ChildProcessWithoutNullStreams;
  /** Listener URL per vendor title (`TrakRF` → `http://127.0.0.1:…`). */
  urls: Record<string, string>;
  out: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `vendor-fakes serve …args` and resolves once the banner lists `expect` vendors. */
export function startCli(args: string[], expect: number, env: Record<string, string> = {}): Promise<Cli> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--quiet', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}${err}`)), 30_000);
    void exit.then((code) => reject(new Error(`exited ${code}: ${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      // Vendor lines only (the banner also prints `Web console: http://…`).
      const urls = Object.fromEntries([...out.matchAll(/^(\S[^:\n]*): (http:\/\/[^\s/]+) {3}\(control plane/gm)].map((m) => [m[1], m[2]]));
      if (Object.keys(urls).length >= expect && out.includes('control plane')) {
        clearTimeout(timer);
        resolve({
          child,
          urls,
          out: () => out,
          stop: () => {
            child.kill('SIGTERM');
            return exit;
          },
        });
      }
    });
  });
}
