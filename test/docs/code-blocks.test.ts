/**
 * The README and docs/ are tested: every ts/js block type-checks (one program, each block its own module, so a
 * `declare module` in one block serves the others), and every sh block that calls the fakes runs with bash against a
 * started suite (default ports rewritten to the free ones, curl failing on HTTP errors). A block opts out with an
 * info word: ```` ```ts fragment ```` (not a whole module) or ```` ```sh norun ```` (needs Docker or starts its own
 * server). Each block is one test named by file and line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { startFakes, type RunningFakes } from '../../src/index.js';
import { vendors } from '../../src/vendors/index.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface Block {
  file: string;
  line: number;
  lang: string;
  words: string[];
  code: string;
}

function blocks(file: string): Block[] {
  const out: Block[] = [];
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(\w*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i]);
    out.push({ file, line: start + 1, lang: open[1].toLowerCase(), words: open[2].split(/\s+/).filter(Boolean), code: body.join('\n') });
  }
  return out;
}

const docs = ['README.md', ...readdirSync(join(REPO, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const all = docs.flatMap(blocks);
const name = (b: Block) => `${b.file}:${b.line} (${b.lang}${b.words.length ? ' ' + b.words.join(' ') : ''})`;

const TS = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
const SH = new Set(['sh', 'bash', 'shell']);
const typed = all.filter((b) => TS.has(b.lang) && !b.words.includes('fragment'));
const DEFAULT_PORT = /\b(localhost|127\.0\.0\.1|[a-z0-9-]+\.maxtrax\.localhost):(4100|4200|4300|4400)\b/g;
const callsFakes = (b: Block) => /\bcurl\b/.test(b.code) && (DEFAULT_PORT.test(b.code) || b.code.includes('/__admin'));
const runnable = all.filter((b) => SH.has(b.lang) && !b.words.includes('norun') && callsFakes(b));

/** The `testcontainers` API the README uses, declared here only when the package is not installed. */
const TESTCONTAINERS_SHIM = `declare module 'testcontainers' {
  export interface WaitStrategy {}
  export interface HttpWaitStrategy extends WaitStrategy { forStatusCode(statusCode: number): HttpWaitStrategy }
  export const Wait: { forHttp(path: string, port: number): HttpWaitStrategy; forListeningPorts(): WaitStrategy };
  export interface StartedTestContainer { getHost(): string; getMappedPort(port: number): number; stop(): Promise<unknown> }
  export class GenericContainer {
    constructor(image: string);
    withCommand(command: string[]): this;
    withEnvironment(environment: Record<string, string>): this;
    withExposedPorts(...ports: number[]): this;
    withWaitStrategy(waitStrategy: WaitStrategy): this;
    start(): Promise<StartedTestContainer>;
  }
}`;

describe('ts/js code blocks type-check', () => {
  const diagnostics = new Map<string, string[]>();
  const fileOf = (b: Block) => join(REPO, 'test/docs/__blocks__', `${b.file.replace(/[^\w]/g, '_')}_L${b.line}.${b.lang === 'ts' || b.lang === 'typescript' ? 'mts' : 'mjs'}`);

  beforeAll(() => {
    const virtual = new Map(typed.map((b) => [fileOf(b), b.code]));
    let hasTestcontainers = true;
    try {
      createRequire(join(REPO, 'package.json')).resolve('testcontainers');
    } catch {
      hasTestcontainers = false;
    }
    if (!hasTestcontainers) virtual.set(join(REPO, 'test/docs/__blocks__/testcontainers.d.ts'), TESTCONTAINERS_SHIM);
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: true,
      types: ['node'],
      baseUrl: REPO,
      // The package by its name, as a user imports it (its sources stand in for dist/).
      paths: { 'vendor-fakes': ['src/index.ts'], 'vendor-fakes/admin': ['src/admin-client.ts'] },
    };
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
    host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, ...rest) =>
      virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!, lang, true) : getSourceFile.call(host, f, lang, ...rest);
    const program = ts.createProgram([...virtual.keys()], options, host);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const f = d.file?.fileName ?? '';
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      const list = diagnostics.get(f) ?? [];
      list.push(`block line ${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      diagnostics.set(f, list);
    }
  }, 120_000);

  it('finds the blocks', () => expect(typed.length).toBeGreaterThan(3));

  it.each(typed.map((b) => [name(b), b] as const))('%s', (_, b) => {
    const errors = diagnostics.get(fileOf(b)) ?? [];
    expect(errors, `${name(b)} does not type-check:\n${errors.join('\n')}\n--- block ---\n${b.code}`).toEqual([]);
  });
});

describe('sh blocks that call the fakes run against a started suite', () => {
  let fakes: RunningFakes;
  let curlHome: string;
  beforeAll(async () => {
    fakes = await startFakes({ seed: 42 });
    curlHome = mkdtempSync(join(tmpdir(), 'vf-docs-curl-'));
    // curl exits non-zero on an HTTP error (the body still shows), and never waits long.
    writeFileSync(join(curlHome, '.curlrc'), 'fail-with-body\nmax-time = 10\nshow-error\n');
  });
  afterAll(async () => {
    await fakes?.close();
    rmSync(curlHome, { recursive: true, force: true });
  });

  it('opt-outs are only for blocks that need Docker or start a server of their own', () => {
    for (const b of all.filter((x) => SH.has(x.lang) && x.words.includes('norun'))) {
      expect(b.code, name(b)).toMatch(/\bdocker\b|\bnpx vendor-fakes\b|\bnpm (start|ci)\b/);
    }
  });

  it.each(runnable.map((b) => [name(b), b] as const))('%s', async (_, b) => {
    fakes.suite.reset();
    const byPort = new Map(vendors.map((v) => [String(v.defaultPort), fakes.listeners.find((l) => l.vendor === v.name && !l.tenant)!.port]));
    const script = b.code.replace(DEFAULT_PORT, (_m, host: string, port: string) => `${host}:${byPort.get(port)}`);
    // Asynchronously: the suite answers from this process.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string; signal?: string }>((resolve) => {
      execFile('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, CURL_HOME: curlHome } }, (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, signal: err?.signal ?? undefined, stdout, stderr }),
      );
    });
    expect(r.status, `${name(b)} failed (exit ${r.status ?? r.signal}):\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}\n--- script ---\n${script}`).toBe(0);
  });
});
