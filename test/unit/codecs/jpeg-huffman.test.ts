import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jpegHeaderLength, writeJpegHeader } from '../../../src/codecs/jpeg-header.js';
import {
  recodeWithStandardTables,
  usesStandardHuffmanTables,
} from '../../../src/codecs/jpeg-huffman.js';
import { parseJpeg, type JpegImage } from '../../../src/codecs/jpeg.js';
import { RtspProtocolError } from '../../../src/errors.js';
import { decodeWithFfmpeg, encodeWithFfmpeg, fixtureJpegs } from './jpeg-fixtures.js';

/** A JPEG with the RFC 2435 headers (standard Huffman tables) around `scan`. */
function rebuild(image: JpegImage, scan: Uint8Array): Uint8Array {
  const frame = { ...image, precision: 0 };
  const out = new Uint8Array(jpegHeaderLength(frame) + scan.length + 2);
  const at = writeJpegHeader(frame, out);
  out.set(scan, at);
  out.set([0xff, 0xd9], at + scan.length);
  return out;
}

describe('recodeWithStandardTables', () => {
  const jpegs = fixtureJpegs();

  it("re-codes ffmpeg's optimised-table scans losslessly: the same pixels decode", () => {
    for (const jpeg of [jpegs[0]!, jpegs[17]!]) {
      const image = parseJpeg(jpeg);
      expect(usesStandardHuffmanTables(image)).toBe(false);
      const recoded = rebuild(image, recodeWithStandardTables(image));
      const original = decodeWithFfmpeg(jpeg);
      const decoded = decodeWithFfmpeg(recoded);
      expect(decoded.size).toBe('320,240');
      expect(decoded.yuv.equals(original.yuv)).toBe(true);
    }
  });

  it('leaves a scan already coded with the standard tables as it is', () => {
    const image = parseJpeg(
      encodeWithFfmpeg(['-c:v', 'mjpeg', '-huffman', 'default', '-pix_fmt', 'yuvj420p']),
    );
    expect(usesStandardHuffmanTables(image)).toBe(true);
    expect(recodeWithStandardTables(image)).toBe(image.scanData);
  });

  it('names the scan byte where a truncated scan ends', () => {
    const image = parseJpeg(jpegs[0]!);
    const truncated = { ...image, scanData: image.scanData.subarray(0, 100) };
    expect(() => recodeWithStandardTables(truncated)).toThrow(
      /scan data ends inside an MCU at scan byte 100/,
    );
  });

  it('corrupt scans only ever produce RtspProtocolError', () => {
    const image = parseJpeg(jpegs[0]!);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(image.scanData.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (edits) => {
          const scanData = Uint8Array.from(image.scanData);
          for (const [at, value] of edits) scanData[at] = value;
          try {
            recodeWithStandardTables({ ...image, scanData });
          } catch (error) {
            expect(error).toBeInstanceOf(RtspProtocolError);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
