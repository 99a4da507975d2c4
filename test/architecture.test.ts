/** The layering rules of docs/architecture.md, checked on the source tree. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const vendors = readdirSync(join(SRC, 'vendors')).filter((n) => statSync(join(SRC, 'vendors', n)).isDirectory());

describe('layering (docs/architecture.md)', () => {
  it('finds the four vendors', () => {
    expect(vendors.sort()).toEqual(['machhub', 'maintainx', 'maxtrax', 'trakrf']);
  });

  it('core imports no vendor', () => {
    const bad = files(join(SRC, 'core')).flatMap((f) => imports(f).filter((i) => i.includes('/vendors/')).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('no vendor imports another vendor', () => {
    const bad = vendors.flatMap((v) =>
      files(join(SRC, 'vendors', v)).flatMap((f) =>
        imports(f)
          .filter((i) => vendors.some((other) => other !== v && (i.includes(`/vendors/${other}/`) || i.startsWith(`../${other}/`) || i.startsWith(`../../${other}/`))))
          .map((i) => `${relative(ROOT, f)} → ${i}`),
      ),
    );
    expect(bad).toEqual([]);
  });

  it('stores and operations never import Hono', () => {
    const layered = vendors.flatMap((v) => files(join(SRC, 'vendors', v)).filter((f) => /\/(store|ops)(\/|\.ts$)/.test(relative(SRC, f))));
    expect(layered.length).toBeGreaterThanOrEqual(vendors.length);
    const bad = layered.flatMap((f) => imports(f).filter((i) => i === 'hono' || i.startsWith('hono/')).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(bad).toEqual([]);
  });

  it.each(vendors)('%s: no SQL or transaction under routes/', (v) => {
    const routes = files(join(SRC, 'vendors', v, 'routes'));
    expect(routes.length).toBeGreaterThan(0);
    const bad = routes.filter((f) => /json_extract|prepare\(|transaction\(|\bdb\./.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });

  it.each(vendors)('%s: SQL only under store/ and in schema.ts', (v) => {
    const dir = join(SRC, 'vendors', v);
    const outside = files(dir).filter((f) => !relative(dir, f).startsWith('store/') && relative(dir, f) !== 'schema.ts');
    const bad = outside.filter((f) => /json_extract|json_set|\.prepare\(|\.exec\(`|\bdb\.exec\(|['"`]\s*(SELECT\s|INSERT\s+INTO\s|DELETE\s+FROM\s|UPDATE\s+\w+\s+SET\s)/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });

  it.each(vendors)('%s: every role of a vendor folder is there', (v) => {
    const dir = join(SRC, 'vendors', v);
    const has = (name: string) => {
      try {
        statSync(join(dir, name));
        return true;
      } catch {
        return false;
      }
    };
    const roles = ['index.ts', 'http.ts', 'routes', 'ops', 'store/index.ts', 'errors.ts', 'seed.ts', 'admin.ts', 'schema.ts', 'console.ts', 'sandbox.ts'];
    expect(roles.filter((r) => !has(r))).toEqual([]);
    expect(has('views.ts') || has('views')).toBe(true);
    expect(has('store.ts')).toBe(false);
  });
});
