import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseH264Sps } from '../../../src/codecs/h264-sps.js';
import { addEmulationPrevention, BitWriter, hex } from './bit-writer.js';
import { mutatedNalUnit, randomAfterHeader } from './sps-inputs.js';

/** Real SPS NAL units from libx264 (test/fixtures and `ffmpeg -f lavfi -i testsrc2 ...`). */
const REAL_SPS = [
  {
    what: 'Main 1280x720 (test/fixtures/h264-720p.mp4)',
    nal: '674d401fda014016ec0440000003004000000c83c60ca8',
    info: { width: 1280, height: 720, profileIdc: 77, levelIdc: 31, constraintFlags: 0x40 },
  },
  {
    what: 'High 640x360, cropped from 368 rows (test/fixtures/h264-aac.mp4)',
    nal: '6764001eacb405017fcb80880000030008000003019078b175',
    info: { width: 640, height: 360, profileIdc: 100, levelIdc: 30, constraintFlags: 0 },
  },
  {
    what: 'High 4:4:4 Predictive 322x242 (chroma_format_idc 3: crop units of one sample)',
    nal: '67f4000d919b282a10f1f1f808800000030080000019078a14cb',
    info: { width: 322, height: 242, profileIdc: 244, levelIdc: 13, constraintFlags: 0 },
  },
  {
    what: 'High 720x576 interlaced (frame_mbs_only_flag 0: map units are field pairs)',
    nal: '6764001eacd940b424d8088000000300800000190f8a14cb',
    info: { width: 720, height: 576, profileIdc: 100, levelIdc: 30, constraintFlags: 0 },
  },
  {
    what: 'High 4:2:2 10-bit 1920x1080 (chroma_format_idc 2: vertical crop unit 1)',
    nal: '677a0028b6cd940780227e27011000000300100000030320f1831960',
    info: { width: 1920, height: 1080, profileIdc: 122, levelIdc: 40, constraintFlags: 0 },
  },
];

interface SpsFields {
  profileIdc: number;
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  scalingLists: (number[] | undefined)[];
  picOrderCntType: number;
  pocCycle: number[];
  widthInMbs: number;
  heightInMapUnits: number;
  frameMbsOnly: boolean;
  crop: [number, number, number, number] | undefined;
}

/** Writes an SPS NAL unit (H.264 §7.3.2.1.1) with emulation prevention. */
function buildSps(f: SpsFields): Uint8Array {
  const w = new BitWriter().u(8, f.profileIdc).u(8, 0xc0).u(8, 41).ue(0);
  if ([100, 110, 122, 244].includes(f.profileIdc)) {
    w.ue(f.chromaFormatIdc);
    if (f.chromaFormatIdc === 3) w.bit(f.separateColourPlane);
    w.ue(0)
      .ue(0)
      .bit(0)
      .bit(f.scalingLists.length > 0);
    if (f.scalingLists.length > 0) {
      for (let i = 0; i < (f.chromaFormatIdc === 3 ? 12 : 8); i++) {
        const deltas = f.scalingLists[i];
        w.bit(deltas !== undefined);
        if (deltas !== undefined) writeScalingList(w, deltas, i < 6 ? 16 : 64);
      }
    }
  }
  w.ue(0).ue(f.picOrderCntType);
  if (f.picOrderCntType === 0) w.ue(2);
  if (f.picOrderCntType === 1) {
    w.bit(0).se(-3).se(7).ue(f.pocCycle.length);
    for (const offset of f.pocCycle) w.se(offset);
  }
  w.ue(1)
    .bit(0)
    .ue(f.widthInMbs - 1)
    .ue(f.heightInMapUnits - 1)
    .bit(f.frameMbsOnly);
  if (!f.frameMbsOnly) w.bit(1);
  w.bit(1).bit(f.crop !== undefined);
  for (const offset of f.crop ?? []) w.ue(offset);
  w.bit(0); // vui_parameters_present_flag
  return Uint8Array.from([0x67, ...addEmulationPrevention(w.rbsp())]);
}

/** scaling_list() (§7.3.2.1.1.1): `deltas` padded with 0, cut where nextScale reaches 0. */
function writeScalingList(w: BitWriter, deltas: readonly number[], size: number): void {
  let lastScale = 8;
  for (let j = 0; j < size; j++) {
    const delta = deltas[j] ?? 0;
    w.se(delta);
    const nextScale = (lastScale + delta + 256) % 256;
    if (nextScale === 0) return;
    lastScale = nextScale;
  }
}

