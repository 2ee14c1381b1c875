/** Test helpers shared by the audio and JPEG depacketizer tests: RTP payloads → MediaPackets, tracks, draining. */
import type {
  Depacketizer,
  DepacketizedFrame,
  MediaPacket,
} from '../../../src/depacketizers/depacketizer.js';
import type { RtpPayload } from '../../../src/packetizers/packetizer.js';
import type { Track } from '../../../src/sdp/track.js';

export function track(fields: Partial<Track> & Pick<Track, 'codec' | 'clockRate'>): Track {
  return {
    index: 0,
    media: 'audio',
    payloadType: 96,
    channels: undefined,
    fmtp: {},
    control: 'rtsp://127.0.0.1/stream/trackID=0',
    controlAttribute: 'trackID=0',
    attributes: {},
    ...fields,
  };
}

let nextSequence = 0;

export function mediaPacket(payload: Uint8Array, fields: Partial<MediaPacket> = {}): MediaPacket {
  return {
    sequenceNumber: nextSequence++ & 0xffff,
    timestamp: 0,
    marker: true,
    payload,
    receivedAt: 1_700_000_000_000,
    lost: 0,
    ...fields,
  };
}

export function mediaPackets(payloads: readonly RtpPayload[], timestamp: number): MediaPacket[] {
  return payloads.map((p) => mediaPacket(p.payload, { marker: p.marker, timestamp }));
}

/** Pushes every packet, pulling after each push as the session does. */
export function depacketize<F extends DepacketizedFrame>(
  depacketizer: Depacketizer<F>,
  packets: readonly MediaPacket[],
): F[] {
  const frames: F[] = [];
  for (const packet of packets) {
    depacketizer.push(packet);
    for (let frame = depacketizer.pull(); frame !== undefined; frame = depacketizer.pull())
      frames.push(frame);
  }
  return frames;
}
