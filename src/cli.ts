#!/usr/bin/env node
/**
 * vendor-fakes [serve] [options] — runs the fakes, one listener per vendor, until SIGINT/SIGTERM.
 * Errors the user can fix (a port in use, a bad fixture file, a bad flag) print one line and exit 1.
 */
import { startFakes, vendorByName, parsePublicUrl, DEFAULT_SEED, VERSION } from './suite.js';
import { vendors } from './vendors/index.js';
import { FixtureError, UsageError, type OptionValue } from './core/vendor.js';
import { parseAllowHosts } from './core/outbound.js';
import { parsePublicHosts } from './core/admin-guard.js';
import { coerceOption } from './core/instance.js';
import { readFileSync, realpathSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT_CONSOLE_PORT = 4000;

const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase());

function usage(): string {
  const rows: Array<[string, string]> = [
    ['--vendors a,b', `vendors to run (default: all: ${vendors.map((v) => v.name).join(', ')})`],
    ['--host HOST', 'listen address (default 127.0.0.1)'],
    ...vendors.map((v): [string, string] => [`--${v.name}-port N`, `${v.title} port (default ${v.defaultPort}; 0 picks a free port)`]),
    ['--console-port N', 'web console port (default 4000; 0 picks a free port)'],
    ['--no-console', 'do not start the web console'],
    ['--data-dir DIR', 'keep one SQLite file per vendor in DIR (WAL); default: in memory'],
    ['--fixtures DIR', 'read <vendor>.json fixtures from DIR'],
    ['--seed N', `seed for generated demo data (default ${DEFAULT_SEED})`],
    ['--public-url URL', 'scheme://host clients use (banner, /__health); each listener\'s port is appended (default: the bound address; 127.0.0.1 for 0.0.0.0)'],
    ['--ready-file FILE', 'write {"urls": …} as JSON to FILE once every listener is ready (removed on exit); `vendor-fakes healthcheck` reads it'],
    ['--config FILE', 'JSON settings file {"<flag>": value}; flags, then VENDOR_FAKES_<FLAG>, win over it'],
    ['--webhook-allow-hosts a,b', 'hosts besides loopback that webhooks may be delivered to (*.example.com, * for any)'],
    ['--admin-token TOKEN', 'every /__admin request needs Authorization: Bearer TOKEN (env VENDOR_FAKES_ADMIN_TOKEN)'],
    ['--admin-open', 'on a non-loopback --host without a token: leave /__admin open instead of generating a token'],
    ['--public-host a,b', 'host names besides IP addresses and localhost that /__admin answers to (*.example.com)'],
    ['--journal-size N', 'requests each vendor\'s journal keeps for GET /__admin/requests (default 1000; 0 turns it off)'],
    ['--journal-max-bytes N', 'bytes each vendor\'s journal may hold, bodies and headers counted (default 16777216); the oldest go first'],
    ['--import DIR', 'start from exported snapshots: DIR/<vendor>.sqlite as the state, DIR/<vendor>/*.sqlite as saved snapshots'],
    ['--export-on-exit DIR', 'on SIGINT/SIGTERM write each vendor\'s state to DIR/<vendor>.sqlite and its snapshots to DIR/<vendor>/'],
    ['--deterministic-keys', 'derive signing keys from the seed (reproducible tokens; anyone who knows the seed can forge them)'],
    ['--quiet', 'no request log'],
    ['--help, --version', ''],
  ];
  for (const v of vendors) {
    for (const [key, opt] of Object.entries(v.options ?? {})) {
      const values = opt.choices ? opt.choices.join('|') : typeof opt.default === 'boolean' ? 'true|false' : typeof opt.default === 'number' ? 'N' : 'VALUE';
      rows.push([`--${v.name}-${kebab(key)} ${values}`, `${opt.description} (default ${String(opt.default)})`]);
    }
  }
  const table = rows.map(([flag, text]): [string, string, string] => {
    const name = flag.match(/^--([a-z0-9-]+)/)?.[1];
    return [flag, name && !NOT_SETTINGS.has(name) ? envName(name) : '', text];
  });
  const w1 = Math.max(...table.map(([flag]) => flag.length)) + 2;
  const w2 = Math.max(...table.map(([, env]) => env.length)) + 2;
  return [
    'Usage: vendor-fakes [serve] [options]',
    '       vendor-fakes healthcheck [--ready-file FILE]   exit 0 when GET /__health of the running fakes answers 200',
    '',
    'Every option can also be set with the environment variable beside it, or as "<flag>": value in --config FILE.',
    'Precedence: flags, then environment, then the config file. Empty variables count as unset.',
    '',
    'Options:',
    ...table.map(([flag, env, text]) => `  ${flag.padEnd(w1)}${env.padEnd(w2)}${text}`),
  ].join('\n');
}

