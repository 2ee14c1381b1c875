/**
 * Issue 8 item 3: ReconnectingSession against mediamtx, whose container is
 * killed and started again on the same port (and, apart, whose publisher
 * stops and comes back), then stays down until the session gives up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, RtspConnectionError, RtspResponseError } from '../../src/errors.js';
import type { AudioFrame, RtspEvent, VideoFrame } from '../../src/events/types.js';
import {
  ReconnectingSession,
  type ReconnectPolicy,
} from '../../src/session/reconnecting-session.js';
import { leakedResources, resourceCounts, runSession, type SessionRun } from '../sim/fault-run.js';
import { startMediamtx, type Mediamtx, type Publisher } from './harness/mediamtx.js';

const FIXTURE = 'h264-aac.mp4'; // 25 fps H.264 (1 s GOP) + AAC-LC 44.1 kHz mono
const VIDEO_FRAME_TICKS = 90_000 / 25;
const AAC_FRAME_SAMPLES = 1024;
/** How long the server (or the stream) stays away. */
const DOWN_MS = 1000;
const FRAMES_EACH_SIDE = 25;
const POLICY = { initialDelayMs: 100, maxDelayMs: 400, factor: 2, jitter: 0.1, maxAttempts: 50 };

let mtx: Mediamtx;
let publisher: Publisher;

beforeAll(async () => {
  mtx = await startMediamtx();
  publisher = await mtx.publish(FIXTURE, 'cam');
});

