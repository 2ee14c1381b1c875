/**
 * What every media file reader produces: tracks already cut into RTP payloads,
 * each sample stamped with its presentation time (RTP ticks) and the time it
 * is due on the wire. Built once per file and shared read-only by every client
 * of that file, so the per-packet work of a stream is only the 12-byte header.
 */
import type { RtpPayload } from '../../packetizers/packetizer.js';

export interface MediaSample {
  /** Presentation time from the track start, in ticks of the track's clock (the RTP timestamp offset). */
  timestamp: number;
  /** When the sample is due on the wire, ms from the track start (decode order). */
  sendTimeMs: number;
  /** Random access point (IDR/IRAP video frame; every audio and JPEG sample). */
  keyframe: boolean;
  /** The sample packetized at the server's MTU; the last one carries the marker where the codec uses it. */
  payloads: readonly RtpPayload[];
}

/** RTP payload format of a track, as the SDP announces it (RFC 4566 rtpmap/fmtp). */
export interface RtpFormat {
  payloadType: number;
  /** Encoding name as written in rtpmap (`H264`, `H265`, `MPEG4-GENERIC`, `PCMA`, `PCMU`, `JPEG`). */
  encoding: string;
  clockRate: number;
  /** Audio channels, written in rtpmap when not 1. */
  channels?: number;
  fmtp?: Readonly<Record<string, string>>;
}

export interface MediaTrack {
  media: 'video' | 'audio';
  format: RtpFormat;
  /** In decode (= send) order. */
  samples: readonly MediaSample[];
  /** Time from the first sample's send time to the end of the last sample, ms. */
  durationMs: number;
}

export interface MediaSource {
  tracks: readonly MediaTrack[];
  /** The longest track; all tracks of a session loop on this period. */
  durationMs: number;
}

/** Builds a MediaSource, its duration taken from the longest track. */
export function mediaSource(tracks: readonly MediaTrack[]): MediaSource {
  return { tracks, durationMs: Math.max(0, ...tracks.map((t) => t.durationMs)) };
}
