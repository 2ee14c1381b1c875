import { describe, expect, it } from 'vitest';
import { parseJpeg } from '../../../src/codecs/jpeg.js';
import {
  STANDARD_CHROMA_AC,
  STANDARD_CHROMA_DC,
  STANDARD_LUMA_AC,
  STANDARD_LUMA_DC,
  quantizationTablesForQuality,
} from '../../../src/codecs/jpeg-tables.js';
import { encodeWithFfmpeg } from './jpeg-fixtures.js';

describe('quantizationTablesForQuality (RFC 2435 Appendix A)', () => {
  it('is the T.81 Annex K example tables at Q 50, in zigzag order', () => {
    const tables = quantizationTablesForQuality(50);
    expect([...tables.subarray(0, 8)]).toEqual([16, 11, 12, 14, 12, 10, 16, 14]);
    expect([...tables.subarray(64, 80)]).toEqual([
      17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99,
    ]);
    expect(tables[127]).toBe(99);
  });

  it('scales by 5000/Q below 50 and 200−2Q above, clamped to 1..255', () => {
    expect(quantizationTablesForQuality(25)[0]).toBe(32); // 16 × 200%
    expect(quantizationTablesForQuality(75)[0]).toBe(8); // 16 × 50%
    expect(quantizationTablesForQuality(1)[0]).toBe(255);
    expect(quantizationTablesForQuality(99)[0]).toBe(1);
  });
});

describe('standard Huffman tables (T.81 Annex K.3)', () => {
  it('are the tables ffmpeg writes with -huffman default', () => {
    const image = parseJpeg(
      encodeWithFfmpeg(['-c:v', 'mjpeg', '-huffman', 'default', '-pix_fmt', 'yuvj420p']),
    );
    const spec = (tableClass: 0 | 1, id: number): number[][] => {
      const table = image.huffman[tableClass][id]!;
      return [[...table.bits], [...table.values]];
    };
    expect(spec(0, 0)).toEqual([[...STANDARD_LUMA_DC.bits], [...STANDARD_LUMA_DC.values]]);
    expect(spec(1, 0)).toEqual([[...STANDARD_LUMA_AC.bits], [...STANDARD_LUMA_AC.values]]);
    expect(spec(0, 1)).toEqual([[...STANDARD_CHROMA_DC.bits], [...STANDARD_CHROMA_DC.values]]);
    expect(spec(1, 1)).toEqual([[...STANDARD_CHROMA_AC.bits], [...STANDARD_CHROMA_AC.values]]);
  });
});
