/** openapi/trakrf.json: what the fake serves, and the single source of each operation's required scopes. */
import { readFileSync } from 'node:fs';

const SPEC_URL = new URL('../../../openapi/trakrf.json', import.meta.url);

type Operation = { operationId?: string; 'x-required-scopes'?: string[] };
export const spec = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

export const specJson = JSON.stringify(spec, null, 2) + '\n';
let yamlText: string | undefined;
/** The YAML form, rendered on first request (keeps the yaml module off the start-up path). */
export const specYaml = async (): Promise<string> => (yamlText ??= (await import('yaml')).stringify(spec));

/** operationId → x-required-scopes. */
const requiredScopes = new Map<string, string[]>();
for (const ops of Object.values(spec.paths)) {
  for (const op of Object.values(ops)) {
    if (op && typeof op === 'object' && op.operationId) requiredScopes.set(op.operationId, op['x-required-scopes'] ?? []);
  }
}

export function scopesFor(operationId: string): string[] {
  const s = requiredScopes.get(operationId);
  if (!s) throw new Error(`operation ${operationId} is not in openapi/trakrf.json`);
  return s;
}
