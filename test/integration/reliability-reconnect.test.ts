/**
 * Issue 8 item 3: ReconnectingSession against a simulator that is killed and
 * started again on the same port.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import type { RtspEvent } from '../../src/events/types.js';
import { ReconnectingSession } from '../../src/session/reconnecting-session.js';
import { startCameraSimulator, type CameraSimulator } from '../sim/camera-simulator.js';
import {
  leakedResources,
  resourceCounts,
  RSS_BOUND_BYTES,
  runSession,
  watchRss,
} from '../sim/fault-run.js';

const DOWN_MS = 700;

describe('ReconnectingSession with a camera that restarts', () => {
  it('reconnects after the server dies, keeps the timeline monotonic, flags the first frame after, closes clean', async () => {
    const before = resourceCounts();
    const rss = watchRss();
    let sim: CameraSimulator = await startCameraSimulator();
    const port = sim.port;
    let restarted: CameraSimulator | undefined;
    let killed = false;
    const session = new ReconnectingSession(sim.url(), {
      timeoutMs: 1000,
      statsIntervalMs: 0,
      reconnect: { initialDelayMs: 200, maxDelayMs: 400, jitter: 0.1, maxAttempts: 20 },
    });
    const frames = (all: readonly RtspEvent[]) =>
      all.filter((event) => event.type === 'video').length;
    const run = await runSession(session, {
      stop: (event, all) => {
        if (!killed && frames(all) >= 15) {
          killed = true;
          void sim
            .close()
            .then(() =>
              setTimeout(
                () => void startCameraSimulator({ port }).then((next) => (restarted = next)),
                DOWN_MS,
              ),
            );
        }
        return (
          event.type === 'video' &&
          all.some((each) => each.type === 'reconnected') &&
          frames(all) >= 40
        );
      },
      maxMs: 15_000,
    });
    await (restarted ?? sim).close();
    sim = restarted ?? sim;
    const rssGrowthBytes = rss.stop();

    expect(run.error).toBeUndefined();
    const reconnecting = run.ofType('reconnecting');
    expect(reconnecting.length).toBeGreaterThanOrEqual(2);
    expect(reconnecting.map((event) => event.attempt)).toEqual(
      reconnecting.map((_, index) => index + 1),
    );
    expect(reconnecting[0]!.error?.code).toBeDefined();
    // While the port is closed: connection refused.
    expect(
      reconnecting.slice(1).some((event) => event.error?.code === ErrorCodes.ERR_RTSP_CONNECTION),
    ).toBe(true);
    const reconnected = run.ofType('reconnected');
    expect(reconnected).toHaveLength(1);
    expect(reconnected[0]!.attempt).toBe(reconnecting.at(-1)!.attempt);

    const video = run.ofType('video').map((event) => event.frame);
    for (let i = 1; i < video.length; i++) {
      expect(video[i]!.pts).toBeGreaterThan(video[i - 1]!.pts);
      expect(video[i]!.timestamp).toBeGreaterThan(video[i - 1]!.timestamp);
    }
    const flagged = video.flatMap((frame, index) =>
      index > 0 && frame.discontinuity ? [index] : [],
    );
    expect(flagged).toHaveLength(1);
    expect(video[flagged[0]!]!.keyframe).toBe(true);
    // One frame step (1/25 s) after the last frame before the drop.
    expect(video[flagged[0]!]!.pts - video[flagged[0]! - 1]!.pts).toBeCloseTo(0.04, 6);

    expect(run.ofType('closed')).toHaveLength(1);
    expect(run.closed).toMatchObject({ reason: 'teardown' });
    expect(run.ofType('connect').length).toBeGreaterThanOrEqual(2);
    expect(await leakedResources(before)).toEqual({});
    expect(rssGrowthBytes).toBeLessThan(RSS_BOUND_BYTES);
  }, 20_000);

  it('gives up after maxAttempts when the camera never comes back: one closed, reason error', async () => {
    const sim = await startCameraSimulator({ faults: { closeAfterPlayMs: 400 } });
    const url = sim.url();
    const session = new ReconnectingSession(url, {
      timeoutMs: 1000,
      reconnect: { initialDelayMs: 50, maxAttempts: 3, jitter: 0 },
    });
    const run = await runSession(session, {
      stop: (event) => {
        if (event.type === 'reconnecting' && event.attempt === 1) void sim.close();
        return false;
      },
      maxMs: 10_000,
    });
    expect(run.ofType('reconnecting').map((event) => [event.attempt, event.delayMs])).toEqual([
      [1, 50],
      [2, 100],
      [3, 200],
    ]);
    expect(run.ofType('reconnected')).toHaveLength(0);
    expect(run.ofType('closed')).toHaveLength(1);
    expect(run.closed).toMatchObject({
      reason: 'error',
      error: { code: ErrorCodes.ERR_RTSP_CONNECTION },
    });
  });
});
