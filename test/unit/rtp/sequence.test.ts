import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff } from '../../../src/rtp/sequence.js';

describe('16-bit sequence arithmetic', () => {
  it('takes the short way round the wrap', () => {
    expect(seqDiff(0, 65535)).toBe(1);
    expect(seqDiff(65535, 0)).toBe(-1);
    expect(seqDiff(10, 5)).toBe(5);
    expect(seqDiff(0x8000, 0)).toBe(-0x8000);
    expect(seqAdd(65535, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(65535);
  });

  it('seqDiff inverts seqAdd for steps under half the space (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: -0x8000, max: 0x7fff }),
        (seq, step) => {
          const moved = seqAdd(seq, step);
          expect(moved).toBeGreaterThanOrEqual(0);
          expect(moved).toBeLessThanOrEqual(0xffff);
          expect(seqDiff(moved, seq)).toBe(step);
        },
      ),
      { numRuns: 500 },
    );
  });
});
