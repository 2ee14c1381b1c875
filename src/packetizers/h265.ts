/**
 * H.265 packetizer, RFC 7798 without DONL (sprop-max-don-diff = 0): single NAL
 * unit packets (§4.4.1), FUs (§4.4.3) and optionally APs (§4.4.2).
 */
import { packetizeNalUnits, type NalPacketScheme } from './nal-packetizer.js';
import type { RtpPayload } from './packetizer.js';

const AGGREGATION_PACKET = 48;
const FRAGMENTATION_UNIT = 49;
const TYPE_SHIFT = 9;
/** F bit, LayerId and TID of a 16-bit NAL unit header: everything but the type. */
const HEADER_WITHOUT_TYPE = 0x81ff;
const FORBIDDEN_BIT = 0x8000;
const LAYER_ID_BITS = 0x01f8;
const TID_BITS = 0x0007;

const headerOf = (nal: Uint8Array): number => (nal[0]! << 8) | nal[1]!;

const h265Scheme: NalPacketScheme = {
  codec: 'H.265',
  headerLength: 2,
  fragmentHeaderLength: 3,
  writeFragmentHeader(out, nal, start, end) {
    const header = headerOf(nal);
    const payloadHeader = (header & HEADER_WITHOUT_TYPE) | (FRAGMENTATION_UNIT << TYPE_SHIFT);
    out[0] = payloadHeader >> 8;
    out[1] = payloadHeader & 0xff;
    out[2] = (start ? 0x80 : 0) | (end ? 0x40 : 0) | ((header >> TYPE_SHIFT) & 0x3f);
  },
  writeAggregationHeader(out, nalUnits) {
    // F is the OR of the units' F bits; LayerId and TID their lowest values (§4.4.2).
    let forbidden = 0;
    let layerId = LAYER_ID_BITS;
    let tid = TID_BITS;
    for (const nal of nalUnits) {
      const header = headerOf(nal);
      forbidden |= header & FORBIDDEN_BIT;
      layerId = Math.min(layerId, header & LAYER_ID_BITS);
      tid = Math.min(tid, header & TID_BITS);
    }
    const payloadHeader = forbidden | (AGGREGATION_PACKET << TYPE_SHIFT) | layerId | tid;
    out[0] = payloadHeader >> 8;
    out[1] = payloadHeader & 0xff;
  },
};

/** RTP payloads for one access unit; `mtu` is the largest RTP payload in bytes (e.g. 1400). */
export function packetizeH265(
  nalUnits: readonly Uint8Array[],
  mtu: number,
  options: { aggregate?: boolean } = {},
): RtpPayload[] {
  return packetizeNalUnits(h265Scheme, nalUnits, mtu, options.aggregate ?? false);
}
