/**
 * Event streams shaped like a real session's (connect, OPTIONS, DESCRIBE with
 * tracks, SETUP, PLAY, RTP, RTCP, frames, stats, closed) for running CLI
 * commands without a network, and an in-memory CLI harness around runCli.
 */
import { Writable } from 'node:stream';
import type { AudioFrame, ClosedEvent, RtspEvent, VideoFrame } from '../../../src/events/types.js';
import type { Track } from '../../../src/sdp/track.js';
import { runCli } from '../../../src/cli/run.js';
import type { EventSource, OpenEvents } from '../../../src/cli/session-source.js';
import type { SessionFlags } from '../../../src/cli/args.js';

export const URL_WITH_PASSWORD = 'rtsp://admin:s3cret@127.0.0.1:8554/cam';

export function track(
  index: number,
  media: 'video' | 'audio',
  codec: string,
  clockRate: number,
  fmtp: Record<string, string> = {},
): Track {
  const control = `rtsp://127.0.0.1:8554/cam/trackID=${index}`;
  return {
    index,
    media,
    codec,
    payloadType: 96 + index,
    clockRate,
    channels: media === 'audio' ? 1 : undefined,
    fmtp,
    control,
    controlAttribute: `trackID=${index}`,
    attributes: {},
  };
}

export interface FakeStreamOptions {
  tracks: Track[];
  video?: VideoFrame[];
  audio?: AudioFrame[];
  /** Give frames an RTCP capture time `latencyMs` before arrival. */
  latencyMs?: number;
  closed?: Partial<ClosedEvent>;
}

/** The whole life of a session; media in arrival order, RTP before each frame. */
export function fakeEvents(options: FakeStreamOptions): RtspEvent[] {
  const events: RtspEvent[] = [];
  let t = 0;
  const rtsp = (method: string, elapsedMs: number, extra: Partial<RtspEvent> = {}): void => {
    t += elapsedMs + 1;
    events.push({
      type: 'rtsp',
      method,
      url: 'rtsp://admin:***@127.0.0.1:8554/cam',
      status: 200,
      reason: 'OK',
      elapsedMs,
      cseq: events.length,
      headers: {},
      sessionElapsedMs: t,
      ...extra,
    } as RtspEvent);
  };
  t = 3;
  events.push({
    type: 'connect',
    localAddress: '127.0.0.1:50000',
    remoteAddress: '127.0.0.1:8554',
    elapsedMs: 2,
    sessionElapsedMs: t,
  });
  rtsp('OPTIONS', 1.5);
  rtsp('DESCRIBE', 2.5, { sdp: 'v=0\r\n', tracks: options.tracks });
  for (const _ of options.tracks) rtsp('SETUP', 1);
  rtsp('PLAY', 1);
  const playAt = t;
  const media = [
    ...(options.video ?? []).map((frame) => ({
      frame,
      kind: 'video' as const,
      track: options.tracks.findIndex((x) => x.media === 'video'),
    })),
    ...(options.audio ?? []).map((frame) => ({
      frame,
      kind: 'audio' as const,
      track: options.tracks.findIndex((x) => x.media === 'audio'),
    })),
  ].sort((a, b) => a.frame.receivedAt - b.frame.receivedAt);
  const origin = media[0]?.frame.receivedAt ?? 0;
  let seq = 0;
  for (const { frame, kind, track } of media) {
    const at = playAt + 5 + frame.receivedAt - origin;
    if (seq === 0)
      events.push({
        type: 'rtcp',
        track,
        packetType: 200,
        ntpTime: frame.receivedAt,
        rtpTimestamp: frame.timestamp,
        sessionElapsedMs: at,
      });
    events.push({
      type: 'rtp',
      track,
      media: kind,
      sequenceNumber: seq++ & 0xffff,
      timestamp: frame.timestamp >>> 0,
      marker: true,
      payloadType: 96 + track,
      ssrc: 0x1234 + track,
      payload: frame.data.subarray(0, 1200),
      receivedAt: frame.receivedAt,
      sessionElapsedMs: at,
    });
    const withNtp =
      options.latencyMs === undefined
        ? frame
        : { ...frame, ntpTime: frame.receivedAt - options.latencyMs };
    events.push(
      kind === 'video'
        ? { type: 'video', track, frame: withNtp as VideoFrame, sessionElapsedMs: at }
        : { type: 'audio', track, frame: withNtp as AudioFrame, sessionElapsedMs: at },
    );
  }
  t = playAt + 10 + (media.at(-1)?.frame.receivedAt ?? 0) - origin;
  events.push({
    type: 'stats',
    at: 0,
    sessionElapsedMs: t,
    timings: { methods: {} },
    tracks: options.tracks.map((x) => ({
      track: x.index,
      media: x.media,
      codec: x.codec,
      packets: 100,
      bytes: 1000,
      lost: 2,
      reordered: 0,
      duplicates: 0,
      jitterMs: 1.5,
      frames: 10,
      fps: 25,
      bitrate: 1e6,
      invalid: 0,
      framesDropped: 0,
      eventsDropped: 0,
    })),
  });
  events.push({
    type: 'closed',
    reason: 'teardown',
    timings: { methods: {} },
    sessionElapsedMs: t + 1,
    ...options.closed,
  });
  return events;
}

/** An EventSource over a fixed list; records that close() was called. */
export function eventSource(
  events: RtspEvent[],
  failWith?: Error,
): EventSource & { closed: boolean } {
  const source = {
    closed: false,
    async *[Symbol.asyncIterator](): AsyncGenerator<RtspEvent> {
      // Like a session, each event comes on a later tick.
      for (const event of events) yield await Promise.resolve(event);
      if (failWith) throw failWith;
    },
    close(): Promise<void> {
      source.closed = true;
      return Promise.resolve();
    },
  };
  return source;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  flags: SessionFlags | undefined;
  source: ReturnType<typeof eventSource> | undefined;
}

/** Runs `rtspkit ...argv` in-process on `events`, capturing stdout/stderr. */
export async function runWith(
  argv: string[],
  events: RtspEvent[] = [],
  options: { failWith?: Error; stdout?: Writable } = {},
): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const collect = (into: Buffer[]): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        into.push(Buffer.from(chunk));
        done();
      },
    });
  let flags: SessionFlags | undefined;
  let source: CliRun['source'];
  const openEvents: OpenEvents = (f) => {
    flags = f;
    source = eventSource(events, options.failWith);
    return source;
  };
  const code = await runCli(argv, {
    io: { stdout: options.stdout ?? collect(out), stderr: collect(err), interactive: false },
    openEvents,
    signal: new AbortController().signal,
  });
  const stdoutBytes = Buffer.concat(out);
  return {
    code,
    stdout: stdoutBytes.toString(),
    stderr: Buffer.concat(err).toString(),
    stdoutBytes,
    flags,
    source,
  };
}