function expectedSize(f: SpsFields): { width: number; height: number } {
  const fieldFactor = f.frameMbsOnly ? 1 : 2;
  const chromaArrayType = f.separateColourPlane && f.chromaFormatIdc === 3 ? 0 : f.chromaFormatIdc;
  const [left, right, top, bottom] = f.crop ?? [0, 0, 0, 0];
  const unitX = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const unitY = (chromaArrayType === 1 ? 2 : 1) * fieldFactor;
  return {
    width: f.widthInMbs * 16 - unitX * (left + right),
    height: f.heightInMapUnits * 16 * fieldFactor - unitY * (top + bottom),
  };
}

/** A scaling list's delta_scale values; a delta bringing nextScale to 0 ends the list early. */
const scalingDeltas = fc.array(fc.integer({ min: -128, max: 127 }), {
  minLength: 1,
  maxLength: 64,
});

const spsFields: fc.Arbitrary<SpsFields> = fc
  .record({
    profileIdc: fc.constantFrom(66, 77, 100, 122, 244),
    chromaFormatIdc: fc.nat({ max: 3 }),
    separateColourPlane: fc.boolean(),
    scalingLists: fc.oneof(
      fc.constant<(number[] | undefined)[]>([]),
      fc.array(fc.option(scalingDeltas, { nil: undefined }), { minLength: 12, maxLength: 12 }),
    ),
    picOrderCntType: fc.nat({ max: 2 }),
    pocCycle: fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 5 }),
    widthInMbs: fc.integer({ min: 1, max: 256 }),
    heightInMapUnits: fc.integer({ min: 1, max: 135 }),
    frameMbsOnly: fc.boolean(),
    crop: fc.option(
      fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 })),
      { nil: undefined },
    ),
  })
  .map((f) =>
    f.profileIdc < 100
      ? { ...f, chromaFormatIdc: 1, separateColourPlane: false, scalingLists: [] }
      : f,
  );

describe('parseH264Sps', () => {
  it.each(REAL_SPS)('reads $what', ({ nal, info }) => {
    expect(parseH264Sps(hex(nal))).toEqual(info);
  });

  it('reads past scaling lists, including one ended early by a zero nextScale', () => {
    const lists = [
      [0, 1, -1],
      undefined,
      [-8],
      undefined,
      undefined,
      undefined,
      Array(64).fill(1),
      undefined,
    ];
    const sps = buildSps({
      profileIdc: 100,
      chromaFormatIdc: 1,
      separateColourPlane: false,
      scalingLists: lists,
      picOrderCntType: 1,
      pocCycle: [5, -5],
      widthInMbs: 120,
      heightInMapUnits: 68,
      frameMbsOnly: true,
      crop: [0, 0, 0, 4],
    });
    expect(parseH264Sps(sps)).toMatchObject({ width: 1920, height: 1080, profileIdc: 100 });
  });

  it('gives the cropped size of any SPS written from random fields', () => {
    fc.assert(
      fc.property(spsFields, (fields) => {
        const size = expectedSize(fields);
        fc.pre(size.width > 0 && size.height > 0);
        expect(parseH264Sps(buildSps(fields))).toMatchObject(size);
      }),
      { numRuns: 300 },
    );
  });

  it('gives undefined for other NAL types, truncation and nonsense', () => {
    const sps = hex(REAL_SPS[0]!.nal);
    expect(parseH264Sps(hex('68ef3c80'))).toBeUndefined();
    expect(parseH264Sps(sps.subarray(0, 8))).toBeUndefined();
    expect(parseH264Sps(new Uint8Array(0))).toBeUndefined();
    expect(parseH264Sps(hex('6764001e00000000'))).toBeUndefined();
  });

  it('never throws on random or mutated SPS bytes', () => {
    const real = REAL_SPS.map((s) => hex(s.nal));
    const mutated = mutatedNalUnit(real, 1);
    const random = randomAfterHeader([0x67], 40);
    fc.assert(
      fc.property(fc.oneof(mutated, random), (nal) => {
        const info = parseH264Sps(nal);
        if (info !== undefined) {
          expect(info.width).toBeGreaterThan(0);
          expect(info.height).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
