/**
 * Writes the SDP a DESCRIBE answer carries (RFC 4566 §5, with the RTSP
 * attributes of RFC 2326 Appendix C: a=control, a=range). Hand-written rather
 * than sdp-transform's writer: the output is a fixed handful of lines, and
 * sdp-transform has no grammar entry for a=range.
 */
import { ErrorCodes, RtspError } from '../errors.js';

export interface SdpMediaDescription {
  media: 'video' | 'audio';
  payloadType: number;
  /** Encoding name for rtpmap, e.g. `H264`, `MPEG4-GENERIC`, `PCMA`. */
  encoding: string;
  clockRate: number;
  /** Audio channels; written in rtpmap only when not 1 (RFC 4566 §6). */
  channels?: number;
  /** fmtp parameters, written `key=value` separated by `;` in insertion order. */
  fmtp?: Readonly<Record<string, string>>;
  /** a=control: a URL relative to Content-Base, or absolute. */
  control: string;
}

export interface SdpSessionDescription {
  /** o= session id and version (decimal digits, RFC 4566 §5.2). */
  sessionId: string;
  sessionVersion: string;
  /** Address of the origin (IPv4 or IPv6 literal). */
  originAddress: string;
  /** s= session name; a single space when empty. */
  name: string;
  /** Session-level a=control (aggregate control); RFC 2326 C.1.1 suggests `*`. */
  control?: string;
  /** Presentation length in seconds, announced as a=range:npt=0-<end> (RFC 2326 C.1.5). Omitted for live. */
  durationSec?: number;
  /** a=tool value. */
  tool?: string;
  media: readonly SdpMediaDescription[];
}

/** A line break inside a value would let it forge further SDP lines. */
function field(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new RtspError(
      `serializeSdp: ${what} contains a line break or NUL`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  return value;
}

const addressType = (address: string): string => (address.includes(':') ? 'IP6' : 'IP4');

function mediaLines(m: SdpMediaDescription): string[] {
  const pt = m.payloadType;
  const channels = m.channels !== undefined && m.channels !== 1 ? `/${m.channels}` : '';
  const lines = [
    `m=${m.media} 0 RTP/AVP ${pt}`,
    `a=rtpmap:${pt} ${field(m.encoding, 'encoding')}/${m.clockRate}${channels}`,
  ];
  const fmtp = Object.entries(m.fmtp ?? {});
  if (fmtp.length > 0) {
    lines.push(
      `a=fmtp:${pt} ${fmtp.map(([k, v]) => `${field(k, 'fmtp key')}=${field(v, `fmtp ${k}`)}`).join(';')}`,
    );
  }
  lines.push(`a=control:${field(m.control, 'control')}`);
  return lines;
}

/** The SDP text, CRLF line endings. Throws RtspError ERR_RTSP_INVALID_ARGUMENT on a value that would break the syntax. */
export function serializeSdp(session: SdpSessionDescription): string {
  const origin = field(session.originAddress, 'origin address');
  const lines = [
    'v=0',
    `o=- ${field(session.sessionId, 'session id')} ${field(session.sessionVersion, 'session version')} IN ${addressType(origin)} ${origin}`,
    `s=${field(session.name, 'session name') || ' '}`,
    // RFC 2326 C.1.7: c= with a null address lets the client use the RTSP peer's address.
    `c=IN ${addressType(origin)} ${addressType(origin) === 'IP6' ? '::' : '0.0.0.0'}`,
    't=0 0',
  ];
  if (session.tool !== undefined) lines.push(`a=tool:${field(session.tool, 'tool')}`);
  if (session.durationSec !== undefined)
    lines.push(`a=range:npt=0-${session.durationSec.toFixed(3)}`);
  if (session.control !== undefined) lines.push(`a=control:${field(session.control, 'control')}`);
  for (const m of session.media) lines.push(...mediaLines(m));
  return lines.join('\r\n') + '\r\n';
}
