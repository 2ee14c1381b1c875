/**
 * SDP (RFC 4566) of a DESCRIBE answer → the tracks to SET UP (RFC 2326 App. C).
 *
 * A small hand parser rather than sdp-transform: Track.attributes wants each
 * media attribute's raw `name → value`, which sdp-transform scatters into
 * per-grammar fields (and drops for grammars it lacks), and camera SDP is
 * parsed line by line anyway. Tolerated, as cameras write them: LF- or CR-only
 * line ends, blank and unknown lines, missing v=/o=/s=/t=, spaces around values.
 * A media section that cannot be used is listed in `skipped` with why; only a
 * body with no media section that is not SDP at all (an HTML error page) throws.
 */
import { RtspProtocolError } from '../errors.js';
import { resolveControl } from './control-url.js';
import { parseFmtp } from './fmtp.js';
import { staticPayloadType, type StaticPayloadType } from './static-payload-types.js';
import type { SessionDescription, Track } from './track.js';

interface Section {
  /** The m= line's value. */
  media: string;
  attributes: [name: string, value: string][];
}

interface Rtpmap {
  codec: string;
  clockRate: number | undefined;
  channels: number | undefined;
}

const LINE = /^([a-z])=(.*)$/i;
/** `<pt> <encoding>/<clock rate>[/<channels>]` (RFC 4566 §6). */
const RTPMAP = /^(\d+)\s+([^\s/]+)\s*(?:\/\s*(\d+)\s*(?:\/\s*(\d+))?)?/;
const FMTP = /^(\d+)\s*(.*)$/s;

/** Tracks of the SDP; `baseUrl` is from sdpBaseUrl(). */
export function parseSdp(text: string, baseUrl: string): SessionDescription {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const session: Section = { media: '', attributes: [] };
  const sections: Section[] = [];
  let name: string | undefined;
  let firstLine: string | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    firstLine ??= line;
    const match = LINE.exec(line);
    if (match === null) continue;
    const type = match[1]!.toLowerCase(); // both groups take part in a match
    const value = match[2]!.trim();
    const current = sections.at(-1) ?? session;
    if (type === 'm') sections.push({ media: value, attributes: [] });
    else if (type === 'a') current.attributes.push(splitAttribute(value));
    else if (type === 's' && current === session) name = value;
  }
  // No media and not even a first `x=` line: an HTML error page or the like, not an empty SDP.
  if (sections.length === 0 && !(firstLine !== undefined && LINE.test(firstLine))) {
    const shown = (firstLine ?? '').slice(0, 40);
    throw new RtspProtocolError(
      `DESCRIBE body is not SDP: no m= line, and it starts with ${JSON.stringify(shown)}`,
      {
        position: text.indexOf(shown),
        phase: 'DESCRIBE',
      },
    );
  }

  // Relative media controls resolve against the session-level control, or the base without one.
  const aggregateControl = resolveControl(baseUrl, attribute(session, 'control'));
  const tracks: Track[] = [];
  // `skipped[].index` counts all m= sections; Track.index counts the kept ones.
  const skipped: SessionDescription['skipped'] = [];
  sections.forEach((section, index) => {
    const track = toTrack(section, tracks.length, aggregateControl);
    if (typeof track === 'string') skipped.push({ index, reason: track });
    else tracks.push(track);
  });
  return { tracks, aggregateControl, name, skipped };
}

/** The track of a media section, or why it cannot be used. */
function toTrack(section: Section, index: number, mediaBase: string): Track | string {
  const [mediaType = '', , , ...formats] = section.media.split(/\s+/);
  const media = mediaType.toLowerCase();
  if (media !== 'video' && media !== 'audio') return `m=${mediaType} is not audio or video`;
  const payloadTypes = formats
    .filter((f) => /^\d{1,3}$/.test(f))
    .map(Number)
    .filter((pt) => pt <= 127);
  if (payloadTypes.length === 0) return `m=${section.media} lists no RTP payload type`;

  const rtpmaps = new Map<number, Rtpmap>();
  const fmtps = new Map<number, string>();
  for (const [key, value] of section.attributes) {
    if (key === 'rtpmap') {
      const m = RTPMAP.exec(value);
      if (m !== null && !rtpmaps.has(Number(m[1]))) rtpmaps.set(Number(m[1]), toRtpmap(m));
    } else if (key === 'fmtp') {
      const m = FMTP.exec(value);
      if (m !== null && !fmtps.has(Number(m[1]))) fmtps.set(Number(m[1]), m[2]!);
    }
  }
  // RFC 3551 §6: the first usable format of the m= line is the preferred one.
  for (const payloadType of payloadTypes) {
    const rtpmap = rtpmaps.get(payloadType);
    const fixed = staticPayloadType(payloadType);
    const format: StaticPayloadType | undefined =
      rtpmap?.clockRate !== undefined
        ? { codec: rtpmap.codec, clockRate: rtpmap.clockRate, channels: rtpmap.channels }
        : fixed;
    if (format === undefined) continue;
    const controlAttribute = attribute(section, 'control');
    const attributes = new Map<string, string>();
    for (const [key, value] of section.attributes) {
      if (key !== 'rtpmap' && key !== 'fmtp' && !attributes.has(key)) attributes.set(key, value);
    }
    return {
      index,
      media,
      codec: format.codec,
      payloadType,
      clockRate: format.clockRate,
      channels: media === 'audio' ? (format.channels ?? fixed?.channels ?? 1) : undefined,
      fmtp: parseFmtp(fmtps.get(payloadType) ?? ''),
      control: resolveControl(mediaBase, controlAttribute),
      controlAttribute,
      // fromEntries makes own properties, so `a=__proto__:` or `a=constructor` are plain keys.
      attributes: Object.fromEntries(attributes),
    };
  }
  const listed = payloadTypes.join(' ');
  return `no rtpmap with a clock rate for payload type${payloadTypes.length > 1 ? 's' : ''} ${listed}, and none is static (RFC 3551)`;
}

/** RTP timestamps are 32-bit (RFC 3550 §5.1); an encoding has at most 255 channels. */
const MAX_CLOCK_RATE = 0xffffffff;
const MAX_CHANNELS = 255;

function toRtpmap(match: RegExpExecArray): Rtpmap {
  return {
    codec: match[2]!.toLowerCase(), // a required group
    clockRate: rtpmapNumber(match[3], MAX_CLOCK_RATE),
    channels: rtpmapNumber(match[4], MAX_CHANNELS),
  };
}

/** Digits as a number; 0 or past `max` is as good as absent. */
function rtpmapNumber(digits: string | undefined, max: number): number | undefined {
  const value = Number(digits);
  return digits === undefined || value === 0 || value > max ? undefined : value;
}

/** `name:value` → [lower-cased name, value]; a flag attribute (`recvonly`) has the value ''. */
function splitAttribute(value: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon < 0) return [value.toLowerCase(), ''];
  return [value.slice(0, colon).trim().toLowerCase(), value.slice(colon + 1).trim()];
}

function attribute(section: Section, name: string): string | undefined {
  return section.attributes.find(([key]) => key === name)?.[1];
}
