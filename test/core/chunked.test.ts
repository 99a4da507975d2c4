import { describe, expect, it } from 'vitest';
import { inChunks } from '../../src/core/chunked.js';

describe('inChunks', () => {
  it('covers every unit once, in order, in pieces of at most chunk', async () => {
    const pieces: Array<[number, number]> = [];
    await inChunks(10, 4, (a, b) => pieces.push([a, b]));
    expect(pieces).toEqual([[0, 4], [4, 8], [8, 10]]);
    await inChunks(0, 4, () => pieces.push([-1, -1]));
    expect(pieces).toHaveLength(3);
  });

  it('lets timers and I/O run between pieces', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other'));
    await inChunks(3, 1, (a) => order.push(`piece ${a}`));
    expect(order.indexOf('other')).toBeGreaterThan(0);
    expect(order.indexOf('other')).toBeLessThan(3);
  });
});
