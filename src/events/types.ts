/**
 * The typed event union a session yields. `switch (ev.type)` narrows it.
 * Durations (`*Ms`) come from a monotonic clock; `at`/`receivedAt`/`ntpTime`
 * are wall-clock epoch milliseconds.
 */
import type { AudioCodec, VideoCodec } from '../depacketizers/depacketizer.js';
import type { RtspError } from '../errors.js';
import type { Track } from '../sdp/track.js';

interface EventBase {
  /** Monotonic ms since the session started (the constructor ran). */
  sessionElapsedMs: number;
}

export interface ConnectEvent extends EventBase {
  type: 'connect';
  localAddress: string;
  remoteAddress: string;
  /** TCP (and TLS) connect time. */
  elapsedMs: number;
}

export interface RtspExchangeEvent extends EventBase {
  type: 'rtsp';
  method: string;
  /** Request URL, password redacted. */
  url: string;
  status: number;
  reason: string;
  /** From the request written to the response parsed. */
  elapsedMs: number;
  cseq: number;
  /** Response headers, names lower-cased; Authorization-like values redacted. */
  headers: Record<string, string>;
  /** On DESCRIBE: the SDP body and its tracks. */
  sdp?: string;
  tracks?: Track[];
}

export interface RtpEvent extends EventBase {
  type: 'rtp';
  track: number;
  media: 'video' | 'audio';
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  ssrc: number;
  payload: Uint8Array;
  receivedAt: number;
}

export interface RtcpEvent extends EventBase {
  type: 'rtcp';
  track: number;
  /** RTCP packet type (200 SR, 201 RR, 202 SDES, 203 BYE, ...). */
  packetType: number;
  /** Sender reports: wall-clock epoch ms of the NTP timestamp. */
  ntpTime?: number;
  rtpTimestamp?: number;
  ssrc?: number;
}

export interface VideoFrame {
  codec: VideoCodec;
  data: Uint8Array;
  /** Unwrapped RTP timestamp (ticks of the track's clock). */
  timestamp: number;
  /**
   * Seconds since the start of the range played (RTP-Info rtptime, the same
   * origin on every track), else since the track's first packet.
   */
  pts: number;
  keyframe: boolean;
  width?: number;
  height?: number;
  /** Capture time (epoch ms) from RTCP sender reports, once one arrived. */
  ntpTime?: number;
  discontinuity: boolean;
  receivedAt: number;
}

export interface AudioFrame {
  codec: AudioCodec;
  data: Uint8Array;
  timestamp: number;
  /** As VideoFrame.pts. */
  pts: number;
  sampleRate: number;
  channels: number;
  sampleCount: number;
  ntpTime?: number;
  discontinuity: boolean;
  receivedAt: number;
}

export interface VideoEvent extends EventBase {
  type: 'video';
  track: number;
  frame: VideoFrame;
}

export interface AudioEvent extends EventBase {
  type: 'audio';
  track: number;
  frame: AudioFrame;
}

export interface TrackStats {
  track: number;
  media: 'video' | 'audio';
  codec: string;
  packets: number;
  bytes: number;
  /** Packets missing from the sequence (RFC 3550 A.3 cumulative lost). */
  lost: number;
  reordered: number;
  duplicates: number;
  /** Interarrival jitter (RFC 3550 6.4.1), in milliseconds. */
  jitterMs: number;
  frames: number;
  /** Frames per second over the last interval. */
  fps: number;
  /** Bits per second over the last interval. */
  bitrate: number;
  /** Packets that could not be used (malformed, unknown payload type). */
  invalid: number;
  /** Frames dropped (loss, caps) by the depacketizer. */
  framesDropped: number;
  /** Media events dropped because the consumer fell behind (UDP only). */
  eventsDropped: number;
  /** RTP packets of another SSRC than the track's (a stray sender; also the run that proves an SSRC change). */
  unknownSsrc?: number;
  /** RTCP compound packets that did not parse completely (the packets before the damage are used). */
  rtcpInvalid?: number;
  /**
   * Bytes the track holds now: packets in its reorder window and the frame
   * being assembled (at most the depacketizer's maxFrameBytes, 8 MiB).
   */
  bufferedBytes?: number;
}

export interface SessionTimings {
  /** Monotonic ms from session start to the first RTP packet / frame / keyframe. */
  firstRtpMs?: number;
  firstFrameMs?: number;
  firstKeyframeMs?: number;
  /** Sum of the per-method elapsed times, by method (last value). */
  methods: Record<string, number>;
  connectMs?: number;
}

export interface StatsEvent extends EventBase {
  type: 'stats';
  tracks: TrackStats[];
  timings: SessionTimings;
  /** Wall-clock epoch ms of this report. */
  at: number;
  /** `$` frames on channels no SETUP asked for (TCP), dropped since the start. */
  unknownChannelFrames?: number;
}

export type ClosedReason = 'teardown' | 'aborted' | 'server-closed' | 'timeout' | 'error';

export interface ClosedEvent extends EventBase {
  type: 'closed';
  reason: ClosedReason;
  error?: RtspError;
  timings: SessionTimings;
}

/** A camera workaround was applied (see docs/camera-quirks.md). */
export interface QuirkEvent extends EventBase {
  type: 'quirk';
  quirk: string;
  detail: string;
}

export interface ReconnectingEvent extends EventBase {
  type: 'reconnecting';
  attempt: number;
  delayMs: number;
  error?: RtspError;
}

export interface ReconnectedEvent extends EventBase {
  type: 'reconnected';
  attempt: number;
}

export type RtspEvent =
  | ConnectEvent
  | RtspExchangeEvent
  | RtpEvent
  | RtcpEvent
  | VideoEvent
  | AudioEvent
  | StatsEvent
  | QuirkEvent
  | ReconnectingEvent
  | ReconnectedEvent
  | ClosedEvent;

export type RtspEventType = RtspEvent['type'];
