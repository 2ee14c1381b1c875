import { describe, expect, it } from 'vitest';
import type { RtspError } from '../../../src/errors.js';
import {
  RtspAuthError,
  RtspConnectionError,
  RtspResponseError,
  RtspStateError,
  RtspTimeoutError,
} from '../../../src/errors.js';
import type { RtspEvent } from '../../../src/events/types.js';
import { digestChallenge, verifyAuthorization } from '../../../src/rtsp/auth-server.js';
import { serializeRtpPacket } from '../../../src/rtp/packet.js';
import { RtspSession } from '../../../src/session/session.js';
import {
  CAMERA_URL,
  fakeCamera,
  isPlay,
  methodsOf,
  rest,
  sendAudioPacket,
  sendVideoFrame,
  until,
} from './fake-camera.js';

describe('RtspSession over TCP (fake camera)', () => {
  it('runs OPTIONS, DESCRIBE, SETUP per track and PLAY, then yields media and closes with TEARDOWN', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect, statsIntervalMs: 50 });
    const iterator = session.events();
    const seen = await until(iterator, isPlay);
    expect(seen[0]).toMatchObject({
      type: 'connect',
      localAddress: '127.0.0.1:50000',
      remoteAddress: '127.0.0.1:8554',
    });
    expect(methodsOf(seen)).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 200',
      'SETUP 200',
      'PLAY 200',
    ]);
    const describe = seen.find((event) => event.type === 'rtsp' && event.method === 'DESCRIBE');
    expect(describe).toMatchObject({
      url: CAMERA_URL,
      cseq: 2,
      sdp: expect.stringContaining('H264/90000'),
    });
    expect(describe?.type === 'rtsp' && describe.tracks?.map((track) => track.codec)).toEqual([
      'h264',
      'pcmu',
    ]);
    const transports = camera.requests
      .filter((r) => r.method === 'SETUP')
      .map((r) => r.headers.get('transport'));
    expect(transports).toEqual([
      'RTP/AVP/TCP;unicast;interleaved=0-1',
      'RTP/AVP/TCP;unicast;interleaved=2-3',
    ]);
    expect(camera.requests.find((r) => r.method === 'PLAY')?.headers.get('session')).toBe(
      '12345678',
    );

    let sequenceNumber = 0;
    for (let frame = 0; frame < 3; frame++)
      sequenceNumber = sendVideoFrame(camera.last, 0, frame, sequenceNumber);
    sendAudioPacket(camera.last, 2, 0);
    await until(iterator, (event) => event.type === 'stats', seen);
    await session.close();
    const all = await rest(iterator, seen);

    const frames = all.filter((event) => event.type === 'video');
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames[0]).toMatchObject({ track: 0, frame: { codec: 'h264', keyframe: true, pts: 0 } });
    expect(frames[1]).toMatchObject({ frame: { keyframe: false, pts: 3000 / 90000 } });
    expect(all.find((event) => event.type === 'audio')).toMatchObject({
      track: 1,
      frame: { codec: 'pcmu', sampleCount: 160 },
    });
    expect(all.filter((event) => event.type === 'rtp')).toHaveLength(6);
    const stats = all.find((event) => event.type === 'stats');
    expect(stats?.type === 'stats' && stats.tracks.map((track) => track.codec)).toEqual([
      'h264',
      'pcmu',
    ]);
    expect(stats?.type === 'stats' && stats.timings).toMatchObject({
      methods: { PLAY: expect.any(Number) },
      firstKeyframeMs: expect.any(Number),
    });
    const closed = all.at(-1);
    expect(closed).toMatchObject({ type: 'closed', reason: 'teardown' });
    expect(all.filter((event) => event.type === 'closed')).toHaveLength(1);
    expect(camera.requests.at(-1)?.method).toBe('TEARDOWN');
    expect(session.state).toBe('closed');
  });

  it('rejects the iteration when DESCRIBE fails, after a closed event', async () => {
    const camera = fakeCamera({
      override: (r) => (r.method === 'DESCRIBE' ? { status: 404, reason: 'Not Found' } : undefined),
    });
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    const seen: RtspEvent[] = [];
    const error = await (async () => {
      for await (const event of session) seen.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspResponseError);
    expect(error).toMatchObject({
      message: 'DESCRIBE 404 Not Found',
      status: 404,
      cseq: 2,
      phase: 'DESCRIBE',
    });
    expect(seen.map((event) => event.type)).toEqual(['connect', 'rtsp', 'rtsp', 'closed']);
    expect(seen.at(-1)).toMatchObject({ type: 'closed', reason: 'error', error });
    expect(camera.requests.map((r) => r.method)).toEqual(['OPTIONS', 'DESCRIBE']);
  });

  it('rejects with RtspConnectionError when the connection is refused', async () => {
    const camera = fakeCamera();
    camera.refuse = new RtspConnectionError('connect ECONNREFUSED 127.0.0.1:8554', {
      phase: 'connect',
    });
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    await expect(rest(session.events())).rejects.toThrow('connect ECONNREFUSED 127.0.0.1:8554');
  });

  it('rejects with RtspTimeoutError when the server does not answer', async () => {
    const camera = fakeCamera({
      override: (r) => (r.method === 'DESCRIBE' ? 'ignore' : undefined),
    });
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect, timeoutMs: 100 });
    const error = await rest(session.events()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspTimeoutError);
    expect(error).toMatchObject({ method: 'DESCRIBE', phase: 'DESCRIBE', cseq: 2 });
  });

  it('reports ERR_RTSP_UNSUPPORTED when no selected track has a depacketizer', async () => {
    const sdp =
      'v=0\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 97\r\na=rtpmap:97 VP9/90000\r\na=control:trackID=0\r\n';
    const session = new RtspSession(CAMERA_URL, { connect: fakeCamera({ sdp }).connect });
    await expect(rest(session.events())).rejects.toMatchObject({
      code: 'ERR_RTSP_UNSUPPORTED',
      message: expect.stringContaining('vp9'),
    });
  });

  it('sets up only the media asked for', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect, video: false });
    const iterator = session.events();
    await until(iterator, isPlay);
    await session.close();
    expect(camera.requests.filter((r) => r.method === 'SETUP').map((r) => r.uri)).toEqual([
      `${CAMERA_URL}/trackID=1`,
    ]);
  });

  it('ends with closed "aborted" when the signal aborts mid-stream, after a TEARDOWN', async () => {
    const camera = fakeCamera();
    const controller = new AbortController();
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      signal: controller.signal,
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    controller.abort();
    const all = await rest(iterator);
    expect(all.at(-1)).toMatchObject({ type: 'closed', reason: 'aborted' });
    expect(camera.requests.at(-1)?.method).toBe('TEARDOWN');
  });

  it('ends with closed "server-closed" when the server hangs up after PLAY', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    const iterator = session.events();
    await until(iterator, isPlay);
    camera.last.end();
    expect((await rest(iterator)).at(-1)).toMatchObject({
      type: 'closed',
      reason: 'server-closed',
    });
    expect(camera.requests.some((r) => r.method === 'TEARDOWN')).toBe(false);
  });

  it('ends with closed "timeout" when no byte arrives for timeoutMs after PLAY', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect, timeoutMs: 150 });
    const iterator = session.events();
    await until(iterator, isPlay);
    const closed = (await rest(iterator)).at(-1);
    expect(closed).toMatchObject({ type: 'closed', reason: 'timeout' });
    expect(closed?.type === 'closed' && closed.error).toBeInstanceOf(RtspTimeoutError);
  });

  it('pauses and resumes with PAUSE and PLAY, and refuses calls in the wrong state', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    await expect(session.pause()).rejects.toBeInstanceOf(RtspStateError);
    const iterator = session.events();
    expect(() => session.events()).toThrow(RtspStateError);
    await until(iterator, isPlay);
    await expect(session.play()).rejects.toThrow(
      /play\(\) is not allowed in state 'playing' \(allowed in: paused\)/,
    );
    await session.pause();
    expect(session.state).toBe('paused');
    await session.play();
    expect(session.state).toBe('playing');
    const plays = camera.requests.filter((r) => r.method === 'PLAY');
    expect(plays.map((r) => r.headers.get('range'))).toEqual(['npt=0.000-', undefined]);
    await session.close();
    await session.close();
    expect((await rest(iterator)).filter((event) => event.type === 'closed')).toHaveLength(1);
  });

  it('pause() called on the PLAY event itself waits for the start to finish, then pauses', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    const iterator = session.events();
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (isPlay(next.value)) break;
    }
    await session.pause();
    expect(session.state).toBe('paused');
    await session.close();
    await rest(iterator);
  });

  it('answers requests the server sends during the stream', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    const iterator = session.events();
    await until(iterator, isPlay);
    camera.last.send(
      'OPTIONS * RTSP/1.0\r\nCSeq: 900\r\n\r\nSET_PARAMETER rtsp://127.0.0.1:8554/cam RTSP/1.0\r\nCSeq: 901\r\n\r\n',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(camera.last.responses.map((r) => `${r.status} ${r.headers.get('cseq')}`)).toEqual([
      '200 900',
      '200 901',
    ]);
    expect(session.state).toBe('playing');
    await session.close();
  });
});

