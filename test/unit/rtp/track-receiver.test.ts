import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';
import { epochMsToNtp } from '../../../src/rtp/ntp.js';
import { parseRtpPacket, serializeRtpPacket } from '../../../src/rtp/packet.js';
import {
  concatRtcp,
  parseRtcpCompound,
  serializeBye,
  serializeSdes,
  serializeSenderReport,
} from '../../../src/rtp/rtcp.js';
import { seqAdd } from '../../../src/rtp/sequence.js';
import {
  RtpTrackReceiver,
  type ReceivedPacket,
  type RtpTrackReceiverOptions,
} from '../../../src/rtp/track-receiver.js';

const SSRC = 0x11223344;
const WALL = 1_700_000_000_000;

function rtp(
  seq: number,
  timestamp: number,
  options: { ssrc?: number; payloadType?: number; bytes?: number } = {},
): Uint8Array {
  const payload = new Uint8Array(options.bytes ?? 10).fill(seq & 0xff);
  return serializeRtpPacket(
    {
      marker: false,
      payloadType: options.payloadType ?? 96,
      sequenceNumber: seq,
      timestamp,
      ssrc: options.ssrc ?? SSRC,
    },
    payload,
  );
}

function receiver(options: Partial<RtpTrackReceiverOptions> = {}): RtpTrackReceiver {
  return new RtpTrackReceiver({
    clockRate: 90000,
    payloadType: 96,
    reorder: true,
    localSsrc: 0xabcdef01,
    cname: 'test@rtspkit',
    ...options,
  });
}

function pullAll(track: RtpTrackReceiver, nowMs: number): ReceivedPacket[] {
  const out: ReceivedPacket[] = [];
  for (let p = track.pull(nowMs); p !== undefined; p = track.pull(nowMs)) out.push(p);
  return out;
}

const seqAndLost = (packets: ReceivedPacket[]): [number, number][] =>
  packets.map((p) => [p.media.sequenceNumber, p.media.lost]);

