/**
 * The few RTSP answers a pull client needs from the source server (RFC 2326
 * §10): OPTIONS, DESCRIBE (SDP with sprop-parameter-sets so ffmpeg knows the
 * stream without probing it), SETUP over TCP interleaved only, PLAY, TEARDOWN.
 */
import { loadDist } from '../lib/dist.js';
import type { RtspRequest } from '../../src/rtsp/message.js';
import type * as Serialize from '../../src/rtsp/serialize.js';
import type { Recording } from './recording.js';

const { serializeResponse } = await loadDist<typeof Serialize>('rtsp/serialize.js');

export const SESSION_ID = '5eed';
const SSRC_HEX = '5EED5EED';

export interface Answer {
  bytes: Uint8Array;
  /** PLAY succeeded: media follows the answer. */
  play: boolean;
  teardown: boolean;
}

export interface StreamStart {
  seq: number;
  rtptime: number;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const hex = (byte: number | undefined): string => (byte ?? 0).toString(16).padStart(2, '0');

export function sdpFor(recording: Recording, baseUrl: string): string {
  const { sps, pps } = recording;
  const fmtp = `packetization-mode=1;profile-level-id=${hex(sps[1])}${hex(sps[2])}${hex(sps[3])};sprop-parameter-sets=${base64(sps)},${base64(pps)}`;
  return [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=rtspkit bench source',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'a=control:*',
    'a=range:npt=0-',
    'm=video 0 RTP/AVP 96',
    'a=rtpmap:96 H264/90000',
    `a=fmtp:96 ${fmtp}`,
    `a=framerate:${recording.fps}`,
    `a=control:${baseUrl}track1`,
    '',
  ].join('\r\n');
}

export function answer(
  request: RtspRequest,
  sdp: string,
  baseUrl: string,
  start: StreamStart,
): Answer {
  const headers: Record<string, string> = { CSeq: request.headers.get('cseq') ?? '0' };
  let status = 200;
  let body: Uint8Array | undefined;
  const method = request.method.toUpperCase();
  switch (method) {
    case 'OPTIONS':
      headers.Public = 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER';
      break;
    case 'DESCRIBE':
      headers['Content-Base'] = baseUrl;
      headers['Content-Type'] = 'application/sdp';
      body = new TextEncoder().encode(sdp);
      break;
    case 'SETUP':
      if (!/RTP\/AVP\/TCP/i.test(request.headers.get('transport') ?? '')) {
        status = 461; // this server has only the interleaved firehose
        break;
      }
      headers.Transport = `RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=${SSRC_HEX}`;
      headers.Session = `${SESSION_ID};timeout=60`;
      break;
    case 'PLAY':
      headers.Session = SESSION_ID;
      headers.Range = 'npt=0.000-';
      headers['RTP-Info'] = `url=${baseUrl}track1;seq=${start.seq};rtptime=${start.rtptime}`;
      break;
    case 'TEARDOWN':
    case 'GET_PARAMETER':
      headers.Session = SESSION_ID;
      break;
    default:
      status = 501;
  }
  return {
    bytes: serializeResponse({ status, headers, body }),
    play: method === 'PLAY' && status === 200,
    teardown: method === 'TEARDOWN',
  };
}
