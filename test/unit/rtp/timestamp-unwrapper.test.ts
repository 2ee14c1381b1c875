import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimestampUnwrapper } from '../../../src/rtp/timestamp-unwrapper.js';

describe('TimestampUnwrapper', () => {
  it('carries a wrap forward: 2^32-1 → 0 → 3000', () => {
    const unwrapper = new TimestampUnwrapper();
    expect(unwrapper.unwrap(0xffffffff)).toBe(0xffffffff);
    expect(unwrapper.unwrap(0)).toBe(2 ** 32);
    expect(unwrapper.unwrap(3000)).toBe(2 ** 32 + 3000);
  });

  it('steps back for B-frames across a wrap without a false wrap', () => {
    const unwrapper = new TimestampUnwrapper();
    unwrapper.unwrap(0xffffff00);
    expect(unwrapper.unwrap(0x00000a00)).toBe(2 ** 32 + 0xa00);
    expect(unwrapper.unwrap(0xfffffe00)).toBe(0xfffffe00); // back 3072 ticks, before the wrap
    expect(unwrapper.unwrap(0x00001000)).toBe(2 ** 32 + 0x1000);
  });

  it('peeks without moving, and rebases a new source onto the old timeline', () => {
    const unwrapper = new TimestampUnwrapper();
    expect(unwrapper.peek(7)).toBe(7);
    unwrapper.unwrap(0xfffffff0);
    expect(unwrapper.peek(0x10)).toBe(2 ** 32 + 0x10);
    expect(unwrapper.last).toBe(0xfffffff0);
    unwrapper.rebase(123, 5_000_000_000);
    expect(unwrapper.unwrap(123 + 90)).toBe(5_000_000_090);
  });

  it('reproduces any walk of steps under 2^31 from its 32-bit residues (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }), { maxLength: 50 }),
        (start, steps) => {
          const unwrapper = new TimestampUnwrapper();
          let truth = start;
          expect(unwrapper.unwrap(start)).toBe(start);
          for (const step of steps) {
            truth += step;
            expect(unwrapper.unwrap(((truth % 2 ** 32) + 2 ** 32) % 2 ** 32)).toBe(truth);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