afterAll(async () => {
  await publisher?.stop();
  await mtx?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Video frames yielded so far, and those after the `reconnected` event. */
function videoCounts(all: readonly RtspEvent[]): { total: number; after: number } {
  let total = 0;
  let after = -1;
  for (const event of all) {
    if (event.type === 'reconnected') after = 0;
    if (event.type !== 'video') continue;
    total++;
    if (after >= 0) after++;
  }
  return { total, after };
}

/**
 * Streams, calls `outage` after FRAMES_EACH_SIDE video frames, and closes
 * FRAMES_EACH_SIDE frames after `reconnected`; checks nothing was left open.
 */
async function runThroughOutage(outage: () => Promise<void>): Promise<SessionRun> {
  const before = resourceCounts();
  const session = new ReconnectingSession(mtx.url('cam'), {
    timeoutMs: 2000,
    statsIntervalMs: 0,
    reconnect: POLICY,
  });
  let outageDone: Promise<void> | undefined;
  const run = await runSession(session, {
    stop: (event, all) => {
      const frames = videoCounts(all);
      if (outageDone === undefined && frames.total >= FRAMES_EACH_SIDE) {
        outageDone = outage();
        outageDone.catch(() => {}); // awaited (and thrown) below
      }
      return frames.after >= FRAMES_EACH_SIDE;
    },
    maxMs: 35_000,
  });
  await outageDone;
  expect(run.error).toBeUndefined();
  expect(await leakedResources(before)).toEqual({});
  return run;
}

function expectBackoff(run: SessionRun): void {
  const reconnecting = run.ofType('reconnecting');
  expect(reconnecting.length).toBeGreaterThanOrEqual(2);
  expect(reconnecting.map((event) => event.attempt)).toEqual(
    reconnecting.map((_, index) => index + 1),
  );
  for (const { attempt, delayMs } of reconnecting) {
    const base = Math.min(
      POLICY.maxDelayMs,
      POLICY.initialDelayMs * POLICY.factor ** (attempt - 1),
    );
    expect(delayMs).toBeGreaterThanOrEqual(Math.round(base * (1 - POLICY.jitter)));
    expect(delayMs).toBeLessThanOrEqual(
      Math.round(Math.min(POLICY.maxDelayMs, base * (1 + POLICY.jitter))),
    );
  }
  // The drop itself: mediamtx closed the connection (a killed process's socket closes too).
  expect(reconnecting[0]!.error).toBeInstanceOf(RtspConnectionError);
  expect(reconnecting[0]!.error?.code).toBe(ErrorCodes.ERR_RTSP_CONNECTION);
}

/** Whether a frame follows the one before it: its pts and timestamp one frame step later. */
function expectContinuous<F extends VideoFrame | AudioFrame>(
  frames: F[],
  firstAfter: number,
  stepTicks: number,
  clockRate: number,
): void {
  for (let i = 1; i < frames.length; i++) {
    expect(frames[i]!.pts).toBeGreaterThan(frames[i - 1]!.pts);
    expect(frames[i]!.timestamp).toBeGreaterThan(frames[i - 1]!.timestamp);
  }
  expect(firstAfter).toBeGreaterThan(0);
  // Index 0 may carry the flag too: the depacketizer starts from a reset.
  const flagged = frames.flatMap((frame, index) =>
    index > 0 && frame.discontinuity ? [index] : [],
  );
  expect(flagged).toEqual([firstAfter]);
  const [previous, next] = [frames[firstAfter - 1]!, frames[firstAfter]!];
  expect(next.timestamp - previous.timestamp).toBe(stepTicks);
  expect(next.pts - previous.pts).toBeCloseTo(stepTicks / clockRate, 9);
}

/** The event sequence and timeline every recovered run must show. */
function expectRecovered(run: SessionRun): void {
  expectBackoff(run);
  const reconnecting = run.ofType('reconnecting');
  const reconnected = run.ofType('reconnected');
  expect(reconnected).toHaveLength(1);
  expect(reconnected[0]!.attempt).toBe(reconnecting.at(-1)!.attempt);

  // `reconnected` right after the new session's PLAY answer, no earlier in time.
  const at = run.events.indexOf(reconnected[0]!);
  const play = run.events[at - 1]!;
  expect(play).toMatchObject({ type: 'rtsp', method: 'PLAY', status: 200 });
  expect(reconnected[0]!.sessionElapsedMs).toBeGreaterThanOrEqual(play.sessionElapsedMs);

  const setup = ['OPTIONS 200', 'DESCRIBE 200', 'SETUP 200', 'SETUP 200', 'PLAY 200'];
  const exchanges = run.exchanges();
  expect(exchanges.slice(0, 5)).toEqual(setup);
  expect(exchanges.slice(-6)).toEqual([...setup, 'TEARDOWN 200']);
  // In between, only failed attempts: the server is up but nothing is published yet.
  for (const exchange of exchanges.slice(5, -6))
    expect(['OPTIONS 200', 'DESCRIBE 404']).toContain(exchange);
  for (const connect of run.ofType('connect'))
    expect(connect.remoteAddress).toBe(`127.0.0.1:${mtx.rtspPort}`);

  // One `closed` only: the dropped session's is held back; this one is our close().
  expect(run.ofType('closed')).toHaveLength(1);
  expect(run.closed).toMatchObject({ reason: 'teardown' });

  const after = (event: RtspEvent) => run.events.indexOf(event) > at;
  const video = run.ofType('video');
  const firstVideoAfter = video.findIndex(after);
  expect(video.length - firstVideoAfter).toBeGreaterThanOrEqual(FRAMES_EACH_SIDE);
  expect(video[firstVideoAfter]!.frame.keyframe).toBe(true);
  expectContinuous(
    video.map((event) => event.frame),
    firstVideoAfter,
    VIDEO_FRAME_TICKS,
    90_000,
  );
  const audio = run.ofType('audio');
  expectContinuous(
    audio.map((event) => event.frame),
    audio.findIndex(after),
    AAC_FRAME_SAMPLES,
    audio[0]!.frame.sampleRate,
  );
}

describe('ReconnectingSession against mediamtx', () => {
  it('container killed and started again on the same port: reconnects with backoff, frames resume on one timeline', async () => {
    const run = await runThroughOutage(async () => {
      await mtx.kill();
      await sleep(DOWN_MS);
      await mtx.restart();
    });
    expectRecovered(run);
    // While the container is down the port is closed.
    const errors = run.ofType('reconnecting').map((event) => event.error);
    expect(errors.some((error) => /ECONNREFUSED/.test(error?.message ?? ''))).toBe(true);
  }, 45_000);

  it('only the publisher goes away: DESCRIBE 404 while the path is empty, then reconnects the same way', async () => {
    const run = await runThroughOutage(async () => {
      await publisher.stop();
      await sleep(DOWN_MS);
      publisher = await mtx.publish(FIXTURE, 'cam');
    });
    expectRecovered(run);
    const errors = run
      .ofType('reconnecting')
      .slice(1)
      .map((event) => event.error);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RtspResponseError);
      expect(error).toMatchObject({ code: ErrorCodes.ERR_RTSP_RESPONSE, status: 404 });
    }
  }, 45_000);

  it('gives up when the server stays down: after maxAttempts, or once the next wait passes maxElapsedMs', async () => {
    const budgets: [ReconnectPolicy, number[]][] = [
      [{ initialDelayMs: 100, jitter: 0, maxAttempts: 3 }, [100, 200, 400]],
      // After 100 + 200 + 400 ms of waits the next one (800) would pass 1300 ms since the drop;
      // the 600 ms of slack lets failed connects be slow on a loaded machine.
      [{ initialDelayMs: 100, jitter: 0, maxElapsedMs: 1300 }, [100, 200, 400]],
    ];
    for (const [policy, delays] of budgets) {
      const before = resourceCounts();
      let killing: Promise<void> | undefined;
      const session = new ReconnectingSession(mtx.url('cam'), {
        timeoutMs: 2000,
        statsIntervalMs: 0,
        reconnect: policy,
      });
      const run = await runSession(session, {
        stop: (event) => {
          if (event.type === 'video' && killing === undefined) {
            killing = mtx.kill();
            killing.catch(() => {}); // awaited below
          }
          return false;
        },
        maxMs: 15_000,
      });
      await killing;
      expect(run.error).toBeUndefined();
      expect(run.ofType('reconnecting').map((event) => [event.attempt, event.delayMs])).toEqual(
        delays.map((delay, index) => [index + 1, delay]),
      );
      expect(run.ofType('reconnected')).toHaveLength(0);
      expect(run.ofType('closed')).toHaveLength(1);
      expect(run.events.at(-1)).toBe(run.closed);
      expect(run.closed?.reason).toBe('error');
      expect(run.closed?.error).toBeInstanceOf(RtspConnectionError);
      expect(run.closed?.error).toMatchObject({
        code: ErrorCodes.ERR_RTSP_CONNECTION,
        message: `connect ECONNREFUSED 127.0.0.1:${mtx.rtspPort}`,
      });
      expect(await leakedResources(before)).toEqual({});
      await mtx.restart();
    }
  }, 45_000);
});
