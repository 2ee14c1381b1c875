/** Test helpers shared by the H.264/H.265 depacketizer tests. */
import type { MediaPacket } from '../../../src/depacketizers/depacketizer.js';
import type { RtpPayload } from '../../../src/packetizers/packetizer.js';
import type { Track } from '../../../src/sdp/track.js';
import { depacketize } from './media-packets.js';

export function videoTrack(codec: 'h264' | 'h265', fmtp: Record<string, string> = {}): Track {
  return {
    index: 0,
    media: 'video',
    codec,
    payloadType: 96,
    clockRate: 90000,
    channels: undefined,
    fmtp,
    control: 'rtsp://127.0.0.1/cam/trackID=0',
    controlAttribute: 'trackID=0',
    attributes: {},
  };
}

/** RTP packets for payloads of one access unit at `timestamp`, numbered from `sequenceNumber`. */
export function packetsOf(
  payloads: readonly RtpPayload[],
  timestamp: number,
  sequenceNumber = 0,
): MediaPacket[] {
  return payloads.map(({ payload, marker }, i) => ({
    sequenceNumber: (sequenceNumber + i) & 0xffff,
    timestamp,
    marker,
    payload,
    receivedAt: 1_700_000_000_000 + timestamp / 90,
    lost: 0,
  }));
}

export function packet(
  payload: Uint8Array | number[],
  timestamp: number,
  extra: Partial<MediaPacket> = {},
): MediaPacket {
  return {
    sequenceNumber: 0,
    timestamp,
    marker: false,
    payload: payload instanceof Uint8Array ? payload : Uint8Array.from(payload),
    receivedAt: 1_700_000_000_000,
    lost: 0,
    ...extra,
  };
}

/** Pushes every packet, pulling frames as they become ready (the session's order). */
export const feed = depacketize;

export const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => Array.from(p)));

/** Annex B of NAL units given as byte arrays (4-byte start codes). */
export const annexB = (...nals: (number[] | Uint8Array)[]): Uint8Array =>
  bytes(...nals.flatMap((nal) => [[0, 0, 0, 1], nal]));
