import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recodeWithStandardTables } from '../../../src/codecs/jpeg-huffman.js';
import { parseJpeg } from '../../../src/codecs/jpeg.js';
import { ErrorCodes } from '../../../src/errors.js';
import { packetizeJpeg } from '../../../src/packetizers/mjpeg.js';
import {
  encodeWithFfmpeg,
  fixtureJpegs,
  segmentOffset,
  withRestartInterval,
} from '../codecs/jpeg-fixtures.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('packetizeJpeg (RFC 2435)', () => {
  const [jpeg] = fixtureJpegs() as [Uint8Array];
  const image = parseJpeg(jpeg);

  it('sends type 1, Q 255 and the tables in-band in the first fragment only', () => {
    const packets = packetizeJpeg(jpeg, 1400);
    const [first, second] = packets as [(typeof packets)[0], (typeof packets)[0]];
    // type-specific 0, offset 0, type 1 (4:2:0), Q 255, 40×8 by 30×8 pixels.
    expect(hex(first.payload.subarray(0, 8))).toBe('00000000' + '01' + 'ff' + '28' + '1e');
    // Quantization Table header: MBZ, precision 0 (8-bit), length 128, then luma and chroma.
    expect(hex(first.payload.subarray(8, 12))).toBe('00000080');
    expect(hex(first.payload.subarray(12, 140))).toBe(hex(image.quantizationTables));
    expect(first.payload.length).toBe(1400);
    expect(hex(second.payload.subarray(0, 8))).toBe(
      '00' + (1400 - 140).toString(16).padStart(6, '0') + '01ff281e',
    );
  });

  it('carries the re-coded scan contiguously, with the marker on the last fragment only', () => {
    const packets = packetizeJpeg(jpeg, 500);
    const data = packets.map((p, i) => p.payload.subarray(i === 0 ? 140 : 8));
    const offsets = packets.map(
      (p) => (p.payload[1]! << 16) | (p.payload[2]! << 8) | p.payload[3]!,
    );
    expect(Buffer.concat(data).equals(Buffer.from(recodeWithStandardTables(image)))).toBe(true);
    expect(offsets).toEqual(
      data.map((_, i) => data.slice(0, i).reduce((sum, d) => sum + d.length, 0)),
    );
    expect(packets.map((p) => p.marker)).toEqual(packets.map((_, i) => i === packets.length - 1));
    expect(Math.max(...packets.map((p) => p.payload.length))).toBeLessThanOrEqual(500);
  });

  it('sends a JPEG with DRI as type 65 with a restart marker header in every packet', () => {
    const standard = encodeWithFfmpeg([
      '-c:v',
      'mjpeg',
      '-huffman',
      'default',
      '-pix_fmt',
      'yuvj420p',
    ]);
    // The scan has no RST markers, which the packetizer does not need to look at.
    const packets = packetizeJpeg(withRestartInterval(standard, 2), 400);
    expect(packets.length).toBeGreaterThan(1);
    for (const packet of packets) {
      expect(packet.payload[4]).toBe(65);
      // Restart interval 2; F = L = 1 and count 0x3FFF: reassemble the whole frame (§3.1.7).
      expect(hex(packet.payload.subarray(8, 12))).toBe('0002ffff');
    }
  });

  it('refuses what RFC 2435 cannot carry, saying why, and an MTU too small for the headers', () => {
    const progressive = Uint8Array.from(jpeg);
    progressive[segmentOffset(jpeg, 0xc0) + 1] = 0xc2;
    expect(() => packetizeJpeg(progressive, 1400)).toThrow(
      /RTP\/JPEG \(RFC 2435\): SOF marker 0xc2/,
    );
    expect(() => packetizeJpeg(jpeg, 140)).toThrow(
      expect.objectContaining({ code: ErrorCodes.ERR_RTSP_INVALID_ARGUMENT }),
    );
  });
});

describe('packetizeJpeg (properties)', () => {
  const jpegs = fixtureJpegs();

  it('at any MTU: no packet passes it, fragment offsets are contiguous, one marker at the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: jpegs.length - 1 }),
        fc.integer({ min: 200, max: 3000 }),
        (index, mtu) => {
          const packets = packetizeJpeg(jpegs[index]!, mtu);
          let expectedOffset = 0;
          for (const [i, { payload, marker }] of packets.entries()) {
            expect(payload.length).toBeLessThanOrEqual(mtu);
            expect(marker).toBe(i === packets.length - 1);
            const offset = (payload[1]! << 16) | (payload[2]! << 8) | payload[3]!;
            expect(offset).toBe(expectedOffset);
            // Type 1 without DRI: the main header, plus the table header in the first packet.
            const headers = 8 + (i === 0 ? 4 + ((payload[10]! << 8) | payload[11]!) : 0);
            expectedOffset += payload.length - headers;
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
