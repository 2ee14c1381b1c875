/**
 * parseSdp on a DESCRIBE body, then what the session does with each track at
 * SETUP: pick a depacketizer (registry) and build the RTP receiver. Only
 * RtspError may come out of parseSdp; a track it returns must be usable by
 * both without an exception (an unsupported codec is a reason, not a throw).
 */
import { createDepacketizer } from '../../../src/depacketizers/registry.js';
import { RtpTrackReceiver } from '../../../src/rtp/track-receiver.js';
import { parseSdp } from '../../../src/sdp/parse.js';
import type { Track } from '../../../src/sdp/track.js';
import { bucket, expectedErrorFeature, inputText, invariant, type FuzzTarget } from '../target.js';

/** Codec names as features; any other name is one feature, or every mutated name would be new. */
const KNOWN_CODECS = new Set([
  'h264',
  'h265',
  'jpeg',
  'mpeg4-generic',
  'mp4a-latm',
  'pcma',
  'pcmu',
]);
/** Why parseSdp skips a media section; the reasons quote the m= line, so only these phrases are features. */
const SKIP_REASONS = ['is not audio or video', 'lists no RTP payload type', 'none is static'];
/** Why the registry refuses a track; the reasons quote codec names and fmtp values, so only these phrases are features. */
const UNSUPPORTED_REASONS = [
  'unsupported codec',
  'packetization-mode=2',
  'without fmtp config',
  'is not hex',
  'is not an integer',
  'neither sizelength',
  'no AU duration',
  'AudioSpecificConfig',
];
const BASE_URL = 'rtsp://192.168.1.64:554/Streaming/Channels/101/';

export const sdpTarget: FuzzTarget = {
  name: 'sdp',
  inputFormat: `the DESCRIBE body as UTF-8, parsed with base URL ${BASE_URL}`,
  maxInputBytes: 128 * 1024,
  controlBytes: 0,
  dictionary: [
    'v=0\r\n',
    'm=video 0 RTP/AVP 96\r\n',
    'm=audio 0 RTP/AVP 0 8 97\r\n',
    'm=application 0 RTP/AVP 107\r\n',
    'a=rtpmap:96 H264/90000\r\n',
    'a=rtpmap:97 MPEG4-GENERIC/48000/2\r\n',
    'a=rtpmap:96 H265/90000',
    'a=rtpmap:96 JPEG/90000',
    'a=rtpmap:96 MP4A-LATM/44100/2',
    'a=fmtp:96 ',
    'packetization-mode=2;',
    'sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==;',
    'config=1190;',
    'sizelength=13;',
    'mode=AAC-hbr;',
    'constantsize=',
    'sprop-max-don-diff=',
    'a=control:',
    'a=control:*\r\n',
    'trackID=1',
    'rtsp://user:pw@10.0.0.1/x/',
    '\r\n',
    '\n',
    '\r',
    ':',
    '/',
    ' ',
    '4294967296',
    '99999999999999999999999',
    '0',
    '127',
    '128',
  ],
  execute(input) {
    let tracks: Track[];
    const features: string[] = [];
    try {
      const description = parseSdp(inputText(input), BASE_URL);
      tracks = description.tracks;
      features.push(
        `tracks:${bucket(tracks.length)}:${bucket(description.skipped.length)}:${description.name === undefined}`,
      );
      for (const { reason } of description.skipped)
        features.push(`skipped:${SKIP_REASONS.find((known) => reason.includes(known)) ?? 'other'}`);
    } catch (error) {
      return [expectedErrorFeature(error, 'parseSdp')];
    }
    for (const track of tracks) features.push(...setUp(track));
    return features;
  },
};

function setUp(track: Track): string[] {
  invariant(
    Number.isInteger(track.payloadType) && track.payloadType >= 0 && track.payloadType <= 127,
    () => `track payload type ${track.payloadType}`,
  );
  invariant(
    Number.isSafeInteger(track.clockRate) && track.clockRate > 0,
    () => `track clock rate ${track.clockRate} is not a positive safe integer`,
  );
  invariant(
    track.media === 'video'
      ? track.channels === undefined
      : Number.isSafeInteger(track.channels) && track.channels! > 0,
    () => `${track.media} track with channels ${track.channels}`,
  );
  const control = URL.parse(track.control);
  invariant(
    control === null || (control.username === '' && control.password === ''),
    () => `control URL keeps credentials: ${track.control}`,
  );
  const created = createDepacketizer(track);
  new RtpTrackReceiver({
    clockRate: track.clockRate,
    payloadType: track.payloadType,
    reorder: true,
    localSsrc: 1,
  });
  return [
    `track:${track.media}:${KNOWN_CODECS.has(track.codec) ? track.codec : 'other'}:${bucket(Object.keys(track.fmtp).length)}:${created.ok ? 'ok' : (UNSUPPORTED_REASONS.find((known) => created.reason.includes(known)) ?? 'other')}`,
  ];
}
