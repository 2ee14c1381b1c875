/**
 * H.265 sequence parameter set (ITU-T H.265 §7.3.2.2), read up to the
 * conformance window: picture size, general profile and level. Never throws.
 */
import { RtspProtocolError } from '../errors.js';
import { BitReader, removeEmulationPrevention } from './bit-reader.js';

export interface H265SpsInfo {
  /** Displayed width in pixels, after the conformance window. */
  width: number;
  height: number;
  generalProfileIdc: number;
  generalLevelIdc: number;
}

const NAL_TYPE_SPS = 33;
const NAL_HEADER_LENGTH = 2;
/** Level 6.2 allows 35,651,584 luma samples; more is a misparse. */
const MAX_LUMA_PICTURE_SIZE = 1 << 26;
const MAX_DIMENSION = 1 << 16;

export function parseH265Sps(nal: Uint8Array): H265SpsInfo | undefined {
  if (nal.length < NAL_HEADER_LENGTH + 1 || (((nal[0] ?? 0) >> 1) & 0x3f) !== NAL_TYPE_SPS) {
    return undefined;
  }
  try {
    const rbsp = removeEmulationPrevention(nal.subarray(NAL_HEADER_LENGTH));
    return readSps(new BitReader(rbsp, 'H.265 SPS'));
  } catch (error) {
    if (error instanceof RtspProtocolError) return undefined;
    throw error;
  }
}

function readSps(reader: BitReader): H265SpsInfo | undefined {
  reader.skipBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = reader.readBits(3);
  reader.skipBits(1); // sps_temporal_id_nesting_flag
  const { generalProfileIdc, generalLevelIdc } = readProfileTierLevel(reader, maxSubLayersMinus1);
  reader.readUe(); // sps_seq_parameter_set_id
  const chromaFormatIdc = reader.readUe();
  if (chromaFormatIdc > 3) return undefined;
  const separateColourPlane = chromaFormatIdc === 3 && reader.readBit() === 1;
  let width = reader.readUe();
  let height = reader.readUe();
  if (width > MAX_DIMENSION || height > MAX_DIMENSION || width * height > MAX_LUMA_PICTURE_SIZE) {
    return undefined;
  }
  if (reader.readBit() === 1) {
    // conf_win_*_offset are in chroma sample units (§7.4.3.2.1, SubWidthC/SubHeightC of table 6-1).
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    width -= subWidthC * (reader.readUe() + reader.readUe());
    height -= subHeightC * (reader.readUe() + reader.readUe());
  }
  if (width <= 0 || height <= 0) return undefined;
  return { width, height, generalProfileIdc, generalLevelIdc };
}

/** profile_tier_level(1, sps_max_sub_layers_minus1), §7.3.3. */
function readProfileTierLevel(
  reader: BitReader,
  maxSubLayersMinus1: number,
): { generalProfileIdc: number; generalLevelIdc: number } {
  reader.skipBits(3); // general_profile_space, general_tier_flag
  const generalProfileIdc = reader.readBits(5);
  // compatibility flags (32), source/constraint flags (4 + 43) and general_inbld/reserved (1)
  reader.skipBits(80);
  const generalLevelIdc = reader.readBits(8);
  const subLayerProfilePresent: boolean[] = [];
  const subLayerLevelPresent: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    subLayerProfilePresent.push(reader.readBit() === 1);
    subLayerLevelPresent.push(reader.readBit() === 1);
  }
  if (maxSubLayersMinus1 > 0) reader.skipBits(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (subLayerProfilePresent[i]) reader.skipBits(88);
    if (subLayerLevelPresent[i]) reader.skipBits(8);
  }
  return { generalProfileIdc, generalLevelIdc };
}
