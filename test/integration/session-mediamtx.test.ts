import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspConnectionError, RtspResponseError } from '../../src/errors.js';
import type { AudioEvent, RtspEvent, VideoEvent } from '../../src/events/types.js';
import { RtspSession } from '../../src/session/session.js';
import { startMediamtx, type Mediamtx, type Publisher } from './harness/mediamtx.js';
import { activeHandles, exchanges, runUntil } from './session-helpers.js';

let mtx: Mediamtx;
let publisher: Publisher;

beforeAll(async () => {
  mtx = await startMediamtx();
  publisher = await mtx.publish('h264-aac.mp4', 'cam');
});

afterAll(async () => {
  await publisher?.stop();
  await mtx?.stop();
});

const enoughMedia = (event: RtspEvent, all: readonly RtspEvent[]): boolean =>
  // A stats event after 10 video frames: its timings include the first keyframe.
  event.type === 'stats' && all.filter((each) => each.type === 'video').length >= 10;

function checkFullSequence(events: RtspEvent[]): void {
  expect(events[0]).toMatchObject({ type: 'connect', remoteAddress: `127.0.0.1:${mtx.rtspPort}` });
  expect(exchanges(events)).toEqual([
    'OPTIONS 200',
    'DESCRIBE 200',
    'SETUP 200',
    'SETUP 200',
    'PLAY 200',
    'TEARDOWN 200',
  ]);
  for (const event of events) if (event.type === 'rtsp') expect(event.elapsedMs).toBeGreaterThan(0);
  const describe = events.find((event) => event.type === 'rtsp' && event.method === 'DESCRIBE');
  expect(describe?.type === 'rtsp' && describe.tracks?.map((track) => track.codec)).toEqual([
    'h264',
    'mpeg4-generic',
  ]);
  const video = events.filter((event): event is VideoEvent => event.type === 'video');
  expect(video[0]!.frame.keyframe).toBe(true);
  // pts counts from RTP-Info's rtptime when PLAY's answer came before the media (UDP; over TCP
  // mediamtx may send media first), so video, which starts at a keyframe, can start above 0.
  const first = video[0]!.frame;
  expect(first.pts).toBeGreaterThanOrEqual(0);
  expect(first.pts).toBeLessThan(2);
  // Audio and video share one time line: the audio frame that arrived with the first video
  // frame has about the same pts (the publisher packs ~150 ms of AAC per packet).
  const audio = events.filter((event): event is AudioEvent => event.type === 'audio');
  const nearest = audio.reduce((best, each) =>
    Math.abs(each.frame.receivedAt - first.receivedAt) <
    Math.abs(best.frame.receivedAt - first.receivedAt)
      ? each
      : best,
  );
  expect(Math.abs(nearest.frame.pts - first.pts)).toBeLessThan(0.3);
  expect(Array.from(video[0]!.frame.data.subarray(0, 4))).toEqual([0, 0, 0, 1]);
  expect(video[0]!.frame.width).toBeGreaterThan(0);
  expect(events.some((event) => event.type === 'rtp')).toBe(true);
  expect(events.some((event) => event.type === 'audio' && event.frame.codec === 'aac')).toBe(true);
  const stats = events.findLast((event) => event.type === 'stats');
  expect(stats?.type === 'stats' && stats.tracks[0]!.packets).toBeGreaterThan(0);
  expect(stats?.type === 'stats' && stats.timings).toMatchObject({
    connectMs: expect.any(Number),
    firstRtpMs: expect.any(Number),
    firstFrameMs: expect.any(Number),
    firstKeyframeMs: expect.any(Number),
    methods: {
      OPTIONS: expect.any(Number),
      DESCRIBE: expect.any(Number),
      SETUP: expect.any(Number),
      PLAY: expect.any(Number),
    },
  });
  expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
  expect(events.filter((event) => event.type === 'closed')).toHaveLength(1);
}

describe('RtspSession against mediamtx', () => {
  it('streams over TCP: connect, OPTIONS/DESCRIBE/SETUP/PLAY, rtp, frames (keyframe first), stats, TEARDOWN, closed', async () => {
    const session = new RtspSession(mtx.url('cam'), { transport: 'tcp', statsIntervalMs: 200 });
    const { events } = await runUntil(session, enoughMedia);
    checkFullSequence(events);
    // The server saw the TEARDOWN too (mediamtx logs requests at debug level).
    await expect.poll(() => mtx.logs(), { timeout: 2000 }).toMatch(/TEARDOWN/);
  });

  it('streams over UDP the same way', async () => {
    const session = new RtspSession(mtx.url('cam'), { transport: 'udp', statsIntervalMs: 200 });
    const { events } = await runUntil(session, enoughMedia);
    checkFullSequence(events);
  });

  it('ends with closed "aborted" when the AbortSignal fires mid-stream', async () => {
    const controller = new AbortController();
    const session = new RtspSession(mtx.url('cam'), { signal: controller.signal });
    const { events } = await runUntil(
      session,
      (event) => {
        if (event.type === 'video') controller.abort();
        return false;
      },
      'continue',
    );
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'aborted' });
    expect(exchanges(events).at(-1)).toBe('TEARDOWN 200');
  });

  it('leaves no handle behind after close', async () => {
    const before = activeHandles();
    for (const transport of ['tcp', 'udp'] as const) {
      const session = new RtspSession(mtx.url('cam'), { transport });
      await runUntil(session, (event) => event.type === 'video');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = activeHandles();
    for (const kind of ['TCPSocketWrap', 'UDPWrap', 'Timeout'])
      expect(after[kind] ?? 0).toBeLessThanOrEqual(before[kind] ?? 0);
  });

  it('rejects with DESCRIBE 404 Not Found for a path nobody publishes', async () => {
    const session = new RtspSession(mtx.url('nobody'));
    const error = await runUntil(session, () => false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspResponseError);
    expect((error as Error).message).toBe('DESCRIBE 404 Not Found');
  });

  it('rejects with connect ECONNREFUSED when nothing listens', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const session = new RtspSession(`rtsp://127.0.0.1:${port}/cam`);
    const error = await runUntil(session, () => false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspConnectionError);
    expect((error as Error).message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
