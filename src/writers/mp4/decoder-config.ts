/**
 * Decoder configuration records for MP4 sample entries, built from the
 * parameter sets found in front of a keyframe: AVCDecoderConfigurationRecord
 * (ISO/IEC 14496-15 §5.3.3.1, box 'avcC') and HEVCDecoderConfigurationRecord
 * (§8.3.3.1, box 'hvcC'). Samples then carry 4-byte NAL lengths.
 */
import { splitAnnexB } from '../../codecs/annexb.js';
import { removeEmulationPrevention } from '../../codecs/bit-reader.js';
import { parseH264Sps } from '../../codecs/h264-sps.js';
import { parseH265Sps } from '../../codecs/h265-sps.js';

export const NAL_LENGTH_SIZE = 4;

export interface VideoDecoderConfig {
  codec: 'h264' | 'h265';
  /** The record's bytes, for mp4box's `avcDecoderConfigRecord` / `hevcDecoderConfigRecord`. */
  record: Uint8Array;
  width: number;
  height: number;
}

const H264_SPS = 7;
const H264_PPS = 8;
/** H.265 Table 7-1. */
const H265_VPS = 32;
const H265_SPS = 33;
const H265_PPS = 34;
/** H.265 §7.3.3: general profile_tier_level is 12 bytes after the SPS's first byte. */
const H265_PTL_OFFSET = 1;
const H265_PTL_BYTES = 12;

export function h264NalType(nal: Uint8Array): number {
  return (nal[0] ?? 0) & 0x1f;
}

export function h265NalType(nal: Uint8Array): number {
  return ((nal[0] ?? 0) >> 1) & 0x3f;
}

/** The configuration of a keyframe's in-band parameter sets; undefined when they are missing. */
export function videoDecoderConfig(
  codec: 'h264' | 'h265',
  keyframe: Uint8Array,
): VideoDecoderConfig | undefined {
  const nalUnits = splitAnnexB(keyframe);
  return codec === 'h264' ? avcConfig(nalUnits) : hevcConfig(nalUnits);
}

function avcConfig(nalUnits: Uint8Array[]): VideoDecoderConfig | undefined {
  const sps = nalUnits.filter((n) => h264NalType(n) === H264_SPS);
  const pps = nalUnits.filter((n) => h264NalType(n) === H264_PPS);
  const first = sps[0];
  const info = first && parseH264Sps(first);
  if (!first || !info || pps.length === 0) return undefined;
  const record = new RecordBuilder();
  record.u8(1); // configurationVersion
  record.u8(first[1]!, first[2]!, first[3]!); // profile, compatibility, level: the SPS's own bytes
  record.u8(0xfc | (NAL_LENGTH_SIZE - 1), 0xe0 | sps.length);
  for (const nal of sps) record.nal(nal);
  record.u8(pps.length);
  for (const nal of pps) record.nal(nal);
  return { codec: 'h264', record: record.finish(), width: info.width, height: info.height };
}

function hevcConfig(nalUnits: Uint8Array[]): VideoDecoderConfig | undefined {
  const arrays = [H265_VPS, H265_SPS, H265_PPS].map((type) => ({
    type,
    units: nalUnits.filter((n) => h265NalType(n) === type),
  }));
  const sps = arrays[1]!.units[0];
  const info = sps && parseH265Sps(sps);
  if (!sps || !info || arrays.some((a) => a.units.length === 0)) return undefined;
  const rbsp = removeEmulationPrevention(sps.subarray(2));
  if (rbsp.length < H265_PTL_OFFSET + H265_PTL_BYTES) return undefined;
  const maxSubLayersMinus1 = (rbsp[0]! >> 1) & 7;
  const temporalIdNesting = rbsp[0]! & 1;
  const record = new RecordBuilder();
  record.u8(1); // configurationVersion
  record.bytes(rbsp.subarray(H265_PTL_OFFSET, H265_PTL_OFFSET + H265_PTL_BYTES)); // general profile_tier_level
  // min_spatial_segmentation 0, parallelismType 0; 4:2:0 8-bit assumed here:
  // decoders take chroma format and bit depth from the SPS itself.
  record.u8(0xf0, 0x00, 0xfc, 0xfc | 1, 0xf8, 0xf8);
  record.u8(0, 0); // avgFrameRate: unspecified
  record.u8(((maxSubLayersMinus1 + 1) << 3) | (temporalIdNesting << 2) | (NAL_LENGTH_SIZE - 1));
  record.u8(arrays.length);
  for (const { type, units } of arrays) {
    record.u8(0x80 | type); // array_completeness: all parameter sets are here, none in-band
    record.u16(units.length);
    for (const nal of units) record.nal(nal);
  }
  return { codec: 'h265', record: record.finish(), width: info.width, height: info.height };
}

/** Appends big-endian fields; records are a few hundred bytes, built once per file. */
class RecordBuilder {
  private readonly parts: number[] = [];
  u8(...values: number[]): void {
    this.parts.push(...values);
  }
  u16(value: number): void {
    this.parts.push(value >> 8, value & 0xff);
  }
  bytes(data: Uint8Array): void {
    for (const byte of data) this.parts.push(byte);
  }
  nal(nal: Uint8Array): void {
    this.u16(nal.length);
    this.bytes(nal);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
