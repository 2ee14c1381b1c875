/**
 * A scripted camera for RtspSession unit tests: answers OPTIONS, DESCRIBE
 * (H.264 video + PCMU audio), SETUP, PLAY, PAUSE, TEARDOWN and keepalives over
 * the in-memory connection of fake-rtsp-server.ts, and sends RTP on demand.
 */
import { serializeRtpPacket } from '../../../src/rtp/packet.js';
import type { RtspRequest } from '../../../src/rtsp/message.js';
import type { RtspEvent } from '../../../src/events/types.js';
import { PPS, SPS, syntheticFrame } from '../../sim/synthetic-h264.js';
import {
  FakeRtspServer,
  type FakeConnection,
  type Reply,
  type Script,
} from './fake-rtsp-server.js';

export const CAMERA_URL = 'rtsp://127.0.0.1:8554/cam';

export const CAMERA_SDP = [
  'v=0',
  'o=- 0 0 IN IP4 127.0.0.1',
  's=fake camera',
  't=0 0',
  'a=control:*',
  'm=video 0 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 packetization-mode=1',
  'a=control:trackID=0',
  'm=audio 0 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'a=control:trackID=1',
  '',
].join('\r\n');

export interface CameraOptions {
  sessionHeader?: string;
  publicMethods?: string;
  sdp?: string;
  /** Overrides per method; undefined from the override falls back to the default answer. */
  override?: (request: RtspRequest, connection: FakeConnection) => Reply | 'ignore' | undefined;
}

export function fakeCamera(options: CameraOptions = {}): FakeRtspServer {
  return new FakeRtspServer(cameraScript(options));
}

export function cameraScript(options: CameraOptions = {}): Script {
  return (request, connection) => {
    const overridden = options.override?.(request, connection);
    if (overridden === 'ignore') return undefined;
    if (overridden !== undefined) return overridden;
    const session = { Session: options.sessionHeader ?? '12345678;timeout=60' };
    switch (request.method) {
      case 'OPTIONS':
        return {
          status: 200,
          headers: {
            Public:
              options.publicMethods ??
              'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER',
          },
        };
      case 'DESCRIBE':
        return {
          status: 200,
          headers: { 'Content-Type': 'application/sdp', 'Content-Base': `${CAMERA_URL}/` },
          body: options.sdp ?? CAMERA_SDP,
        };
      case 'SETUP': {
        const transport = request.headers.get('transport') ?? '';
        return { status: 200, headers: { ...session, Transport: transport } };
      }
      case 'PLAY':
      case 'PAUSE':
      case 'TEARDOWN':
      case 'GET_PARAMETER':
        return { status: 200, headers: session };
      default:
        return { status: 501, reason: 'Not Implemented' };
    }
  };
}

/** Sends H.264 frame `index` (single NAL unit packets) on `channel`, numbered from `sequenceNumber`; returns the next number. */
export function sendVideoFrame(
  connection: FakeConnection,
  channel: number,
  index: number,
  sequenceNumber: number,
): number {
  const { nalUnits } = syntheticFrame(index, 10, 200);
  nalUnits.forEach((nal, i) => {
    const header = {
      marker: i === nalUnits.length - 1,
      payloadType: 96,
      sequenceNumber: sequenceNumber++,
      timestamp: 3000 * index,
      ssrc: 0x1234,
    };
    connection.sendInterleaved(channel, serializeRtpPacket(header, nal));
  });
  return sequenceNumber;
}

export function sendAudioPacket(connection: FakeConnection, channel: number, index: number): void {
  const header = {
    marker: false,
    payloadType: 0,
    sequenceNumber: index,
    timestamp: 160 * index,
    ssrc: 0x5678,
  };
  connection.sendInterleaved(channel, serializeRtpPacket(header, new Uint8Array(160).fill(0xff)));
}

export { PPS, SPS };

type EventIterator = AsyncIterator<RtspEvent>;

/** Reads events into `seen` up to and including the first that matches `predicate`. */
export async function until(
  iterator: EventIterator,
  predicate: (event: RtspEvent) => boolean,
  seen: RtspEvent[] = [],
): Promise<RtspEvent[]> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) {
      throw new Error(
        `iteration ended before the awaited event; got ${seen.map((e) => e.type).join(', ')}`,
      );
    }
    seen.push(next.value);
    if (predicate(next.value)) return seen;
  }
}

/** Reads the remaining events into `seen`. */
export async function rest(iterator: EventIterator, seen: RtspEvent[] = []): Promise<RtspEvent[]> {
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    seen.push(next.value);
  }
  return seen;
}

export const isPlay = (event: RtspEvent): boolean =>
  event.type === 'rtsp' && event.method === 'PLAY';

export function methodsOf(events: RtspEvent[]): string[] {
  return events.flatMap((event) =>
    event.type === 'rtsp' ? [`${event.method} ${event.status}`] : [],
  );
}
