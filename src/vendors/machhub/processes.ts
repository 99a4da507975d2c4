/**
 * The registry of demo processes. MACHHUB runs user Python/TypeScript; the fake runs a small set of built-in
 * handlers named by each fixture process (`handler`), and returns the handler's value raw, as MACHHUB does.
 */
import { err } from './errors.js';
import { parseDuration } from './historian.js';
import type { Records } from './store/records.js';
import { tableName } from './store/records.js';
import type { Store } from './store/index.js';

export interface ProcessEnv {
  store: Store;
  records: Records;
  domainId: string;
  domainName: string;
  nowMs: number;
}

export type ProcessHandler = (env: ProcessEnv, config: Record<string, unknown>, input: Record<string, unknown>) => unknown;

export const PROCESS_HANDLERS: Record<string, ProcessHandler> = {
  /** Average of a historized topic over `input.window` (default config.window or 1h) ending now. */
  historian_average(env, config, input) {
    const topic = typeof input.topic === 'string' ? input.topic : String(config.topic ?? '');
    const windowRaw = typeof input.window === 'string' ? input.window : String(config.window ?? '1h');
    const ms = parseDuration(windowRaw);
    if (ms === null) throw err.badRequest(`invalid window: ${windowRaw}`);
    const points = env.store.tags.points(env.domainId, topic, env.nowMs - ms, env.nowMs + 1);
    const nums = points.map((p) => JSON.parse(p.value)).filter((v): v is number => typeof v === 'number');
    const average = nums.length ? Math.round((nums.reduce((a, b) => a + b, 0) / nums.length) * 1000) / 1000 : null;
    return { topic, window: windowRaw, count: nums.length, average };
  },
  /** Returns its input. */
  echo(_env, _config, input) {
    return input;
  },
  /** Counts the records of config.collection, optionally those with `status` = input.status. */
  record_count(env, config, input) {
    const collection = String(config.collection ?? '');
    const and =
      typeof input.status === 'string'
        ? [{ path: ['status'], op: 'eq' as const, value: input.status, param: 'status' }]
        : [];
    return { collection, count: env.records.count(tableName(env.domainName, collection), { and, or: [] }) };
  },
};

export const TRIGGER_TYPES = ['tag_change', 'interval', 'cron', 'http', 'manual'] as const;
