/**
 * What the two AAC payload formats share once their fmtp is read at SETUP:
 * RFC 3640 mpeg4-generic (`config` is an AudioSpecificConfig, §4.1) and
 * RFC 6416 MP4A-LATM (`config` is a StreamMuxConfig, §7.3) both end in one
 * AudioSpecificConfig, an RTP duration per access unit, and the same frames.
 */
import { parseHex, type AudioSpecificConfig } from '../codecs/aac-config.js';
import { ErrorCodes, RtspError } from '../errors.js';
import type { Track } from '../sdp/track.js';
import type { DepacketizedAudioFrame } from './depacketizer.js';
import type { FrameOutput } from './frame-output.js';

export interface AacStream {
  config: AudioSpecificConfig;
  channels: number;
  /** RTP ticks between consecutive access units of one packet. */
  ticksPerAccessUnit: number;
}

/**
 * fmtp `config` as hex bytes decoded by `decode` (which may throw or return a
 * reason), or why the track cannot be read.
 */
export function readFmtpConfig<T extends object>(
  track: Pick<Track, 'fmtp'>,
  encodingName: string,
  decode: (bytes: Uint8Array) => T | string,
): T | string {
  const hex = track.fmtp['config'];
  if (hex === undefined) return `${encodingName} without fmtp config`;
  const bytes = parseHex(hex);
  if (bytes === undefined || bytes.length === 0) return `fmtp config=${hex} is not hex`;
  try {
    const decoded = decode(bytes);
    return typeof decoded === 'string' ? `fmtp config=${hex}: ${decoded}` : decoded;
  } catch (error) {
    return `fmtp config=${hex}: ${(error as Error).message}`;
  }
}

/** The stream's timing and channels, or why the clock rate gives no AU duration. */
export function aacStream(
  track: Track,
  config: AudioSpecificConfig,
  constantDuration = 0,
): AacStream | string {
  // The RTP clock may differ from the core sample rate (HE-AAC signalled implicitly).
  const ticksPerAccessUnit =
    constantDuration || Math.round((config.frameLength * track.clockRate) / config.sampleRate);
  if (!(ticksPerAccessUnit > 0)) return `clock rate ${track.clockRate} gives no AU duration`;
  return { config, channels: config.channels || track.channels || 1, ticksPerAccessUnit };
}

/** The setup, or ERR_RTSP_UNSUPPORTED with the reason (the registry reports it at SETUP). */
export function requireSetup<S extends object>(
  track: Track,
  encodingName: string,
  setup: S | string,
): S {
  if (typeof setup !== 'string') return setup;
  throw new RtspError(
    `track ${track.index} (${encodingName}): ${setup}`,
    ErrorCodes.ERR_RTSP_UNSUPPORTED,
  );
}

/** Queues one raw access unit as an audio frame. */
export function addAccessUnit(
  output: FrameOutput<DepacketizedAudioFrame>,
  stream: AacStream,
  data: Uint8Array,
  timestamp: number,
  receivedAt: number,
): void {
  output.add({
    kind: 'audio',
    codec: 'aac',
    data,
    timestamp,
    sampleRate: stream.config.sampleRate,
    channels: stream.channels,
    sampleCount: stream.config.frameLength,
    discontinuity: output.takeDiscontinuity(),
    receivedAt,
  });
}
