/**
 * Test helpers shared by the depacketizer tests: RTP payloads → MediaPackets,
 * tracks, draining, and the random/mutated packet streams of their properties.
 */
import fc from 'fast-check';
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

/**
 * Copies of valid payloads with up to 6 bytes overwritten, each within the
 * first `editSpan` bytes of its payload (the headers, when small).
 */
export function withByteEdits(
  valid: fc.Arbitrary<readonly RtpPayload[]>,
  editSpan = Number.POSITIVE_INFINITY,
): fc.Arbitrary<RtpPayload[]> {
  const edits = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
    maxLength: 6,
  });
  return fc.tuple(valid, edits).map(([payloads, byteEdits]) => {
    const copy = payloads.map((p) => ({ payload: Uint8Array.from(p.payload), marker: p.marker }));
    for (const [which, at, value] of byteEdits) {
      const target = copy[which % copy.length]?.payload;
      if (target !== undefined && target.length > 0)
        target[at % Math.min(target.length, editSpan)] = value;
    }
    return copy;
  });
}

/** Payloads of random bytes with random markers. */
export const randomPayloads = (maxBytes: number, maxPackets: number): fc.Arbitrary<RtpPayload[]> =>
  fc.array(fc.record({ payload: fc.uint8Array({ maxLength: maxBytes }), marker: fc.boolean() }), {
    maxLength: maxPackets,
  });

/** MediaPackets for `payloads`, the i-th reporting `losses[i]` packets lost before it (0 past the end). */
export const withLosses = (
  payloads: readonly RtpPayload[],
  losses: readonly number[],
): MediaPacket[] =>
  payloads.map((p, i) => mediaPacket(p.payload, { marker: p.marker, lost: losses[i] ?? 0 }));
