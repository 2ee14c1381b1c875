/**
 * RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
 * Parsing is zero-copy: the payload is a view into the received bytes.
 */
import { ErrorCodes, RtspError, RtspProtocolError } from '../errors.js';
import { readU16, readU32, writeU16, writeU32 } from './bytes.js';

export const RTP_HEADER_BYTES = 12;

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  /** uint32, as on the wire. */
  timestamp: number;
  /** uint32. */
  ssrc: number;
  csrcCount: number;
  padding: boolean;
  extension: boolean;
  /** Zero-copy view of the payload, with CSRCs, extension and padding removed. */
  payload: Uint8Array;
}

/** The header fields a sender chooses; version 2, no padding, extension or CSRC. */
export interface RtpHeaderFields {
  marker: boolean;
  /** 0..127. */
  payloadType: number;
  /** Taken modulo 2^16, so a sender may count upward freely. */
  sequenceNumber: number;
  /** Taken modulo 2^32. */
  timestamp: number;
  /** Taken modulo 2^32. */
  ssrc: number;
}

/** Why `tryParseRtpPacket` refused a packet; `rtpPacketError` says it in words, with the byte. */
export type RtpProblem =
  'short' | 'version' | 'csrc-overrun' | 'extension-truncated' | 'extension-overrun' | 'padding';

/**
 * The receive hot path: the packet, or what is wrong with it, without building
 * an error (a hostile peer can send a million malformed packets a second).
 */
export function tryParseRtpPacket(data: Uint8Array): RtpPacket | RtpProblem {
  const length = data.length;
  if (length < RTP_HEADER_BYTES) return 'short';
  const first = data[0]!; // length >= 12
  if (first >>> 6 !== 2) return 'version';
  const csrcCount = first & 0x0f;
  const padding = (first & 0x20) !== 0;
  const extension = (first & 0x10) !== 0;
  let start = RTP_HEADER_BYTES + 4 * csrcCount;
  if (start > length) return 'csrc-overrun';
  if (extension) {
    if (start + 4 > length) return 'extension-truncated';
    start = extensionEnd(data, start);
    if (start > length) return 'extension-overrun';
  }
  let end = length;
  if (padding) {
    // §5.1: the last octet counts the padding octets, itself included, so it is at least 1.
    const padBytes = data[length - 1]!;
    if (padBytes === 0 || start + padBytes > length) return 'padding';
    end = length - padBytes;
  }
  const second = data[1]!;
  return {
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequenceNumber: readU16(data, 2),
    timestamp: readU32(data, 4),
    ssrc: readU32(data, 8),
    csrcCount,
    padding,
    extension,
    payload: data.subarray(start, end),
  };
}

/** Throws RtspProtocolError with the byte position (and SSRC/seq once known) on a malformed packet. */
export function parseRtpPacket(data: Uint8Array): RtpPacket {
  const parsed = tryParseRtpPacket(data);
  if (typeof parsed === 'string') throw rtpPacketError(data, parsed);
  return parsed;
}

/** The error for a packet `tryParseRtpPacket` refused: what, at which byte, and its SSRC and seq once the header is whole. */
export function rtpPacketError(data: Uint8Array, problem: RtpProblem): RtspProtocolError {
  const length = data.length;
  if (problem === 'short') {
    return malformed(`${length} bytes is shorter than the 12-byte header`, length);
  }
  if (problem === 'version') return malformed(`version ${data[0]! >>> 6}, expected 2`, 0);
  const ssrc = readU32(data, 8);
  const seq = readU16(data, 2);
  const first = data[0]!;
  const csrcEnd = RTP_HEADER_BYTES + 4 * (first & 0x0f);
  switch (problem) {
    case 'csrc-overrun':
      return malformed(
        `${first & 0x0f} CSRCs overrun the ${length}-byte packet`,
        RTP_HEADER_BYTES,
        ssrc,
        seq,
      );
    case 'extension-truncated':
      return malformed('header extension header is truncated', csrcEnd, ssrc, seq);
    case 'extension-overrun':
      return malformed(
        `header extension of ${extensionEnd(data, csrcEnd) - csrcEnd} bytes overruns the packet`,
        csrcEnd + 2,
        ssrc,
        seq,
      );
    case 'padding': {
      const start = (first & 0x10) !== 0 ? extensionEnd(data, csrcEnd) : csrcEnd;
      return malformed(
        `padding count ${data[length - 1]} does not fit the ${length - start}-byte payload`,
        length - 1,
        ssrc,
        seq,
      );
    }
  }
}

/** §5.3.1: a 16-bit profile id, then the length in 32-bit words, not counting this 4-byte header. */
function extensionEnd(data: Uint8Array, start: number): number {
  return start + 4 + 4 * readU16(data, start + 2);
}

/** Writes the 12-byte fixed header at `offset`, for senders that preallocate their buffers. */
export function writeRtpHeader(target: Uint8Array, offset: number, header: RtpHeaderFields): void {
  const pt = header.payloadType;
  if (!Number.isInteger(pt) || pt < 0 || pt > 127) {
    throw new RtspError(
      `writeRtpHeader: payload type ${pt} is outside 0..127`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  if (offset < 0 || offset + RTP_HEADER_BYTES > target.length) {
    throw new RtspError(
      `writeRtpHeader: no room for 12 bytes at offset ${offset} of a ${target.length}-byte buffer`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  target[offset] = 0x80;
  target[offset + 1] = (header.marker ? 0x80 : 0) | pt;
  writeU16(target, offset + 2, header.sequenceNumber);
  writeU32(target, offset + 4, header.timestamp);
  writeU32(target, offset + 8, header.ssrc);
}

export function serializeRtpPacket(header: RtpHeaderFields, payload: Uint8Array): Uint8Array {
  const packet = new Uint8Array(RTP_HEADER_BYTES + payload.length);
  writeRtpHeader(packet, 0, header);
  packet.set(payload, RTP_HEADER_BYTES);
  return packet;
}

/** `0x1234abcd`, as Wireshark shows an SSRC. */
export function formatSsrc(ssrc: number): string {
  return `0x${(ssrc >>> 0).toString(16).padStart(8, '0')}`;
}

function malformed(
  why: string,
  position: number,
  ssrc?: number,
  sequenceNumber?: number,
): RtspProtocolError {
  const where = ssrc === undefined ? '' : ` (SSRC ${formatSsrc(ssrc)}, seq ${sequenceNumber})`;
  return new RtspProtocolError(`malformed RTP packet${where}: ${why} at byte ${position}`, {
    position,
    phase: 'streaming',
  });
}
