/** Starting the CLI as a user does (a child process) and reading what it prints. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const CLI = ['--import', 'tsx', 'src/cli.ts'];

/** The environment of the test run without any VENDOR_FAKES_* setting, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VENDOR_FAKES_') || k.startsWith('VENDOR_FAKES_SEED_CACHE') || k === 'VENDOR_FAKES_CONSOLE_PORT') out[k] = v;
  return { ...out, ...env };
}

export const runCli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: cleanEnv(env) });

export interface Started {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** Spawns `command args` and resolves once stdout matches `ready` (rejects on exit or after 15 s). */
export function startUntil(command: string, args: string[], ready: RegExp, opts: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {}): Promise<Started> {
  const child = spawn(command, args, { env: opts.env ?? cleanEnv(), cwd: opts.cwd, uid: opts.uid, gid: opts.gid, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started: Started = { child, out: () => out, err: () => err, exited };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 15 s.\nstdout: ${out}\nstderr: ${err}`)), 15_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(started);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready.\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export const startCli = (args: string[], env: Record<string, string> = {}) =>
  startUntil(process.execPath, [...CLI, ...args], /\(control plane: /, { env: cleanEnv(env) });

/** Waits until `predicate` holds (stdout arrives in pieces), up to 5 s. */
export async function eventually(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 50));
}
