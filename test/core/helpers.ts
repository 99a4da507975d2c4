import { Clock } from '../../src/core/clock.js';

/** A clock frozen at 2023-11-14T22:13:20Z. */
export const frozen = (): Clock => {
  const c = new Clock(() => 1_700_000_000_000);
  c.freeze(true);
  return c;
};