export interface CliArgs {
  vendors?: string[];
  host?: string;
  ports: Record<string, number>;
  dataDir?: string;
  fixturesDir?: string;
  seed?: number;
  quiet: boolean;
  webhookAllowHosts?: string[];
  adminToken?: string;
  adminOpen: boolean;
  publicHosts?: string[];
  deterministicKeys: boolean;
  publicUrl?: string;
  readyFile?: string;
  journalSize?: number;
  journalMaxBytes?: number;
  importDir?: string;
  exportOnExit?: string;
  consolePort?: number;
  noConsole: boolean;
  config: Record<string, Record<string, OptionValue>>;
  help: boolean;
  version: boolean;
}

export function parseCli(argv: string[]): CliArgs {
  const out: CliArgs = { ports: {}, config: {}, quiet: false, help: false, version: false, adminOpen: false, deterministicKeys: false, noConsole: false };
  const args = [...argv];
  if (args[0] === 'serve') args.shift();
  while (args.length) {
    const raw = args.shift()!;
    if (!raw.startsWith('--')) throw new UsageError(`unexpected argument: ${raw} (see --help)`);
    let [flag, value] = raw.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const take = (): string => {
      if (value !== undefined) return value;
      const next = args.shift();
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${flag} needs a value`);
      return next;
    };
    const int = (min: number, max: number): number => {
      const s = take();
      const n = Number(s);
      if (!/^\d+$/.test(s) || n < min || n > max) throw new UsageError(`--${flag} must be an integer from ${min} to ${max}`);
      return n;
    };
    switch (flag) {
      case 'help': out.help = true; continue;
      case 'version': out.version = true; continue;
      case 'quiet': out.quiet = true; continue;
      case 'vendors':
        out.vendors = take().split(',').map((s) => s.trim()).filter(Boolean);
        for (const n of out.vendors) vendorByName(n);
        continue;
      case 'host': out.host = take(); continue;
      case 'data-dir': out.dataDir = take(); continue;
      case 'fixtures': out.fixturesDir = take(); continue;
      case 'seed': out.seed = int(0, 2 ** 32 - 1); continue;
      case 'admin-token':
        out.adminToken = take();
        if (out.adminToken.trim() === '') throw new UsageError('--admin-token must not be empty');
        continue;
      case 'admin-open': out.adminOpen = true; continue;
      case 'deterministic-keys': out.deterministicKeys = true; continue;
      case 'public-host':
        try {
          out.publicHosts = [...(out.publicHosts ?? []), ...parsePublicHosts(take())];
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        continue;
      case 'config': take(); continue; // read by resolveCli before parsing
      case 'ready-file': out.readyFile = take(); continue;
      case 'journal-size': out.journalSize = int(0, 1_000_000); continue;
      case 'journal-max-bytes': out.journalMaxBytes = int(65_536, 2 ** 40); continue;
      case 'import': out.importDir = take(); continue;
      case 'export-on-exit': out.exportOnExit = take(); continue;
      case 'console-port': out.consolePort = int(0, 65535); continue;
      case 'no-console': out.noConsole = true; continue;
      case 'public-url': out.publicUrl = parsePublicUrl(take()); continue;
      case 'webhook-allow-hosts':
        try {
          out.webhookAllowHosts = parseAllowHosts(take());
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        continue;
    }
    const vendor = vendors.find((v) => flag.startsWith(v.name + '-'));
    if (vendor) {
      const rest = flag.slice(vendor.name.length + 1);
      if (rest === 'port') {
        out.ports[vendor.name] = int(0, 65535);
        continue;
      }
      const key = Object.keys(vendor.options ?? {}).find((k) => kebab(k) === rest);
      if (key) {
        const opt = vendor.options![key];
        (out.config[vendor.name] ??= {})[key] = coerceOption(vendor.name, key, opt.default, take(), opt.choices);
        continue;
      }
    }
    throw new UsageError(`unknown option: --${flag} (see --help)`);
  }
  return out;
}

/** The environment variable of a flag: `trakrf-port` → `VENDOR_FAKES_TRAKRF_PORT`. */
export const envName = (flag: string): string => 'VENDOR_FAKES_' + flag.replace(/-/g, '_').toUpperCase();

/** Flags that are commands or the settings file itself, not settings. */
const NOT_SETTINGS = new Set(['help', 'version', 'config']);
/** VENDOR_FAKES_* variables that are not flags (read elsewhere, or by the README's test setups). */
const OTHER_VARIABLES = new Set(['VENDOR_FAKES_CONFIG', 'VENDOR_FAKES_SEED_CACHE', 'VENDOR_FAKES_SEED_CACHE_DIR', 'VENDOR_FAKES_URL']);

/** How the parser takes a flag, found by asking it (so flags added to parseCli need nothing here). */
function flagKind(flag: string): 'switch' | 'value' | 'unknown' {
  try {
    parseCli([`--${flag}`]);
    return 'switch';
  } catch (e) {
    return (e as Error).message.startsWith('unknown option') ? 'unknown' : 'value';
  }
}

/** One setting from the environment or the config file, as parser arguments, and where it came from. */
interface Setting {
  flag: string;
  args: string[];
  source: string;
}

/** Puts the source of a bad setting in its error: `VENDOR_FAKES_TRAKRF_PORT must be …`. */
function attribute(err: unknown, flag: string, source: string): unknown {
  // Vendor code still reports some bad option values as FixtureError: the class is kept.
  if (!(err instanceof UsageError) && !(err instanceof FixtureError)) return err;
  const m = err.message;
  const Class = err instanceof UsageError ? UsageError : FixtureError;
  return new Class(m.startsWith(`--${flag} `) ? source + m.slice(flag.length + 2) : `${source}: ${m}`);
}

function toSetting(flag: string, value: unknown, source: string): Setting | null {
  const kind = flagKind(flag);
  if (kind === 'switch') {
    if (value === true || (typeof value === 'string' && /^(1|true|yes|on)$/i.test(value))) return { flag, args: [`--${flag}`], source };
    if (value === false || (typeof value === 'string' && /^(0|false|no|off)$/i.test(value))) return null;
    throw new UsageError(`${source} must be true or false`);
  }
  let text: string;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) text = value.join(',');
  else throw new UsageError(`${source} must be a string, a number, true/false or a list of strings`);
  const setting = { flag, args: [`--${flag}=${text}`], source };
  try {
    parseCli(setting.args);
  } catch (e) {
    throw attribute(e, flag, source);
  }
  return setting;
}

function envSettings(env: NodeJS.ProcessEnv, warnings: string[], skip: Set<string>): Setting[] {
  const out: Setting[] = [];
  // Filtered before sorting: the whole environment through localeCompare is a measurable share of start-up.
  const ours = Object.entries(env).filter(([name]) => name.startsWith('VENDOR_FAKES_'));
  for (const [name, value] of ours.sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.startsWith('VENDOR_FAKES_') || value === undefined || value === '' || OTHER_VARIABLES.has(name)) continue;
    const flag = name.slice('VENDOR_FAKES_'.length).toLowerCase().replace(/_/g, '-');
    if (NOT_SETTINGS.has(flag) || flagKind(flag) === 'unknown') {
      warnings.push(`${name} is not a setting (there is no --${flag}); ignored`);
      continue;
    }
    if (skip.has(flag)) continue;
    const s = toSetting(flag, value, name);
    if (s) out.push(s);
  }
  return out;
}

function fileSettings(file: string, read: (file: string) => string, skip: Set<string>): Setting[] {
  let doc: unknown;
  try {
    doc = JSON.parse(read(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(err.code ? `cannot read --config ${file}: ${err.code}` : `${file}: not valid JSON (${err.message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${file}: must be a JSON object of {"<flag>": value}`);
  const out: Setting[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (value === null) continue;
    const flag = key.replace(/^--/, '');
    if (NOT_SETTINGS.has(flag) || flagKind(flag) === 'unknown') {
      throw new UsageError(`${file}: unknown setting "${key}" (keys are flag names without --, e.g. "trakrf-port")`);
    }
    if (skip.has(flag)) continue;
    const s = toSetting(flag, value, `${file}: "${key}"`);
    if (s) out.push(s);
  }
  return out;
}

export interface ResolvedCli {
  args: CliArgs;
  /** VENDOR_FAKES_* variables that name no flag. */
  warnings: string[];
  /** Rewrites a later error about a flag (`--x must be …`) to name the variable or file key that set it. */
  explain(err: unknown): unknown;
}

/**
 * Flags, then VENDOR_FAKES_<FLAG> variables, then the keys of `--config FILE` (or VENDOR_FAKES_CONFIG): every flag
 * parseCli knows reads all three, each value checked where it comes from.
 */
export function resolveCli(argv: string[], env: NodeJS.ProcessEnv = process.env, read = (f: string) => readFileSync(f, 'utf8')): ResolvedCli {
  const given = argv[0] === 'serve' ? argv.slice(1) : argv;
  const warnings: string[] = [];
  let configFile = env.VENDOR_FAKES_CONFIG || undefined;
  for (let i = 0; i < given.length; i++) {
    if (given[i] === '--config' && !given[i + 1]?.startsWith('--')) configFile = given[i + 1];
    else if (given[i].startsWith('--config=')) configFile = given[i].slice('--config='.length);
  }
  // A flag on the command line wins: the same setting from the environment or the file is not even read.
  const onCommandLine = new Set(given.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]));
  const settings = [...(configFile ? fileSettings(configFile, read, onCommandLine) : []), ...envSettings(env, warnings, onCommandLine)];
  const args = parseCli([...settings.flatMap((s) => s.args), ...given]);
  const sources = new Map(settings.map((s) => [s.flag, s.source]));
  return {
    args,
    warnings,
    explain(err) {
      const flag = err instanceof UsageError || err instanceof FixtureError ? err.message.match(/^--([a-z0-9-]+)/)?.[1] : undefined;
      const source = flag && sources.get(flag);
      return source ? attribute(err, flag, source) : err;
    },
  };
}

/** `vendor-fakes healthcheck`: GET /__health of the listener named in the ready file; exit 0 on 200. */
async function healthcheck(readyFile: string | undefined): Promise<number> {
  if (!readyFile) throw new UsageError('healthcheck needs --ready-file FILE (or VENDOR_FAKES_READY_FILE), the file the running fakes write');
  let url: string;
  try {
    url = (JSON.parse(readFileSync(readyFile, 'utf8')) as { health: string }).health;
  } catch {
    console.error(`vendor-fakes healthcheck: not ready (${readyFile} is missing or unreadable)`);
    return 1;
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (res.status === 200) return 0;
    console.error(`vendor-fakes healthcheck: ${url} answered ${res.status}`);
  } catch (e) {
    console.error(`vendor-fakes healthcheck: ${url}: ${(e as Error).message}`);
  }
  return 1;
}

/** An address this machine reaches the listener on: loopback for a wildcard bind. */
function localHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function main(): Promise<void> {
  const command = process.argv[2] === 'healthcheck' ? 'healthcheck' : 'serve';
  const resolved = resolveCli(process.argv.slice(command === 'healthcheck' ? 3 : 2));
  for (const w of resolved.warnings) console.error(`vendor-fakes: ${w}`);
  const args = resolved.args;
  if (args.help) return void console.log(usage());
  if (args.version) return void console.log(VERSION);
  if (command === 'healthcheck') return void (process.exitCode = await healthcheck(args.readyFile));
  const names = args.vendors ?? vendors.map((v) => v.name);
  const ports = Object.fromEntries(names.map((n) => [n, args.ports[n] ?? vendorByName(n).defaultPort]));
  const log = args.quiet ? undefined : (line: string) => console.log(line);
  const fakes = await startFakes({
    vendors: names,
    ports,
    host: args.host,
    publicUrl: args.publicUrl,
    dataDir: args.dataDir,
    fixturesDir: args.fixturesDir,
    seed: args.seed,
    config: args.config,
    webhookAllowHosts: args.webhookAllowHosts,
    adminToken: args.adminToken ?? (process.env.VENDOR_FAKES_ADMIN_TOKEN || undefined),
    adminOpen: args.adminOpen,
    publicHosts: args.publicHosts,
    deterministicKeys: args.deterministicKeys,
    journalSize: args.journalSize,
    journalMaxBytes: args.journalMaxBytes,
    importDir: args.importDir,
    consolePort: args.noConsole ? null : (args.consolePort ?? DEFAULT_CONSOLE_PORT),
    log,
  }).catch((e: unknown) => {
    throw resolved.explain(e);
  });
  const readyFile = args.readyFile;
  if (readyFile) {
    const local = `http://${localHost(args.host ?? '127.0.0.1')}:${fakes.listeners[0].port}`;
    writeFileSync(readyFile, JSON.stringify({ pid: process.pid, health: `${local}/__health`, urls: fakes.urls }) + '\n');
  }
  console.log(`vendor-fakes ${VERSION} ready (seed ${fakes.suite.seed}, ${args.dataDir ? `data in ${args.dataDir}` : 'in-memory SQLite'})`);
  if (fakes.adminTokenGenerated) {
    console.log(`WARNING: listening on ${args.host} (reachable from other machines); /__admin needs Authorization: Bearer ${fakes.adminToken} (generated now, shown once; set --admin-token or VENDOR_FAKES_ADMIN_TOKEN to choose it)`);
  } else if (fakes.exposedWithoutToken) {
    console.log(`WARNING: listening on ${args.host} (reachable from other machines) with --admin-open: anyone who can reach a port can reset state, move the clock and mint credentials`);
  }
  if (fakes.consoleUrl) console.log(`Web console: ${fakes.consoleUrl}/${fakes.adminToken ? '   (sign in with the admin token)' : ''}`);
  if (args.deterministicKeys) console.log('WARNING: --deterministic-keys: signing keys derive from the seed; anyone who knows the seed can forge tokens');
  for (const [name, url] of Object.entries(fakes.urls)) {
    const instance = fakes.suite.instance(name);
    console.log(`\n${instance.vendor.title}: ${url}${instance.vendor.basePath ?? ''}   (control plane: ${url}/__admin)`);
    for (const l of fakes.listeners) if (l.vendor === name && l.tenant) console.log(`  tenant ${l.tenant} only: ${l.url}`);
    for (const c of instance.credentials) console.log(`  ${c.label}: ${c.value}`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (readyFile) rmSync(readyFile, { force: true });
    if (args.exportOnExit) {
      try {
        fakes.suite.exportSnapshots(args.exportOnExit);
        console.log(`vendor-fakes: state and snapshots written to ${args.exportOnExit}`);
      } catch (e) {
        console.error(`vendor-fakes: cannot write snapshots to ${args.exportOnExit}: ${(e as Error).message}`);
      }
    }
    await fakes.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Run when started as the program (node dist/cli.js, the npm bin link, tsx), not when imported by a test.
const isProgram = (() => {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
// Usage errors, fixture errors and any other failure: one line, exit 1 (README "Command line").
if (isProgram) main().catch((err: unknown) => {
  console.error(`vendor-fakes: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
