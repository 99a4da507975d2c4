/** Loading fixture documents (`fixtures/<vendor>.json`, or `--fixtures DIR`). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FixtureError } from './vendor.js';

/** The project's own fixtures folder (works from src/core and from dist/core). */
export const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function loadFixtureFile(vendor: string, dir = DEFAULT_FIXTURES_DIR): unknown {
  const file = join(dir, `${vendor}.json`);
  if (!existsSync(file)) {
    if (dir !== DEFAULT_FIXTURES_DIR) return loadFixtureFile(vendor, DEFAULT_FIXTURES_DIR);
    throw new FixtureError(`${file}: fixture file not found`);
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FixtureError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** Small assertion helpers for parseFixtures implementations: each throws a FixtureError naming the path. */
export const fx = {
  object(v: unknown, path: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FixtureError(`${path} must be an object`);
    return v as Record<string, unknown>;
  },
  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) throw new FixtureError(`${path} must be an array`);
    return v;
  },
  string(v: unknown, path: string): string {
    if (typeof v !== 'string' || v === '') throw new FixtureError(`${path} must be a non-empty string`);
    return v;
  },
  int(v: unknown, path: string, min = 0): number {
    if (!Number.isInteger(v) || (v as number) < min) throw new FixtureError(`${path} must be an integer ≥ ${min}`);
    return v as number;
  },
  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') throw new FixtureError(`${path} must be a boolean`);
    return v;
  },
  stringArray(v: unknown, path: string): string[] {
    return fx.array(v, path).map((s, i) => fx.string(s, `${path}[${i}]`));
  },
};
