/**
 * G.711 PCMA/PCMU depacketizer (RFC 3551 §4.5.14): every packet is a frame of
 * one byte per sample per channel, so nothing is ever partial.
 */
import type { Track } from '../sdp/track.js';
import type {
  DepacketizedAudioFrame,
  Depacketizer,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
} from './depacketizer.js';
import { FrameOutput } from './frame-output.js';

type G711Codec = 'pcma' | 'pcmu';

/** RFC 3551 table 4: static payload types 0 (PCMU) and 8 (PCMA). */
function g711Codec(track: Track): G711Codec | undefined {
  if (track.codec === 'pcma' || track.codec === 'pcmu') return track.codec;
  if (track.payloadType === 8) return 'pcma';
  if (track.payloadType === 0) return 'pcmu';
  return undefined;
}

export class G711Depacketizer implements Depacketizer<DepacketizedAudioFrame> {
  readonly media = 'audio';
  readonly codec: G711Codec;
  private readonly output = new FrameOutput<DepacketizedAudioFrame>();
  readonly stats: DepacketizerStats = this.output.stats;

  private readonly sampleRate: number;
  private readonly channels: number;

  /** Why the track is not G.711, or undefined. */
  static validate(track: Track): string | undefined {
    return g711Codec(track) === undefined
      ? `codec ${track.codec} (payload type ${track.payloadType}) is not G.711`
      : undefined;
  }

  constructor(track: Track, _options?: DepacketizerOptions) {
    this.codec = g711Codec(track) ?? 'pcmu';
    // RFC 3551 §4.5.14: 8000 Hz unless rtpmap says otherwise.
    this.sampleRate = track.clockRate || 8000;
    this.channels = track.channels || 1;
  }

  push(packet: MediaPacket): void {
    if (packet.lost > 0) this.output.discontinuity = true;
    const sampleCount = Math.floor(packet.payload.length / this.channels);
    if (sampleCount === 0 || packet.payload.length % this.channels !== 0) {
      this.stats.packetsInvalid++;
      return;
    }
    this.output.add({
      kind: 'audio',
      codec: this.codec,
      data: packet.payload,
      timestamp: packet.timestamp,
      sampleRate: this.sampleRate,
      channels: this.channels,
      sampleCount,
      discontinuity: this.output.takeDiscontinuity(),
      receivedAt: packet.receivedAt,
    });
  }

  /** Each packet is a whole frame. */
  readonly bufferedBytes = 0;

  pull(): DepacketizedAudioFrame | undefined {
    return this.output.pull();
  }

  reset(): void {
    this.output.reset();
  }
}
