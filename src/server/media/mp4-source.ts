/**
 * .mp4/.m4a → RTP-ready tracks: H.264 (RFC 6184), H.265 (RFC 7798) and AAC
 * (RFC 3640 AAC-hbr). Video samples are length-prefixed NAL units (AVCC/HVCC);
 * they go out as single NAL units or fragments at the MTU. Parameter sets
 * travel both in the SDP (sprop-*) and in-band before every keyframe, so a
 * client that ignores sprops, or starts after a loop or seek, still decodes.
 */
import { aacFmtp, packetizeAac } from '../../packetizers/aac.js';
import { packetizeH264 } from '../../packetizers/h264.js';
import { packetizeH265 } from '../../packetizers/h265.js';
import { splitLengthPrefixed } from '../../codecs/annexb.js';
import { parseAudioSpecificConfig } from '../../codecs/aac-config.js';
import {
  mediaSource,
  type MediaSample,
  type MediaSource,
  type MediaTrack,
  type RtpFormat,
} from './media-source.js';
import { demuxMp4, type Mp4Codec, type Mp4Track } from './mp4-demux.js';
import { unsupportedMedia } from './unsupported-media.js';

const videoClockRate = 90_000;
/** First dynamic payload types (RFC 3551 §6), one per track in file order. */
const firstDynamicPayloadType = 96;

const base64 = (nal: Uint8Array): string => Buffer.from(nal).toString('base64');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** H.264 nal_unit_type (RFC 6184 §1.3) / H.265 nal_unit_type (RFC 7798 §1.1.4) of a NAL's first bytes. */
const h264Type = (nal: Uint8Array): number => (nal[0] ?? 0) & 0x1f;
const h265Type = (nal: Uint8Array): number => ((nal[0] ?? 0) >> 1) & 0x3f;
const h264Sps = 7;
const h265Vps = 32;

function formatOf(codec: Mp4Codec, payloadType: number, trackId: number): RtpFormat {
  switch (codec.kind) {
    case 'h264': {
      const sps = codec.sps[0];
      if (!sps || sps.length < 4 || !codec.pps[0])
        throw unsupportedMedia('mp4', `track ${trackId} has no SPS/PPS in avcC`);
      // RFC 6184 §8.1: profile-level-id is profile_idc, constraint flags and level_idc, the SPS bytes after the NAL header.
      return {
        payloadType,
        encoding: 'H264',
        clockRate: videoClockRate,
        fmtp: {
          'packetization-mode': '1',
          'profile-level-id': hex(sps.subarray(1, 4)),
          'sprop-parameter-sets': [...codec.sps, ...codec.pps].map(base64).join(','),
        },
      };
    }
    case 'h265': {
      if (!codec.vps[0] || !codec.sps[0] || !codec.pps[0]) {
        throw unsupportedMedia('mp4', `track ${trackId} lacks VPS/SPS/PPS in hvcC`);
      }
      // RFC 7798 §7.1: sprop-vps/sps/pps, comma-separated base64 NAL units.
      return {
        payloadType,
        encoding: 'H265',
        clockRate: videoClockRate,
        fmtp: {
          'sprop-vps': codec.vps.map(base64).join(','),
          'sprop-sps': codec.sps.map(base64).join(','),
          'sprop-pps': codec.pps.map(base64).join(','),
        },
      };
    }
    case 'aac': {
      let config;
      try {
        config = parseAudioSpecificConfig(codec.audioSpecificConfig);
      } catch (err) {
        throw unsupportedMedia('mp4', `track ${trackId} has an invalid AudioSpecificConfig`, err);
      }
      // RFC 3640 §3.3.1: the RTP clock is the sampling rate.
      return {
        payloadType,
        encoding: 'MPEG4-GENERIC',
        clockRate: config.sampleRate,
        channels: config.channels,
        fmtp: aacFmtp(codec.audioSpecificConfig),
      };
    }
  }
}

/** NAL units of one video sample, parameter sets prepended to keyframes that lack them. */
function videoNalUnits(
  codec: Extract<Mp4Codec, { kind: 'h264' | 'h265' }>,
  data: Uint8Array,
  keyframe: boolean,
): Uint8Array[] {
  const nals = splitLengthPrefixed(data, codec.lengthSize);
  if (!keyframe) return nals;
  if (codec.kind === 'h264') {
    return nals.some((n) => h264Type(n) === h264Sps) ? nals : [...codec.sps, ...codec.pps, ...nals];
  }
  return nals.some((n) => h265Type(n) === h265Vps)
    ? nals
    : [...codec.vps, ...codec.sps, ...codec.pps, ...nals];
}

function packetizeSample(
  codec: Mp4Codec,
  data: Uint8Array,
  keyframe: boolean,
  mtu: number,
): MediaSample['payloads'] {
  switch (codec.kind) {
    case 'h264':
      return packetizeH264(videoNalUnits(codec, data, keyframe), mtu);
    case 'h265':
      return packetizeH265(videoNalUnits(codec, data, keyframe), mtu);
    case 'aac':
      return packetizeAac([data], mtu);
  }
}

function toTrack(track: Mp4Track, payloadType: number, mtu: number): MediaTrack {
  const format = formatOf(track.codec, payloadType, track.id);
  const first = track.samples[0];
  const last = track.samples.at(-1);
  const origin = first?.dts ?? 0;
  const ticks = format.clockRate / track.timescale;
  const msPerUnit = 1000 / track.timescale;
  const samples = track.samples.map((s): MediaSample => {
    const keyframe = track.codec.kind === 'aac' || s.sync;
    return {
      timestamp: Math.round((s.cts - origin) * ticks),
      sendTimeMs: (s.dts - origin) * msPerUnit,
      keyframe,
      payloads: packetizeSample(track.codec, s.data, keyframe, mtu),
    };
  });
  const durationMs = last ? (last.dts + last.duration - origin) * msPerUnit : 0;
  return { media: track.codec.kind === 'aac' ? 'audio' : 'video', format, samples, durationMs };
}

export function readMp4(bytes: Uint8Array, mtu: number): MediaSource {
  const demuxed = demuxMp4(bytes);
  const usable = demuxed.tracks.filter((t) => t.samples.length > 0);
  if (usable.length === 0) {
    const why = demuxed.skipped.map((s) => `track ${s.id}: ${s.reason}`).join('; ');
    throw unsupportedMedia('mp4', `no playable track${why ? ` (${why})` : ''}`);
  }
  return mediaSource(usable.map((t, i) => toTrack(t, firstDynamicPayloadType + i, mtu)));
}