describe('RtspSession authentication and redirects', () => {
  const account = { username: 'admin', password: 'S3cr3t!' };
  const guarded = (nonce = 'n1') =>
    fakeCamera({
      override: (request) =>
        verifyAuthorization(request.headers.get('authorization'), request.method, account, {
          realm: 'cam',
          nonce,
          allowBasic: false,
        })
          ? undefined
          : {
              status: 401,
              reason: 'Unauthorized',
              headers: { 'WWW-Authenticate': digestChallenge('cam', nonce) },
            },
    });

  it('answers Digest challenges with credentials from the URL and never exposes the password', async () => {
    const camera = guarded();
    const url = 'rtsp://admin:S3cr3t%21@127.0.0.1:8554/cam';
    const session = new RtspSession(url, { connect: camera.connect });
    const iterator = session.events();
    const seen = await until(iterator, isPlay);
    await session.close();
    const all = await rest(iterator, seen);
    expect(methodsOf(all)).toEqual([
      'OPTIONS 401',
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 200',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
    ]);
    expect(JSON.stringify(all)).not.toContain('S3cr3t');
  });

  it('takes credentials from the options too', async () => {
    const session = new RtspSession(CAMERA_URL, {
      connect: guarded().connect,
      credentials: account,
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    await session.close();
  });

  it('fails with RtspAuthError naming the method on a wrong password, without leaking it', async () => {
    const session = new RtspSession('rtsp://admin:Wr0ng!@127.0.0.1:8554/cam', {
      connect: guarded().connect,
    });
    const error = await rest(session.events()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspAuthError);
    expect((error as RtspError).message).toMatch(/^OPTIONS 401 Unauthorized: /);
    expect(JSON.stringify({ message: (error as Error).message })).not.toContain('Wr0ng');
  });

  it('follows a redirect to the same origin with credentials, and to another host without them', async () => {
    let hops = 0;
    const camera = fakeCamera({
      override: (request) => {
        if (request.method !== 'DESCRIBE' || hops >= 2) return undefined;
        hops++;
        const location =
          hops === 1 ? 'rtsp://127.0.0.1:8554/moved' : 'rtsp://192.0.2.7:554/elsewhere';
        return { status: 302, reason: 'Moved Temporarily', headers: { Location: location } };
      },
    });
    const session = new RtspSession('rtsp://admin:S3cr3t!@127.0.0.1:8554/cam', {
      connect: camera.connect,
      credentials: account,
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    await session.close();
    expect(camera.dialed.map((d) => `${d.host}:${d.port}`)).toEqual([
      '127.0.0.1:8554',
      '127.0.0.1:8554',
      '192.0.2.7:554',
    ]);
    expect(camera.connections[2]!.requests[0]!.uri).toBe('rtsp://192.0.2.7:554/elsewhere');
  });

  it('gives up after five redirects', async () => {
    const camera = fakeCamera({
      override: (r) =>
        r.method === 'DESCRIBE'
          ? { status: 301, headers: { Location: `${CAMERA_URL}/again` } }
          : undefined,
    });
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    await expect(rest(session.events())).rejects.toThrow(/DESCRIBE 301: more than 5 redirects/);
    expect(camera.connections).toHaveLength(6);
  });
});

describe('RtspSession options', () => {
  it('throws ERR_RTSP_INVALID_ARGUMENT synchronously for bad options and URLs', () => {
    const bad: unknown[] = [
      { transport: 'quic' },
      { timeoutMs: 0 },
      { video: false, audio: false },
      { connectTo: { host: 'relay', port: 70000 } },
      { statsIntervalMs: -1 },
      { userAgent: 'x\r\nInjected: 1' },
      { queue: { highWaterMark: 1.5 } },
    ];
    for (const options of bad) {
      expect(() => new RtspSession(CAMERA_URL, options as never)).toThrow(
        expect.objectContaining({ code: 'ERR_RTSP_INVALID_ARGUMENT' }),
      );
    }
    expect(() => new RtspSession('http://cam/x')).toThrow(
      expect.objectContaining({ code: 'ERR_RTSP_INVALID_ARGUMENT' }),
    );
  });

  it('dials connectTo but keeps the URL in requests', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      connectTo: { host: '127.0.0.2', port: 9554 },
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    await session.close();
    expect(camera.dialed[0]).toMatchObject({
      host: '127.0.0.2',
      port: 9554,
      servername: '127.0.0.1',
    });
    expect(camera.requests[0]!.uri).toBe(CAMERA_URL);
  });

  it('closes an idle session without events and then refuses to iterate', async () => {
    const session = new RtspSession(CAMERA_URL, { connect: fakeCamera().connect });
    await session.close();
    expect(() => session.events()).toThrow(RtspStateError);
  });
});

describe('RtspSession stats of what it skips', () => {
  it('counts $ frames on unknown channels, RTP of another SSRC and truncated RTCP', async () => {
    const camera = fakeCamera();
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      audio: false,
      statsIntervalMs: 30,
    });
    const iterator = session.events();
    await until(iterator, isPlay);
    sendVideoFrame(camera.last, 0, 0, 0);
    camera.last.sendInterleaved(9, new Uint8Array([1, 2, 3, 4]));
    const stray = { marker: true, payloadType: 96, sequenceNumber: 7, timestamp: 1, ssrc: 0xdead };
    camera.last.sendInterleaved(0, serializeRtpPacket(stray, new Uint8Array([0x41, 1])));
    // An SR header announcing 28 bytes, cut after 8 (RFC 3550 §6.4.1).
    camera.last.sendInterleaved(1, new Uint8Array([0x80, 200, 0, 6, 0, 0, 0x12, 0x34]));
    const seen = await until(
      iterator,
      (event) => event.type === 'stats' && event.tracks[0]!.rtcpInvalid === 1,
    );
    await session.close();
    const stats = seen.at(-1);
    expect(stats).toMatchObject({
      type: 'stats',
      unknownChannelFrames: 1,
      tracks: [{ unknownSsrc: 1, rtcpInvalid: 1, invalid: 0, packets: 3 }],
    });
  });
});
