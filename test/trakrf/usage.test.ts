/** TrakRF's own settings: a bad value is a UsageError (a CLI/config mistake), not a FixtureError. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/vendor.js';
import { Suite } from '../../src/suite.js';

describe('TrakRF settings', () => {
  it('--trakrf-history-retention-days out of range is a UsageError naming the flag', () => {
    for (const days of [0, -1, 36_501]) {
      const start = () => new Suite({ vendors: ['trakrf'], seed: 42, config: { trakrf: { historyRetentionDays: days } } }).app('trakrf');
      expect(start).toThrow(UsageError);
      expect(start).toThrow('--trakrf-history-retention-days must be a number of days above 0 and at most 36500');
    }
  });
});
