/**
 * Helpers for the quirk tests: H.264 packets a camera sends with or without
 * the marker bit, several `$` frames in one TCP chunk (with the PLAY answer
 * in front, as a camera writes them), and a session started against a fake
 * camera with video only.
 */
import type { QuirkEvent, RtspEvent, StatsEvent, TrackStats } from '../../../src/events/types.js';
import { serializeRtpPacket } from '../../../src/rtp/packet.js';
import { RtspHeaders } from '../../../src/rtsp/headers.js';
import type { RtspRequest } from '../../../src/rtsp/message.js';
import { interleavedHeader, serializeResponse } from '../../../src/rtsp/serialize.js';
import { RtspSession, type RtspSessionOptions } from '../../../src/session/session.js';
import { syntheticFrame } from '../../sim/synthetic-h264.js';
import { CAMERA_URL, isPlay, until } from './fake-camera.js';
import type { FakeConnection, FakeRtspServer } from './fake-rtsp-server.js';

export interface FrameShape {
  /** Synthetic frame index: 0 is a keyframe (SPS, PPS, IDR), 1-9 one non-IDR slice. */
  index: number;
  firstSeq: number;
  timestamp: number;
  /** Set the marker bit on the last packet (default true). */
  marker?: boolean;
}

/** The RTP packets of one frame, one NAL unit each. */
export function framePackets({
  index,
  firstSeq,
  timestamp,
  marker = true,
}: FrameShape): Uint8Array[] {
  const { nalUnits } = syntheticFrame(index, 10, 200);
  return nalUnits.map((nal, i) =>
    serializeRtpPacket(
      {
        marker: marker && i === nalUnits.length - 1,
        payloadType: 96,
        sequenceNumber: (firstSeq + i) & 0xffff,
        timestamp,
        ssrc: 0x1234,
      },
      nal,
    ),
  );
}

/** `$` frames on channel 0, concatenated. */
export function interleaved(packets: readonly Uint8Array[]): Uint8Array {
  const parts = packets.flatMap((packet) => [interleavedHeader(0, packet.byteLength), packet]);
  return Buffer.concat(parts);
}

/** Answers PLAY with `headers` and writes `media` right behind it, in the same chunk. */
export function answerPlayWithMedia(
  request: RtspRequest,
  connection: FakeConnection,
  headers: Record<string, string>,
  media: Uint8Array = new Uint8Array(0),
): 'ignore' {
  const response = new RtspHeaders({ Session: '12345678;timeout=60', ...headers });
  response.set('CSeq', request.headers.get('cseq') ?? '0');
  connection.send(Buffer.concat([serializeResponse({ status: 200, headers: response }), media]));
  return 'ignore';
}

export interface Started {
  session: RtspSession;
  iterator: AsyncIterator<RtspEvent>;
  seen: RtspEvent[];
}

/** A video-only session against `camera`, iterated up to PLAY's answer. */
export async function startVideo(
  camera: FakeRtspServer,
  options: RtspSessionOptions = {},
): Promise<Started> {
  const session = new RtspSession(CAMERA_URL, {
    connect: camera.connect,
    audio: false,
    ...options,
  });
  const iterator = session.events();
  const seen = await until(iterator, isPlay);
  return { session, iterator, seen };
}

export function quirksOf(events: RtspEvent[]): QuirkEvent[] {
  return events.filter((event): event is QuirkEvent => event.type === 'quirk');
}

/** The video track's stats of the latest `stats` event. */
export function lastVideoStats(events: RtspEvent[]): TrackStats | undefined {
  const stats = events.findLast((event): event is StatsEvent => event.type === 'stats');
  return stats?.tracks[0];
}
