/**
 * Reading a Dockerfile and its build context without a Docker engine: instructions per stage, and the files a build
 * sends (the .dockerignore rules as Docker applies them: last matching pattern wins, a match on a parent directory
 * counts, `!` re-includes).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  line: number;
  op: string;
  /** The text after the instruction and its --flags. */
  args: string;
  /** Exec form (`["node", "x"]`) parsed; undefined for the shell form. */
  exec?: string[];
  flags: Record<string, string>;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let joined = lines[i];
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) joined = joined.replace(/\\\s*$/, ' ') + lines[++i].trim();
    const t = joined.trim();
    if (t === '' || t.startsWith('#')) continue;
    const [, opRaw, rest0] = /^(\S+)\s*(.*)$/.exec(t)!;
    const op = opRaw.toUpperCase();
    let rest = rest0;
    const flags: Record<string, string> = {};
    for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
      flags[m[1]] = m[2];
      rest = rest.slice(m[0].length);
    }
    let exec: string[] | undefined;
    const execText = op === 'HEALTHCHECK' ? rest.replace(/^CMD\s+/, '') : rest;
    if (execText.startsWith('[')) exec = JSON.parse(execText) as string[];
    if (op === 'FROM') {
      const [from, as, name] = rest.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    if (!stages.length) throw new Error(`Dockerfile:${line}: ${op} before FROM`);
    stages.at(-1)!.instructions.push({ line, op, args: rest, exec, flags });
  }
  return stages;
}

/** `ENV A=1 B="two words"` → { A: '1', B: 'two words' } (also the legacy `ENV A 1`). */
export function parseEnv(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!/^\S+=/.test(args)) {
    const [k, ...v] = args.split(/\s+/);
    out[k] = v.join(' ');
    return out;
  }
  for (const m of args.matchAll(/(\w+)=("([^"]*)"|'([^']*)'|\S*)/g)) out[m[1]] = m[3] ?? m[4] ?? m[2];
  return out;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface IgnoreRule {
  negate: boolean;
  source: string;
  re: RegExp;
}

export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const source = (negate ? l.slice(1) : l).trim().replace(/^\.?\//, '').replace(/\/+$/, '');
      return { negate, source, re: globToRegExp(source) };
    });
}

/** True when `path` (relative, with /) is left out of the context. */
export function ignored(rules: IgnoreRule[], path: string): boolean {
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let out = false;
  for (const r of rules) if (prefixes.some((p) => r.re.test(p))) out = !r.negate;
  return out;
}

/** Every file the build context sends, relative to `root`. */
export function contextFiles(root: string, rules: IgnoreRule[]): string[] {
  const out: string[] = [];
  // An excluded directory is entered only when a `!` rule could re-include something inside it.
  const mayReinclude = (dir: string) => rules.some((r) => r.negate && (r.source.startsWith(dir + '/') || r.source.includes('**')));
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      const isDir = statSync(join(root, path)).isDirectory();
      const out_ = ignored(rules, path);
      if (isDir) {
        if (!out_ || mayReinclude(path)) walk(path);
      } else if (!out_) out.push(path);
    }
  };
  walk('');
  return out.sort();
}