describe('RtpTrackReceiver', () => {
  it('passes packets through with unwrapped timestamps and counts them', () => {
    const track = receiver({ firstSequence: 65535 });
    expect(track.pushRtp(rtp(65535, 0xffffff00), 0, WALL)).toBe(true);
    expect(track.pushRtp(rtp(0, 0x00000e10, { bytes: 20 }), 40, WALL + 40)).toBe(true);
    const packets = pullAll(track, 40);
    expect(packets.map((p) => p.media)).toEqual([
      {
        sequenceNumber: 65535,
        timestamp: 0xffffff00,
        marker: false,
        payload: expect.any(Uint8Array),
        receivedAt: WALL,
        lost: 0,
      },
      {
        sequenceNumber: 0,
        timestamp: 2 ** 32 + 0xe10,
        marker: false,
        payload: expect.any(Uint8Array),
        receivedAt: WALL + 40,
        lost: 0,
      },
    ]);
    expect(packets[1]!.rtp.ssrc).toBe(SSRC);
    expect(track.ssrc).toBe(SSRC);
    expect(track.stats).toMatchObject({ packets: 2, bytes: 30, lost: 0, invalid: 0 });
  });

  it('counts malformed packets and keeps where they broke', () => {
    const track = receiver();
    expect(track.pushRtp(new Uint8Array([0x40, 0, 0]), 0, WALL)).toBe(false);
    expect(track.stats.invalid).toBe(1);
    expect(track.lastError?.position).toBe(3);
  });

  it('describes the last malformed packet, RTP or RTCP, whichever came last', () => {
    const track = receiver();
    const badVersion = rtp(9, 0);
    badVersion[0] = 0x40;
    track.pushRtp(new Uint8Array([0x80]), 0, WALL);
    track.pushRtp(badVersion, 0, WALL);
    expect(track.stats.invalid).toBe(2);
    expect(track.lastError).toBeInstanceOf(RtspProtocolError);
    expect(track.lastError?.message).toBe('malformed RTP packet: version 1, expected 2 at byte 0');
    track.pushRtcp(new Uint8Array([1, 2, 3]), WALL);
    expect(track.lastError?.message).toMatch(/^malformed RTCP packet/);
    track.pushRtp(new Uint8Array(5), 0, WALL);
    expect(track.lastError?.message).toBe(
      'malformed RTP packet: 5 bytes is shorter than the 12-byte header at byte 5',
    );
  });

  it('counts a flood of malformed RTP and RTCP without building an error for each', () => {
    const track = receiver({ reorder: false });
    const tiny = new Uint8Array([0x80]);
    const started = performance.now();
    for (let i = 0; i < 1_000_000; i++) track.pushRtp(tiny, 0, WALL);
    for (let i = 0; i < 200_000; i++) track.pushRtcp(tiny, WALL);
    // Building an RtspProtocolError (message, stack) per packet took 10–20 µs: over 14 s here.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(track.stats).toMatchObject({ invalid: 1_000_000, rtcpInvalid: 200_000 });
    expect(track.lastError?.message).toBe(
      'malformed RTCP packet: 1 trailing bytes are too short for a header at byte 0',
    );
  });

  it('over UDP, does not lose a first packet that the second one overtook', () => {
    const track = receiver({ reorderWindowMs: 100 });
    expect(track.pushRtp(rtp(501, 3000), 0, WALL)).toBe(true);
    expect(track.pushRtp(rtp(500, 0), 2, WALL + 2)).toBe(true);
    expect(pullAll(track, 2)).toEqual([]);
    expect(track.nextDeadline()).toBe(100);
    expect(seqAndLost(pullAll(track, 100))).toEqual([
      [500, 0],
      [501, 0],
    ]);
    expect(track.stats).toMatchObject({ lost: 0, late: 0, reordered: 1, packets: 2 });
  });

  it("over UDP, releases at once when the first packet is RTP-Info's seq", () => {
    const track = receiver();
    track.pushRtp(rtp(41, 3000), 0, WALL);
    track.expectFirst(40);
    expect(pullAll(track, 1)).toEqual([]);
    track.pushRtp(rtp(40, 0), 1, WALL + 1);
    expect(seqAndLost(pullAll(track, 1))).toEqual([
      [40, 0],
      [41, 0],
    ]);
  });

  it('skips other payload types, without inventing loss where they shared our sequence numbers', () => {
    const track = receiver({ firstSequence: 1 });
    expect(track.pushRtp(rtp(5, 0, { payloadType: 13 }), 0, WALL)).toBe(false); // cannot pick the SSRC
    expect(track.ssrc).toBeUndefined();
    track.pushRtp(rtp(1, 0), 0, WALL);
    expect(track.pushRtp(rtp(2, 0, { payloadType: 13 }), 0, WALL)).toBe(true); // comfort noise, RFC 3389
    track.pushRtp(rtp(3, 160), 0, WALL);
    expect(seqAndLost(pullAll(track, 0))).toEqual([
      [1, 0],
      [3, 0],
    ]);
    expect(track.stats).toMatchObject({ unknownPayloadType: 2, lost: 0, packets: 2 });
  });

  it('releases packets waiting behind a gap as soon as another payload type of our SSRC fills it', () => {
    const track = receiver({ firstSequence: 1 });
    track.pushRtp(rtp(1, 0), 0, WALL);
    expect(seqAndLost(pullAll(track, 0))).toEqual([[1, 0]]);
    track.pushRtp(rtp(3, 320), 5, WALL + 5);
    expect(pullAll(track, 5)).toEqual([]); // held: 2 may still come
    // The session pulls only after `true`: comfort noise in the gap must say so, not leave 3 to the timer.
    expect(track.pushRtp(rtp(2, 160, { payloadType: 13 }), 6, WALL + 6)).toBe(true);
    expect(seqAndLost(pullAll(track, 6))).toEqual([[3, 0]]);
    expect(track.nextDeadline()).toBeUndefined();
    expect(track.stats).toMatchObject({ unknownPayloadType: 1, lost: 0, packets: 2 });
  });

  it('skips a stray SSRC that interleaves with ours', () => {
    const track = receiver();
    for (let i = 0; i < 20; i++) {
      track.pushRtp(rtp(i, i * 3000), i * 33, WALL);
      expect(track.pushRtp(rtp(500 + i, 0, { ssrc: 0x99 }), i * 33, WALL)).toBe(false);
    }
    expect(pullAll(track, 1000)).toHaveLength(20);
    expect(track.stats).toMatchObject({ unknownSsrc: 20, ssrcChanges: 0, lost: 0 });
    expect(track.ssrc).toBe(SSRC);
  });

  it('follows a new SSRC after 8 packets while ours is silent (encoder restart), keeping time moving forward', () => {
    const track = receiver({ firstSequence: 100 });
    track.pushRtp(rtp(100, 900_000), 0, WALL);
    track.pushRtp(rtp(101, 903_000), 33, WALL + 33);
    const before = pullAll(track, 33);
    for (let i = 0; i < 7; i++)
      expect(track.pushRtp(rtp(7000 + i, 55 + i * 3000, { ssrc: 0x77 }), 1033 + i * 33, WALL)).toBe(
        false,
      );
    expect(track.pushRtp(rtp(7007, 55 + 7 * 3000, { ssrc: 0x77 }), 1033 + 7 * 33, WALL)).toBe(true);
    const after = pullAll(track, 2000);
    expect(track.ssrc).toBe(0x77);
    expect(seqAndLost(after)).toEqual([
      [7000, 1],
      ...Array.from({ length: 7 }, (_, i): [number, number] => [7001 + i, 0]),
    ]);
    // Placed 1000 ms after the last packet of the old source, at 90 kHz.
    expect(after[0]!.media.timestamp).toBe(before[1]!.media.timestamp + 90_000);
    expect(after[1]!.media.timestamp - after[0]!.media.timestamp).toBe(3000);
    expect(track.stats).toMatchObject({ ssrcChanges: 1, unknownSsrc: 8, lost: 0 });
  });

  it('follows the real SSRC when the Transport header announced another', () => {
    const track = receiver({ expectedSsrc: 0xdead, firstSequence: 0 });
    for (let i = 0; i < 8; i++) track.pushRtp(rtp(i, i * 3000), i, WALL);
    expect(seqAndLost(pullAll(track, 10))).toEqual(
      Array.from({ length: 8 }, (_, i): [number, number] => [i, 0]),
    );
    expect(track.ssrc).toBe(SSRC);
  });

  it('over UDP, waits for a gap until the deadline it announces', () => {
    const track = receiver({ reorderWindowMs: 100, firstSequence: 1 });
    track.pushRtp(rtp(1, 0), 0, WALL);
    track.pushRtp(rtp(3, 6000), 20, WALL);
    expect(seqAndLost(pullAll(track, 20))).toEqual([[1, 0]]);
    expect(track.nextDeadline()).toBe(120);
    expect(pullAll(track, 119)).toEqual([]);
    expect(seqAndLost(pullAll(track, 120))).toEqual([[3, 1]]);
    expect(track.nextDeadline()).toBeUndefined();
    expect(track.pushRtp(rtp(2, 3000), 130, WALL)).toBe(false);
    expect(track.stats).toMatchObject({ lost: 1, late: 1 });
  });

  it('over TCP, releases at once and reports the gap', () => {
    const track = receiver({ reorder: false });
    track.pushRtp(rtp(1, 0), 0, WALL);
    track.pushRtp(rtp(4, 0), 0, WALL);
    expect(seqAndLost(pullAll(track, 0))).toEqual([
      [1, 0],
      [4, 2],
    ]);
    expect(track.nextDeadline()).toBeUndefined();
  });

  it('treats a +20000 sequence jump as a restart: no lost burst, nothing stalls', () => {
    const track = receiver();
    track.pushRtp(rtp(10, 0), 0, WALL);
    track.pushRtp(rtp(20010, 3000), 33, WALL);
    track.pushRtp(rtp(20011, 6000), 66, WALL);
    expect(seqAndLost(pullAll(track, 66))).toEqual([
      [10, 0],
      [20010, 1],
      [20011, 0],
    ]);
    expect(track.stats).toMatchObject({ lost: 0, sequenceRestarts: 1 });
  });

  it('maps RTP time to wall time from a sender report, across the 32-bit wrap', () => {
    const track = receiver({ firstSequence: 1 });
    track.pushRtp(rtp(1, 0xfffff000), 0, WALL);
    const [packet] = pullAll(track, 0);
    expect(track.ntpTime(packet!.media.timestamp)).toBeUndefined();
    const [msw, lsw] = epochMsToNtp(WALL - 500);
    const sr = serializeSenderReport({
      ssrc: SSRC,
      ntpMsw: msw,
      ntpLsw: lsw,
      rtpTimestamp: 0x00001000,
      packetCount: 1,
      octetCount: 10,
    });
    const packets = track.pushRtcp(concatRtcp([sr, serializeSdes(SSRC, 'cam')]), WALL + 5);
    expect(packets.map((p) => p.kind)).toEqual(['sr', 'sdes']);
    // The SR is 0x2000 ticks after the packet, on the far side of the wrap.
    expect(track.ntpTime(packet!.media.timestamp)).toBeCloseTo(
      WALL - 500 - (0x2000 * 1000) / 90000,
      6,
    );
  });

  it('ignores sender reports and BYE of other sources; a BYE of ours ends the track', () => {
    const track = receiver();
    track.pushRtp(rtp(1, 0), 0, WALL);
    const [msw, lsw] = epochMsToNtp(WALL);
    track.pushRtcp(
      serializeSenderReport({
        ssrc: 0x55,
        ntpMsw: msw,
        ntpLsw: lsw,
        rtpTimestamp: 0,
        packetCount: 0,
        octetCount: 0,
      }),
      WALL,
    );
    expect(track.ntpTime(0)).toBeUndefined();
    track.pushRtcp(serializeBye(0x55), WALL);
    expect(track.ended).toBe(false);
    track.pushRtcp(serializeBye(SSRC), WALL);
    expect(track.ended).toBe(true);
  });

  it('counts RTCP it cannot parse and still returns what parsed', () => {
    const track = receiver();
    const packets = track.pushRtcp(concatRtcp([serializeBye(7), new Uint8Array([1, 2, 3])]), WALL);
    expect(packets).toHaveLength(1);
    expect(track.stats.rtcpInvalid).toBe(1);
  });

  it('writes RR + SDES with a report block once the source sent, DLSR on the monotonic clock', () => {
    const track = receiver();
    expect(parseRtcpCompound(track.receiverReport(0)).packets).toEqual([
      { kind: 'rr', packetType: 201, ssrc: 0xabcdef01, reports: [] },
      { kind: 'sdes', packetType: 202, chunks: [{ ssrc: 0xabcdef01, cname: 'test@rtspkit' }] },
    ]);
    track.pushRtp(rtp(1, 0), 1000, WALL);
    track.pushRtp(rtp(3, 6000), 1040, WALL + 40);
    pullAll(track, 2000);
    const [msw, lsw] = epochMsToNtp(WALL);
    track.pushRtcp(
      serializeSenderReport({
        ssrc: SSRC,
        ntpMsw: msw,
        ntpLsw: lsw,
        rtpTimestamp: 0,
        packetCount: 2,
        octetCount: 20,
      }),
      WALL + 1000,
    ); // monotonic 2000
    const { packets, error } = parseRtcpCompound(track.receiverReport(2500));
    expect(error).toBeUndefined();
    expect(packets[0]).toMatchObject({
      kind: 'rr',
      reports: [
        {
          ssrc: SSRC,
          cumulativeLost: 1,
          fractionLost: 85,
          highestSeq: 3,
          lsr: (((msw & 0xffff) << 16) | (lsw >>> 16)) >>> 0,
          dlsr: 32768,
        },
      ],
    });
  });

  it('picks a random local SSRC and a CNAME by default; rejects bad options', () => {
    const track = new RtpTrackReceiver({ clockRate: 8000, payloadType: 0, reorder: false });
    expect(track.cname).toMatch(/^rtspkit-[0-9a-f]{8}$/);
    expect(() => new RtpTrackReceiver({ clockRate: 0, payloadType: 0, reorder: false })).toThrow(
      RtspError,
    );
    expect(
      () => new RtpTrackReceiver({ clockRate: 8000, payloadType: 200, reorder: false }),
    ).toThrow(/payload type 200/);
  });

  it('never throws on random bytes; each malformed datagram is counted invalid, each refused one counted (property)', () => {
    const rtpLike = fc.uint8Array({ minLength: 12, maxLength: 40 }).map((b) => {
      b[0] = 0x80 | (b[0]! & 0x0f);
      b[1] = (b[1]! & 0x80) | (b[1]! & 1 ? 96 : 8);
      return b;
    });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), rtpLike), { maxLength: 30 }),
        (datagrams) => {
          const track = receiver();
          let malformed = 0;
          let refused = 0;
          datagrams.forEach((data, i) => {
            try {
              parseRtpPacket(data);
            } catch {
              malformed++;
            }
            if (!track.pushRtp(data, i, WALL + i)) refused++;
            track.pushRtcp(data, WALL + i);
            pullAll(track, i);
          });
          const { invalid, unknownPayloadType, unknownSsrc, duplicates, late } = track.stats;
          expect(invalid).toBe(malformed);
          expect(
            invalid + unknownPayloadType + unknownSsrc + duplicates + late,
          ).toBeGreaterThanOrEqual(refused);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('delivers a swapped-and-dropped UDP stream in order, each packet once, with exact loss (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.record({ arrives: fc.boolean(), swap: fc.boolean() }), {
          minLength: 1,
          maxLength: 150,
        }),
        (start, plan) => {
          const track = receiver();
          const order = plan.map((_, i) => i + 1);
          plan.forEach(({ swap }, i) => {
            if (swap && i + 2 < order.length)
              [order[i + 1], order[i + 2]] = [order[i + 2]!, order[i + 1]!];
          });
          const sent = [0, ...order.filter((i) => plan[i - 1]!.arrives)];
          const released: ReceivedPacket[] = [];
          sent.forEach((i, t) => {
            track.pushRtp(rtp(seqAdd(start, i), i * 3000), t * 10, WALL + t * 10);
            released.push(...pullAll(track, t * 10));
          });
          released.push(...pullAll(track, sent.length * 10 + 1000));
          const expected = [...sent].sort((a, b) => a - b);
          expect(released.map((p) => p.media.sequenceNumber)).toEqual(
            expected.map((i) => seqAdd(start, i)),
          );
          expect(released.map((p) => p.media.timestamp)).toEqual(expected.map((i) => i * 3000));
          const last = expected.at(-1)!;
          const lost = last + 1 - expected.length;
          expect(released.reduce((sum, p) => sum + p.media.lost, 0)).toBe(lost);
          expect(track.stats).toMatchObject({ lost, packets: expected.length, duplicates: 0 });
        },
      ),
      { numRuns: 150 },
    );
  });
});
