/** App-CorrelationID: the table-formatted ID (http.ts) is the UUID Rng.uuid draws from the same stream. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { uuidFrom } from '../../src/vendors/machhub/http.js';

describe('machhub correlation IDs', () => {
  it('format the same 16 bytes exactly as Rng.uuid does', () => {
    const a = new Rng(42).fork('correlation-ids');
    const b = new Rng(42).fork('correlation-ids');
    for (let i = 0; i < 2000; i++) expect(uuidFrom(a.bytes(16))).toBe(b.uuid());
  });
});
