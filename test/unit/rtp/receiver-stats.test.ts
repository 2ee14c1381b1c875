import { describe, expect, it } from 'vitest';
import { ReceiverStatistics } from '../../../src/rtp/receiver-stats.js';

describe('ReceiverStatistics', () => {
  it('computes RFC 3550 A.8 jitter as worked by hand', () => {
    // 8 kHz audio, 20 ms packets (160 ticks). Packet 3 arrives 10 ms (80 ticks) late.
    const stats = new ReceiverStatistics(8000);
    stats.onPacket(0, 0, 0);
    stats.onPacket(1, 160, 20);
    stats.onPacket(2, 320, 40);
    expect(stats.jitter).toBe(0);
    stats.onPacket(3, 480, 70); // transit 560 - 480 = 80: D = 80, J = 0 + (80 - 0) / 16 = 5
    expect(stats.jitter).toBe(5);
    stats.onPacket(4, 640, 80); // transit back to 0: D = 80, J = 5 + (80 - 5) / 16 = 9.6875
    expect(stats.jitter).toBe(9.6875);
    expect(stats.jitterMs).toBeCloseTo(9.6875 / 8, 10);
  });

  it('reports A.3 loss: cumulative, and fraction per interval', () => {
    const stats = new ReceiverStatistics(90000);
    expect(stats.reportBlock(5, 0)).toBeUndefined();
    for (const seq of [100, 101, 103, 104]) stats.onPacket(seq, 0, 0);
    expect(stats.reportBlock(5, 0)).toMatchObject({
      ssrc: 5,
      fractionLost: 51,
      cumulativeLost: 1,
      highestSeq: 104,
    }); // 1/5 × 256
    for (const seq of [105, 106]) stats.onPacket(seq, 0, 0);
    expect(stats.reportBlock(5, 0)).toMatchObject({
      fractionLost: 0,
      cumulativeLost: 1,
      highestSeq: 106,
    });
    stats.onPacket(106, 0, 0); // a duplicate counts as received (A.3)
    stats.onPacket(106, 0, 0);
    expect(stats.reportBlock(5, 0)).toMatchObject({ fractionLost: 0, cumulativeLost: -1 });
    expect([stats.expected, stats.received]).toEqual([7, 8]);
  });

  it('extends the highest sequence number across the 16-bit wrap', () => {
    const stats = new ReceiverStatistics(90000);
    for (const seq of [65534, 65535, 0, 65533, 1]) stats.onPacket(seq, 0, 0);
    expect(stats.reportBlock(1, 0)).toMatchObject({ highestSeq: 0x10001, cumulativeLost: -1 });
  });

  it('echoes the last SR as LSR with DLSR in 1/65536 s', () => {
    const stats = new ReceiverStatistics(90000);
    stats.onPacket(1, 0, 0);
    expect(stats.reportBlock(1, 0)).toMatchObject({ lsr: 0, dlsr: 0 });
    stats.onSenderReport(0xe90b8f80, 0x80000000, 1000);
    expect(stats.reportBlock(1, 1500)).toMatchObject({ lsr: 0x8f808000, dlsr: 32768 });
  });

  it('starts counting over after a sequence restart', () => {
    const stats = new ReceiverStatistics(90000);
    for (const seq of [1, 2, 4]) stats.onPacket(seq, 0, 0);
    stats.restartSequence();
    for (const seq of [30000, 30001]) stats.onPacket(seq, 0, 0);
    expect(stats.reportBlock(1, 0)).toMatchObject({
      cumulativeLost: 0,
      fractionLost: 0,
      highestSeq: 30001,
    });
  });
});
