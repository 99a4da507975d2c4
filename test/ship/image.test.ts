/**
 * The container image without a Docker engine, and the npm package built from the same steps.
 *
 * The image test follows the Dockerfile in a temp directory: each stage gets its own root, COPY takes exactly the
 * files the build context sends (.dockerignore applied), RUN steps run there, and the final stage is started with
 * the image's ENTRYPOINT, CMD and ENV as a non-root user (uid 65534 stands in for the image's `node` user). What a
 * temp directory cannot do is said where it happens: `apt-get` steps (system packages of the base image) are skipped;
 * `npm ci` copies the repository's node_modules when the lockfile is identical (a real `npm ci` takes ~80 s here)
 * and then runs the prepare script as `npm ci` does; absolute paths in RUN, ENV and the arguments are mapped into
 * the stage root; the host's Node (not the image's) runs the result.
 *
 * The package test packs the repository's files with the dist/ that build produced (so the TypeScript build runs
 * once per test run), installs the tarball into a temp project with `npm install <tarball>`, and runs
 * `npx vendor-fakes --help` and a type-checked `startFakes()` script.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chownSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vendors } from '../../src/vendors/index.js';
import { parse as parseYaml } from 'yaml';
import { resolveCli } from '../../src/cli.js';
import { contextFiles, ignored, parseDockerfile, parseDockerignore, parseEnv, type Instruction, type Stage } from './dockerfile.js';
import { startUntil, type Started } from './helpers.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const read = (f: string) => readFileSync(join(REPO, f), 'utf8');
const DOCKERFILE = read('Dockerfile');
const stages = parseDockerfile(DOCKERFILE);
const final = stages.at(-1)!;
const RUN_UID = 65534;
const tmp = mkdtempSync(join(tmpdir(), 'vf-image-'));
chmodSync(tmp, 0o755);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op);
const one = (stage: Stage, op: string): Instruction | undefined => ops(stage, op).at(-1);

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return String(r.stdout);
}

describe('Dockerfile lint (the mistakes of issue 19)', () => {
  const env = Object.assign({}, ...ops(final, 'ENV').map((i) => parseEnv(i.args))) as Record<string, string>;

  it('ENTRYPOINT is the CLI and CMD adds no flag, so `docker run … vendor-fakes --vendors trakrf` keeps the host', () => {
    expect(one(final, 'ENTRYPOINT')?.exec).toEqual(['node', 'dist/cli.js']);
    expect(one(final, 'CMD')?.exec ?? []).toEqual([]);
    expect(env.VENDOR_FAKES_HOST).toBe('0.0.0.0');
  });

  it('in memory by default; /data is a volume the runtime user owns, made before USER', () => {
    expect(env).not.toHaveProperty('VENDOR_FAKES_DATA_DIR');
    expect(ops(final, 'VOLUME').map((i) => i.exec ?? i.args.split(/\s+/)).flat()).toEqual(['/data']);
    const user = one(final, 'USER')!;
    expect(user.args).not.toMatch(/^(root|0)(:|$)/);
    const mk = ops(final, 'RUN').find((i) => /mkdir -p \/data\b/.test(i.args) && new RegExp(`chown ${user.args}:\\S+ /data`).test(i.args));
    expect(mk, 'RUN mkdir -p /data && chown <user>:<group> /data').toBeDefined();
    expect(mk!.line).toBeLessThan(user.line);
  });

  it('HEALTHCHECK on GET /__health in exec form with a program the slim image has (node, no curl)', () => {
    const hc = one(final, 'HEALTHCHECK')!;
    expect(hc?.exec?.[0]).toBe('node');
    expect(hc.exec).toEqual([...one(final, 'ENTRYPOINT')!.exec!, 'healthcheck']);
    expect(env.VENDOR_FAKES_READY_FILE).toMatch(/^\//);
  });

  it('EXPOSEs the four default ports; the comments publish single ports, not a range', () => {
    expect(ops(final, 'EXPOSE').flatMap((i) => i.args.split(/\s+/)).map(Number).sort()).toEqual(vendors.map((v) => v.defaultPort).sort());
    expect(DOCKERFILE).not.toMatch(/-p\s+\d+-\d+/);
  });

  it('the build context is what the image needs: no tests, bench, CI, git or node_modules', () => {
    const rules = parseDockerignore(read('.dockerignore'));
    const files = contextFiles(REPO, rules);
    expect([...new Set(files.map((f) => f.split('/')[0]))].sort()).toEqual(
      ['fixtures', 'openapi', 'package-lock.json', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json'],
    );
    for (const path of ['test/x.ts', 'bench/run.ts', '.ci/run', '.git/HEAD', 'node_modules/hono/package.json', 'src/x.db', 'src/x.db-wal']) {
      expect(ignored(rules, path), path).toBe(true);
    }
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml')) as {
    services: { fakes: { build: string; ports: string[]; environment: Record<string, string>; volumes: string[] } };
  };
  const fakes = compose.services.fakes;

  it('builds this Dockerfile, publishes the four ports under their own numbers, mounts /data', () => {
    expect(fakes.build).toBe('.');
    expect(fakes.ports.map((p) => p.split(':'))).toEqual(vendors.map((v) => [String(v.defaultPort), String(v.defaultPort)]).sort());
    expect(fakes.volumes.some((v) => v.endsWith(':/data'))).toBe(true);
  });

  it('every environment key is a setting the CLI reads', () => {
    // ${VAR:-default} is compose interpolation; the admin token's flag comes with the control-plane guard (issue 12).
    const env = Object.fromEntries(Object.entries(fakes.environment).map(([k, v]) => [k, String(v).replace(/^\$\{\w+:-(.*)\}$/, '$1')]));
    const { warnings } = resolveCli([], env);
    expect(warnings.filter((w) => !w.startsWith('VENDOR_FAKES_ADMIN_TOKEN '))).toEqual([]);
  });
});

interface Image {
  roots: Map<string, string>;
  root: string;
  workdir: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
  /** What the simulation did instead of a step, for the report. */
  notes: string[];
}

