/**
 * Issue 8, camera quirks: headers, SDP and authentication as real cameras
 * write them (the camera named where the form comes from).
 */
import { describe, expect, it } from 'vitest';
import { defaultSdp } from '../sim/camera-simulator.js';
import { SPS } from '../sim/synthetic-h264.js';
import { faultRun, RSS_BOUND_BYTES, videoFrames, type FaultRun } from '../sim/fault-run.js';

const SETUP_AND_PLAY = ['OPTIONS 200', 'DESCRIBE 200', 'SETUP 200', 'PLAY 200'];
const USER = { user: 'admin', pass: 'p@ss w0rd' };

function expectStreams(run: FaultRun, frames = 10): void {
  expect(run.error).toBeUndefined();
  expect(run.ofType('video').length).toBeGreaterThanOrEqual(frames);
  expect(run.ofType('video')[0]?.frame).toMatchObject({ keyframe: true, width: 640, height: 360 });
  expect(run.leaked).toEqual({});
  expect(run.rssGrowthBytes).toBeLessThan(RSS_BOUND_BYTES);
}

const requestsOf = (run: FaultRun, method: string) =>
  run.sim.requests.filter((request) => request.method === method);

/** A second (audio) track, so that there are two SETUPs; the simulator sends video only. */
const twoTrackSdp = (): string =>
  `${defaultSdp()}m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:trackID=1\r\n`;

describe('Session header quirks', () => {
  it('a session id that changes between SETUPs: the first id is kept for PLAY and later requests', async () => {
    const run = await faultRun(
      { faults: { changeSessionIdBetweenSetups: true }, sdp: twoTrackSdp },
      {},
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
    expect(run.exchanges()).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 200',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
    ]);
    const setups = run.ofType('rtsp').filter((event) => event.method === 'SETUP');
    const firstId = setups[0]!.headers.session!.split(';')[0];
    expect(setups[1]!.headers.session!.split(';')[0]).not.toBe(firstId);
    expect(requestsOf(run, 'PLAY')[0]?.headers.session).toBe(firstId);
    expect(requestsOf(run, 'TEARDOWN')[0]?.headers.session).toBe(firstId);
  });

  it('odd timeout syntax (`id ; Timeout = 2`): timeout read as 2 s, keepalives every second, the bare id sent back', async () => {
    const run = await faultRun(
      { sessionHeader: (id) => `${id} ; Timeout = 2` },
      {},
      { maxMs: 2800 },
    );
    expectStreams(run);
    const keepalives = requestsOf(run, 'GET_PARAMETER');
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    const id = run
      .ofType('rtsp')
      .find((event) => event.method === 'SETUP')!
      .headers.session!.split(';')[0]!
      .trim();
    expect(keepalives.every((request) => request.headers.session === id)).toBe(true);
  });

  it('a timeout that is not a number (`timeout=sixty`): falls back to 60 s, the session plays', async () => {
    const run = await faultRun(
      { sessionHeader: (id) => `${id};timeout=sixty` },
      {},
      { maxMs: 1500 },
    );
    expectStreams(run);
    expect(requestsOf(run, 'GET_PARAMETER')).toHaveLength(0);
  });
});

