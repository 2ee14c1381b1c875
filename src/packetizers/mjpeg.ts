/**
 * RTP/JPEG packetizer (RFC 2435 §3): the scan data of one JPEG split into
 * fragments, each behind the main JPEG header (§3.1) and, for types 64/65, the
 * restart marker header (§3.1.7); the first fragment also carries the image's
 * own quantization tables (Q = 255, §3.1.8), so no quality guess is needed.
 */
import { parseJpeg } from '../codecs/jpeg.js';
import { recodeWithStandardTables } from '../codecs/jpeg-huffman.js';
import { ErrorCodes, RtspError } from '../errors.js';
import type { RtpPayload } from './packetizer.js';

const MAIN_HEADER_BYTES = 8;
const RESTART_HEADER_BYTES = 4;
const QUANTIZATION_HEADER_BYTES = 4;
/** §4.1: types 64–127 are types 0–63 with restart markers in the scan. */
const RESTART_TYPE_FLAG = 64;
/** §3.1.8: Q 128–255 means the tables travel in-band; 255 means they may change per frame. */
const IN_BAND_TABLES_Q = 255;
/** §3.1.7: F = L = 1 with count 0x3FFF: restart intervals not aligned to packets. */
const UNALIGNED_RESTART_BITS = 0xffff;

/**
 * Throws (RtspError ERR_RTSP_UNSUPPORTED / RtspProtocolError) when the JPEG is
 * not baseline 4:2:0/4:2:2 YCbCr; scans coded with non-standard Huffman tables
 * are losslessly re-coded with the tables RFC 2435 receivers assume.
 */
export function packetizeJpeg(jpeg: Uint8Array, mtu: number): RtpPayload[] {
  const image = parseJpeg(jpeg);
  const scan = recodeWithStandardTables(image);
  const hasRestart = image.restartInterval > 0;
  const headerBytes = MAIN_HEADER_BYTES + (hasRestart ? RESTART_HEADER_BYTES : 0);
  const tables = image.quantizationTables;
  const firstExtra = QUANTIZATION_HEADER_BYTES + tables.length;
  if (!Number.isInteger(mtu) || mtu <= headerBytes + firstExtra) {
    throw new RtspError(
      `JPEG packetizer: MTU ${mtu} is too small`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  if (scan.length >= 1 << 24)
    throw new RtspError('JPEG packetizer: scan over 16 MiB', ErrorCodes.ERR_RTSP_UNSUPPORTED);
  const packets: RtpPayload[] = [];
  let offset = 0;
  do {
    const first = offset === 0;
    const room = mtu - headerBytes - (first ? firstExtra : 0);
    const chunk = scan.subarray(offset, offset + room);
    const payload = new Uint8Array(headerBytes + (first ? firstExtra : 0) + chunk.length);
    const view = new DataView(payload.buffer);
    view.setUint32(0, offset); // type-specific 0 (progressive frame) + 24-bit fragment offset
    payload[4] = image.type | (hasRestart ? RESTART_TYPE_FLAG : 0);
    payload[5] = IN_BAND_TABLES_Q;
    payload[6] = Math.ceil(image.width / 8);
    payload[7] = Math.ceil(image.height / 8);
    let at = MAIN_HEADER_BYTES;
    if (hasRestart) {
      view.setUint16(at, image.restartInterval);
      view.setUint16(at + 2, UNALIGNED_RESTART_BITS);
      at += RESTART_HEADER_BYTES;
    }
    if (first) {
      // MBZ 0, precision 0 (8-bit tables), length.
      view.setUint16(at + 2, tables.length);
      payload.set(tables, at + QUANTIZATION_HEADER_BYTES);
      at += firstExtra;
    }
    payload.set(chunk, at);
    offset += chunk.length;
    packets.push({ payload, marker: offset >= scan.length });
  } while (offset < scan.length);
  return packets;
}
