/**
 * Packetization shared by H.264 (RFC 6184) and H.265 (RFC 7798): a NAL unit
 * that fits goes alone (single NAL unit packet), a larger one is split into
 * fragmentation units, and with `aggregate` consecutive small ones share an
 * aggregation packet (STAP-A / AP). The marker is set on the access unit's last payload.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import type { RtpPayload } from './packetizer.js';

const AGGREGATION_SIZE_BYTES = 2;

/** How one codec writes the headers of its fragmentation and aggregation packets. */
export interface NalPacketScheme {
  readonly codec: string;
  /** NAL unit header bytes, which an FU replaces with its own headers. */
  readonly headerLength: number;
  /** Payload header + FU header bytes before each fragment's data. */
  readonly fragmentHeaderLength: number;
  writeFragmentHeader(out: Uint8Array, nal: Uint8Array, start: boolean, end: boolean): void;
  /** Payload header of an aggregation packet holding `nalUnits` (at least 2). */
  writeAggregationHeader(out: Uint8Array, nalUnits: readonly Uint8Array[]): void;
}

export function packetizeNalUnits(
  scheme: NalPacketScheme,
  nalUnits: readonly Uint8Array[],
  mtu: number,
  aggregate: boolean,
): RtpPayload[] {
  if (!Number.isInteger(mtu) || mtu <= scheme.fragmentHeaderLength) {
    throw new RtspError(
      `${scheme.codec} packetizer: MTU must be an integer above ${scheme.fragmentHeaderLength}, not ${mtu}`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  const payloads: RtpPayload[] = [];
  let i = 0;
  while (i < nalUnits.length) {
    const nal = nalUnits[i]!;
    if (nal.length < scheme.headerLength) {
      throw new RtspError(
        `${scheme.codec} packetizer: NAL unit ${i} has ${nal.length} bytes, shorter than its header`,
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    const aggregated = aggregate ? aggregationRun(scheme, nalUnits, i, mtu) : 1;
    if (aggregated > 1) {
      payloads.push({
        payload: aggregationPacket(scheme, nalUnits.slice(i, i + aggregated)),
        marker: false,
      });
      i += aggregated;
    } else if (nal.length <= mtu) {
      payloads.push({ payload: nal, marker: false });
      i++;
    } else {
      pushFragments(scheme, nal, mtu, payloads);
      i++;
    }
  }
  const last = payloads[payloads.length - 1];
  if (last !== undefined) last.marker = true;
  return payloads;
}

/** How many NAL units from `first` fit together in one aggregation packet of at most `mtu` bytes. */
function aggregationRun(
  scheme: NalPacketScheme,
  nalUnits: readonly Uint8Array[],
  first: number,
  mtu: number,
): number {
  let size = scheme.headerLength;
  let count = 0;
  for (let i = first; i < nalUnits.length; i++) {
    const nal = nalUnits[i]!;
    size += AGGREGATION_SIZE_BYTES + nal.length;
    if (size > mtu || nal.length < scheme.headerLength) break;
    count++;
  }
  return count;
}

function aggregationPacket(scheme: NalPacketScheme, nalUnits: readonly Uint8Array[]): Uint8Array {
  let size = scheme.headerLength;
  for (const nal of nalUnits) size += AGGREGATION_SIZE_BYTES + nal.length;
  const out = new Uint8Array(size);
  scheme.writeAggregationHeader(out, nalUnits);
  let offset = scheme.headerLength;
  for (const nal of nalUnits) {
    out[offset] = nal.length >> 8;
    out[offset + 1] = nal.length & 0xff;
    out.set(nal, offset + AGGREGATION_SIZE_BYTES);
    offset += AGGREGATION_SIZE_BYTES + nal.length;
  }
  return out;
}

function pushFragments(
  scheme: NalPacketScheme,
  nal: Uint8Array,
  mtu: number,
  payloads: RtpPayload[],
): void {
  const chunk = mtu - scheme.fragmentHeaderLength;
  for (let offset = scheme.headerLength; offset < nal.length; offset += chunk) {
    const data = nal.subarray(offset, offset + chunk);
    const out = new Uint8Array(scheme.fragmentHeaderLength + data.length);
    const start = offset === scheme.headerLength;
    const end = offset + chunk >= nal.length;
    scheme.writeFragmentHeader(out, nal, start, end);
    out.set(data, scheme.fragmentHeaderLength);
    payloads.push({ payload: out, marker: false });
  }
}
