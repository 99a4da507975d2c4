/** Rng.uuid (request and correlation ids of every vendor): the RFC 4122 v4 hex form of the 16 bytes it draws. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

/** The reference formatting: version and variant bits set, hex through Buffer, dashes at 8-4-4-4-12. */
function reference(b: Uint8Array): string {
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

describe('Rng.uuid', () => {
  it('formats the 16 bytes drawn from the same stream exactly as the reference does', () => {
    const a = new Rng(42).fork('correlation-ids');
    const b = new Rng(42).fork('correlation-ids');
    for (let i = 0; i < 2000; i++) expect(a.uuid()).toBe(reference(b.bytes(16)));
  });
});
