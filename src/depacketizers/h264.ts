/**
 * H.264 depacketizer, RFC 6184 (non-interleaved mode, §6.3): single NAL unit
 * packets (types 1–23), STAP-A (24, §5.7.1) and FU-A (28, §5.8). The interleaved
 * mode's STAP-B, MTAP16/24 and FU-B (25, 26, 27, 29) are counted as invalid.
 * Frames are Annex B access units; see access-unit.ts for where they end.
 */
import { parseH264Sps } from '../codecs/h264-sps.js';
import { parseSpropParameterSets } from '../codecs/h26x-params.js';
import type { Track } from '../sdp/track.js';
import { NAL_KEYFRAME, NAL_VCL, nalTypeTable, type NalSyntax } from './access-unit.js';
import type { DepacketizerOptions } from './depacketizer.js';
import { NalDepacketizer } from './nal-depacketizer.js';

const NAL_TYPE_IDR = 5;
const NAL_TYPE_SPS = 7;
const NAL_TYPE_PPS = 8;
const NAL_TYPE_AUD = 9;
const STAP_A = 24;
const FU_A = 28;
const STAP_A_HEADER_BYTES = 1;

export const h264NalSyntax: NalSyntax = {
  codec: 'h264',
  headerLength: 1,
  typeOf: (firstByte) => firstByte & 0x1f,
  // Coded slices are types 1–5 (H.264 table 7-1); only IDR (5) starts a decodable picture.
  flags: nalTypeTable(new Uint8Array(64), [
    [[1, 2, 3, 4], NAL_VCL],
    [[NAL_TYPE_IDR], NAL_VCL | NAL_KEYFRAME],
  ]),
  parameterSetSlot: nalTypeTable(new Int8Array(64).fill(-1), [
    [[NAL_TYPE_SPS], 0],
    [[NAL_TYPE_PPS], 1],
  ]),
  slotCount: 2,
  spsSlot: 0,
  accessUnitDelimiterType: NAL_TYPE_AUD,
  dimensionsOf: parseH264Sps,
};

export class H264Depacketizer extends NalDepacketizer {
  readonly codec = 'h264';

  constructor(track: Track, options?: DepacketizerOptions) {
    super(h264NalSyntax, parseSpropParameterSets(track.fmtp['sprop-parameter-sets']), options);
  }

  protected pushPayload(payload: Uint8Array): void {
    const assembler = this.assembler;
    const type = (payload[0] ?? 0) & 0x1f;
    if (type >= 1 && type <= 23) {
      assembler.addNal(payload);
    } else if (type === STAP_A) {
      assembler.addAggregationUnits(payload, STAP_A_HEADER_BYTES, 0);
    } else if (type === FU_A && payload.length >= 2) {
      const fuHeader = payload[1]!;
      const end = (fuHeader & 0x40) !== 0;
      const body = payload.subarray(2);
      if ((fuHeader & 0x80) !== 0) {
        // The NAL header is rebuilt from the FU indicator's F/NRI and the FU header's type (§5.8).
        assembler.startNal((payload[0]! & 0xe0) | (fuHeader & 0x1f), body, end);
      } else {
        assembler.continueNal(body, end);
      }
    } else {
      assembler.invalidPacket();
    }
  }
}
