import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jpegHeaderLength,
  writeJpegHeader,
  type Rfc2435Frame,
} from '../../../src/codecs/jpeg-header.js';
import { usesStandardHuffmanTables } from '../../../src/codecs/jpeg-huffman.js';
import { parseJpeg } from '../../../src/codecs/jpeg.js';

function headerOf(frame: Rfc2435Frame): Uint8Array {
  const out = new Uint8Array(jpegHeaderLength(frame) + 2);
  const written = writeJpegHeader(frame, out);
  expect(written).toBe(jpegHeaderLength(frame));
  out.set([0xff, 0xd9], written); // an empty scan is enough for the marker parser
  return out;
}

describe('writeJpegHeader (RFC 2435 Appendix B)', () => {
  it('writes headers that parse back to the same frame, with the standard Huffman tables', () => {
    const frame = fc.record({
      type: fc.constantFrom<0 | 1>(0, 1),
      width: fc.integer({ min: 1, max: 255 }).map((w) => w * 8),
      height: fc.integer({ min: 1, max: 255 }).map((h) => h * 8),
      quantizationTables: fc.uint8Array({ minLength: 128, maxLength: 128 }),
      precision: fc.constant(0),
      restartInterval: fc.integer({ min: 0, max: 0xffff }),
    });
    fc.assert(
      fc.property(frame, (f) => {
        const image = parseJpeg(headerOf(f));
        expect(image).toMatchObject({
          type: f.type,
          width: f.width,
          height: f.height,
          restartInterval: f.restartInterval,
        });
        expect([...image.quantizationTables]).toEqual([...f.quantizationTables]);
        expect(usesStandardHuffmanTables(image)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('marks 16-bit tables in DQT (Pq = 1) as the precision bits say', () => {
    const frame = {
      type: 1 as const,
      width: 16,
      height: 16,
      quantizationTables: new Uint8Array(128 + 64),
      precision: 1,
      restartInterval: 0,
    };
    const header = headerOf(frame);
    // SOI, then DQT: FF DB, length 2 + 129 + 65, Pq/Tq 0x10 for luma, 0x01 for chroma.
    expect([...header.subarray(2, 7)]).toEqual([0xff, 0xdb, 0x00, 196, 0x10]);
    expect(header[7 + 128]).toBe(0x01);
  });
});
