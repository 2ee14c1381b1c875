/**
 * Issue 8, framing faults: bytes that arrive early, late, split or mixed up
 * on the RTSP connection, and RTP/RTCP the session must skip and count.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, RtspProtocolError } from '../../src/errors.js';
import { STRAY_SSRC } from '../sim/camera-simulator.js';
import { faultRun, RSS_BOUND_BYTES, videoFrames, type FaultRun } from '../sim/fault-run.js';

const SETUP_AND_PLAY = ['OPTIONS 200', 'DESCRIBE 200', 'SETUP 200', 'PLAY 200'];

function expectClean(run: FaultRun): void {
  expect(run.leaked).toEqual({});
  expect(run.rssGrowthBytes).toBeLessThan(RSS_BOUND_BYTES);
}

/**
 * Video frames are contiguous: pts grows by one frame (1/25 s), no discontinuity
 * after the first frame (which starts the timeline and may carry the flag).
 */
function expectContiguousVideo(run: FaultRun): void {
  const frames = run.ofType('video').map((event) => event.frame);
  expect(frames[0]).toMatchObject({ keyframe: true, pts: 0, width: 640, height: 360 });
  frames.forEach((frame, index) => {
    if (index > 0) expect(frame.discontinuity).toBe(false);
    expect(frame.pts).toBeCloseTo(index / 25, 6);
  });
}

describe('framing on the RTSP connection', () => {
  it('media before the PLAY response: kept, in order, from the first packet', async () => {
    const run = await faultRun(
      { faults: { mediaBeforePlayResponse: true } },
      {},
      { stop: videoFrames(20), maxMs: 5000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.exchanges()).toEqual([...SETUP_AND_PLAY, 'TEARDOWN 200']);
    // The three early frames are yielded before the PLAY exchange that they overtook.
    const types = run.events.map((event) => (event.type === 'rtsp' ? event.method : event.type));
    expect(types.indexOf('video')).toBeLessThan(types.indexOf('PLAY'));
    expectContiguousVideo(run);
    expect(run.lastStats()).toMatchObject({ lost: 0, invalid: 0 });
    expectClean(run);
  });

  it('every response one byte per TCP segment: the same exchanges and frames as unsplit', async () => {
    const run = await faultRun(
      { faults: { byteAtATime: true } },
      {},
      { stop: videoFrames(20), maxMs: 8000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.exchanges()).toEqual([...SETUP_AND_PLAY, 'TEARDOWN 200']);
    const describe = run.ofType('rtsp').find((event) => event.method === 'DESCRIBE');
    expect(describe?.tracks?.map((track) => track.codec)).toEqual(['h264']);
    expectContiguousVideo(run);
    expectClean(run);
  });

  it('a $ frame between two header lines of the PLAY response: RtspProtocolError at that byte, before PLAY', async () => {
    // RFC 2326 §10.12 allows `$` frames only between messages: binary in a head cannot be told from headers.
    const run = await faultRun({ faults: { interleaveInsideResponse: true } }, {}, { maxMs: 5000 });
    expect(run.error).toBeInstanceOf(RtspProtocolError);
    const error = run.error as RtspProtocolError;
    expect(error).toMatchObject({ code: ErrorCodes.ERR_RTSP_PROTOCOL, phase: 'parse' });
    expect(error.position).toBeGreaterThan(0);
    expect(error.message).toContain(`at byte ${error.position}`);
    expect(run.exchanges()).toEqual(['OPTIONS 200', 'DESCRIBE 200', 'SETUP 200']);
    expect(run.closed).toMatchObject({ reason: 'error', error });
    expect(run.ofType('video')).toHaveLength(0);
    expectClean(run);
  });

  it('$ frames on a channel nobody set up: skipped, the stream intact', async () => {
    const run = await faultRun(
      { faults: { unknownChannelFrames: true } },
      {},
      { stop: videoFrames(30), maxMs: 5000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.sim.sent.unknownChannelFrames).toBeGreaterThanOrEqual(30);
    expectContiguousVideo(run);
    expect(run.lastStats()).toMatchObject({ lost: 0, invalid: 0, framesDropped: 0 });
    expectClean(run);
  });
});

describe('RTP and RTCP the session must skip', () => {
  it('RTP of an unknown SSRC and of an unknown payload type: never yielded, payload types counted invalid, no loss', async () => {
    const run = await faultRun(
      { faults: { strangeRtp: true } },
      { statsIntervalMs: 200 },
      { stop: videoFrames(40), maxMs: 6000 },
    );
    expect(run.error).toBeUndefined();
    expectContiguousVideo(run);
    const stats = run.lastStats()!;
    // One packet of payload type 111 follows every 5th frame (0, 5, 10, ...).
    expect(stats.invalid).toBeGreaterThanOrEqual(Math.ceil(stats.frames / 5) - 1);
    expect(stats.invalid).toBeLessThanOrEqual(Math.ceil(stats.frames / 5) + 1);
    expect(stats).toMatchObject({ lost: 0, duplicates: 0, framesDropped: 0 });
    expect(run.ofType('rtcp').every((event) => event.ssrc !== STRAY_SSRC)).toBe(true);
    expectClean(run);
  });

  it('truncated RTCP compounds (SR whole, SDES cut): the SR still read, the stream untouched', async () => {
    const run = await faultRun(
      { faults: { truncatedRtcp: true } },
      {},
      { stop: videoFrames(60), maxMs: 6000 },
    );
    expect(run.error).toBeUndefined();
    const senderReports = run.ofType('rtcp').filter((event) => event.packetType === 200);
    // One whole SR a second (frames 0, 25, 50) and one in each truncated compound (frames 0, 10, 20, ...).
    expect(senderReports.length).toBeGreaterThanOrEqual(3 + 6);
    expect(
      senderReports.every((event) => typeof event.ntpTime === 'number' && event.ntpTime > 0),
    ).toBe(true);
    expectContiguousVideo(run);
    expect(run.ofType('video').at(-1)?.frame.ntpTime).toBeGreaterThan(0);
    expectClean(run);
  });
});
