/** Requests (the journal), faults and snapshots pages. */
import type { Hono } from 'hono';
import type { Suite } from '../suite.js';
import type { ConsoleEnv } from './index.js';

export function registerOperations(app: Hono<ConsoleEnv>, suite: Suite): void {
  void app;
  void suite;
}