describe('PLAY and URL quirks', () => {
  it('RTP-Info with seq=0 and no rtptime: ignored, no loss counted from it', async () => {
    const run = await faultRun(
      { rtpInfo: (url) => `url=${url};seq=0` },
      {},
      { stop: videoFrames(20), maxMs: 5000 },
    );
    expectStreams(run, 20);
    expect(run.lastStats()).toMatchObject({ lost: 0, invalid: 0 });
  });

  it('no RTP-Info at all: the session plays', async () => {
    const run = await faultRun(
      { rtpInfo: () => undefined },
      {},
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
  });

  it('Content-Base without a scheme (`127.0.0.1:port/cam/`): SETUP goes to the rtsp:// control URL', async () => {
    const schemeless = (url: string): string => `${new URL(url).host}/cam/`;
    const run = await faultRun(
      { contentBase: schemeless },
      {},
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
    expect(requestsOf(run, 'SETUP')[0]?.uri).toBe(run.sim.url('cam/trackID=0'));
  });

  it('Dahua control URLs with queries (`realmonitor?channel=1&subtype=0/`): SETUP keeps the query, then trackID', async () => {
    const path = 'cam/realmonitor?channel=1&subtype=0';
    const run = await faultRun(
      { contentBase: (url) => `${url}/` },
      { path },
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
    expect(requestsOf(run, 'DESCRIBE')[0]?.uri).toBe(run.sim.url(path));
    expect(requestsOf(run, 'SETUP')[0]?.uri).toBe(`${run.sim.url(path)}/trackID=0`);
  });
});

describe('SDP quirks', () => {
  it('missing s=, t= and c= lines: the track is still found and played', async () => {
    const sdp = (): string => defaultSdp().replace(/^[stc]=.*\r\n/gm, '');
    const run = await faultRun({ sdp }, {}, { stop: videoFrames(10), maxMs: 5000 });
    expectStreams(run);
    expect(run.exchanges()).toEqual([...SETUP_AND_PLAY, 'TEARDOWN 200']);
  });

  it('LF-only line endings: parsed as with CRLF', async () => {
    const run = await faultRun(
      { sdp: () => defaultSdp().replaceAll('\r\n', '\n') },
      {},
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
    const describe = run.ofType('rtsp').find((event) => event.method === 'DESCRIBE');
    expect(describe?.tracks?.[0]).toMatchObject({
      codec: 'h264',
      clockRate: 90000,
      control: run.sim.url('cam/trackID=0'),
    });
  });

  it('a bad sprop-parameter-sets (not base64): in-band SPS/PPS still give the size, every keyframe starts with the SPS', async () => {
    const sdp = (): string =>
      defaultSdp().replace(
        /sprop-parameter-sets=[^;\r\n]*/,
        'sprop-parameter-sets=%%%not base64,@@',
      );
    const run = await faultRun({ sdp }, {}, { stop: videoFrames(30), maxMs: 5000 });
    expectStreams(run, 30);
    const keyframes = run.ofType('video').filter((event) => event.frame.keyframe);
    expect(keyframes.length).toBeGreaterThanOrEqual(2);
    const sps = Buffer.concat([Buffer.from([0, 0, 0, 1]), SPS]);
    for (const { frame } of keyframes)
      expect(Buffer.from(frame.data.subarray(0, sps.length))).toEqual(sps);
  });
});

describe('authentication quirks', () => {
  it('Hikvision-style Digest challenge (spaces around =, unquoted algorithm, stale="FALSE"): answered with Digest', async () => {
    const run = await faultRun(
      { auth: { ...USER, style: 'hikvision' } },
      { path: 'cam', credentials: { username: USER.user, password: USER.pass } },
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
    expect(run.exchanges()).toEqual(['OPTIONS 401', ...SETUP_AND_PLAY, 'TEARDOWN 200']);
    const authorizations = run.sim.requests
      .slice(1)
      .map((request) => request.headers.authorization ?? '');
    expect(
      authorizations.every((value) => value.startsWith('Digest ') && value.includes('realm="sim"')),
    ).toBe(true);
  });

  it('Basic and Digest in two WWW-Authenticate headers: Digest is chosen', async () => {
    const run = await faultRun(
      { auth: { ...USER, style: 'multiple' } },
      { credentials: { username: USER.user, password: USER.pass } },
      { stop: videoFrames(10), maxMs: 5000 },
    );
    expectStreams(run);
    expect(run.exchanges()[0]).toBe('OPTIONS 401');
    expect(
      run.sim.requests
        .slice(1)
        .every((request) => request.headers.authorization?.startsWith('Digest ') === true),
    ).toBe(true);
  });

  it('401 stale=true on the first keepalive: answered once with the new nonce, the session goes on', async () => {
    const run = await faultRun(
      {
        auth: { ...USER, style: 'digest', staleAfterPlay: true },
        sessionHeader: (id) => `${id};timeout=2`,
      },
      { credentials: { username: USER.user, password: USER.pass } },
      { maxMs: 2600 },
    );
    expectStreams(run);
    const keepalives = run.exchanges().filter((exchange) => exchange.startsWith('GET_PARAMETER'));
    expect(keepalives.slice(0, 2)).toEqual(['GET_PARAMETER 401', 'GET_PARAMETER 200']);
    expect(keepalives.slice(2).every((exchange) => exchange === 'GET_PARAMETER 200')).toBe(true);
    expect(run.closed).toMatchObject({ reason: 'teardown' });
    expect(run.exchanges().at(-1)).toBe('TEARDOWN 200');
  });
});
