/** Configuration by environment and --config: every flag reads VENDOR_FAKES_<FLAG> and the file key <flag>; flags win. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCli } from '../../src/cli.js';
import { FixtureError } from '../../src/core/vendor.js';
import { eventually, runCli, startCli, type Started } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vf-env-'));
let running: Started | undefined;
afterEach(async () => {
  running?.child.kill('SIGTERM');
  await running?.exited;
  running = undefined;
});

const fails = (argv: string[], env: Record<string, string>, files: Record<string, string> = {}) => {
  try {
    resolveCli(argv, env, (f) => {
      if (!(f in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[f];
    });
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('environment variables and --config (resolveCli)', () => {
  it.each([
    [{ VENDOR_FAKES_TRAKRF_PORT: 'x' }, 'VENDOR_FAKES_TRAKRF_PORT must be an integer from 0 to 65535'],
    [{ VENDOR_FAKES_SEED: '-1' }, 'VENDOR_FAKES_SEED must be an integer from 0 to 4294967295'],
    [{ VENDOR_FAKES_VENDORS: 'trakrf,nope' }, 'VENDOR_FAKES_VENDORS: unknown vendor: nope (known: maxtrax, machhub, maintainx, trakrf)'],
    [{ VENDOR_FAKES_QUIET: 'maybe' }, 'VENDOR_FAKES_QUIET must be true or false'],
    [{ VENDOR_FAKES_TRAKRF_RATE_LIMIT: 'maybe' }, 'VENDOR_FAKES_TRAKRF_RATE_LIMIT must be true or false'],
    [{ VENDOR_FAKES_MAXTRAX_LIST_ENVELOPE: 'xml' }, 'VENDOR_FAKES_MAXTRAX_LIST_ENVELOPE must be one of: object, array'],
    [{ VENDOR_FAKES_PUBLIC_URL: 'localhost:4400' }, "VENDOR_FAKES_PUBLIC_URL must be http(s)://host without port or path (each listener's port is appended), e.g. http://localhost"],
    [{ VENDOR_FAKES_WEBHOOK_ALLOW_HOSTS: 'http://x' }, expect.stringMatching(/^VENDOR_FAKES_WEBHOOK_ALLOW_HOSTS: /)],
  ])('a bad value names its variable: %j', (env, message) => {
    expect(fails([], env)).toEqual(message);
  });

  it('reads every kind of flag: value, switch, list, vendor option; empty counts as unset', () => {
    const { args, warnings } = resolveCli([], {
      VENDOR_FAKES_HOST: '0.0.0.0',
      VENDOR_FAKES_VENDORS: 'trakrf,maxtrax',
      VENDOR_FAKES_TRAKRF_PORT: '0',
      VENDOR_FAKES_QUIET: 'true',
      VENDOR_FAKES_TRAKRF_RATE_LIMIT: 'false',
      VENDOR_FAKES_MAXTRAX_TENANT_PORTS: 'globex=4101',
      VENDOR_FAKES_DATA_DIR: '',
      VENDOR_FAKES_SEED_CACHE: 'off',
      PATH: '/bin',
    });
    expect(args).toMatchObject({ host: '0.0.0.0', vendors: ['trakrf', 'maxtrax'], ports: { trakrf: 0 }, quiet: true });
    expect(args.dataDir).toBeUndefined();
    expect(args.config).toEqual({ trakrf: { rateLimit: false }, maxtrax: { tenantPorts: 'globex=4101' } });
    expect(warnings).toEqual([]);
    expect(resolveCli([], { VENDOR_FAKES_QUIET: 'off' }).args.quiet).toBe(false);
  });

  it('flags win over the environment, the environment over the file; a variable overridden by a flag is not read', () => {
    const files = { '/vf.json': JSON.stringify({ seed: 7, host: '127.0.0.2', vendors: ['trakrf', 'machhub'], quiet: true, 'trakrf-port': 4401 }) };
    const read = (f: string) => (files as Record<string, string>)[f];
    const { args } = resolveCli(['serve', '--config', '/vf.json', '--seed', '9'], { VENDOR_FAKES_SEED: '8', VENDOR_FAKES_HOST: '127.0.0.1' }, read);
    expect(args).toMatchObject({ seed: 9, host: '127.0.0.1', vendors: ['trakrf', 'machhub'], quiet: true, ports: { trakrf: 4401 } });
    expect(resolveCli([], { VENDOR_FAKES_CONFIG: '/vf.json' }, read).args.seed).toBe(7);
    expect(fails(['--vendors', 'nope'], { VENDOR_FAKES_VENDORS: 'also-bad' })).toBe('unknown vendor: nope (known: maxtrax, machhub, maintainx, trakrf)');
    expect(resolveCli(['--seed', '1'], { VENDOR_FAKES_SEED: 'bad' }).args.seed).toBe(1);
  });

  it('a variable that names no flag is a warning, not an error', () => {
    expect(resolveCli([], { VENDOR_FAKES_TRAKRF_PROT: '1', VENDOR_FAKES_HELP: '1', VENDOR_FAKES_URL: 'http://x' }).warnings).toEqual([
      'VENDOR_FAKES_HELP is not a setting (there is no --help); ignored',
      'VENDOR_FAKES_TRAKRF_PROT is not a setting (there is no --trakrf-prot); ignored',
    ]);
  });

  it('bad config files name the file and the key', () => {
    const f = (doc: string) => fails(['--config', '/c.json'], {}, { '/c.json': doc });
    expect(f('{"trakrf-port": "x"}')).toBe('/c.json: "trakrf-port" must be an integer from 0 to 65535');
    expect(f('{"trakrf-prot": 1}')).toBe('/c.json: unknown setting "trakrf-prot" (keys are flag names without --, e.g. "trakrf-port")');
    expect(f('{"quiet": "loud"}')).toBe('/c.json: "quiet" must be true or false');
    expect(f('{"vendors": {"a": 1}}')).toBe('/c.json: "vendors" must be a string, a number, true/false or a list of strings');
    expect(f('[1]')).toBe('/c.json: must be a JSON object of {"<flag>": value}');
    expect(f('{oops')).toMatch(/^\/c\.json: not valid JSON \(/);
    expect(fails(['--config=/missing.json'], {})).toBe('cannot read --config /missing.json: ENOENT');
    expect(fails([], { VENDOR_FAKES_CONFIG: '/missing.json' })).toBe('cannot read --config /missing.json: ENOENT');
  });

  it('explain() names the variable or file key of a value that fails only at start; flags and other errors stay as they are', () => {
    const late = new FixtureError('--maxtrax-tenant-ports must be x');
    expect(resolveCli([], { VENDOR_FAKES_MAXTRAX_TENANT_PORTS: 'globex' }).explain(late)).toEqual(new FixtureError('VENDOR_FAKES_MAXTRAX_TENANT_PORTS must be x'));
    expect(resolveCli(['--maxtrax-tenant-ports', 'globex'], {}).explain(late)).toBe(late);
    expect(resolveCli([], {}).explain(late)).toBe(late);
    const plain = new Error('--maxtrax-tenant-ports must be x');
    expect(resolveCli([], { VENDOR_FAKES_MAXTRAX_TENANT_PORTS: 'globex' }).explain(plain)).toBe(plain);
  });
});

describe('the CLI process', () => {
  it('a bad variable → one line on stderr naming it, exit 1; a late one too', () => {
    let r = runCli([], { VENDOR_FAKES_TRAKRF_PORT: 'x' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('vendor-fakes: VENDOR_FAKES_TRAKRF_PORT must be an integer from 0 to 65535\n');
    r = runCli(['--maxtrax-port', '0'], { VENDOR_FAKES_VENDORS: 'maxtrax', VENDOR_FAKES_MAXTRAX_TENANT_PORTS: 'globex' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('vendor-fakes: VENDOR_FAKES_MAXTRAX_TENANT_PORTS must be tenant=port pairs separated by commas, e.g. acme=4101,globex=4102 (got "globex")\n');
  });

  it('starts from the environment and a config file; warns about unknown variables on stderr', async () => {
    const config = join(dir, 'vf.json');
    writeFileSync(config, JSON.stringify({ vendors: ['trakrf'], seed: 7, quiet: true }));
    running = await startCli(['--seed', '9'], { VENDOR_FAKES_CONFIG: config, VENDOR_FAKES_TRAKRF_PORT: '0', VENDOR_FAKES_TRAKRF_PROT: '1' });
    const out = running.out();
    expect(out).toContain('ready (seed 9, in-memory SQLite)');
    expect(out).not.toContain('MaxTrax');
    const base = out.match(/TrakRF: (http:\/\/127\.0\.0\.1:\d+)/)![1];
    await eventually(() => running!.err().includes('\n'));
    expect(running.err()).toBe('vendor-fakes: VENDOR_FAKES_TRAKRF_PROT is not a setting (there is no --trakrf-prot); ignored\n');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(running.out()).not.toMatch(/^trakrf GET/m); // quiet came from the file
  });

  it('--help shows each flag with its variable', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--trakrf-port N +VENDOR_FAKES_TRAKRF_PORT +TrakRF port/);
    expect(r.stdout).toMatch(/--host HOST +VENDOR_FAKES_HOST +listen address/);
    expect(r.stdout).toMatch(/--maxtrax-tenant-ports VALUE +VENDOR_FAKES_MAXTRAX_TENANT_PORTS /);
    expect(r.stdout).toMatch(/--quiet +VENDOR_FAKES_QUIET /);
    expect(r.stdout).toMatch(/--help, --version *\n/); // commands, not settings: no variable
    expect(r.stdout).toContain('Precedence: flags, then environment, then the config file.');
  });
});
