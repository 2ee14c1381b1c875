/**
 * H.264 packetizer, RFC 6184 non-interleaved mode (packetization-mode=1):
 * single NAL unit packets, FU-A (§5.8) and optionally STAP-A (§5.7.1).
 */
import { packetizeNalUnits, type NalPacketScheme } from './nal-packetizer.js';
import type { RtpPayload } from './packetizer.js';

const STAP_A = 24;
const FU_A = 28;
const FORBIDDEN_BIT = 0x80;
const NRI_BITS = 0x60;

const h264Scheme: NalPacketScheme = {
  codec: 'H.264',
  headerLength: 1,
  fragmentHeaderLength: 2,
  writeFragmentHeader(out, nal, start, end) {
    out[0] = (nal[0]! & (FORBIDDEN_BIT | NRI_BITS)) | FU_A;
    out[1] = (start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0]! & 0x1f);
  },
  writeAggregationHeader(out, nalUnits) {
    // F is the OR of the units' F bits, NRI their maximum (§5.7.1).
    let forbidden = 0;
    let nri = 0;
    for (const nal of nalUnits) {
      forbidden |= nal[0]! & FORBIDDEN_BIT;
      nri = Math.max(nri, nal[0]! & NRI_BITS);
    }
    out[0] = forbidden | nri | STAP_A;
  },
};

/** RTP payloads for one access unit; `mtu` is the largest RTP payload in bytes (e.g. 1400). */
export function packetizeH264(
  nalUnits: readonly Uint8Array[],
  mtu: number,
  options: { aggregate?: boolean } = {},
): RtpPayload[] {
  return packetizeNalUnits(h264Scheme, nalUnits, mtu, options.aggregate ?? false);
}
