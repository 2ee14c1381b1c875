/**
 * Issue 8, media faults: sequence and timestamp jumps and wraps over TCP, and
 * 5% UDP loss, reordering and duplication through the impairment proxy.
 */
import { describe, expect, it } from 'vitest';
import { JUMP_AT_FRAME, startCameraSimulator } from '../sim/camera-simulator.js';
import {
  faultRun,
  leakedResources,
  resourceCounts,
  RSS_BOUND_BYTES,
  runSession,
  statsWhere,
  videoFrames,
  watchRss,
  type FaultRun,
} from '../sim/fault-run.js';
import { startImpairmentProxy, type Impairment } from '../sim/udp-impairment-proxy.js';
import { RtspSession } from '../../src/session/session.js';

function expectClean(run: { leaked: Record<string, number>; rssGrowthBytes: number }): void {
  expect(run.leaked).toEqual({});
  expect(run.rssGrowthBytes).toBeLessThan(RSS_BOUND_BYTES);
}

const timestamps = (run: FaultRun) => run.ofType('video').map((event) => event.frame.timestamp);

describe('sequence numbers and timestamps', () => {
  it('both wrap (seq from 65500, timestamp 1 s below 2^32): no loss, timestamps unwrapped past 2^32, pts steady', async () => {
    const run = await faultRun(
      { faults: { nearWrap: true } },
      {},
      { stop: videoFrames(40), maxMs: 6000 },
    );
    expect(run.error).toBeUndefined();
    const ticks = timestamps(run);
    expect(ticks.at(-1)).toBeGreaterThan(2 ** 32);
    ticks.slice(1).forEach((tick, index) => expect(tick - ticks[index]!).toBe(3600));
    expect(
      run
        .ofType('video')
        .slice(1)
        .every((event) => !event.frame.discontinuity),
    ).toBe(true);
    expect(run.lastStats()).toMatchObject({ lost: 0, duplicates: 0, framesDropped: 0 });
    expectClean(run);
  });

  it('a sequence jump of +1000 at frame 50: counted as 1000 lost, the next frame flagged discontinuity, the stream goes on', async () => {
    const run = await faultRun(
      { faults: { sequenceJump: 1000 } },
      { statsIntervalMs: 200 },
      { stop: statsWhere((stats) => stats.frames >= JUMP_AT_FRAME + 10), maxMs: 8000 },
    );
    expect(run.error).toBeUndefined();
    const frames = run.ofType('video').map((event) => event.frame);
    expect(frames.length).toBeGreaterThanOrEqual(JUMP_AT_FRAME + 10);
    const flagged = frames.flatMap((frame, index) =>
      index > 0 && frame.discontinuity ? [index] : [],
    );
    expect(flagged).toEqual([JUMP_AT_FRAME]);
    // The timeline is untouched: the jump is in sequence numbers only.
    frames
      .slice(1)
      .forEach((frame, index) => expect(frame.timestamp - frames[index]!.timestamp).toBe(3600));
    expect(run.lastStats()).toMatchObject({ lost: 1000, duplicates: 0 });
    expectClean(run);
  });

  it('a timestamp jump of +10 s at frame 50: timestamps and pts jump with it, stay monotonic, nothing lost', async () => {
    const run = await faultRun(
      { faults: { timestampJump: 10 * 90_000 } },
      {},
      { stop: videoFrames(JUMP_AT_FRAME + 10), maxMs: 8000 },
    );
    expect(run.error).toBeUndefined();
    const frames = run.ofType('video').map((event) => event.frame);
    const steps = frames.slice(1).map((frame, index) => frame.timestamp - frames[index]!.timestamp);
    expect(steps.filter((step) => step !== 3600)).toEqual([3600 + 10 * 90_000]);
    expect(steps.indexOf(3600 + 10 * 90_000)).toBe(JUMP_AT_FRAME - 1);
    expect(frames.at(-1)!.pts).toBeCloseTo((frames.length - 1) / 25 + 10, 6);
    expect(run.lastStats()).toMatchObject({ lost: 0 });
    expectClean(run);
  });
});

