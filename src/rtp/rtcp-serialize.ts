/**
 * Writes the RTCP packets rtspkit sends (RFC 3550 §6.4–§6.6): SR (server), RR
 * (client), SDES with a CNAME (both, §6.1 makes it mandatory in every compound
 * packet) and BYE.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import { writeU16, writeU32 } from './bytes.js';
import type { ReportBlock } from './rtcp.js';

export interface SenderReportInit {
  ssrc: number;
  ntpMsw: number;
  ntpLsw: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports?: readonly ReportBlock[];
}

export interface ReceiverReportInit {
  ssrc: number;
  reports?: readonly ReportBlock[];
}

const REPORT_BLOCK_BYTES = 24;
/** The 5-bit count field (§6.4.1); more blocks would need another packet. */
const MAX_REPORT_BLOCKS = 31;
const encoder = new TextEncoder();

export function serializeSenderReport(sr: SenderReportInit): Uint8Array {
  const reports = sr.reports ?? [];
  const packet = newPacket(200, reportCount(reports), 28 + reports.length * REPORT_BLOCK_BYTES);
  writeU32(packet, 4, sr.ssrc);
  writeU32(packet, 8, sr.ntpMsw);
  writeU32(packet, 12, sr.ntpLsw);
  writeU32(packet, 16, sr.rtpTimestamp);
  writeU32(packet, 20, sr.packetCount);
  writeU32(packet, 24, sr.octetCount);
  writeReportBlocks(packet, 28, reports);
  return packet;
}

export function serializeReceiverReport(rr: ReceiverReportInit): Uint8Array {
  const reports = rr.reports ?? [];
  const packet = newPacket(201, reportCount(reports), 8 + reports.length * REPORT_BLOCK_BYTES);
  writeU32(packet, 4, rr.ssrc);
  writeReportBlocks(packet, 8, reports);
  return packet;
}

/** One chunk with a CNAME item (§6.5.1), its end item and padding to 32 bits. */
export function serializeSdes(ssrc: number, cname: string): Uint8Array {
  const name = encoder.encode(cname);
  if (name.length > 255) {
    throw new RtspError(
      `serializeSdes: CNAME of ${name.length} bytes exceeds 255`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  const chunkBytes = Math.ceil((4 + 2 + name.length + 1) / 4) * 4;
  const packet = newPacket(202, 1, 4 + chunkBytes);
  writeU32(packet, 4, ssrc);
  packet[8] = 1; // CNAME
  packet[9] = name.length;
  packet.set(name, 10);
  return packet; // the end item and padding are the zeros the buffer starts with
}

export function serializeBye(ssrc: number, reason?: string): Uint8Array {
  const text = encoder.encode(reason ?? '');
  if (text.length > 255) {
    throw new RtspError(
      `serializeBye: reason of ${text.length} bytes exceeds 255`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  const reasonBytes = reason === undefined ? 0 : Math.ceil((1 + text.length) / 4) * 4;
  const packet = newPacket(203, 1, 8 + reasonBytes);
  writeU32(packet, 4, ssrc);
  if (reason !== undefined) {
    packet[8] = text.length;
    packet.set(text, 9);
  }
  return packet;
}

/** A compound packet (§6.1): the parts back to back. */
export function concatRtcp(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const compound = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    compound.set(part, offset);
    offset += part.length;
  }
  return compound;
}

/** A zeroed packet of `bytes` (a multiple of 4) with its common header written. */
function newPacket(packetType: number, count: number, bytes: number): Uint8Array {
  const packet = new Uint8Array(bytes);
  packet[0] = 0x80 | count;
  packet[1] = packetType;
  writeU16(packet, 2, bytes / 4 - 1);
  return packet;
}

function reportCount(reports: readonly ReportBlock[]): number {
  if (reports.length > MAX_REPORT_BLOCKS) {
    throw new RtspError(
      `RTCP report: ${reports.length} report blocks exceed the ${MAX_REPORT_BLOCKS} one packet holds`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  return reports.length;
}

function writeReportBlocks(packet: Uint8Array, at: number, reports: readonly ReportBlock[]): void {
  let p = at;
  for (const block of reports) {
    writeU32(packet, p, block.ssrc);
    // Cumulative lost is signed 24-bit, clamped as in RFC 3550 A.3, then its low 24 bits kept.
    const lost = Math.max(-0x80_0000, Math.min(0x7f_ffff, Math.trunc(block.cumulativeLost)));
    writeU32(packet, p + 4, ((block.fractionLost & 0xff) << 24) | (lost & 0xff_ffff));
    writeU32(packet, p + 8, block.highestSeq);
    writeU32(packet, p + 12, block.jitter);
    writeU32(packet, p + 16, block.lsr);
    writeU32(packet, p + 20, block.dlsr);
    p += REPORT_BLOCK_BYTES;
  }
}
