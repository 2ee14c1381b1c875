import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJpeg } from '../../../src/codecs/jpeg.js';
import { ErrorCodes, RtspError, RtspProtocolError } from '../../../src/errors.js';
import {
  encodeWithFfmpeg,
  fixtureJpegs,
  segmentOffset,
  withRestartInterval,
} from './jpeg-fixtures.js';

/** `jpeg` with the two bytes at `at` replaced. */
const patched = (jpeg: Uint8Array, at: number, ...values: number[]): Uint8Array => {
  const copy = Uint8Array.from(jpeg);
  copy.set(values, at);
  return copy;
};
describe('parseJpeg', () => {
  const [jpeg] = fixtureJpegs() as [Uint8Array];

  it('reads what RFC 2435 needs from an ffmpeg 4:2:0 JPEG', () => {
    const image = parseJpeg(jpeg);
    expect(image).toMatchObject({ width: 320, height: 240, type: 1, restartInterval: 0 });
    // All three components use DQT table 0 here, so it is sent as both luma and chroma.
    const dqt = segmentOffset(jpeg, 0xdb);
    expect([...image.quantizationTables.subarray(0, 64)]).toEqual([
      ...jpeg.subarray(dqt + 5, dqt + 69),
    ]);
    expect(image.components.map((c) => [c.id, c.horizontalSampling, c.verticalSampling])).toEqual([
      [1, 2, 2],
      [2, 1, 1],
      [3, 1, 1],
    ]);
    const sos = segmentOffset(jpeg, 0xda);
    expect(image.scanData.byteOffset - jpeg.byteOffset).toBe(sos + 2 + 12);
    expect(image.scanData.byteOffset + image.scanData.length - jpeg.byteOffset).toBe(
      jpeg.length - 2,
    ); // up to EOI
  });

  it('reads luma sampled 2×1 as type 0 (4:2:2), and a DRI', () => {
    const jpeg422 = patched(jpeg, segmentOffset(jpeg, 0xc0) + 11, 0x21);
    expect(parseJpeg(jpeg422).type).toBe(0);
    expect(parseJpeg(withRestartInterval(jpeg, 20)).restartInterval).toBe(20);
  });

  it("refuses ffmpeg's 4:2:2 layout (chroma 1×2 in 16×16 MCUs), which no RFC 2435 type describes", () => {
    const jpeg422 = encodeWithFfmpeg(['-c:v', 'mjpeg', '-pix_fmt', 'yuvj422p']);
    expect(() => parseJpeg(jpeg422)).toThrow(
      /sampling 2x2,1x2,1x2 \(RFC 2435 types need luma 2x1 or 2x2 and chroma 1x1\)/,
    );
  });

  it.each([
    [
      'progressive (SOF2)',
      (j: Uint8Array) => patched(j, segmentOffset(j, 0xc0) + 1, 0xc2),
      /SOF marker 0xc2/,
    ],
    [
      '12-bit samples',
      (j: Uint8Array) => patched(j, segmentOffset(j, 0xc0) + 4, 12),
      /12-bit samples/,
    ],
    [
      '4:4:4',
      (j: Uint8Array) => patched(j, segmentOffset(j, 0xc0) + 11, 0x11),
      /sampling 1x1,1x1,1x1/,
    ],
    [
      '16-bit tables',
      (j: Uint8Array) => patched(j, segmentOffset(j, 0xdb) + 4, 0x10),
      /16-bit quantization tables/,
    ],
  ])('refuses %s as unsupported, saying why', (_, mutate, reason) => {
    const attempt = (): unknown => parseJpeg(mutate(jpeg));
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(expect.objectContaining({ code: ErrorCodes.ERR_RTSP_UNSUPPORTED }));
  });

  it('names the byte where a malformed JPEG breaks', () => {
    expect(() => parseJpeg(Uint8Array.of(0xff, 0xd8, 0x00, 0x00))).toThrow(
      /no SOS before the end at byte 2/,
    );
    expect(() => parseJpeg(Uint8Array.of(0xff, 0xd8, 0x12, 0x34, 0, 0))).toThrow(
      /expected a marker, found 0x12 at byte 2/,
    );
    expect(() => parseJpeg(jpeg.subarray(0, 100))).toThrow(RtspProtocolError);
  });

  it('random and mutated bytes only ever produce RtspError', () => {
    const mutated = fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = Uint8Array.from(jpeg.subarray(0, 700));
        for (const [at, value] of edits) copy[at % copy.length] = value;
        return copy;
      });
    const random = fc
      .uint8Array({ maxLength: 64 })
      .map((bytes) => Uint8Array.of(0xff, 0xd8, ...bytes));
    fc.assert(
      fc.property(fc.oneof(mutated, random), (bytes) => {
        try {
          parseJpeg(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(RtspError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
