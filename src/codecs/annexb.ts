/**
 * NAL unit framing: Annex B byte streams (H.264/H.265 Annex B: start codes
 * `00 00 01` / `00 00 00 01`) and the length-prefixed samples of MP4
 * (ISO/IEC 14496-15 AVCC/HVCC). Splitting returns views; nothing is copied.
 */
import { ErrorCodes, RtspError, RtspProtocolError } from '../errors.js';

/** Output always uses the 4-byte form, which is valid before any NAL unit (Annex B.1). */
export const START_CODE_LENGTH = 4;

/**
 * The NAL units of an Annex B stream, as views. Bytes before the first start
 * code and the zero bytes that trail a NAL unit (trailing_zero_8bits, or the
 * leading zero of a 4-byte start code) are not part of any NAL unit.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const nalUnits: Uint8Array[] = [];
  let nalStart = -1;
  let zeros = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte === 1 && zeros >= 2) {
      if (nalStart >= 0) pushTrimmed(nalUnits, data, nalStart, i - zeros);
      nalStart = i + 1;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  if (nalStart >= 0) pushTrimmed(nalUnits, data, nalStart, data.length - zeros);
  return nalUnits;
}

function pushTrimmed(out: Uint8Array[], data: Uint8Array, start: number, end: number): void {
  if (end > start) out.push(data.subarray(start, end));
}

/**
 * The NAL units of an MP4 sample whose units are prefixed by a big-endian length
 * of `lengthSize` bytes (1, 2 or 4: lengthSizeMinusOne + 1 of avcC/hvcC).
 * A length running past the sample throws `RtspProtocolError` at its position.
 */
export function splitLengthPrefixed(data: Uint8Array, lengthSize: number): Uint8Array[] {
  if (lengthSize !== 1 && lengthSize !== 2 && lengthSize !== 4) {
    throw new RtspError(
      `NAL length size must be 1, 2 or 4 bytes, not ${lengthSize}`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  const nalUnits: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + lengthSize > data.length) {
      throw new RtspProtocolError(`NAL length field truncated at byte ${offset}`, {
        position: offset,
      });
    }
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + data[offset + i]!;
    const start = offset + lengthSize;
    if (start + length > data.length) {
      throw new RtspProtocolError(
        `NAL unit of ${length} bytes at byte ${offset} runs past the ${data.length}-byte sample`,
        { position: offset },
      );
    }
    if (length > 0) nalUnits.push(data.subarray(start, start + length));
    offset = start + length;
  }
  return nalUnits;
}

/** One Annex B buffer, each NAL unit after a 4-byte start code; a single allocation. */
export function joinAnnexB(nalUnits: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const nal of nalUnits) size += START_CODE_LENGTH + nal.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const nal of nalUnits) {
    offset = writeStartCode(out, offset);
    out.set(nal, offset);
    offset += nal.length;
  }
  return out;
}

/** Writes `00 00 00 01` at `offset` (of a zero-filled buffer) and returns the offset after it. */
export function writeStartCode(out: Uint8Array, offset: number): number {
  out[offset + 3] = 1;
  return offset + START_CODE_LENGTH;
}
