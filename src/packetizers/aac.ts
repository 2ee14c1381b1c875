/**
 * RFC 3640 AAC-hbr packetizer (§3.3.6): a 16-bit AU-headers-length, then one
 * 16-bit AU-header (13-bit AU-size, 3-bit AU-Index/AU-Index-delta = 0) per AU.
 * Consecutive small AUs share a packet; an AU larger than the MTU is fragmented.
 */
import { toHex } from '../codecs/aac-config.js';
import { ErrorCodes, RtspError } from '../errors.js';
import type { RtpPayload } from './packetizer.js';

const AU_HEADERS_LENGTH_BYTES = 2;
const AU_HEADER_BYTES = 2;
const SIZE_LENGTH = 13;
const INDEX_LENGTH = 3;
const MAX_AU_SIZE = (1 << SIZE_LENGTH) - 1;

/** An RTP payload and the position of its first AU, which gives its timestamp. */
export interface AacRtpPayload extends RtpPayload {
  /**
   * Index in `accessUnits` of the first AU in this packet: its RTP timestamp is
   * the first AU's plus `accessUnitIndex × 1024` (RFC 3640 §3.2.3.1). Fragments
   * of one AU share its index.
   */
  accessUnitIndex: number;
}

/** The fmtp for the SDP answer matching what `packetizeAac` sends (RFC 3640 §4.1). */
export function aacFmtp(config: Uint8Array): Record<string, string> {
  return {
    streamtype: '5',
    'profile-level-id': '1',
    mode: 'AAC-hbr',
    sizelength: String(SIZE_LENGTH),
    indexlength: String(INDEX_LENGTH),
    indexdeltalength: String(INDEX_LENGTH),
    config: toHex(config),
  };
}

function invalidArgument(message: string): RtspError {
  return new RtspError(message, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
}

/** One packet holding `accessUnits[first..last)` whole, or one fragment of an AU. */
function writePacket(
  accessUnits: readonly Uint8Array[],
  first: number,
  last: number,
  fragment: { auSize: number; data: Uint8Array } | undefined,
): Uint8Array {
  const count = last - first;
  let dataBytes = 0;
  if (fragment !== undefined) dataBytes = fragment.data.length;
  else for (let i = first; i < last; i++) dataBytes += accessUnits[i]!.length;
  const payload = new Uint8Array(AU_HEADERS_LENGTH_BYTES + count * AU_HEADER_BYTES + dataBytes);
  const view = new DataView(payload.buffer);
  view.setUint16(0, count * AU_HEADER_BYTES * 8);
  let offset = AU_HEADERS_LENGTH_BYTES + count * AU_HEADER_BYTES;
  for (let i = first; i < last; i++) {
    const size = fragment?.auSize ?? accessUnits[i]!.length;
    view.setUint16(AU_HEADERS_LENGTH_BYTES + (i - first) * AU_HEADER_BYTES, size << INDEX_LENGTH);
    const data = fragment?.data ?? accessUnits[i]!;
    payload.set(data, offset);
    offset += data.length;
  }
  return payload;
}

/**
 * Throws ERR_RTSP_INVALID_ARGUMENT for an empty AU, one over 8191 bytes (13-bit AU-size), or
 * an MTU too small for a header and one byte of data.
 */
export function packetizeAac(accessUnits: readonly Uint8Array[], mtu: number): AacRtpPayload[] {
  const overhead = AU_HEADERS_LENGTH_BYTES + AU_HEADER_BYTES;
  if (!Number.isInteger(mtu) || mtu <= overhead)
    throw invalidArgument(`AAC packetizer: MTU ${mtu} is too small`);
  const packets: AacRtpPayload[] = [];
  let index = 0;
  while (index < accessUnits.length) {
    const au = accessUnits[index]!;
    if (au.length === 0 || au.length > MAX_AU_SIZE) {
      throw invalidArgument(
        `AAC packetizer: access unit ${index} has ${au.length} bytes (1..${MAX_AU_SIZE} allowed)`,
      );
    }
    if (au.length + overhead > mtu) {
      // §3.2.3.2: fragments repeat the whole AU's size; the marker ends the AU.
      for (let start = 0; start < au.length; start += mtu - overhead) {
        const data = au.subarray(start, start + mtu - overhead);
        const payload = writePacket(accessUnits, index, index + 1, { auSize: au.length, data });
        packets.push({
          payload,
          marker: start + data.length === au.length,
          accessUnitIndex: index,
        });
      }
      index++;
      continue;
    }
    let last = index + 1;
    let bytes = AU_HEADERS_LENGTH_BYTES + AU_HEADER_BYTES + au.length;
    for (; last < accessUnits.length; last++) {
      const next = accessUnits[last]!;
      if (
        next.length === 0 ||
        next.length > MAX_AU_SIZE ||
        bytes + AU_HEADER_BYTES + next.length > mtu
      )
        break;
      bytes += AU_HEADER_BYTES + next.length;
    }
    packets.push({
      payload: writePacket(accessUnits, index, last, undefined),
      marker: true,
      accessUnitIndex: index,
    });
    index = last;
  }
  return packets;
}