/** Follows the Dockerfile in `tmp`, one root per stage. */
function buildImage(): Image {
  const rules = parseDockerignore(read('.dockerignore'));
  const context = contextFiles(REPO, rules);
  const roots = new Map<string, string>();
  const notes: string[] = [];
  let image!: Image;
  stages.forEach((stage, n) => {
    const root = join(tmp, `stage-${stage.name ?? n}`);
    mkdirSync(root, { recursive: true, mode: 0o755 });
    roots.set(stage.name ?? String(n), root);
    let workdir = '/';
    const env: Record<string, string> = {};
    const at = (p: string) => join(root, posix.resolve(workdir, p));
    image = { roots, root, workdir, env, entrypoint: [], cmd: [], healthcheck: [], notes };
    for (const ins of stage.instructions) {
      const where = `Dockerfile:${ins.line}: ${ins.op} ${ins.args}`;
      switch (ins.op) {
        case 'WORKDIR':
          workdir = posix.resolve(workdir, ins.args);
          mkdirSync(at('.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(env, parseEnv(ins.args));
          break;
        case 'COPY': {
          const parts = ins.exec ?? ins.args.split(/\s+/);
          const dest = parts.pop()!;
          for (const src of parts) {
            if (ins.flags.from) {
              const from = join(roots.get(ins.flags.from) ?? '', src);
              if (!existsSync(from)) throw new Error(`${where}: ${src} does not exist in stage ${ins.flags.from}`);
              sh('cp', ['-a', statSync(from).isDirectory() ? `${from}/.` : from, mkdirp(at(dest), statSync(from).isDirectory())]);
              continue;
            }
            const files = context.filter((f) => f === src || f.startsWith(src + '/'));
            if (!files.length) throw new Error(`${where}: ${src} is not in the build context (see .dockerignore)`);
            for (const f of files) {
              const target = f === src ? (dest.endsWith('/') || parts.length > 1 ? join(at(dest), posix.basename(f)) : at(dest)) : join(at(dest), f.slice(src.length + 1));
              mkdirSync(dirname(target), { recursive: true });
              cpSync(join(REPO, f), target);
            }
          }
          break;
        }
        case 'RUN':
          for (const step of ins.args.split('&&').map((s) => s.trim())) runStep(step, root, at('.'), notes, where);
          break;
        case 'ENTRYPOINT':
          image.entrypoint = ins.exec!;
          break;
        case 'CMD':
          image.cmd = ins.exec ?? ['/bin/sh', '-c', ins.args];
          break;
        case 'HEALTHCHECK':
          image.healthcheck = ins.exec!;
          break;
        case 'EXPOSE':
        case 'VOLUME':
        case 'USER': // checked by the lint; the run uses RUN_UID
          break;
        default:
          throw new Error(`${where}: the image test does not know this instruction yet`);
      }
    }
    image.workdir = workdir;
  });
  return image;
}

function mkdirp(dir: string, isDir: boolean): string {
  mkdirSync(isDir ? dir : dirname(dir), { recursive: true });
  return dir;
}

/** One `&&` step of a RUN instruction. */
function runStep(step: string, root: string, cwd: string, notes: string[], where: string): void {
  if (/^(apt-get\s|rm -rf \/var\/lib\/apt\/lists)/.test(step)) {
    notes.push(`skipped (base-image system packages): ${step}`);
    return;
  }
  if (step === 'npm ci') {
    const sameLock = readFileSync(join(cwd, 'package-lock.json'), 'utf8') === read('package-lock.json');
    if (sameLock && existsSync(join(REPO, 'node_modules/.package-lock.json'))) {
      sh('cp', ['-a', join(REPO, 'node_modules'), join(cwd, 'node_modules')]);
      sh('npm', ['run', '--if-present', 'prepare'], { cwd });
      notes.push('npm ci: copied the repository node_modules (same lockfile), then ran the prepare script (the build)');
    } else {
      sh('npm', ['ci'], { cwd });
    }
    return;
  }
  if (!/^(npm prune --omit=dev|mkdir -p \S+|chown \S+ \S+)$/.test(step)) throw new Error(`${where}: the image test does not know the step "${step}" yet`);
  const mapped = step.replace(/(^|\s)(\/\S*)/g, (_, s: string, p: string) => s + join(root, p)).replace(/^chown node:node /, `chown ${RUN_UID}:${RUN_UID} `);
  sh('sh', ['-c', mapped], { cwd });
}

let image: Image | undefined;
let built: Promise<Image> | undefined;
const build = () => (built ??= Promise.resolve().then(() => (image = buildImage())));

/** Starts the final stage as `docker run -e … vendor-fakes <args>` would, as RUN_UID. */
function run(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const img = image!;
  const mapPath = (v: string) => (v.startsWith('/') ? join(img.root, v) : v);
  for (const dir of ['home/node', 'tmp']) {
    mkdirSync(join(img.root, dir), { recursive: true });
    chownSync(join(img.root, dir), RUN_UID, RUN_UID);
  }
  const containerEnv: NodeJS.ProcessEnv = {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: join(img.root, 'home/node'),
    TMPDIR: join(img.root, 'tmp'),
    // The web console takes a free port, not 4000, which other processes on this machine may hold.
    VENDOR_FAKES_CONSOLE_PORT: '0',
    ...Object.fromEntries(Object.entries({ ...img.env, ...env }).map(([k, v]) => [k, mapPath(v)])),
  };
  const [program, ...rest] = [...img.entrypoint, ...(args.length ? args : img.cmd)].map(mapPath);
  return startUntil(program === 'node' ? process.execPath : program, rest, /\(control plane: /, {
    env: containerEnv,
    cwd: join(img.root, img.workdir),
    uid: RUN_UID,
    gid: RUN_UID,
  });
}

const outsideAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('image steps', () => {
  beforeAll(build, 600_000);

  it('the build follows every step (skips only base-image packages)', () => {
    expect(image!.notes.filter((n) => n.startsWith('skipped')).every((n) => /apt-get|apt\/lists/.test(n))).toBe(true);
    expect(existsSync(join(image!.root, 'app/dist/cli.js'))).toBe(true);
    expect(existsSync(join(image!.root, 'app/node_modules/typescript')), 'dev dependencies pruned').toBe(false);
    expect(existsSync(join(image!.root, 'app/src')), 'no sources in the final image').toBe(false);
  });

  it.skipIf(!outsideAddress)('`docker run vendor-fakes --vendors trakrf` binds 0.0.0.0: /__health answers on a non-loopback address; HEALTHCHECK passes', async () => {
    // -e VENDOR_FAKES_TRAKRF_PORT=0 instead of the fixed 4400, which other processes on this machine may hold.
    const c = await run(['--vendors', 'trakrf'], { VENDOR_FAKES_TRAKRF_PORT: '0' });
    try {
      expect(c.out()).not.toMatch(/https?:\/\/0\.0\.0\.0/);
      const port = c.out().match(/TrakRF: http:\/\/127\.0\.0\.1:(\d+)/)![1];
      const res = await fetch(`http://${outsideAddress}:${port}/__health`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { vendors: string[] }).vendors).toEqual(['trakrf']);
      const [program, ...hcArgs] = image!.healthcheck;
      const hc = spawnSync(program === 'node' ? process.execPath : program, hcArgs, {
        cwd: join(image!.root, image!.workdir),
        env: { ...process.env, VENDOR_FAKES_READY_FILE: join(image!.root, image!.env.VENDOR_FAKES_READY_FILE) },
        uid: RUN_UID,
        gid: RUN_UID,
        encoding: 'utf8',
      });
      expect(hc.status, hc.stderr).toBe(0);
    } finally {
      c.child.kill('SIGTERM');
      expect(await c.exited).toBe(0);
    }
  });

  it('--data-dir /data: the non-root user writes its SQLite files into the volume', async () => {
    const c = await run(['--vendors', 'trakrf', '--data-dir', '/data'], { VENDOR_FAKES_TRAKRF_PORT: '0' });
    try {
      expect(c.out()).toContain('data in ');
      expect(statSync(join(image!.root, 'data/trakrf.db')).uid).toBe(RUN_UID);
    } finally {
      c.child.kill('SIGTERM');
      await c.exited;
    }
  });
});

describe('npm package', () => {
  let files: string[] = [];
  let consumer = '';
  let tarball = '';
  const hasAdminClient = existsSync(join(REPO, 'src/admin-client.ts'));

  beforeAll(async () => {
    const img = await build();
    const pkg = join(tmp, 'pkg');
    // The repository's files (tracked and new, not ignored) with the dist/ the image build produced.
    const list = sh('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO }).split('\0').filter(Boolean);
    for (const f of list) if (existsSync(join(REPO, f))) cpSync(join(REPO, f), join(pkg, f), { recursive: true });
    sh('cp', ['-a', join(img.roots.get('build')!, 'app/dist'), join(pkg, 'dist')]);
    const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: pkg })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0].files.map((f) => f.path);
    tarball = join(tmp, packed[0].filename);
    consumer = join(tmp, 'consumer');
    mkdirSync(consumer);
    const sqliteVersion = (JSON.parse(read('node_modules/better-sqlite3/package.json')) as { version: string }).version;
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', overrides: { 'better-sqlite3': sqliteVersion } }));
    // Install scripts are skipped and better-sqlite3's native build is taken from the repository (same version,
    // same machine): its install downloads or compiles the addon, 6 minutes here.
    sh('npm', ['install', tarball, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: consumer });
    cpSync(join(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(consumer, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
  }, 600_000);

  it('ships dist, openapi, fixtures, docs, README and LICENSE only', () => {
    const top = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'dist', 'docs', 'fixtures', 'openapi', 'package.json']);
    expect(files.filter((f) => /^(test|src|bench|\.ci|scripts)\//.test(f))).toEqual([]);
    expect(files).toContain('dist/cli.js');
  });

  it('every exports target is in the package (./admin once src/admin-client.ts exists on this branch)', () => {
    const exports = (JSON.parse(read('package.json')) as { exports: Record<string, string | Record<string, string>> }).exports;
    for (const [entry, target] of Object.entries(exports)) {
      if (entry === './admin' && !hasAdminClient) continue;
      for (const path of typeof target === 'string' ? [target] : Object.values(target)) expect(files, `${entry} → ${path}`).toContain(path.replace(/^\.\//, ''));
    }
  });

  it('npx vendor-fakes --help works from the installed package', () => {
    const out = sh('npx', ['--no-install', 'vendor-fakes', '--help'], { cwd: consumer });
    expect(out).toMatch(/--trakrf-port N +VENDOR_FAKES_TRAKRF_PORT/);
  });

  it('a startFakes() script type-checks against the package types and runs', () => {
    writeFileSync(
      join(consumer, 'check.ts'),
      [
        "import { startFakes, Suite, type RunningFakes } from 'vendor-fakes';",
        hasAdminClient ? "import * as admin from 'vendor-fakes/admin';\nvoid admin;" : '',
        "const fakes: RunningFakes = await startFakes({ vendors: ['trakrf'], seed: 42 });",
        'const res = await fetch(`${fakes.urls.trakrf}/__health`);',
        'const body = (await res.json()) as { vendors: string[] };',
        "console.log(res.status, body.vendors.join(','), typeof Suite);",
        'await fakes.close();',
        '// @ts-expect-error: startFakes takes an options object',
        "void (() => startFakes('trakrf'));",
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'out', types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] },
        files: ['check.ts'],
      }),
    );
    sh(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', consumer]);
    expect(sh(process.execPath, ['out/check.js'], { cwd: consumer }).trim()).toBe('200 trakrf function');
  }, 90_000); // a whole tsc run over the installed package's declarations
});
