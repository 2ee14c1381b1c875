/**
 * Issue 8, a hostile server: sizes no camera sends. Each costs the client a
 * bounded amount of memory and ends (or is contained) with a precise error.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, RtspProtocolError } from '../../src/errors.js';
import { defaultRtspLimits } from '../../src/rtsp/limits.js';
import { TINY_FRAMES } from '../sim/hostile-peer.js';
import { faultRun, RSS_BOUND_BYTES, statsWhere, type FaultRun } from '../sim/fault-run.js';

/** Default cap of one video frame (DepacketizerOptions.maxFrameBytes). */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;

function expectClean(run: FaultRun): void {
  expect(run.leaked).toEqual({});
  expect(run.rssGrowthBytes).toBeLessThan(RSS_BOUND_BYTES);
}

/** Failed at DESCRIBE with a limit error; the simulator stopped pumping once the client hung up. */
function expectLimitError(run: FaultRun, limit: string): RtspProtocolError {
  expect(run.error).toBeInstanceOf(RtspProtocolError);
  const error = run.error as RtspProtocolError;
  expect(error).toMatchObject({ code: ErrorCodes.ERR_RTSP_PROTOCOL, limit });
  expect(error.position).toBeGreaterThanOrEqual(0);
  expect(run.exchanges()).toEqual(['OPTIONS 200']);
  expect(run.closed).toMatchObject({ reason: 'error', error });
  expect(run.sim.openConnections()).toBe(0);
  expectClean(run);
  return error;
}

describe('hostile server', () => {
  it('a 100 MB response head: fails at maxHeadBytes (or the header count) within the first 64 KiB', async () => {
    const started = performance.now();
    const run = await faultRun({ faults: { hostile: 'huge-header' } }, {}, { maxMs: 10_000 });
    expect(run.error).toBeInstanceOf(RtspProtocolError);
    const limit = (run.error as RtspProtocolError).limit;
    expect(['maxHeadBytes', 'maxHeaderCount']).toContain(limit);
    expectLimitError(run, limit!);
    expect((run.error as RtspProtocolError).position).toBeLessThanOrEqual(
      defaultRtspLimits.maxHeadBytes,
    );
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('an endless body (Content-Length 100 MB): refused at maxBodyBytes before any of it is buffered', async () => {
    const run = await faultRun({ faults: { hostile: 'endless-body' } }, {}, { maxMs: 10_000 });
    const error = expectLimitError(run, 'maxBodyBytes');
    expect(error.message).toContain('100000000');
  });

  it('Content-Length of 2^53: refused at maxBodyBytes, no arithmetic on the unsafe integer', async () => {
    const run = await faultRun(
      { faults: { hostile: 'huge-content-length' } },
      {},
      { maxMs: 10_000 },
    );
    expectLimitError(run, 'maxBodyBytes');
  });

  it('an endless FU-A frame: dropped once at the 8 MiB frame cap, the rest discarded, never yielded, memory bounded', async () => {
    const endlessFua = { faults: { hostile: 'endless-fua' as const } };
    // The process's first flood grows V8's young generation (tens of MB of RSS that GC keeps
    // for reuse, not data held): warm up once so the RSS baseline is taken after that.
    await faultRun(
      endlessFua,
      {},
      { stop: statsWhere((stats) => stats.framesDropped > 0), maxMs: 10_000 },
    );
    const run = await faultRun(
      endlessFua,
      { statsIntervalMs: 200 },
      { stop: statsWhere((stats) => stats.bytes > 3 * MAX_FRAME_BYTES), maxMs: 20_000 },
    );
    expect(run.error).toBeUndefined();
    const stats = run.lastStats()!;
    expect(stats.bytes).toBeGreaterThan(3 * MAX_FRAME_BYTES);
    // One access unit that never ends: one drop at the cap, its later fragments have no start to join.
    expect(stats).toMatchObject({ frames: 0, framesDropped: 1, lost: 0 });
    expect(run.ofType('video')).toHaveLength(0);
    // What the session itself holds, exactly: never more than the cap, though 3× the cap arrived.
    const buffered = run.ofType('stats').map((event) => event.tracks[0]!.bufferedBytes);
    expect(buffered.length).toBeGreaterThan(0);
    for (const bytes of buffered) expect(bytes).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(run.closed).toMatchObject({ reason: 'teardown' });
    expectClean(run);
  }, 30_000);

  it('a million one-byte $ frames: each counted invalid, none yielded, the session survives, in seconds', async () => {
    // Within maxMs, else `invalid` falls short: ~1 s here, where an error built per frame took 10–20 s.
    const run = await faultRun(
      { faults: { hostile: 'tiny-frames' } },
      { statsIntervalMs: 200, timeoutMs: 5000 },
      { stop: statsWhere((stats) => stats.invalid >= TINY_FRAMES), maxMs: 8000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.lastStats()).toMatchObject({ invalid: TINY_FRAMES, packets: 0, frames: 0 });
    expect(run.rtpEvents).toBe(0);
    expect(run.closed).toMatchObject({ reason: 'teardown' });
    expectClean(run);
  }, 30_000);
});
