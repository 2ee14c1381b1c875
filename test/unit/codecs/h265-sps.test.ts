import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseH265Sps } from '../../../src/codecs/h265-sps.js';
import { addEmulationPrevention, BitWriter, hex } from './bit-writer.js';
import { mutatedNalUnit, randomAfterHeader } from './sps-inputs.js';

/** Real SPS NAL units from libx265. */
const REAL_SPS = [
  {
    what: 'Main 640x360 (test/fixtures/h265-360p.mp4)',
    nal: '42010101600000030090000003000003003fa00502016965ba924caf016808000003000800000300c840',
    info: { width: 640, height: 360, generalProfileIdc: 1, generalLevelIdc: 63 },
  },
  {
    what: 'Main 1920x1080, conformance window of 8 rows in 4:2:0 units',
    nal: '420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000c84',
    info: { width: 1920, height: 1080, generalProfileIdc: 1, generalLevelIdc: 120 },
  },
  {
    what: 'Range extensions 4:4:4 10-bit 202x118 (window in luma units)',
    nal: '4201010408000003009c0800000300003c9003440f39edb2cacd24995e02d0100000030010000003019080',
    info: { width: 202, height: 118, generalProfileIdc: 4, generalLevelIdc: 60 },
  },
];

interface SpsFields {
  maxSubLayersMinus1: number;
  subLayers: [profile: boolean, level: boolean][];
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  width: number;
  height: number;
  window: [number, number, number, number] | undefined;
}

/** Writes an SPS (H.265 §7.3.2.2) up to the conformance window, with emulation prevention. */
function buildSps(f: SpsFields): Uint8Array {
  const w = new BitWriter().u(4, 0).u(3, f.maxSubLayersMinus1).bit(1);
  w.u(3, 0).u(5, 2).u(32, 0x20000000).u(48, 0).u(8, 93); // profile_tier_level: Main 10, level 3.1
  for (const [profile, level] of f.subLayers) w.bit(profile).bit(level);
  if (f.maxSubLayersMinus1 > 0) w.u(2 * (8 - f.maxSubLayersMinus1), 0);
  for (const [profile, level] of f.subLayers) {
    if (profile) w.u(44, 0xabc).u(44, 0x123);
    if (level) w.u(8, 90);
  }
  w.ue(0).ue(f.chromaFormatIdc);
  if (f.chromaFormatIdc === 3) w.bit(f.separateColourPlane);
  w.ue(f.width)
    .ue(f.height)
    .bit(f.window !== undefined);
  for (const offset of f.window ?? []) w.ue(offset);
  w.ue(0).ue(0).ue(4); // bit depths, log2_max_pic_order_cnt_lsb_minus4: read by nobody here
  return Uint8Array.from([0x42, 0x01, ...addEmulationPrevention(w.rbsp())]);
}

describe('parseH265Sps', () => {
  it.each(REAL_SPS)('reads $what', ({ nal, info }) => {
    expect(parseH265Sps(hex(nal))).toEqual(info);
  });

  it('gives the windowed size of any SPS written from random fields, sub-layers included', () => {
    const fields: fc.Arbitrary<SpsFields> = fc
      .record({
        maxSubLayersMinus1: fc.nat({ max: 6 }),
        layerFlags: fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 6, maxLength: 6 }),
        chromaFormatIdc: fc.nat({ max: 3 }),
        separateColourPlane: fc.boolean(),
        width: fc.integer({ min: 8, max: 8192 }),
        height: fc.integer({ min: 8, max: 4320 }),
        window: fc.option(
          fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 2 })),
          { nil: undefined },
        ),
      })
      .map(({ layerFlags, ...f }) => ({
        ...f,
        subLayers: layerFlags.slice(0, f.maxSubLayersMinus1),
      }));
    fc.assert(
      fc.property(fields, (f) => {
        const chromaArrayType =
          f.separateColourPlane && f.chromaFormatIdc === 3 ? 0 : f.chromaFormatIdc;
        const [left, right, top, bottom] = f.window ?? [0, 0, 0, 0];
        const subWidth = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
        const subHeight = chromaArrayType === 1 ? 2 : 1;
        const width = f.width - subWidth * (left + right);
        const height = f.height - subHeight * (top + bottom);
        const expected =
          width > 0 && height > 0
            ? { width, height, generalProfileIdc: 2, generalLevelIdc: 93 }
            : undefined; // a window covering the whole picture is rejected
        expect(parseH265Sps(buildSps(f))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives undefined for other NAL types and truncated SPS', () => {
    expect(parseH265Sps(hex('4401c172b46240'))).toBeUndefined();
    expect(parseH265Sps(hex(REAL_SPS[0]!.nal).subarray(0, 20))).toBeUndefined();
    expect(parseH265Sps(hex('42'))).toBeUndefined();
  });

  it('never throws on random or mutated SPS bytes', () => {
    const real = REAL_SPS.map((s) => hex(s.nal));
    const mutated = mutatedNalUnit(real, 2);
    const random = randomAfterHeader([0x42, 0x01], 60);
    fc.assert(
      fc.property(fc.oneof(mutated, random), (nal) => {
        const info = parseH265Sps(nal);
        if (info !== undefined) expect(Math.min(info.width, info.height)).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
