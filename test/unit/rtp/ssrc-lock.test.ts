import { describe, expect, it } from 'vitest';
import { SSRC_SWITCH_PACKETS, SsrcLock } from '../../../src/rtp/ssrc-lock.js';

describe('SsrcLock', () => {
  it('locks on the first SSRC, or on the expected one', () => {
    const lock = new SsrcLock<number>();
    expect(lock.ssrc).toBeUndefined();
    expect(lock.isOurs(7)).toBe(true);
    expect(lock.isOurs(8)).toBe(false);
    expect(lock.ssrc).toBe(7);
    const expected = new SsrcLock<number>(0xdeadbeef);
    expect(expected.isOurs(7)).toBe(false);
    expect(expected.isOurs(0xdeadbeef)).toBe(true);
  });

  it(`follows another SSRC after ${SSRC_SWITCH_PACKETS} packets in a row, handing back the held run`, () => {
    const lock = new SsrcLock<number>(1);
    for (let i = 0; i < SSRC_SWITCH_PACKETS - 1; i++) expect(lock.holdOther(2, i)).toBeUndefined();
    expect(lock.holdOther(2, 99)).toEqual([0, 1, 2, 3, 4, 5, 6, 99]);
    expect(lock.ssrc).toBe(2);
    expect(lock.isOurs(2)).toBe(true);
  });

  it('starts the run over when ours speaks or a third SSRC interleaves', () => {
    const lock = new SsrcLock<number>(1, 3);
    lock.holdOther(2, 0);
    lock.holdOther(2, 1);
    expect(lock.isOurs(1)).toBe(true);
    expect(lock.holdOther(2, 2)).toBeUndefined();
    expect(lock.holdOther(3, 3)).toBeUndefined();
    expect(lock.holdOther(2, 4)).toBeUndefined();
    expect(lock.holdOther(2, 5)).toBeUndefined();
    expect(lock.holdOther(2, 6)).toEqual([4, 5, 6]);
  });
});
