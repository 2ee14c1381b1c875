import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMsToNtp, ntpToEpochMs } from '../../../src/rtp/ntp.js';

describe('NTP timestamps', () => {
  it('converts known instants', () => {
    expect(ntpToEpochMs(2_208_988_800, 0)).toBe(0); // the Unix epoch
    expect(ntpToEpochMs(0xe90b8f80, 0x80000000)).toBe(1_700_860_160_500);
    expect(epochMsToNtp(1_700_860_160_500)).toEqual([0xe90b8f80, 0x80000000]);
  });

  it('reads era 1 (after 2036-02-07) from a small high word (RFC 4330 §3)', () => {
    const eraStartMs = (2 ** 32 - 2_208_988_800) * 1000;
    expect(ntpToEpochMs(0, 0)).toBe(eraStartMs);
    expect(epochMsToNtp(eraStartMs + 1500)).toEqual([1, 0x80000000]);
  });

  it('round-trips epoch ms within a microsecond (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4e12, noNaN: true }), (ms) => {
        const [msw, lsw] = epochMsToNtp(ms);
        expect(Number.isInteger(msw) && msw >= 0 && msw < 2 ** 32).toBe(true);
        expect(Number.isInteger(lsw) && lsw >= 0 && lsw < 2 ** 32).toBe(true);
        expect(Math.abs(ntpToEpochMs(msw, lsw) - ms)).toBeLessThan(0.001);
      }),
      { numRuns: 500 },
    );
  });
});
