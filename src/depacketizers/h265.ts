/**
 * H.265 depacketizer, RFC 7798: single NAL unit packets (§4.4.1), aggregation
 * packets (AP, type 48, §4.4.2) and fragmentation units (FU, type 49, §4.4.3),
 * with the DONL/DOND fields when `sprop-max-don-diff` > 0 (§7.1). Decoding-order
 * numbers are skipped, not used to reorder: NAL units are kept in arrival order.
 * PACI packets (50, §4.4.4) and reserved types are counted as invalid.
 */
import { parseH265Sps } from '../codecs/h265-sps.js';
import { parseH265Sprops } from '../codecs/h26x-params.js';
import type { Track } from '../sdp/track.js';
import { NAL_KEYFRAME, NAL_VCL, nalTypeTable, type NalSyntax } from './access-unit.js';
import type { DepacketizerOptions } from './depacketizer.js';
import { NalDepacketizer } from './nal-depacketizer.js';

const NAL_TYPE_VPS = 32;
const NAL_TYPE_SPS = 33;
const NAL_TYPE_PPS = 34;
const NAL_TYPE_AUD = 35;
const AGGREGATION_PACKET = 48;
const FRAGMENTATION_UNIT = 49;
const PAYLOAD_HEADER_BYTES = 2;
const FU_HEADER_BYTES = 1;
const DONL_BYTES = 2;
const DOND_BYTES = 1;
/** Keeps F, LayerId and TID of a payload header; the type field (bits 9–14) is replaced. */
const HEADER_WITHOUT_TYPE = 0x81ff;
const TYPE_SHIFT = 9;

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const h265NalSyntax: NalSyntax = {
  codec: 'h265',
  headerLength: 2,
  typeOf: (firstByte) => (firstByte >> 1) & 0x3f,
  // VCL types are 0–31 (H.265 table 7-1); IRAP pictures (BLA, IDR, CRA: 16–23) are random access points.
  flags: nalTypeTable(new Uint8Array(64), [
    [range(0, 15), NAL_VCL],
    [range(16, 23), NAL_VCL | NAL_KEYFRAME],
    [range(24, 31), NAL_VCL],
  ]),
  parameterSetSlot: nalTypeTable(new Int8Array(64).fill(-1), [
    [[NAL_TYPE_VPS], 0],
    [[NAL_TYPE_SPS], 1],
    [[NAL_TYPE_PPS], 2],
  ]),
  slotCount: 3,
  spsSlot: 1,
  accessUnitDelimiterType: NAL_TYPE_AUD,
  dimensionsOf: parseH265Sps,
};

export class H265Depacketizer extends NalDepacketizer {
  readonly codec = 'h265';
  /** DONL (and DOND in APs) are present when sprop-max-don-diff > 0 (RFC 7798 §4.4.1, §7.1). */
  private readonly hasDon: boolean;

  constructor(track: Track, options?: DepacketizerOptions) {
    const { vps, sps, pps } = parseH265Sprops(track.fmtp);
    super(h265NalSyntax, [...vps, ...sps, ...pps], options);
    this.hasDon = Number.parseInt(track.fmtp['sprop-max-don-diff'] ?? '0', 10) > 0;
  }

  protected pushPayload(payload: Uint8Array): void {
    const assembler = this.assembler;
    if (payload.length < PAYLOAD_HEADER_BYTES) {
      assembler.invalidPacket();
    } else {
      const payloadHeader = (payload[0]! << 8) | payload[1]!;
      const type = (payloadHeader >> TYPE_SHIFT) & 0x3f;
      if (type < AGGREGATION_PACKET) {
        this.pushSingle(payload, payloadHeader);
      } else if (type === AGGREGATION_PACKET) {
        const firstUnit = PAYLOAD_HEADER_BYTES + (this.hasDon ? DONL_BYTES : 0);
        assembler.addAggregationUnits(payload, firstUnit, this.hasDon ? DOND_BYTES : 0);
      } else if (type === FRAGMENTATION_UNIT) {
        this.pushFragment(payload, payloadHeader);
      } else {
        assembler.invalidPacket();
      }
    }
  }

  private pushSingle(payload: Uint8Array, payloadHeader: number): void {
    if (!this.hasDon) {
      this.assembler.addNal(payload);
    } else if (payload.length >= PAYLOAD_HEADER_BYTES + DONL_BYTES) {
      // The payload header is the NAL header; the DONL sits between it and the NAL body.
      const body = payload.subarray(PAYLOAD_HEADER_BYTES + DONL_BYTES);
      this.assembler.startNal(payloadHeader, body, true);
    } else {
      this.assembler.invalidPacket();
    }
  }

  private pushFragment(payload: Uint8Array, payloadHeader: number): void {
    const fuHeader = payload[PAYLOAD_HEADER_BYTES];
    if (fuHeader === undefined) {
      this.assembler.invalidPacket();
      return;
    }
    const start = (fuHeader & 0x80) !== 0;
    const end = (fuHeader & 0x40) !== 0;
    // Only the first fragment of a NAL unit carries a DONL (§4.4.3).
    const bodyStart =
      PAYLOAD_HEADER_BYTES + FU_HEADER_BYTES + (start && this.hasDon ? DONL_BYTES : 0);
    if (bodyStart > payload.length) {
      this.assembler.invalidPacket();
      return;
    }
    const body = payload.subarray(bodyStart);
    if (start) {
      const header = (payloadHeader & HEADER_WITHOUT_TYPE) | ((fuHeader & 0x3f) << TYPE_SHIFT);
      this.assembler.startNal(header, body, end);
    } else {
      this.assembler.continueNal(body, end);
    }
  }
}
