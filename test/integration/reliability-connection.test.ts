/**
 * Issue 8, connection faults: what a session shows when the camera closes,
 * resets or goes silent mid-PLAY, and when it mishandles keepalives.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, RtspConnectionError, RtspTimeoutError } from '../../src/errors.js';
import { faultRun, RSS_BOUND_BYTES, type FaultRun } from '../sim/fault-run.js';

const SETUP_AND_PLAY = ['OPTIONS 200', 'DESCRIBE 200', 'SETUP 200', 'PLAY 200'];

function expectClean(run: FaultRun): void {
  expect(run.leaked).toEqual({});
  expect(run.rssGrowthBytes).toBeLessThan(RSS_BOUND_BYTES);
}

describe('connection faults after PLAY', () => {
  it('server closes the connection (FIN): closed server-closed, no error, the frames before it delivered', async () => {
    const run = await faultRun({ faults: { closeAfterPlayMs: 600 } }, {}, { maxMs: 5000 });
    expect(run.error).toBeUndefined();
    expect(run.exchanges()).toEqual(SETUP_AND_PLAY);
    expect(run.closed).toMatchObject({ reason: 'server-closed' });
    expect(run.closed?.error).toBeUndefined();
    expect(run.ofType('video').length).toBeGreaterThanOrEqual(10);
    expect(run.events.at(-1)?.type).toBe('closed');
    expectClean(run);
  });

  it('server resets the connection (RST): closed error with RtspConnectionError ECONNRESET, phase streaming', async () => {
    const run = await faultRun({ faults: { resetAfterPlayMs: 600 } }, {}, { maxMs: 5000 });
    expect(run.error).toBeUndefined();
    expect(run.closed).toMatchObject({ reason: 'error' });
    expect(run.closed?.error).toBeInstanceOf(RtspConnectionError);
    expect(run.closed?.error).toMatchObject({
      code: ErrorCodes.ERR_RTSP_CONNECTION,
      phase: 'streaming',
    });
    expect(run.closed?.error?.message).toContain('ECONNRESET');
    expect(run.ofType('video').length).toBeGreaterThanOrEqual(10);
    expectClean(run);
  });

  it('half-open TCP (silent, socket kept): closed timeout after timeoutMs, TEARDOWN bounded by timeoutMs', async () => {
    const timeoutMs = 800;
    const run = await faultRun(
      { faults: { halfOpenAfterPlayMs: 400 } },
      { timeoutMs },
      { maxMs: 8000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.closed).toMatchObject({ reason: 'timeout' });
    expect(run.closed?.error).toBeInstanceOf(RtspTimeoutError);
    expect(run.closed?.error).toMatchObject({
      code: ErrorCodes.ERR_RTSP_TIMEOUT,
      phase: 'streaming',
      timeoutMs,
    });
    const lastFrame = run.ofType('video').at(-1)!;
    const silentFor = run.closed!.sessionElapsedMs - lastFrame.sessionElapsedMs;
    // The watchdog looks every timeoutMs/4; TEARDOWN then waits at most timeoutMs.
    expect(silentFor).toBeGreaterThanOrEqual(timeoutMs);
    expect(silentFor).toBeLessThan(2 * timeoutMs + timeoutMs / 4 + 400);
    expect(run.sim.requests.at(-1)?.method).toBe('TEARDOWN');
    expectClean(run);
  });

  it('no media at all after PLAY: closed timeout, no frames, zero packets in stats', async () => {
    const timeoutMs = 800;
    const run = await faultRun(
      { faults: { noMedia: true } },
      { timeoutMs, statsIntervalMs: 200 },
      { maxMs: 8000 },
    );
    expect(run.exchanges()).toEqual([...SETUP_AND_PLAY, 'TEARDOWN 200']);
    expect(run.closed).toMatchObject({ reason: 'timeout' });
    expect(run.closed?.error).toMatchObject({
      code: ErrorCodes.ERR_RTSP_TIMEOUT,
      phase: 'streaming',
    });
    expect(run.ofType('video')).toHaveLength(0);
    expect(run.lastStats()).toMatchObject({ packets: 0, frames: 0 });
    const play = run.ofType('rtsp').find((event) => event.method === 'PLAY')!;
    expect(run.closed!.sessionElapsedMs - play.sessionElapsedMs).toBeGreaterThanOrEqual(timeoutMs);
    expectClean(run);
  });
});

describe('keepalive faults', () => {
  // timeout=2 in the Session header: a keepalive every second.
  const shortSession = (id: string): string => `${id};timeout=2`;

  it('keepalives never answered while media flows: the session keeps streaming, each keepalive times out alone', async () => {
    const run = await faultRun(
      { faults: { ignoreKeepalives: true }, sessionHeader: shortSession },
      { timeoutMs: 700 },
      { maxMs: 3500 },
    );
    const keepalives = run.sim.requests.filter((request) => request.method === 'GET_PARAMETER');
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    // Unanswered requests produce no `rtsp` event; media keeps the session alive.
    expect(run.exchanges()).toEqual([...SETUP_AND_PLAY, 'TEARDOWN 200']);
    expect(run.closed).toMatchObject({ reason: 'teardown' });
    expect(run.closed?.error).toBeUndefined();
    expect(run.ofType('video').length).toBeGreaterThanOrEqual(60);
    expect(run.lastStats()).toMatchObject({ lost: 0 });
    expectClean(run);
  });

  for (const status of [405, 501]) {
    it(`keepalives answered ${status}: GET_PARAMETER once, then OPTIONS; the session goes on`, async () => {
      const run = await faultRun(
        { faults: { keepaliveStatus: status }, sessionHeader: shortSession },
        {},
        { maxMs: 3500 },
      );
      const keepalives = run.exchanges().slice(SETUP_AND_PLAY.length, -1);
      expect(keepalives[0]).toBe(`GET_PARAMETER ${status}`);
      expect(keepalives.slice(1).length).toBeGreaterThanOrEqual(1);
      expect(keepalives.slice(1).every((exchange) => exchange === `OPTIONS ${status}`)).toBe(true);
      expect(run.closed).toMatchObject({ reason: 'teardown' });
      expect(run.ofType('video').length).toBeGreaterThanOrEqual(60);
      expectClean(run);
    });
  }
});
