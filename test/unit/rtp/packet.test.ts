import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, RtspError, RtspProtocolError } from '../../../src/errors.js';
import {
  parseRtpPacket,
  rtpPacketError,
  serializeRtpPacket,
  tryParseRtpPacket,
  writeRtpHeader,
  type RtpHeaderFields,
  type RtpProblem,
} from '../../../src/rtp/packet.js';

const hex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

function protocolError(data: Uint8Array): RtspProtocolError {
  try {
    parseRtpPacket(data);
  } catch (error) {
    if (error instanceof RtspProtocolError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parseRtpPacket', () => {
  it('reads a hand-built packet', () => {
    const packet = parseRtpPacket(hex('80e0 1234 deadbeef 01020304 616263'));
    expect(packet).toMatchObject({
      marker: true,
      payloadType: 96,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
      csrcCount: 0,
      padding: false,
      extension: false,
    });
    expect([...packet.payload]).toEqual([0x61, 0x62, 0x63]);
  });

  it('removes CSRCs, the header extension and padding, without copying', () => {
    // V=2 P=1 X=1 CC=2; 2 CSRCs; extension 0xbede with 1 word; payload aa bb; 3 bytes of padding.
    const data = hex(
      'b2 08 0001 00000010 0000abcd  11111111 22222222  bede 0001 01020304  aabb  000003',
    );
    const packet = parseRtpPacket(data);
    expect(packet).toMatchObject({
      marker: false,
      payloadType: 8,
      csrcCount: 2,
      padding: true,
      extension: true,
      ssrc: 0xabcd,
    });
    expect([...packet.payload]).toEqual([0xaa, 0xbb]);
    expect(packet.payload.buffer).toBe(data.buffer);
    expect(packet.payload.byteOffset).toBe(28);
  });

  it.each([
    ['short', '80e0 1234', 'short', 4, /shorter than the 12-byte header/],
    ['version 1', '40e0 1234 deadbeef 01020304', 'version', 0, /version 1/],
    ['CSRCs overrun', '83e0 1234 deadbeef 01020304 11111111', 'csrc-overrun', 12, /3 CSRCs/],
    [
      'extension header cut',
      '90e0 1234 deadbeef 01020304 bede',
      'extension-truncated',
      12,
      /extension header is truncated/,
    ],
    [
      'extension overruns',
      '90e0 1234 deadbeef 01020304 bede 0002 01020304',
      'extension-overrun',
      14,
      /header extension of 12 bytes overruns/,
    ],
    ['padding count 0', 'a0e0 1234 deadbeef 01020304 aa00', 'padding', 13, /padding count 0/],
    [
      'padding beyond payload',
      'a0e0 1234 deadbeef 01020304 aa05',
      'padding',
      13,
      /padding count 5 does not fit the 2-byte payload/,
    ],
    [
      'padding beyond payload after an extension',
      'b0e0 1234 deadbeef 01020304 bede 0001 01020304 aa09',
      'padding',
      21,
      /padding count 9 does not fit the 2-byte payload/,
    ],
  ])('rejects %s with the byte position', (_name, bytes, problem, position, message) => {
    expect(tryParseRtpPacket(hex(bytes))).toBe(problem);
    const error = protocolError(hex(bytes));
    expect(error.code).toBe(ErrorCodes.ERR_RTSP_PROTOCOL);
    expect(error.position).toBe(position);
    expect(error.message).toMatch(message);
  });

  it('names SSRC and sequence number once the header is there', () => {
    expect(protocolError(hex('a0e0 1234 deadbeef 01020304 aa05')).message).toContain(
      'SSRC 0x01020304, seq 4660',
    );
  });

  it('random bytes only ever throw RtspProtocolError, as tryParseRtpPacket refuses them, and a payload stays inside the packet (property)', () => {
    const rtpLike = fc.uint8Array({ minLength: 12, maxLength: 80 }).map((b) => {
      b[0] = 0x80 | (b[0]! & 0x3f);
      return b;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), rtpLike), (data) => {
        const parsed = tryParseRtpPacket(data);
        try {
          const packet = parseRtpPacket(data);
          expect(parsed).toEqual(packet);
          expect(packet.payload.byteOffset + packet.payload.length).toBeLessThanOrEqual(
            data.byteOffset + data.length,
          );
          expect(packet.payload.byteOffset).toBeGreaterThanOrEqual(12);
        } catch (error) {
          expect(error).toBeInstanceOf(RtspProtocolError);
          // The fast path refuses the same packets, and its problem describes the same error.
          expect(typeof parsed).toBe('string');
          expect(rtpPacketError(data, parsed as RtpProblem)).toEqual(error);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

const headerArbitrary = fc.record<RtpHeaderFields>({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: fc.integer({ min: 0, max: 0xffffffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
});

describe('serializeRtpPacket / writeRtpHeader', () => {
  it('round-trips through parseRtpPacket (property)', () => {
    fc.assert(
      fc.property(headerArbitrary, fc.uint8Array({ maxLength: 64 }), (header, payload) => {
        const packet = parseRtpPacket(serializeRtpPacket(header, payload));
        expect(packet).toMatchObject({ ...header, csrcCount: 0, padding: false, extension: false });
        expect(packet.payload).toEqual(payload);
      }),
      { numRuns: 300 },
    );
  });

  it('takes sequence numbers and timestamps modulo their field width', () => {
    const packet = parseRtpPacket(
      serializeRtpPacket(
        {
          marker: false,
          payloadType: 0,
          sequenceNumber: 0x10001,
          timestamp: 2 ** 32 + 5,
          ssrc: -1,
        },
        new Uint8Array(),
      ),
    );
    expect([packet.sequenceNumber, packet.timestamp, packet.ssrc]).toEqual([1, 5, 0xffffffff]);
  });

  it('writes at an offset into a preallocated buffer and refuses what does not fit', () => {
    const target = new Uint8Array(16).fill(0xee);
    writeRtpHeader(target, 4, {
      marker: true,
      payloadType: 26,
      sequenceNumber: 1,
      timestamp: 2,
      ssrc: 3,
    });
    expect(Buffer.from(target).toString('hex')).toBe(
      'eeeeeeee' + '809a0001' + '00000002' + '00000003',
    );
    expect(() =>
      writeRtpHeader(target, 5, {
        marker: true,
        payloadType: 26,
        sequenceNumber: 1,
        timestamp: 2,
        ssrc: 3,
      }),
    ).toThrow(RtspError);
    expect(() =>
      writeRtpHeader(target, 0, {
        marker: true,
        payloadType: 128,
        sequenceNumber: 1,
        timestamp: 2,
        ssrc: 3,
      }),
    ).toThrow(/payload type 128/);
  });
});
