/**
 * Annex B access unit → MP4 sample: each NAL unit behind a 4-byte big-endian
 * length (ISO/IEC 14496-15 §5.3.2/§8.3.2). Parameter sets and access unit
 * delimiters are left out: they live in the sample entry ('avc1'/'hvc1').
 */
import { splitAnnexB } from '../../codecs/annexb.js';
import { h264NalType, h265NalType, NAL_LENGTH_SIZE } from './decoder-config.js';

/** H.264 Table 7-1: SPS 7, PPS 8, AUD 9. */
const H264_OUT_OF_BAND = new Set([7, 8, 9]);
/** H.265 Table 7-1: VPS 32, SPS 33, PPS 34, AUD 35. */
const H265_OUT_OF_BAND = new Set([32, 33, 34, 35]);

export function lengthPrefixedSample(codec: 'h264' | 'h265', annexB: Uint8Array): Uint8Array {
  const nalType = codec === 'h264' ? h264NalType : h265NalType;
  const skip = codec === 'h264' ? H264_OUT_OF_BAND : H265_OUT_OF_BAND;
  const nalUnits = splitAnnexB(annexB).filter((nal) => !skip.has(nalType(nal)));
  let size = 0;
  for (const nal of nalUnits) size += NAL_LENGTH_SIZE + nal.length;
  const sample = new Uint8Array(size);
  const view = new DataView(sample.buffer);
  let offset = 0;
  for (const nal of nalUnits) {
    view.setUint32(offset, nal.length);
    sample.set(nal, offset + NAL_LENGTH_SIZE);
    offset += NAL_LENGTH_SIZE + nal.length;
  }
  return sample;
}
