/**
 * Property tests are reproducible: fast-check draws from a fixed seed, so CI runs the same cases every time.
 * Explore other cases with FC_SEED=<n> npm test (a failure prints the seed and path to replay it).
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122) });

// Test runs start many CLIs side by side: their web consoles take free ports, not the default 4000.
process.env.VENDOR_FAKES_CONSOLE_PORT ??= '0';