/** Simulator behind the proxy, a UDP session through it, until `frames` video frames. */
async function impairedRun(impairment: Impairment, frames: number) {
  const sim = await startCameraSimulator({ gop: 10 });
  const proxy = await startImpairmentProxy(sim.port, impairment);
  try {
    const session = new RtspSession(sim.url(), {
      transport: 'udp',
      connectTo: { host: '127.0.0.1', port: proxy.port },
      statsIntervalMs: 200,
      timeoutMs: 2000,
    });
    const run = await runSession(session, {
      stop: statsWhere((stats) => stats.frames >= frames),
      maxMs: 15_000,
    });
    return { ...run, proxy };
  } finally {
    await proxy.close();
    await sim.close();
  }
}

describe('UDP impairment (seeded, replayable)', () => {
  const none = { loss: 0, reorder: 0, duplicate: 0 };

  it('5% reordering: every packet arrives, counted reordered, no loss, no frame damaged', async () => {
    const run = await impairedRun({ ...none, reorder: 0.05, seed: 1 }, 50);
    expect(run.error).toBeUndefined();
    const stats = run.lastStats()!;
    expect(run.proxy.stats.rtp.reordered).toBeGreaterThan(5);
    expect(stats.reordered).toBeGreaterThan(0);
    expect(stats.reordered).toBeLessThanOrEqual(run.proxy.stats.rtp.reordered);
    expect(stats).toMatchObject({ lost: 0, duplicates: 0, framesDropped: 0 });
    expect(
      run
        .ofType('video')
        .slice(1)
        .every((event) => !event.frame.discontinuity),
    ).toBe(true);
  });

  it('5% duplication: duplicates counted and dropped, nothing lost', async () => {
    const run = await impairedRun({ ...none, duplicate: 0.05, seed: 2 }, 50);
    expect(run.error).toBeUndefined();
    const stats = run.lastStats()!;
    expect(run.proxy.stats.rtp.duplicated).toBeGreaterThan(5);
    expect(stats.duplicates).toBeGreaterThan(0);
    expect(stats.duplicates).toBeLessThanOrEqual(run.proxy.stats.rtp.duplicated);
    expect(stats).toMatchObject({ lost: 0, framesDropped: 0 });
    expect(stats.packets + stats.duplicates).toBeLessThanOrEqual(
      run.proxy.stats.rtp.forwarded + run.proxy.stats.rtp.duplicated,
    );
  });

  it('5% loss: lost counted (never more than dropped), damaged frames dropped, the frame after a gap flagged', async () => {
    const run = await impairedRun({ ...none, loss: 0.05, seed: 3 }, 50);
    expect(run.error).toBeUndefined();
    const stats = run.lastStats()!;
    const dropped = run.proxy.stats.rtp.dropped;
    expect(dropped).toBeGreaterThan(5);
    expect(stats.lost).toBeGreaterThan(0);
    expect(stats.lost).toBeLessThanOrEqual(dropped);
    expect(stats.framesDropped).toBeGreaterThan(0);
    expect(
      run
        .ofType('video')
        .slice(1)
        .some((event) => event.frame.discontinuity),
    ).toBe(true);
    expect(stats.duplicates).toBe(0);
  });

  it('all three at 5%: the session keeps streaming, handles and memory bounded', async () => {
    const before = resourceCounts();
    const rss = watchRss();
    const run = await impairedRun({ loss: 0.05, reorder: 0.05, duplicate: 0.05, seed: 4 }, 50);
    const rssGrowthBytes = rss.stop();
    expect(run.error).toBeUndefined();
    const stats = run.lastStats()!;
    expect(stats.frames).toBeGreaterThanOrEqual(50);
    expect(stats.lost).toBeGreaterThan(0);
    expect(stats.reordered + stats.duplicates).toBeGreaterThan(0);
    expect(run.closed).toMatchObject({ reason: 'teardown' });
    expectClean({ leaked: await leakedResources(before), rssGrowthBytes });
  });
});
