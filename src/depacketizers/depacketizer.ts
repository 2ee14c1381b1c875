/**
 * The one contract every codec implements: push RTP packets in order, pull
 * frames until `undefined`. Depacketizers do no I/O, own no timers and never
 * throw on wire data: a packet they cannot use is counted in `stats` and skipped.
 */

/** An RTP packet as the depacketizer sees it, after reordering and loss detection. */
export interface MediaPacket {
  /** 16-bit sequence number as on the wire. */
  sequenceNumber: number;
  /** RTP timestamp unwrapped to a monotonically growing number (may exceed 2^32). */
  timestamp: number;
  marker: boolean;
  /**
   * RTP payload (after header, CSRCs, extension and padding are removed).
   * Depacketizers keep views of it, not copies: H.264/H.265 until the access
   * unit is written out, and AAC, LATM and G.711 frames' `data` may be a view
   * of it. So it must not be modified or reused after `push`; the transport
   * hands over a fresh buffer per datagram or socket read.
   */
  payload: Uint8Array;
  /** Wall-clock epoch ms when the packet was received. */
  receivedAt: number;
  /**
   * Packets known lost immediately before this one (0 when contiguous). The RTP
   * layer computes this from sequence numbers; depacketizers drop any partial
   * frame when it is > 0 and mark the next frame `discontinuity: true`.
   */
  lost: number;
}

export type VideoCodec = 'h264' | 'h265' | 'jpeg';
export type AudioCodec = 'aac' | 'pcma' | 'pcmu';

/** A whole video access unit, before the session adds pts and ntpTime. */
export interface DepacketizedVideoFrame {
  kind: 'video';
  codec: VideoCodec;
  /** Annex B with 4-byte start codes (parameter sets before each keyframe), or a whole JPEG file. */
  data: Uint8Array;
  /** Unwrapped RTP timestamp of the access unit. */
  timestamp: number;
  keyframe: boolean;
  width: number | undefined;
  height: number | undefined;
  /** True when packets were lost since the previous frame returned. */
  discontinuity: boolean;
  /** Wall-clock epoch ms when the last packet of the frame was received. */
  receivedAt: number;
}

/** A whole audio frame (AAC access unit or a G.711 packet's samples). */
export interface DepacketizedAudioFrame {
  kind: 'audio';
  codec: AudioCodec;
  /** AAC raw access unit (no ADTS), or G.711 bytes. */
  data: Uint8Array;
  timestamp: number;
  sampleRate: number;
  channels: number;
  /** Samples per channel in this frame (1024/960 for AAC, byte count for G.711 mono). */
  sampleCount: number;
  discontinuity: boolean;
  receivedAt: number;
}

export type DepacketizedFrame = DepacketizedVideoFrame | DepacketizedAudioFrame;

/** Counters every depacketizer keeps; all monotonically increasing. */
export interface DepacketizerStats {
  /** Frames returned by pull(). */
  frames: number;
  /** Partial frames dropped because packets were lost. */
  framesDroppedLoss: number;
  /** Frames dropped because they exceeded a cap (size, NAL count, AU size). */
  framesDroppedCap: number;
  /** Packets that could not be used (malformed, unsupported packetization). */
  packetsInvalid: number;
}

export interface Depacketizer<F extends DepacketizedFrame = DepacketizedFrame> {
  readonly media: 'video' | 'audio';
  readonly codec: F['codec'];
  /** Feed one packet. Never throws on wire data. `packet.payload` is kept, not copied (see MediaPacket). */
  push(packet: MediaPacket): void;
  /** Next complete frame, or undefined when none is ready. Call until undefined after each push. */
  pull(): F | undefined;
  /**
   * Forget any partial frame, and complete frames not yet pulled (after loss,
   * PAUSE, or a reconnect); the next frame has `discontinuity: true`.
   */
  reset(): void;
  readonly stats: Readonly<DepacketizerStats>;
  /** Bytes held now for frames not yet complete, at most the codec's frame cap (a memory gauge). */
  readonly bufferedBytes: number;
}

/** Options shared by all depacketizers. */
export interface DepacketizerOptions {
  /** Drop video frames after loss until the next keyframe (default false). */
  waitForKeyframe?: boolean;
  /** Max bytes of one video frame (default 8 MiB). */
  maxFrameBytes?: number;
}
