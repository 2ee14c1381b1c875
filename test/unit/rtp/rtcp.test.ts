import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';
import {
  concatRtcp,
  parseRtcpCompound,
  serializeBye,
  serializeReceiverReport,
  serializeSdes,
  serializeSenderReport,
  type ReportBlock,
} from '../../../src/rtp/rtcp.js';

const hex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

// SR + SDES as a camera sends them every few seconds (capture-style hex).
const CAMERA_SR_SDES = hex(`
  80c8 0006  2a3b4c5d  e90b8f80 80000000  000f4240  000003e8  0012d687
  81ca 0005  2a3b4c5d  010a 63616d6572612d616263  00 000000
`);

describe('parseRtcpCompound', () => {
  it('reads a camera SR + SDES compound packet', () => {
    const { packets, error } = parseRtcpCompound(CAMERA_SR_SDES);
    expect(error).toBeUndefined();
    expect(packets).toEqual([
      {
        kind: 'sr',
        packetType: 200,
        ssrc: 0x2a3b4c5d,
        ntpMsw: 0xe90b8f80,
        ntpLsw: 0x80000000,
        ntpTime: 1_700_860_160_500,
        rtpTimestamp: 1_000_000,
        packetCount: 1000,
        octetCount: 1_234_567,
        reports: [],
      },
      { kind: 'sdes', packetType: 202, chunks: [{ ssrc: 0x2a3b4c5d, cname: 'camera-abc' }] },
    ]);
  });

  it('reads a receiver report block with a negative cumulative loss', () => {
    const rr = hex('81c9 0007 00000001  2a3b4c5d 10fffffe 0001ffff 00000020 8f808000 00010000');
    expect(parseRtcpCompound(rr).packets).toEqual([
      {
        kind: 'rr',
        packetType: 201,
        ssrc: 1,
        reports: [
          {
            ssrc: 0x2a3b4c5d,
            fractionLost: 16,
            cumulativeLost: -2,
            highestSeq: 0x1ffff,
            jitter: 32,
            lsr: 0x8f808000,
            dlsr: 65536,
          },
        ],
      },
    ]);
  });

  it('reads BYE with a reason, passes other packet types by type, and honours padding', () => {
    const bye = hex('81cb 0003 2a3b4c5d 04 646f6e65 000000'.replace(/ /g, ''));
    const app = hex('80cc 0002 2a3b4c5d 6e616d65');
    const paddedRr = hex('a0c9 0002 00000009 00000004');
    const { packets, error } = parseRtcpCompound(concatRtcp([paddedRr, bye, app]));
    expect(error).toBeUndefined();
    expect(packets).toEqual([
      { kind: 'rr', packetType: 201, ssrc: 9, reports: [] },
      { kind: 'bye', packetType: 203, ssrcs: [0x2a3b4c5d], reason: 'done' },
      { kind: 'other', packetType: 204 },
    ]);
  });

  it('keeps the packets before a truncated or garbled tail and says where it broke', () => {
    const truncated = CAMERA_SR_SDES.subarray(0, CAMERA_SR_SDES.length - 6);
    const result = parseRtcpCompound(truncated);
    expect(result.packets.map((p) => p.kind)).toEqual(['sr']);
    expect(result.incomplete).toBe(true);
    expect(result.error).toBeInstanceOf(RtspProtocolError);
    // Built once, when first read.
    expect(result.error).toBe(result.error);
    expect(result.error!.position).toBe(30);
    expect(result.error!.message).toMatch(/packet type 202 claims 24 bytes, 18 left/);

    const garbage = concatRtcp([CAMERA_SR_SDES, hex('deadbeef')]);
    expect(parseRtcpCompound(garbage).packets).toHaveLength(2);
    expect(parseRtcpCompound(garbage).error!.message).toMatch(/version 3.*byte 52/);

    const shortSr = hex('80c8 0001 2a3b4c5d 00000000');
    expect(parseRtcpCompound(shortSr).error!.message).toMatch(
      /sender report with 0 report blocks needs 24 bytes, the packet has 4/,
    );
    expect(parseRtcpCompound(new Uint8Array()).error).toBeInstanceOf(RtspProtocolError);
  });

  it('never throws on random or mutated bytes (property)', () => {
    const mutated = fc
      .tuple(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
      )
      .map(([edits, cut]) => {
        const bytes = CAMERA_SR_SDES.slice(0, cut % (CAMERA_SR_SDES.length + 1));
        for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated), (data) => {
        const { packets, incomplete, error } = parseRtcpCompound(data);
        expect(Array.isArray(packets)).toBe(true);
        expect(error !== undefined).toBe(incomplete);
        if (error !== undefined) expect(error).toBeInstanceOf(RtspProtocolError);
      }),
      { numRuns: 1000 },
    );
  });
});

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const reportBlock = fc.record<ReportBlock>({
  ssrc: u32,
  fractionLost: fc.integer({ min: 0, max: 255 }),
  cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
  highestSeq: u32,
  jitter: u32,
  lsr: u32,
  dlsr: u32,
});

