/** Bad flags, environment variables, config-file settings and options are UsageErrors; bad fixtures stay FixtureErrors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli, resolveCli } from '../../src/cli.js';
import { FixtureError, UsageError } from '../../src/core/vendor.js';
import { Suite } from '../../src/suite.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('UsageError', () => {
  it('command line, environment and --config mistakes', () => {
    for (const argv of [['--bogus'], ['stray'], ['--trakrf-port'], ['--trakrf-port', '70000'], ['--admin-token', ' '], ['--maintainx-rate-limit', 'maybe']]) {
      expect(thrown(() => parseCli(argv)), argv.join(' ')).toBeInstanceOf(UsageError);
    }
    const env = thrown(() => resolveCli([], { VENDOR_FAKES_TRAKRF_PORT: 'x' }));
    expect(env).toBeInstanceOf(UsageError);
    expect(env.message).toMatch(/^VENDOR_FAKES_TRAKRF_PORT /);
    const file = join(mkdtempSync(join(tmpdir(), 'vf-usage-')), 'c.json');
    writeFileSync(file, '{"nope": 1}');
    expect(thrown(() => resolveCli(['--config', file]))).toBeInstanceOf(UsageError);
  });

  it('programmatic options: an unknown vendor or option, a bad option value, a bad --import dir', () => {
    expect(thrown(() => new Suite({ vendors: ['nope'] }))).toBeInstanceOf(UsageError);
    expect(thrown(() => new Suite({ vendors: ['maintainx'], config: { maintainx: { nope: 1 } } }))).toBeInstanceOf(UsageError);
    expect(thrown(() => new Suite({ vendors: ['maintainx'], config: { maintainx: { rateLimit: 'maybe' } } }))).toBeInstanceOf(UsageError);
    expect(thrown(() => new Suite({ vendors: ['maintainx'], importDir: '/nonexistent-dir' }))).toBeInstanceOf(UsageError);
  });

  it('a bad fixtures document is still a FixtureError, not a UsageError', () => {
    const e = thrown(() => new Suite({ vendors: ['maintainx'], fixtures: { maintainx: { nonsense: true } } }));
    expect(e).toBeInstanceOf(FixtureError);
    expect(e).not.toBeInstanceOf(UsageError);
  });
});
