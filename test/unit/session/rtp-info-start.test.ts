import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuirkName } from '../../../src/session/quirks.js';
import { RtpInfoStart, type RtpInfoAnchor } from '../../../src/session/rtp-info-start.js';

const CLOCK = 90_000;

function starter(anchor: Partial<RtpInfoAnchor> | undefined) {
  const start = new RtpInfoStart();
  if (anchor !== undefined)
    start.anchor({
      seq: undefined,
      rtptime: undefined,
      zeroSeqIgnored: false,
      sharedOrigin: true,
      ...anchor,
    });
  const reports: [QuirkName, string][] = [];
  const begin = (seq: number, timestamp = 0): boolean =>
    start.begin(seq, timestamp, CLOCK, (quirk, detail) => reports.push([quirk, detail]));
  return { start, begin, reports };
}

describe('RtpInfoStart', () => {
  it('starts with the first packet when there is no anchor', () => {
    const { start, begin } = starter(undefined);
    expect(begin(1234)).toBe(true);
    expect(start).toMatchObject({ started: true, stalePackets: 0, lostBefore: 0 });
  });

  it('drops packets before seq, across the 16-bit wrap, then starts at seq', () => {
    const { start, begin } = starter({ seq: 2, rtptime: 1000 });
    expect([65534, 65535, 0, 1].map((seq) => begin(seq, 1000))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(begin(2, 1000)).toBe(true);
    expect(start).toMatchObject({ started: true, stalePackets: 4, lostBefore: 0 });
  });

  it('counts packets between seq and the first one received as lost', () => {
    const { start, begin } = starter({ seq: 65530 });
    expect(begin(4)).toBe(true);
    expect(start.lostBefore).toBe(10);
  });

  it('does not use a seq or rtptime far from the first packet, and says why', () => {
    const farSeq = starter({ seq: 1000 });
    expect(farSeq.begin(5000)).toBe(true);
    expect(farSeq.start.lostBefore).toBe(0);
    expect(farSeq.reports).toEqual([
      [
        'ignoreRtpInfo',
        "RTP-Info seq=1000 is 4000 packets from the first packet's seq 5000: RTP-Info not used",
      ],
    ]);
    const farTime = starter({ seq: 10, rtptime: 0xffff_ff00 });
    expect(farTime.begin(5, 11 * CLOCK)).toBe(true);
    expect(farTime.start.stalePackets).toBe(0);
    expect(farTime.reports[0]?.[1]).toMatch(/^RTP-Info rtptime=4294967040 is 11\.0 s from/);
  });

  it('reports a seq=0 that was left out only when the stream does not start at 0', () => {
    const zero = starter({ zeroSeqIgnored: true });
    expect(zero.begin(0)).toBe(true);
    expect(zero.reports).toEqual([]);
    const nonZero = starter({ zeroSeqIgnored: true });
    expect(nonZero.begin(77)).toBe(true);
    expect(nonZero.reports).toEqual([
      ['ignoreZeroRtpInfoSeq', 'RTP-Info seq=0 but the first packet has seq 77: seq not used'],
    ]);
  });

  it('takes rtptime as the pts origin only when it is shared by every track', () => {
    const shared = starter({ seq: 2, rtptime: 1000 });
    shared.begin(2, 1000);
    expect(shared.start.rtptimeOrigin).toBe(1000);
    const alone = starter({ seq: 2, rtptime: 1000, sharedOrigin: false });
    alone.begin(2, 1000);
    expect(alone.start.rtptimeOrigin).toBeUndefined();
  });

  it('ignores an anchor that comes after the first packet', () => {
    const start = new RtpInfoStart();
    start.begin(10, 0, CLOCK, () => {});
    start.anchor({ seq: 20, rtptime: undefined, zeroSeqIgnored: false, sharedOrigin: true });
    expect(start).toMatchObject({ started: true, stalePackets: 0, lostBefore: 0 });
  });

  it('drops at most 256 packets, whatever the anchor and the stream (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        (anchor, first) => {
          const { start, begin } = starter({ seq: anchor });
          let seq = first;
          while (!begin(seq)) seq = (seq + 1) & 0xffff;
          expect(start.stalePackets).toBeLessThanOrEqual(256);
          expect(start.lostBefore).toBeLessThanOrEqual(256);
        },
      ),
      { numRuns: 200 },
    );
  });
});
