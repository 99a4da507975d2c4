/** Runs the real CLI (`node --import tsx src/cli.ts`) as a child process and reads its banner. */
import { spawn, type ChildProcess } from 'node:child_process';

export const CLI = ['--import', 'tsx', 'src/cli.ts'];

export interface RunningCli {
  child: ChildProcess;
  /** Base URL per vendor name (the listener, without the API base path). */
  urls: Record<string, string>;
  /** Everything written to stdout so far. */
  out(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const NAMES: Record<string, string> = { MaxTrax: 'maxtrax', TrakRF: 'trakrf', MACHHUB: 'machhub', MaintainX: 'maintainx' };

/** Starts the CLI on free ports and waits for the banner of every vendor. */
export async function startCli(args: string[], vendors: string[]): Promise<RunningCli> {
  const ports = vendors.flatMap((v) => [`--${v}-port`, '0']);
  const child = spawn(process.execPath, [...CLI, '--vendors', vendors.join(','), ...ports, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const urls: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s: ${out} ${err}`)), 60_000);
    const check = () => {
      for (const m of out.matchAll(/^(\w+): \S+ {3}\(control plane: (http:\/\/[^ ]+)\/__admin\)$/gm)) urls[NAMES[m[1]]] = m[2];
      if (vendors.every((v) => urls[v])) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
  return {
    child,
    urls,
    out: () => out,
    exited,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Waits until out() matches re (stdout is read asynchronously). */
export async function waitFor(out: () => string, re: RegExp, ms = 5000): Promise<void> {
  for (let waited = 0; !re.test(out()) && waited < ms; waited += 25) await new Promise((r) => setTimeout(r, 25));
}
