/**
 * The one place where an SDP track is matched to its depacketizer. The session
 * calls it at SETUP time, so an unsupported codec is reported before PLAY.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import type { Track } from '../sdp/track.js';
import { AacDepacketizer } from './aac.js';
import type { Depacketizer, DepacketizerOptions } from './depacketizer.js';
import { G711Depacketizer } from './g711.js';
import { H264Depacketizer } from './h264.js';
import { H265Depacketizer } from './h265.js';
import { LatmDepacketizer } from './latm.js';
import { MjpegDepacketizer } from './mjpeg.js';

export type DepacketizerFactoryResult =
  { ok: true; depacketizer: Depacketizer } | { ok: false; reason: string };

type DepacketizerClass = new (track: Track, options?: DepacketizerOptions) => Depacketizer;

/** By media, then rtpmap encoding name (lower-cased, as `Track.codec` holds it). */
const DEPACKETIZERS: Record<Track['media'], Readonly<Record<string, DepacketizerClass>>> = {
  video: { h264: H264Depacketizer, h265: H265Depacketizer, jpeg: MjpegDepacketizer },
  audio: {
    'mpeg4-generic': AacDepacketizer,
    'mp4a-latm': LatmDepacketizer,
    pcma: G711Depacketizer,
    pcmu: G711Depacketizer,
  },
};

/** RFC 6184 §6.4: interleaved mode needs DON reordering, which is not implemented. */
const H264_INTERLEAVED_MODE = '2';

export function createDepacketizer(
  track: Track,
  options?: DepacketizerOptions,
): DepacketizerFactoryResult {
  const Class = Object.hasOwn(DEPACKETIZERS[track.media], track.codec)
    ? DEPACKETIZERS[track.media][track.codec]
    : undefined;
  if (Class === undefined) {
    return {
      ok: false,
      reason: `unsupported codec ${track.codec} (payload type ${track.payloadType})`,
    };
  }
  if (track.codec === 'h264' && track.fmtp['packetization-mode'] === H264_INTERLEAVED_MODE) {
    return {
      ok: false,
      reason: `unsupported H.264 packetization-mode=2 (interleaved) (payload type ${track.payloadType})`,
    };
  }
  try {
    return { ok: true, depacketizer: new Class(track, options) };
  } catch (error) {
    // A track the codec cannot handle (e.g. AAC without a config); bad options still throw.
    if (error instanceof RtspError && error.code === ErrorCodes.ERR_RTSP_UNSUPPORTED) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}
