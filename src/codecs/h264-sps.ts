/**
 * H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1): just enough to give
 * the picture size, profile and level. Never throws: an SPS it cannot read
 * yields `undefined`.
 */
import { RtspProtocolError } from '../errors.js';
import { BitReader, removeEmulationPrevention } from './bit-reader.js';

export interface H264SpsInfo {
  /** Displayed width in pixels, after frame cropping. */
  width: number;
  height: number;
  profileIdc: number;
  levelIdc: number;
  /** constraint_set0..5 flags and the 2 reserved bits, as the SPS's second byte. */
  constraintFlags: number;
}

const NAL_TYPE_SPS = 7;
/** Profiles whose SPS carries chroma_format_idc, bit depths and scaling lists (§7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
/** 65536 pixels, as for H.265: containers store a dimension in 16 bits (MP4 tkhd, 16.16). */
const MAX_PIC_SIZE_IN_MBS = (1 << 16) / 16;
/** Level 6.2 allows 139264 macroblocks per frame; anything far beyond is a misparse. */
const MAX_FRAME_MBS = 1 << 20;

export function parseH264Sps(nal: Uint8Array): H264SpsInfo | undefined {
  if (nal.length < 4 || ((nal[0] ?? 0) & 0x1f) !== NAL_TYPE_SPS) return undefined;
  try {
    return readSps(new BitReader(removeEmulationPrevention(nal.subarray(1)), 'H.264 SPS'));
  } catch (error) {
    if (error instanceof RtspProtocolError) return undefined;
    throw error;
  }
}

function readSps(reader: BitReader): H264SpsInfo | undefined {
  const profileIdc = reader.readBits(8);
  const constraintFlags = reader.readBits(8);
  const levelIdc = reader.readBits(8);
  reader.readUe(); // seq_parameter_set_id
  let chromaFormatIdc = 1; // 4:2:0 when absent
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = reader.readUe();
    if (chromaFormatIdc > 3) return undefined;
    if (chromaFormatIdc === 3) separateColourPlane = reader.readBit() === 1;
    reader.readUe(); // bit_depth_luma_minus8
    reader.readUe(); // bit_depth_chroma_minus8
    reader.readBit(); // qpprime_y_zero_transform_bypass_flag
    if (reader.readBit() === 1) skipScalingLists(reader, chromaFormatIdc === 3 ? 12 : 8);
  }
  reader.readUe(); // log2_max_frame_num_minus4
  const picOrderCntType = reader.readUe();
  if (picOrderCntType === 0) {
    reader.readUe(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (picOrderCntType === 1) {
    reader.readBit(); // delta_pic_order_always_zero_flag
    reader.readSe(); // offset_for_non_ref_pic
    reader.readSe(); // offset_for_top_to_bottom_field
    const cycleLength = reader.readUe();
    if (cycleLength > 255) return undefined;
    for (let i = 0; i < cycleLength; i++) reader.readSe();
  } else if (picOrderCntType !== 2) {
    return undefined;
  }
  reader.readUe(); // max_num_ref_frames
  reader.readBit(); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = reader.readUe() + 1;
  const heightInMapUnits = reader.readUe() + 1;
  const frameMbsOnly = reader.readBit();
  if (frameMbsOnly === 0) reader.readBit(); // mb_adaptive_frame_field_flag
  reader.readBit(); // direct_8x8_inference_flag
  const fieldFactor = 2 - frameMbsOnly; // map units are field macroblock pairs when interlaced
  const heightInMbs = heightInMapUnits * fieldFactor;
  if (
    widthInMbs > MAX_PIC_SIZE_IN_MBS ||
    heightInMbs > MAX_PIC_SIZE_IN_MBS ||
    widthInMbs * heightInMbs > MAX_FRAME_MBS
  ) {
    return undefined;
  }
  let width = widthInMbs * 16;
  let height = heightInMbs * 16;
  if (reader.readBit() === 1) {
    // Crop units, §7.4.2.1.1 (frame_crop_*_offset): ChromaArrayType 0 counts luma samples.
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const cropUnitX = chromaArrayType === 0 || chromaArrayType === 3 ? 1 : 2;
    const cropUnitY = (chromaArrayType === 1 ? 2 : 1) * fieldFactor;
    width -= cropUnitX * (reader.readUe() + reader.readUe());
    height -= cropUnitY * (reader.readUe() + reader.readUe());
  }
  if (width <= 0 || height <= 0) return undefined;
  return { width, height, profileIdc, levelIdc, constraintFlags };
}

/** seq_scaling_list_present_flag[i] and scaling_list() (§7.3.2.1.1.1); the values are not kept. */
function skipScalingLists(reader: BitReader, listCount: number): void {
  for (let i = 0; i < listCount; i++) {
    if (reader.readBit() === 0) continue;
    const size = i < 6 ? 16 : 64;
    let lastScale = 8;
    let nextScale = 8;
    for (let j = 0; j < size && nextScale !== 0; j++) {
      nextScale = (lastScale + reader.readSe() + 256) % 256;
      lastScale = nextScale === 0 ? lastScale : nextScale;
    }
  }
}
