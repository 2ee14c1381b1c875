/**
 * G.711 packetizer (RFC 3551 §4.5.14): consecutive runs of `samplesPerPacket`
 * bytes (mono), so packet i starts at RTP timestamp `i × samplesPerPacket`.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import type { RtpPayload } from './packetizer.js';

export function packetizeG711(encoded: Uint8Array, samplesPerPacket: number): RtpPayload[] {
  if (!Number.isInteger(samplesPerPacket) || samplesPerPacket < 1) {
    throw new RtspError(
      `G.711 packetizer: ${samplesPerPacket} samples per packet`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  const packets: RtpPayload[] = [];
  for (let start = 0; start < encoded.length; start += samplesPerPacket) {
    // RFC 3551 §4.1: the marker flags a talkspurt's start; continuous audio never sets it.
    packets.push({ payload: encoded.subarray(start, start + samplesPerPacket), marker: false });
  }
  return packets;
}
