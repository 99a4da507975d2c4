#!/usr/bin/env node
/**
 * vendor-fakes [serve] [options] — runs the fakes, one listener per vendor, until SIGINT/SIGTERM.
 * Errors the user can fix (a port in use, a bad fixture file, a bad flag) print one line and exit 1.
 */
import { startFakes, vendorByName, DEFAULT_SEED, VERSION } from './suite.js';
import { vendors } from './vendors/index.js';
import { FixtureError, type OptionValue } from './core/vendor.js';
import { parseAllowHosts } from './core/outbound.js';
import { parsePublicHosts } from './core/admin-guard.js';

const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase());

function usage(): string {
  const rows: Array<[string, string]> = [
    ['--vendors a,b', `vendors to run (default: all: ${vendors.map((v) => v.name).join(', ')})`],
    ['--host HOST', 'listen address (default 127.0.0.1)'],
    ...vendors.map((v): [string, string] => [`--${v.name}-port N`, `${v.title} port (default ${v.defaultPort}; 0 picks a free port)`]),
    ['--data-dir DIR', 'keep one SQLite file per vendor in DIR (WAL); default: in memory'],
    ['--fixtures DIR', 'read <vendor>.json fixtures from DIR'],
    ['--seed N', `seed for generated demo data (default ${DEFAULT_SEED})`],
    ['--webhook-allow-hosts a,b', 'hosts besides loopback that webhooks may be delivered to (*.example.com, * for any)'],
    ['--admin-token TOKEN', 'every /__admin request needs Authorization: Bearer TOKEN (env VENDOR_FAKES_ADMIN_TOKEN)'],
    ['--admin-open', 'on a non-loopback --host without a token: leave /__admin open instead of generating a token'],
    ['--public-host a,b', 'host names besides IP addresses and localhost that /__admin answers to (*.example.com)'],
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
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return ['Usage: vendor-fakes [serve] [options]', '', 'Options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`)].join('\n');
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
  config: Record<string, Record<string, OptionValue>>;
  help: boolean;
  version: boolean;
}

export function parseCli(argv: string[]): CliArgs {
  const out: CliArgs = { ports: {}, config: {}, quiet: false, help: false, version: false, adminOpen: false, deterministicKeys: false };
  const args = [...argv];
  if (args[0] === 'serve') args.shift();
  while (args.length) {
    const raw = args.shift()!;
    if (!raw.startsWith('--')) throw new FixtureError(`unexpected argument: ${raw} (see --help)`);
    let [flag, value] = raw.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const take = (): string => {
      if (value !== undefined) return value;
      const next = args.shift();
      if (next === undefined || next.startsWith('--')) throw new FixtureError(`--${flag} needs a value`);
      return next;
    };
    const int = (min: number, max: number): number => {
      const s = take();
      const n = Number(s);
      if (!/^\d+$/.test(s) || n < min || n > max) throw new FixtureError(`--${flag} must be an integer from ${min} to ${max}`);
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
        if (out.adminToken.trim() === '') throw new FixtureError('--admin-token must not be empty');
        continue;
      case 'admin-open': out.adminOpen = true; continue;
      case 'deterministic-keys': out.deterministicKeys = true; continue;
      case 'public-host':
        try {
          out.publicHosts = [...(out.publicHosts ?? []), ...parsePublicHosts(take())];
        } catch (e) {
          throw new FixtureError((e as Error).message);
        }
        continue;
      case 'webhook-allow-hosts':
        try {
          out.webhookAllowHosts = parseAllowHosts(take());
        } catch (e) {
          throw new FixtureError((e as Error).message);
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
        (out.config[vendor.name] ??= {})[key] = take();
        continue;
      }
    }
    throw new FixtureError(`unknown option: --${flag} (see --help)`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2));
  if (args.help) return void console.log(usage());
  if (args.version) return void console.log(VERSION);
  const names = args.vendors ?? vendors.map((v) => v.name);
  const ports = Object.fromEntries(names.map((n) => [n, args.ports[n] ?? vendorByName(n).defaultPort]));
  const log = args.quiet ? undefined : (line: string) => console.log(line);
  const fakes = await startFakes({
    vendors: names,
    ports,
    host: args.host,
    dataDir: args.dataDir,
    fixturesDir: args.fixturesDir,
    seed: args.seed,
    config: args.config,
    webhookAllowHosts: args.webhookAllowHosts,
    adminToken: args.adminToken ?? (process.env.VENDOR_FAKES_ADMIN_TOKEN || undefined),
    adminOpen: args.adminOpen,
    publicHosts: args.publicHosts,
    deterministicKeys: args.deterministicKeys,
    log,
  });
  console.log(`vendor-fakes ${VERSION} ready (seed ${fakes.suite.seed}, ${args.dataDir ? `data in ${args.dataDir}` : 'in-memory SQLite'})`);
    if (fakes.adminTokenGenerated) {
    console.log(`WARNING: listening on ${args.host} (reachable from other machines); /__admin needs Authorization: Bearer ${fakes.adminToken} (generated now, shown once; set --admin-token or VENDOR_FAKES_ADMIN_TOKEN to choose it)`);
  } else if (fakes.exposedWithoutToken) {
    console.log(`WARNING: listening on ${args.host} (reachable from other machines) with --admin-open: anyone who can reach a port can reset state, move the clock and mint credentials`);
  }
  if (args.deterministicKeys) console.log('WARNING: --deterministic-keys: signing keys derive from the seed; anyone who knows the seed can forge tokens');
  for (const [name, url] of Object.entries(fakes.urls)) {
    const instance = fakes.suite.instance(name);
    console.log(`\n${instance.vendor.title}: ${url}${instance.vendor.basePath ?? ''}   (control plane: ${url}/__admin)`);
    for (const c of instance.credentials) console.log(`  ${c.label}: ${c.value}`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await fakes.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof FixtureError) {
    console.error(`vendor-fakes: ${err.message}`);
  } else {
    console.error(`vendor-fakes: ${(err as Error)?.message ?? String(err)}`);
  }
  process.exit(1);
});