describe('RTCP serializers', () => {
  it('SR and RR round-trip (property)', () => {
    fc.assert(
      fc.property(
        u32,
        u32,
        u32,
        u32,
        u32,
        u32,
        fc.array(reportBlock, { maxLength: 3 }),
        (ssrc, ntpMsw, ntpLsw, rtpTimestamp, packetCount, octetCount, reports) => {
          const sr = { ssrc, ntpMsw, ntpLsw, rtpTimestamp, packetCount, octetCount, reports };
          const rr = { ssrc, reports };
          const { packets, error } = parseRtcpCompound(
            concatRtcp([serializeSenderReport(sr), serializeReceiverReport(rr)]),
          );
          expect(error).toBeUndefined();
          expect(packets[0]).toMatchObject({ kind: 'sr', ...sr });
          expect(packets[1]).toEqual({ kind: 'rr', packetType: 201, ...rr });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('SDES and BYE round-trip with 32-bit alignment for any text length (property)', () => {
    fc.assert(
      fc.property(
        u32,
        fc.string({ maxLength: 60 }),
        fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
        (ssrc, cname, reason) => {
          const sdes = serializeSdes(ssrc, cname);
          const bye = serializeBye(ssrc, reason);
          expect(sdes.length % 4).toBe(0);
          expect(bye.length % 4).toBe(0);
          const { packets, error } = parseRtcpCompound(concatRtcp([sdes, bye]));
          expect(error).toBeUndefined();
          expect(packets[0]).toEqual({ kind: 'sdes', packetType: 202, chunks: [{ ssrc, cname }] });
          expect(packets[1]).toEqual(
            reason === undefined
              ? { kind: 'bye', packetType: 203, ssrcs: [ssrc] }
              : { kind: 'bye', packetType: 203, ssrcs: [ssrc], reason },
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the camera capture byte for byte', () => {
    const sr = serializeSenderReport({
      ssrc: 0x2a3b4c5d,
      ntpMsw: 0xe90b8f80,
      ntpLsw: 0x80000000,
      rtpTimestamp: 1_000_000,
      packetCount: 1000,
      octetCount: 1_234_567,
    });
    expect(concatRtcp([sr, serializeSdes(0x2a3b4c5d, 'camera-abc')])).toEqual(CAMERA_SR_SDES);
  });

  it('saturates the 24-bit cumulative loss and refuses what the format cannot carry', () => {
    const block: ReportBlock = {
      ssrc: 1,
      fractionLost: 0,
      cumulativeLost: 1e9,
      highestSeq: 0,
      jitter: 0,
      lsr: 0,
      dlsr: 0,
    };
    const parsed = parseRtcpCompound(serializeReceiverReport({ ssrc: 2, reports: [block] }))
      .packets[0];
    expect(parsed).toMatchObject({ reports: [{ cumulativeLost: 0x7fffff }] });
    expect(() => serializeReceiverReport({ ssrc: 2, reports: Array(32).fill(block) })).toThrow(
      RtspError,
    );
    expect(() => serializeSdes(1, 'x'.repeat(256))).toThrow(/CNAME of 256 bytes/);
  });
});
